"""Query parameters shared by several routers, checked against the ontology schema."""

from __future__ import annotations

from app.api.problems import bad_request
from seed.schema import OntologySchema


def check_label(schema: OntologySchema, label: str | None) -> str | None:
    if label is not None and label not in schema.labels:
        raise bad_request(f"unknown label {label!r}; known: {', '.join(sorted(schema.labels))}")
    return label


def check_types(schema: OntologySchema, types: list[str] | None) -> list[str] | None:
    if not types:
        return None
    flat = [t.strip() for item in types for t in item.split(",") if t.strip()]
    unknown = [t for t in flat if t not in schema.relationship_types]
    if unknown:
        raise bad_request(
            f"unknown relationship type(s) {unknown}; known: {', '.join(sorted(schema.relationship_types))}"
        )
    return flat


def resolve_source(schema: OntologySchema, source: str | None) -> str | None:
    """A document key, file name or 3-digit prefix -> the seed file name used in `sources`."""
    if source is None:
        return None
    file = schema.document_file(source)
    if file is None:
        raise bad_request(f"unknown source {source!r}; use one of {', '.join(schema.documents)}")
    return file

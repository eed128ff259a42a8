"""What the graph holds: the schema's labels and relationship types with their counts."""

from __future__ import annotations

from typing import Any

from app.graph.store import GraphStore
from app.models import CountEntry, SchemaSummary
from seed.schema import OntologySchema


def summary(store: GraphStore, schema: OntologySchema, release: dict[str, Any] | None) -> SchemaSummary:
    label_counts = {row["label"]: row["count"] for row in store.read("meta/label_counts")}
    type_counts = {row["type"]: row["count"] for row in store.read("meta/relationship_counts")}
    return SchemaSummary(
        version=schema.ontology_version,
        labels=[CountEntry(name=n, count=label_counts.get(n, 0), doc=spec.doc) for n, spec in schema.labels.items()],
        relationship_types=[
            CountEntry(name=n, count=type_counts.get(n, 0), doc=spec.doc)
            for n, spec in schema.relationship_types.items()
        ],
        documents={key: doc.model_dump() for key, doc in schema.documents.items()},
        release=release,
    )

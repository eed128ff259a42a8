"""The organisation sources the loaded release holds, read from the store once per release.

The API's `source=` filters accept a document key of ontology/schema.yaml or an organisation
source. The service reads the organisations from the store (not from a folder), so a source that
`itsm-ontology import` loads beside a running server is accepted as soon as the server sees the
new release (within the release cache's few seconds), without a restart.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from app.errors import ServiceError
from app.graph.store import GraphStore
from app.overlay.models import OrganisationSource
from seed.schema import DocumentSpec, OntologySchema

log = logging.getLogger("itsm_ontology.overlay")


def with_organisations(schema: OntologySchema, sources: list[OrganisationSource]) -> OntologySchema:
    """`schema` with one document per organisation source: key and file are the source's name
    (its facts cite `<source>:<file>:<row>`, so the `source=` prefix test works unchanged)."""
    if not sources:
        return schema
    documents = {key: doc.model_dump() for key, doc in schema.documents.items()}
    for source in sources:
        if source.name not in documents:
            documents[source.name] = DocumentSpec(
                file=source.name, title=source.title, lines=max(source.rows, 1)
            ).model_dump()
    data: dict[str, Any] = schema.model_dump(by_alias=True)
    data["documents"] = documents
    return OntologySchema.model_validate(data)


def read_sources(store: GraphStore) -> list[OrganisationSource]:
    return [
        OrganisationSource(
            id=row["id"],
            name=row["id"].split(":", 1)[1],
            title=row["title"],
            description=row["description"],
            files=list(row["files"] or []),
            rows=row["rows"] or 0,
            roles=row["roles"],
        )
        for row in store.read("overlay/sources")
    ]


class SourceCatalogue:
    """The schema with the release's organisation sources, cached per release tag."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[str | None, OntologySchema, list[OrganisationSource]] | None = None

    def sources(self, base: OntologySchema, store: GraphStore, release: str | None) -> list[OrganisationSource]:
        return self._get(base, store, release)[1]

    def schema(self, base: OntologySchema, store: GraphStore, release: str | None) -> OntologySchema:
        """`base` plus the organisation sources; `base` alone while the store cannot say."""
        try:
            return self._get(base, store, release)[0]
        except ServiceError as exc:
            log.info("organisation sources unknown for now: %s", exc)
            return base

    def _get(
        self, base: OntologySchema, store: GraphStore, release: str | None
    ) -> tuple[OntologySchema, list[OrganisationSource]]:
        with self._lock:
            cached = self._cached
        if cached is not None and cached[0] == release:
            return cached[1], cached[2]
        sources = read_sources(store)
        schema = with_organisations(base, sources)
        with self._lock:
            self._cached = (release, schema, sources)
        return schema, sources

"""What the graph holds: labels, relationship types and their counts."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ReleasesDep, SchemaDep, StoreDep
from app.api.problems import ERROR_RESPONSES
from app.models import CountEntry, SchemaSummary

router = APIRouter(prefix="/v1", tags=["schema"], responses=ERROR_RESPONSES)


@router.get("/schema", response_model=SchemaSummary, summary="Labels, relationship types and counts")
def get_schema(store: StoreDep, schema: SchemaDep, releases: ReleasesDep) -> SchemaSummary:
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
        release=releases.get(),
    )

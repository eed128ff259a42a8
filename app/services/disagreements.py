"""Where the documents disagree: one fact that two documents give differently, computed from the graph.

A fact is a relationship of one type between two nodes; when the documents give it separately (two
relationships, e.g. 001's contribution and 004's `key: mp` one) and the property that grades it
differs, that is a disagreement: a practice's level in an activity (CONTRIBUTES_TO level), a skill
level (REQUIRES level), the kind of a responsibility (RESPONSIBLE_FOR kind). A statement that leaves
the property out (no kind, level `unspecified`) counts as giving it differently from one that sets
it. Statements citing the same documents are one document's wording, not a disagreement.
"""

from __future__ import annotations

from typing import Any

from app.errors import InvalidInput
from app.graph.store import GraphStore
from app.models import Disagreement, DisagreementList, NodeRef, Statement
from app.paging import Page
from app.services.value_chain import LEVEL_RANK
from seed.schema import OntologySchema

# The property that grades each fact, per relationship type.
GRADED = {"CONTRIBUTES_TO": "level", "REQUIRES": "level", "RESPONSIBLE_FOR": "kind"}


def _strength(type_: str, value: Any) -> tuple[int, str]:
    if type_ == "CONTRIBUTES_TO":
        return (-LEVEL_RANK.get(str(value), -1), str(value))
    return (0 if value is not None else 1, str(value))


def disagreements(
    store: GraphStore, schema: OntologySchema, *, types: list[str] | None, source: str | None, page: Page
) -> DisagreementList:
    """A page of the facts documents state differently, by type, start and end."""
    if types and any(t not in GRADED for t in types):
        raise InvalidInput(f"disagreements are computed for {', '.join(sorted(GRADED))} only")
    return DisagreementList(**page.cut(all_disagreements(store, schema, types=types, source=source)))


def all_disagreements(
    store: GraphStore, schema: OntologySchema, *, types: list[str] | None, source: str | None
) -> list[Disagreement]:
    wanted = [t for t in (types or sorted(GRADED)) if t in GRADED]
    by_file = {d.file: key for key, d in schema.documents.items()}
    found = []
    for row in store.read("disagreements/parallel", types=wanted):
        prop = GRADED[row["type"]]
        statements = []
        for props in row["statements"]:
            sources = sorted(props.get("sources") or [])
            documents = sorted({by_file.get(s.split(":", 1)[0], s.split(":", 1)[0]) for s in sources})
            value = props.get(prop)
            statements.append(
                Statement(
                    documents=documents,
                    value=value,
                    level_cue=props.get("level_cue"),
                    relationship=props.get("id", ""),
                    sources=sources,
                )
            )
        values = {s.value for s in statements}
        document_sets = {tuple(s.documents) for s in statements}
        if len(values) < 2 or len(document_sets) < 2:
            continue
        if source is not None and not any(s.startswith(source + ":") for st in statements for s in st.sources):
            continue
        statements.sort(key=lambda s: (_strength(row["type"], s.value), s.documents, s.relationship))
        found.append(
            Disagreement(
                type=row["type"],
                property=prop,
                start=NodeRef(id=row["start_id"], label=row["start_label"], name=row["start_name"] or row["start_id"]),
                end=NodeRef(id=row["end_id"], label=row["end_label"], name=row["end_name"] or row["end_id"]),
                statements=statements,
            )
        )
    found.sort(key=lambda d: (d.type, d.start.id, d.end.id))
    return found

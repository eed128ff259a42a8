"""The crosswalk layer: the relationships that join two frameworks, and answers given through them.

A node belongs to a framework when it is that Framework node, is PART_OF it (directly or up its
chain, practice, skill or stream), or cites a document whose `framework` (ontology/schema.yaml) it
is. A relationship is part of the crosswalk when its two ends belong to no common framework. The
pair is unordered in the store; a listing for `from`/`to` orients each mapping so that `from_node`
lies in the `from` framework and says when the relationship was stated the other way round.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.errors import InvalidInput
from app.graph.store import GraphStore
from app.models import (
    Alignment,
    Contribution,
    ContributionList,
    CrosswalkCount,
    CrosswalkList,
    CrosswalkMapping,
    CrosswalkSummary,
    Evidence,
    FrameworkNodeRef,
    NodeRef,
)
from app.paging import Page
from app.services import value_chain
from app.services.memory import MemoryGraph
from seed.schema import OntologySchema

FRAMEWORK_PREFIX = "framework:"


def framework_ids(store: GraphStore) -> dict[str, str]:
    """Framework id -> name."""
    return {row["id"]: row["name"] for row in store.read("crosswalk/frameworks")}


def resolve_framework(known: dict[str, str], value: str | None) -> str | None:
    """`itil4` or `framework:itil4` -> `framework:itil4`; InvalidInput when no such Framework exists."""
    if value is None:
        return None
    ident = value if value.startswith(FRAMEWORK_PREFIX) else FRAMEWORK_PREFIX + value
    if ident not in known:
        raise InvalidInput(f"unknown framework {value!r}; known: {', '.join(sorted(known))}")
    return ident


def _documents(schema: OntologySchema) -> list[dict[str, str]]:
    return [{"file": d.file, "framework": d.framework} for d in schema.documents.values() if d.framework]


def _unique(values: list[str]) -> list[str]:
    return sorted(set(values))


def _mapping(row: dict[str, Any], schema: OntologySchema, *, reverse: bool) -> CrosswalkMapping:
    start = FrameworkNodeRef(
        id=row["start_id"],
        label=row["start_label"],
        name=row["start_name"] or row["start_id"],
        frameworks=_unique(row["start_frameworks"]),
    )
    end = FrameworkNodeRef(
        id=row["end_id"],
        label=row["end_label"],
        name=row["end_name"] or row["end_id"],
        frameworks=_unique(row["end_frameworks"]),
    )
    sources = sorted(row["sources"] or [])
    by_file = {d.file: (key, d.framework) for key, d in schema.documents.items()}
    cited = [by_file[s.split(":", 1)[0]] for s in sources if s.split(":", 1)[0] in by_file]
    cited_frameworks = {fw for _, fw in cited}
    level = row.get("level")
    return CrosswalkMapping(
        id=row["id"],
        type=row["type"],
        kind=row.get("kind"),
        basis=row["basis"],
        rationale=row.get("rationale"),
        level=level if isinstance(level, int) else None,
        sources=sources,
        documents=sorted({key for key, _ in cited}),
        cites_both=bool(cited_frameworks & set(start.frameworks)) and bool(cited_frameworks & set(end.frameworks)),
        from_node=end if reverse else start,
        to_node=start if reverse else end,
        reversed=reverse,
    )


def _oriented(row: dict[str, Any], from_fw: str | None, to_fw: str | None) -> list[bool]:
    """The orientations (False: as stated, True: reversed) in which a row fits the asked pair."""
    fa, fb = set(row["start_frameworks"]), set(row["end_frameworks"])

    def fits(first: set[str], second: set[str]) -> bool:
        return (from_fw is None or from_fw in first) and (to_fw is None or to_fw in second)

    if fits(fa, fb):
        return [False]
    if fits(fb, fa):
        return [True]
    return []


def mappings(
    store: GraphStore,
    schema: OntologySchema,
    *,
    from_framework: str | None,
    to_framework: str | None,
    types: list[str] | None,
    basis: str | None,
    kind: str | None,
    page: Page,
) -> CrosswalkList:
    """A page of the crosswalk relationships between two frameworks (either unset: any), oriented
    from the first to the second."""
    known = framework_ids(store)
    from_fw, to_fw = resolve_framework(known, from_framework), resolve_framework(known, to_framework)
    found = all_mappings(store, schema, from_fw=from_fw, to_fw=to_fw, types=types, basis=basis, kind=kind)
    return CrosswalkList(from_framework=from_fw, to_framework=to_fw, **page.cut(found))


def all_mappings(
    store: GraphStore,
    schema: OntologySchema,
    *,
    from_fw: str | None,
    to_fw: str | None,
    types: list[str] | None,
    basis: str | None,
    kind: str | None,
) -> list[CrosswalkMapping]:
    """Every crosswalk relationship between the two framework ids (either None: any), oriented."""
    rows = store.read("crosswalk/mappings", documents=_documents(schema), types=types, basis=basis, kind=kind)
    found = [_mapping(row, schema, reverse=rev) for row in rows for rev in _oriented(row, from_fw, to_fw)]
    found.sort(key=lambda m: (m.from_node.frameworks, m.to_node.frameworks, m.type, m.from_node.id, m.to_node.id, m.id))
    return found


def summary(store: GraphStore, schema: OntologySchema, *, page: Page) -> CrosswalkSummary:
    """How many crosswalk relationships join each ordered pair of frameworks, per type and basis
    (each counted in its stated direction; a node in two frameworks counts under both)."""
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for row in store.read("crosswalk/mappings", documents=_documents(schema), types=None, basis=None, kind=None):
        for fa in set(row["start_frameworks"]):
            for fb in set(row["end_frameworks"]):
                counts[fa, fb, row["type"], row["basis"]] += 1
    items = [
        CrosswalkCount(from_framework=fa, to_framework=fb, type=t, basis=b, count=n)
        for (fa, fb, t, b), n in sorted(counts.items())
    ]
    return CrosswalkSummary(**page.cut(items))


# --- answers given through alignment ------------------------------------------------------------


def alignments(store: GraphStore, activity_id: str) -> list[Alignment]:
    """The activities of other value chains an activity aligns with, either direction."""
    return [
        Alignment(
            activity=NodeRef(id=row["id"], label="ValueChainActivity", name=row["name"]),
            basis=row["basis"],
            rationale=row["rationale"],
            sources=sorted(row["sources"] or []),
        )
        for row in store.read("value_chain/alignments", activity=activity_id)
    ]


def aligned_contributions(
    store: GraphStore,
    activity_id: str,
    *,
    min_level: str,
    source: str | None,
    include_roles: bool,
    page: Page,
    graph: MemoryGraph | None = None,
) -> ContributionList:
    """The practices contributing to an activity or to any activity it aligns with. Each statement
    says which aligned activity it is about (`via`), each practice the alignments it was reached
    through (none: directly); a practice's level is the strongest of all its statements.
    Not paged in Cypher (unlike the plain headline, value_chain/practices_page): the merged order
    breaks ties in level and name by arrival across several activities' lists, so every list is
    read whole (from memory when the graph is held) and the merged list is cut here."""
    activity, items = value_chain.all_contributions(
        store, activity_id, min_level=min_level, source=source, include_roles=include_roles, graph=graph
    )
    found = alignments(store, activity_id)
    merged: dict[str, Contribution] = {}
    for contribution in items:
        contribution.alignments = []
        merged[contribution.practice.id] = contribution
    for alignment in found:
        _, through = value_chain.all_contributions(
            store, alignment.activity.id, min_level=min_level, source=source, include_roles=include_roles, graph=graph
        )
        for incoming in through:
            evidence = [Evidence(**e.model_dump(exclude={"via"}), via=alignment.activity) for e in incoming.evidence]
            known = merged.get(incoming.practice.id)
            if known is None:
                incoming.evidence, incoming.alignments = evidence, [alignment]
                merged[incoming.practice.id] = incoming
                continue
            known.evidence = known.evidence + evidence
            known.alignments = [*(known.alignments or []), alignment]
            known.sources = sorted(set(known.sources) | set(incoming.sources))
            if incoming.roles is not None:
                have = {r.id for r in known.roles or []}
                known.roles = [*(known.roles or []), *(r for r in incoming.roles if r.id not in have)]
    rank = value_chain.LEVEL_RANK
    result = []
    for contribution in merged.values():
        contribution.evidence = sorted(
            contribution.evidence, key=lambda e: (-rank[e.level], e.via is not None, e.sources)
        )
        strongest = contribution.evidence[0]
        contribution.level, contribution.level_cue, contribution.summary = (
            strongest.level,
            strongest.level_cue,
            strongest.summary,
        )
        result.append(contribution)
    result.sort(key=lambda c: (-rank[c.level], c.practice.name.lower()))
    return ContributionList(activity=activity, aligned_with=found, **page.cut(result))

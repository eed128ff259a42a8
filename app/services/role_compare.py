"""Comparing two roles through the crosswalk: what they share, counting mapped nodes as shared.

Four facets: competencies and SFIA skills the role REQUIRES, what it is RESPONSIBLE_FOR, the
activities it PERFORMS_IN. An item of one role is shared when the other role holds the same node,
or a node joined to it by a mapping (MAPS_TO, ALIGNS_WITH) of a kind that means the same thing,
in any facet: a Zero Outage competency mapped to the ITIL practice the other role answers for is
shared, and says through which mapping. `related-competency` links two things the curators kept
apart on purpose, so it does not count.
"""

from __future__ import annotations

from typing import Any

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import (
    ComparedItem,
    Comparison,
    ComparisonSummary,
    Counterpart,
    MappingRef,
    NodeSummary,
    RoleComparison,
)
from app.services.memory import MemoryGraph

FACETS = ("competencies", "skills", "responsibilities", "activities")
NOT_THE_SAME = frozenset({"related-competency"})
Held = dict[str, dict[str, dict[str, Any]]]  # facet -> node id -> entry


def _holdings(row: dict[str, Any]) -> Held:
    """facet -> node id -> {id, name, label, families}; one entry per node however often it is held."""
    held: Held = {}
    for facet in FACETS:
        entries = held.setdefault(facet, {})
        for item in row[facet]:
            name = item["name"] or item["id"]
            entry = entries.setdefault(
                item["id"], {"id": item["id"], "name": name, "label": item["label"], "families": set()}
            )
            if item.get("family"):
                entry["families"].add(item["family"])
    return held


def _facet_of(held: Held, node_id: str) -> list[str]:
    return [facet for facet in FACETS if node_id in held[facet]]


def _row(store: GraphStore, role_id: str, graph: MemoryGraph | None) -> dict[str, Any]:
    row = graph.holdings(role_id) if graph is not None else store.read_one("roles/holdings", id=role_id)
    if row is None:
        raise NotFound("role", role_id)
    return row


def compare(store: GraphStore, a_id: str, b_id: str, graph: MemoryGraph | None = None) -> RoleComparison:
    """The comparison of two roles: from the release's graph in memory when it is held (the same
    answer: tests/test_memory_compare.py), else two queries through the store."""
    a_row, b_row = _row(store, a_id, graph), _row(store, b_id, graph)
    a_role, b_role = NodeSummary.model_validate(a_row["role"]), NodeSummary.model_validate(b_row["role"])
    a, b = _holdings(a_row), _holdings(b_row)
    a_ids = sorted({i for facet in FACETS for i in a[facet]})
    b_ids = sorted({i for facet in FACETS for i in b[facet]})
    links: list[tuple[str, str, MappingRef]] = []
    role_links: list[MappingRef] = []
    a_side, b_side = [*a_ids, a_id], [*b_ids, b_id]
    between = (
        graph.mappings_between(a_side, b_side)
        if graph is not None
        else store.read("roles/mappings_between", a=a_side, b=b_side)
    )
    for row in between:
        if row["kind"] in NOT_THE_SAME:
            continue
        ref = MappingRef(
            id=row["id"],
            type=row["type"],
            kind=row["kind"],
            basis=row["basis"],
            rationale=row["rationale"],
            sources=sorted(row["sources"] or []),
        )
        if row["a_id"] == a_id and row["b_id"] == b_id:
            role_links.append(ref)
        elif row["a_id"] != a_id and row["b_id"] != b_id:
            links.append((row["a_id"], row["b_id"], ref))

    identical = set(a_ids) & set(b_ids)
    counterparts: dict[tuple[str, str], list[Counterpart]] = {}  # (side, node id) -> counterparts

    def counterpart(side_held: Held, node_id: str, through: MappingRef) -> list[Counterpart]:
        return [
            Counterpart(
                id=node_id,
                name=side_held[facet][node_id]["name"],
                label=side_held[facet][node_id]["label"],
                facet=facet,
                through=through,
            )
            for facet in _facet_of(side_held, node_id)
        ]

    for x, y, ref in links:
        counterparts.setdefault(("a", x), []).extend(counterpart(b, y, ref))
        counterparts.setdefault(("b", y), []).extend(counterpart(a, x, ref))

    comparisons: dict[str, Comparison] = {}
    for facet in FACETS:
        shared: list[ComparedItem] = []
        only_a: list[ComparedItem] = []
        only_b: list[ComparedItem] = []
        for node_id in sorted(set(a[facet]) | set(b[facet])):
            in_a, in_b = a[facet].get(node_id), b[facet].get(node_id)
            entry = in_a or in_b
            assert entry is not None
            matched = counterparts.get(("a", node_id), []) if in_a else []
            matched = matched + (counterparts.get(("b", node_id), []) if in_b and not in_a else [])
            item = ComparedItem(
                id=node_id,
                name=entry["name"],
                label=entry["label"],
                families_a=sorted(in_a["families"]) if in_a else [],
                families_b=sorted(in_b["families"]) if in_b else [],
                held_by="both" if in_a and in_b else ("a" if in_a else "b"),
                counterparts=sorted(matched, key=lambda c: (c.facet, c.name.lower(), c.id, c.through.id)),
            )
            if node_id in identical or matched:
                shared.append(item)
            elif in_a:
                only_a.append(item)
            else:
                only_b.append(item)
        key = lambda i: i.name.lower()  # noqa: E731
        comparisons[facet] = Comparison(
            shared=sorted(shared, key=key), only_a=sorted(only_a, key=key), only_b=sorted(only_b, key=key)
        )
    pairs = {(x, y) for x, y, _ in links} | {(i, i) for i in identical}
    matched_a = {x for x, _ in pairs}
    matched_b = {y for _, y in pairs}
    summary = ComparisonSummary(
        shared=len(pairs),
        shared_identical=len(identical),
        shared_through_mappings=len(pairs) - len(identical),
        only_a=len(set(a_ids) - matched_a),
        only_b=len(set(b_ids) - matched_b),
    )
    return RoleComparison(
        a=a_role, b=b_role, **comparisons, mappings=sorted(role_links, key=lambda m: m.id), summary=summary
    )

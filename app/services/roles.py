"""What roles require, and how two roles differ."""

from __future__ import annotations

from typing import Any

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import (
    ComparedItem,
    Comparison,
    NodeSummary,
    Requirement,
    RoleComparison,
    RoleRequirements,
    SkillRequirement,
)

UNSPECIFIED_FAMILY = "unspecified"


def _role(store: GraphStore, role_id: str) -> dict[str, Any]:
    row = store.read_one("roles/requirements", id=role_id)
    if row is None:
        raise NotFound("role", role_id)
    return row


def requirements(store: GraphStore, role_id: str) -> RoleRequirements:
    row = _role(store, role_id)
    families: dict[str, list[Requirement]] = {}
    for comp in sorted(row["competencies"], key=lambda c: c["name"].lower()):
        family = comp.pop("family") or UNSPECIFIED_FAMILY
        families.setdefault(family, []).append(Requirement(**comp))
    skills = [SkillRequirement(**s) for s in sorted(row["skills"], key=lambda s: s["code"])]
    return RoleRequirements(role=NodeSummary(**row["role"]), families=dict(sorted(families.items())), skills=skills)


def _index(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Merge repeated entries (one competency under two families) into one item per id."""
    merged: dict[str, dict[str, Any]] = {}
    for item in items:
        entry = merged.setdefault(item["id"], {"id": item["id"], "name": item["name"], "families": set()})
        if item.get("family"):
            entry["families"].add(item["family"])
    return merged


def _compare(a_items: list[dict[str, Any]], b_items: list[dict[str, Any]]) -> Comparison:
    a, b = _index(a_items), _index(b_items)

    def shape(item_id: str) -> ComparedItem:
        source = a.get(item_id) or b[item_id]
        return ComparedItem(
            id=item_id,
            name=source["name"],
            families_a=sorted(a[item_id]["families"]) if item_id in a else [],
            families_b=sorted(b[item_id]["families"]) if item_id in b else [],
        )

    def ordered(ids: set[str]) -> list[ComparedItem]:
        return sorted((shape(i) for i in ids), key=lambda x: x.name.lower())

    return Comparison(
        shared=ordered(a.keys() & b.keys()), only_a=ordered(a.keys() - b.keys()), only_b=ordered(b.keys() - a.keys())
    )


def compare(store: GraphStore, a_id: str, b_id: str) -> RoleComparison:
    a, b = _role(store, a_id), _role(store, b_id)
    return RoleComparison(
        a=NodeSummary(**a["role"]),
        b=NodeSummary(**b["role"]),
        competencies=_compare(a["competencies"], b["competencies"]),
        skills=_compare(a["skills"], b["skills"]),
    )

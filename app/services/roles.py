"""What roles require, and how two roles differ."""

from __future__ import annotations

from typing import Any

from app.graph.store import GraphStore

UNSPECIFIED_FAMILY = "unspecified"


def requirements(store: GraphStore, role_id: str) -> dict[str, Any] | None:
    row = store.read_one("roles/requirements", id=role_id)
    if row is None:
        return None
    families: dict[str, list[dict[str, Any]]] = {}
    for comp in sorted(row["competencies"], key=lambda c: c["name"].lower()):
        family = comp.pop("family") or UNSPECIFIED_FAMILY
        families.setdefault(family, []).append(comp)
    skills = sorted(row["skills"], key=lambda s: s["code"])
    return {"role": row["role"], "families": dict(sorted(families.items())), "skills": skills}


def _index(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Merge repeated entries (one competency under two families) into one item per id."""
    merged: dict[str, dict[str, Any]] = {}
    for item in items:
        entry = merged.setdefault(item["id"], {"id": item["id"], "name": item["name"], "families": set()})
        if item.get("family"):
            entry["families"].add(item["family"])
    return merged


def _compare(a_items: list[dict[str, Any]], b_items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    a, b = _index(a_items), _index(b_items)

    def shape(item_id: str) -> dict[str, Any]:
        source = a.get(item_id) or b[item_id]
        return {
            "id": item_id,
            "name": source["name"],
            "families_a": sorted(a[item_id]["families"]) if item_id in a else [],
            "families_b": sorted(b[item_id]["families"]) if item_id in b else [],
        }

    def ordered(ids: set[str]) -> list[dict[str, Any]]:
        return sorted((shape(i) for i in ids), key=lambda x: x["name"].lower())

    return {
        "shared": ordered(a.keys() & b.keys()),
        "only_a": ordered(a.keys() - b.keys()),
        "only_b": ordered(b.keys() - a.keys()),
    }


def compare(
    store: GraphStore, a_id: str, b_id: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, Any]]:
    a = store.read_one("roles/requirements", id=a_id)
    b = store.read_one("roles/requirements", id=b_id)
    if a is None or b is None:
        return (a and a["role"]), (b and b["role"]), {}
    return (
        a["role"],
        b["role"],
        {
            "competencies": _compare(a["competencies"], b["competencies"]),
            "skills": _compare(a["skills"], b["skills"]),
        },
    )

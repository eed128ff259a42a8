"""What roles require (comparing two roles: app/services/role_compare.py)."""

from __future__ import annotations

from typing import Any

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import (
    NodeSummary,
    Requirement,
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

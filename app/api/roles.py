"""Roles: what they require, and how two differ."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ReleasesDep, SettingsDep, StoreDep
from app.api.problems import ERROR_RESPONSES
from app.models import RoleComparison, RoleRequirements
from app.services import memory, role_compare
from app.services import roles as service

router = APIRouter(prefix="/v1/roles", tags=["roles"], responses=ERROR_RESPONSES)


@router.get(
    "/{role_id}/competencies", response_model=RoleRequirements, summary="Competencies by family, and SFIA skills"
)
def role_competencies(role_id: str, store: StoreDep) -> RoleRequirements:
    return service.requirements(store, role_id)


@router.get(
    "/{a_id}/compare/{b_id}",
    response_model=RoleComparison,
    summary="What two roles share (also through mappings) and what only one holds",
)
def compare_roles(
    a_id: str, b_id: str, store: StoreDep, releases: ReleasesDep, settings: SettingsDep
) -> RoleComparison:
    """Competencies, SFIA skills, responsibilities and activities of two roles: shared (the same node,
    or nodes joined by a mapping, which each shared item names under `counterparts`), only a, only b."""
    graph = memory.graph(store, releases, settings.memory_graph_max_relationships)
    return role_compare.compare(store, a_id, b_id, graph)

"""Roles: what they require, and how two differ."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import StoreDep
from app.api.problems import ERROR_RESPONSES, not_found
from app.models import RoleComparison, RoleRequirements
from app.services import roles as service

router = APIRouter(prefix="/v1/roles", tags=["roles"], responses=ERROR_RESPONSES)


@router.get(
    "/{role_id}/competencies", response_model=RoleRequirements, summary="Competencies by family, and SFIA skills"
)
def role_competencies(role_id: str, store: StoreDep) -> dict[str, object]:
    found = service.requirements(store, role_id)
    if found is None:
        raise not_found("role", role_id)
    return found


@router.get(
    "/{a_id}/compare/{b_id}", response_model=RoleComparison, summary="Shared and distinct competencies of two roles"
)
def compare_roles(a_id: str, b_id: str, store: StoreDep) -> dict[str, object]:
    a, b, comparison = service.compare(store, a_id, b_id)
    if a is None:
        raise not_found("role", a_id)
    if b is None:
        raise not_found("role", b_id)
    return {"a": a, "b": b, **comparison}

"""Role x activity coverage of one value chain: which roles work in, or answer for practices that
contribute to, each activity. Two kinds of evidence per cell: a PERFORMS_IN edge, and RESPONSIBLE_FOR
a practice that CONTRIBUTES_TO the activity (explicit exclusions, level none, do not count)."""

from __future__ import annotations

from typing import Any, Literal

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import ActivityRef, CoverageCell, CoveringPractice, NodeRef, RoleCoverage, RoleCoverageList, RoleRef
from app.paging import Page
from app.services.value_chain import LEVEL_RANK, value_chains

RoleKind = Literal["itil-role", "job-profile", "competency-profile", "organisation-role"]


def _strongest(levels: list[str]) -> str | None:
    return max(levels, key=LEVEL_RANK.__getitem__) if levels else None


def role_coverage(
    store: GraphStore,
    value_chain_id: str,
    *,
    source: str | None,
    kind: RoleKind | None,
    aligned: bool = False,
    page: Page,
) -> RoleCoverageList:
    """The chain, its activities in order, and a page of the covering roles (most activities first).
    With `aligned`, practices contributing to an activity of another chain that one of this chain's
    activities aligns with count too (each says `via` which). NotFound when the chain is unknown."""
    chain = next((c for c in value_chains(store).items if c.id == value_chain_id), None)
    if chain is None:
        raise NotFound("value chain", value_chain_id)
    activities = chain.activities
    order = {a.id: i for i, a in enumerate(activities)}
    roles: dict[str, RoleRef] = {}
    cells: dict[tuple[str, str], CoverageCell] = {}
    # practices[(role, activity)][practice id] -> the strongest pairing seen (a practice may
    # contribute through several statements, e.g. 001's and 004's)
    practices: dict[tuple[str, str], dict[str, CoveringPractice]] = {}

    def cell(row: dict[str, Any]) -> CoverageCell:
        roles.setdefault(
            row["role_id"], RoleRef(id=row["role_id"], label="Role", name=row["role_name"], kind=row["role_kind"])
        )
        return cells.setdefault((row["role_id"], row["activity"]), CoverageCell(activity=row["activity"], practices=[]))

    for row in store.read("coverage/performs_in", chain=value_chain_id, source=source):
        target = cell(row)
        target.performs_in = "inferred" if row["basis"] == "inferred" else "stated"
        target.performs_in_rationale = row["rationale"]
        target.performs_in_sources = sorted(set(target.performs_in_sources) | set(row["sources"] or []))
    found_rows = store.read("coverage/via_practices", chain=value_chain_id, source=source)
    if aligned:
        found_rows += store.read("coverage/via_aligned_practices", chain=value_chain_id, source=source)
    for row in found_rows:
        cell(row)
        found = practices.setdefault((row["role_id"], row["activity"]), {})
        known = found.get(row["practice_id"])
        via = [ActivityRef(id=row["via_id"], name=row["via_name"])] if row.get("via_id") else []
        if known is not None:
            known.sources = sorted(set(known.sources) | set(row["sources"] or []))
            known.via += [v for v in via if v.id not in {k.id for k in known.via}]
            if LEVEL_RANK[known.level] < LEVEL_RANK[row["level"]]:
                known.level = row["level"]
            continue
        found[row["practice_id"]] = CoveringPractice(
            practice=NodeRef(id=row["practice_id"], label="Practice", name=row["practice_name"]),
            level=row["level"],
            basis=row["basis"],
            responsibility=row["responsibility"],
            rationale=row["rationale"],
            sources=sorted(set(row["sources"] or [])),
            via=via,
        )
    for key, found in practices.items():
        target = cells[key]
        target.practices = sorted(found.values(), key=lambda p: (-LEVEL_RANK[p.level], p.practice.name.lower()))
        target.level = _strongest([p.level for p in target.practices])
    rows = []
    for role_id, role in roles.items():
        if kind is not None and role.kind != kind:
            continue
        mine = sorted((c for (r, _), c in cells.items() if r == role_id), key=lambda c: order.get(c.activity, 99))
        rows.append(RoleCoverage(role=role, covered=len(mine), cells=mine))
    rows.sort(key=lambda r: (-r.covered, r.role.name.lower(), r.role.id))
    return RoleCoverageList(
        value_chain=ActivityRef(id=chain.id, name=chain.name), activities=activities, **page.cut(rows)
    )

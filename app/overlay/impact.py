"""What a SFIA change request touches: framework and own roles, and the competencies and practices
mapped to the skills it changes.

A change to a skill as a whole (rename, rescope, description) touches every role requiring the
skill. A change to one level (its description, a new level) touches the roles requiring the skill at
that level, and may touch those requiring it without a stated level; roles at other levels are not
listed. Only roles of `source` when given.
"""

from __future__ import annotations

from collections import defaultdict

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import NodeRef
from app.overlay.models import ChangeRef, ImpactedRole
from app.overlay.profiles import Profiles


def change_request(store: GraphStore, cr_id: str) -> tuple[NodeRef, str | None, list[ChangeRef]]:
    row = store.read_one("overlay/change_request", id=cr_id)
    if row is None:
        raise NotFound("change request", cr_id)
    cr = row["change_request"]
    changes = [
        ChangeRef(
            target=NodeRef(id=c["target"], label=c["target_label"], name=c["target_name"] or c["target"]),
            skill=NodeRef(id=c["skill"], label="SFIASkill", name=c["skill_name"] or c["skill"]),
            level=c["level"],
            change=c["change"],
            before=c["before"],
            after=c["after"],
            sources=sorted(c["sources"] or []),
        )
        for c in row["changes"]
    ]
    return NodeRef(id=cr["id"], label="ChangeRequest", name=cr["name"]), cr.get("status"), changes


def impacted_roles(profiles: Profiles, changes: list[ChangeRef], source: str | None) -> list[ImpactedRole]:
    by_skill: dict[str, list[ChangeRef]] = defaultdict(list)
    for change in changes:
        by_skill[change.skill.id].append(change)
    out = []
    for role in profiles.roles.values():
        if source is not None and role.organisation != source:
            continue
        for skill_id, skill_changes in sorted(by_skill.items()):
            held = role.skills.get(skill_id)
            if held is None:
                continue
            whole = [c for c in skill_changes if c.level is None]
            at_level = [c for c in skill_changes if c.level is not None and c.level == held.level]
            unstated = [c for c in skill_changes if c.level is not None and held.level is None]
            touching = whole + at_level + unstated
            if not touching:
                continue
            level = f"at level {held.level}" if held.level is not None else "without a stated level"
            parts = [f"{c.change} of {c.target.id}" for c in touching]
            reason = f"requires {held.code or skill_id} {level}; the request makes: {', '.join(parts)}"
            out.append(
                ImpactedRole(
                    role=role.ref,
                    kind=role.kind,
                    organisation=role.organisation,
                    skill=held.ref,
                    held_level=held.level,
                    changes=[f"{c.change}:{c.target.id}" for c in touching],
                    certainty="touched" if whole or at_level else "may-touch",
                    reason=reason,
                )
            )
    out.sort(key=lambda i: (i.organisation is None, i.certainty != "touched", i.role.id, i.skill.id))
    return out


def related(profiles: Profiles, changes: list[ChangeRef]) -> list[NodeRef]:
    seen: dict[str, NodeRef] = {}
    for skill_id in sorted({c.skill.id for c in changes}):
        for link in profiles.skill_links.get(skill_id, []):
            seen.setdefault(link["id"], NodeRef(id=link["id"], label=link["label"], name=link["name"]))
    return sorted(seen.values(), key=lambda r: (r.label, r.name.lower()))

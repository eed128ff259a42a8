"""Gaps: per role of an organisation, what each framework role it is mapped to (MAPS_TO) requires
that it lacks, competencies by family and SFIA skills by level (profiles.py says what counts as held)."""

from __future__ import annotations

from app.overlay.models import MappedGap, RoleGaps
from app.overlay.profiles import Holdings, Profile, Profiles


def role_gaps(profiles: Profiles, role: Profile) -> RoleGaps:
    held = Holdings.of(role)
    mapped = []
    for mapping in role.mappings:
        target = profiles.roles.get(mapping["id"])
        if target is None or target.organisation is not None:
            continue
        lacks = profiles.delta(held, target)
        needed = len(target.competencies) + len(target.skills)
        missing = sum(len(v) for v in lacks.competencies.values()) + len(lacks.skills)
        mapped.append(
            MappedGap(
                framework_role=target.ref,
                mapping_kind=mapping.get("kind"),
                mapping_sources=sorted(mapping.get("sources") or []),
                needed=needed,
                covered=needed - missing,
                lacks=lacks,
            )
        )
    return RoleGaps(role=role.ref, mapped=mapped)


def source_gaps(profiles: Profiles, source: str) -> tuple[list[RoleGaps], list[Profile]]:
    """Every role of the source with its gaps, and the roles mapped to no framework role."""
    answers = [role_gaps(profiles, role) for role in profiles.of_source(source)]
    unmapped = [profiles.roles[a.role.id] for a in answers if not a.mapped]
    return answers, unmapped

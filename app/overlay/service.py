"""The overlay's answers as the API and the CLI give them: plain functions, typed models out.

`profiles` is the release's ProfileCache (app.state.overlay_profiles in the service; a fresh one
in a CLI command); `sources` the organisation sources of the loaded release.
"""

from __future__ import annotations

from typing import Any

import yaml

from app.errors import NotFound
from app.graph.store import GraphStore
from app.overlay import communities as community_module
from app.overlay import coverage as coverage_module
from app.overlay import gaps as gaps_module
from app.overlay import impact as impact_module
from app.overlay import similarity
from app.overlay import transition as transition_module
from app.overlay.matrix import matrix_svg
from app.overlay.models import (
    ChangeImpact,
    CommunityList,
    GapList,
    OrganisationSource,
    OrganisationSourceList,
    OverlayCoverage,
    RoleSuggestions,
    RoleTransition,
    SimilarRoleList,
    SuggestionList,
)
from app.overlay.profiles import Profiles
from app.paging import Page

DEFAULT_SUGGESTIONS = 5
MAX_SUGGESTIONS = 20


def require_source(sources: list[OrganisationSource], name: str) -> OrganisationSource:
    found = next((s for s in sources if s.name == name), None)
    if found is None:
        raise NotFound("organisation source", name)
    return found


def list_sources(sources: list[OrganisationSource], page: Page) -> OrganisationSourceList:
    return OrganisationSourceList(**page.cut(sources))


def suggestions_for(profiles: Profiles, role_id: str, each: int) -> RoleSuggestions:
    role = profiles.get(role_id)
    return RoleSuggestions(
        role=role.ref,
        roles=similarity.role_suggestions(profiles, role, each),
        competencies=similarity.competency_suggestions(profiles, role, each),
        skills=similarity.skill_suggestions(profiles, role, profiles.all_skills, each),
    )


def suggestions(profiles: Profiles, source: str, *, role: str | None, each: int, page: Page) -> SuggestionList:
    each = max(1, min(each, MAX_SUGGESTIONS))
    roles = profiles.of_source(source)
    if role is not None:
        wanted = role if role.startswith("role:") else f"role:{source}:{role}"
        roles = [r for r in roles if r.id == wanted]
        if not roles:
            raise NotFound(f"role of {source}", role)
    shown = [suggestions_for(profiles, r.id, each) for r in roles[page.skip : page.skip + page.limit]]
    return SuggestionList(source=source, **page.wrap(shown, len(roles)))


def draft_mappings(found: list[RoleSuggestions]) -> str:
    """A mappings file of every suggestion, `accept: false` unless already accepted, for review."""
    entries: list[dict[str, Any]] = []
    for item in found:
        for group, kind in (
            (item.roles, "same-role"),
            (item.competencies, "same-competency"),
            (item.skills, "skill-for-role"),
        ):
            for s in group:
                own = s.own.id.split(":", 2)[2] if s.own.id.count(":") >= 2 else s.own.id
                entries.append(
                    {
                        "own": own,
                        "maps_to": s.target.id,
                        "kind": kind,
                        "accept": s.accepted,
                        "score": s.score,
                        "reason": s.reason,
                    }
                )
    header = (
        "# Mapping suggestions to review: set accept: true on those you agree with (and a note saying why),\n"
        "# delete the rest, then: itsm-ontology import <this file> --source <source>\n"
    )
    return header + yaml.safe_dump({"mappings": entries}, sort_keys=False, allow_unicode=True, width=120)


def similar(profiles: Profiles, role_id: str, page: Page) -> SimilarRoleList:
    role = profiles.get(role_id)
    ids = [i for _, i in similarity.ranked_ids(profiles, role)]
    items = similarity.explained(profiles, role, ids[page.skip : page.skip + page.limit])
    return SimilarRoleList(role=role.ref, **page.wrap(items, len(ids)))


def communities(profiles: Profiles, page: Page) -> CommunityList:
    return CommunityList(method=community_module.METHOD, **page.cut(community_module.communities(profiles)))


def gaps(profiles: Profiles, source: str, page: Page) -> GapList:
    answers, unmapped = gaps_module.source_gaps(profiles, source)
    return GapList(source=source, unmapped=[r.ref for r in unmapped], **page.cut(answers))


def coverage(
    store: GraphStore,
    profiles: Profiles,
    source: str,
    *,
    value_chain: str,
    min_level: str,
    page: Page,
    through: str = "both",
) -> OverlayCoverage:
    chain = coverage_module.chain_practices(store, value_chain)
    roles = profiles.of_source(source)
    activities = coverage_module.activity_cover(profiles, roles, chain, min_level, through)
    uncovered, covered = coverage_module.uncovered_practices(roles, chain)
    return OverlayCoverage(
        source=source,
        value_chain=chain.chain,
        activities=activities,
        uncovered_activities=[a.activity for a in activities if not a.covered],
        covered_practices=covered,
        practices=len(chain.practices),
        **page.cut(uncovered),
    )


def coverage_svg(
    store: GraphStore,
    profiles: Profiles,
    source: OrganisationSource,
    *,
    value_chain: str,
    min_level: str,
    through: str = "both",
) -> str:
    chain = coverage_module.chain_practices(store, value_chain)
    roles = profiles.of_source(source.name)
    activities = coverage_module.activity_cover(profiles, roles, chain, min_level, through)
    title = f"{source.title}: roles x {chain.chain.name} (min level {min_level})"
    return matrix_svg(title, [(r.id, r.name) for r in roles], activities)


def transition(profiles: Profiles, a_id: str, b_id: str) -> RoleTransition:
    return transition_module.transition(profiles, a_id, b_id)


def impact(store: GraphStore, profiles: Profiles, cr_id: str, *, source: str | None, page: Page) -> ChangeImpact:
    ref, status, changes = impact_module.change_request(store, cr_id)
    roles = impact_module.impacted_roles(profiles, changes, source)
    return ChangeImpact(
        change_request=ref,
        status=status,
        changes=changes,
        related=impact_module.related(profiles, changes),
        **page.cut(roles),
    )

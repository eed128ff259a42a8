"""How alike two roles are, roles like this one, and mapping suggestions for an organisation's roles.

The score (0-100) weighs three things, each 0-100:
- **name** (0.45): the best pair among the two roles' names and aliases, scored by the mean of
  rapidfuzz's token-set and token-sort ratios (case and punctuation ignored): *Service Desk Analyst*
  meets *Service Desk*, yet a name inside a longer one is not a perfect match;
- **work** (0.35): Jaccard overlap of what the roles are RESPONSIBLE_FOR and PERFORM_IN;
- **requirements** (0.20): Jaccard overlap of the competencies and SFIA skills they REQUIRE.
Overlaps count an item as shared when both hold it or a mapping joins the two (profiles.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from app.models import NodeRef
from app.overlay.models import Overlap, Similarity, SimilarRole, Suggestion
from app.overlay.profiles import Item, Profile, Profiles

NAME_WEIGHT, WORK_WEIGHT, REQUIREMENT_WEIGHT = 0.45, 0.35, 0.20
SHOWN_SHARED = 5  # shared items named in an overlap
NEIGHBOURS = 3  # framework roles most like an own role, whose requirements hint at skills
MIN_NAME_MATCH = 50  # below this a competency name is no suggestion


@dataclass(frozen=True)
class _Pair:
    score: float
    a: str
    b: str


def _name_ratio(x: str, y: str, **_: object) -> float:
    """Token-set ratio (word order and extra words forgiven) averaged with token-sort ratio (extra
    words cost): 'Incident Manager' is not 100 against 'Manager on Duty (Major Incident Team)'."""
    return (
        fuzz.token_set_ratio(x, y, processor=utils.default_process)
        + fuzz.token_sort_ratio(x, y, processor=utils.default_process)
    ) / 2


def name_score(a: tuple[str, ...], b: tuple[str, ...]) -> _Pair:
    best = _Pair(0.0, a[0], b[0])
    for x in a:
        for y in b:
            score = _name_ratio(x, y)
            if score > best.score:
                best = _Pair(score, x, y)
    return best


def overlap(profiles: Profiles, a: dict[str, Item], b: dict[str, Item]) -> Overlap:
    shared = [item for key, item in sorted(a.items()) if profiles.matches(key, b) is not None]
    union = len(a) + len(b) - len(shared)
    return Overlap(
        score=round(100 * len(shared) / union, 1) if union else 0.0,
        shared=[i.ref for i in sorted(shared, key=lambda i: i.name.lower())[:SHOWN_SHARED]],
        shared_count=len(shared),
        union_count=union,
    )


def similarity(profiles: Profiles, a: Profile, b: Profile) -> Similarity:
    names = name_score(a.names, b.names)
    work = overlap(profiles, a.work, b.work)
    requirements = overlap(profiles, a.requirements, b.requirements)
    score = NAME_WEIGHT * names.score + WORK_WEIGHT * work.score + REQUIREMENT_WEIGHT * requirements.score

    def said(what: str, o: Overlap) -> str:
        if not o.shared_count:
            return f"{what}: nothing shared"
        listed = ", ".join(r.name for r in o.shared) + (", ..." if o.shared_count > len(o.shared) else "")
        return f"{what}: {o.shared_count} of {o.union_count} shared ({listed})"

    reason = f"name {names.a!r} ~ {names.b!r} ({names.score:.0f}); {said('work', work)}; " + said(
        "requirements", requirements
    )
    return Similarity(
        score=round(score, 1),
        name_score=round(names.score, 1),
        name_pair=[names.a, names.b],
        work=work,
        requirements=requirements,
        reason=reason,
    )


def _jaccard(profiles: Profiles, a: frozenset[str], b: frozenset[str]) -> float:
    """overlap()'s score from id sets alone: what ranking many pairs needs."""
    equivalent = profiles.equivalent
    shared = len(a & b) + sum(1 for x in a - b if x in equivalent and not equivalent[x].isdisjoint(b))
    union = len(a) + len(b) - shared
    return 100 * shared / union if union else 0.0


def score(profiles: Profiles, a: Profile, b: Profile) -> float:
    """similarity()'s score, unrounded, without building the explanation."""
    return (
        NAME_WEIGHT * name_score(a.names, b.names).score
        + WORK_WEIGHT * _jaccard(profiles, a.work_ids, b.work_ids)
        + REQUIREMENT_WEIGHT * _jaccard(profiles, a.requirement_ids, b.requirement_ids)
    )


def ranked_ids(profiles: Profiles, role: Profile, *, framework_only: bool = False) -> list[tuple[float, str]]:
    """(score, id) of every other role, most similar first (ties by id)."""
    out = [
        (score(profiles, role, other), other.id)
        for other in profiles.roles.values()
        if other.id != role.id and not (framework_only and other.organisation is not None)
    ]
    out.sort(key=lambda pair: (-pair[0], pair[1]))
    return out


def explained(profiles: Profiles, role: Profile, ids: list[str]) -> list[SimilarRole]:
    return [
        SimilarRole(role=other.ref, kind=other.kind, similarity=similarity(profiles, role, other))
        for other in (profiles.roles[i] for i in ids)
    ]


def ranked(
    profiles: Profiles, role: Profile, *, framework_only: bool = False, limit: int | None = None
) -> list[SimilarRole]:
    """Other roles, most similar first (ties by id), explained; the first `limit` (all: None)."""
    ids = [i for _, i in ranked_ids(profiles, role, framework_only=framework_only)]
    return explained(profiles, role, ids if limit is None else ids[:limit])


# --- suggestions for an organisation's own roles -----------------------------------------------------


def role_suggestions(profiles: Profiles, role: Profile, limit: int) -> list[Suggestion]:
    return [
        Suggestion(
            target=s.role,
            own=role.ref,
            score=s.similarity.score,
            reason=s.similarity.reason,
            accepted=role.maps_to(s.role.id) is not None,
        )
        for s in ranked(profiles, role, framework_only=True, limit=limit)
    ]


def _neighbours(profiles: Profiles, role: Profile) -> list[Profile]:
    return [profiles.roles[i] for _, i in ranked_ids(profiles, role, framework_only=True)[:NEIGHBOURS]]


def competency_suggestions(profiles: Profiles, role: Profile, limit: int) -> list[Suggestion]:
    """For each of the role's own competencies (ones no framework names), the framework
    competencies with the closest names (token-set ratio at least 50): 0.8 of the name score, up to
    all of it when the framework roles most like this one require the competency."""
    own = [c for c in role.competencies.values() if c.id.startswith(f"competency:{role.organisation}:")]
    if not own:
        return []
    framework: dict[str, Item] = {}
    for other in profiles.roles.values():
        if other.organisation is None:
            framework.update(other.competencies)
    neighbours = _neighbours(profiles, role)
    choices = {key: item.name for key, item in framework.items()}
    out: list[Suggestion] = []
    for competency in own:
        for _, name_match, key in process.extract(competency.name, choices, scorer=_name_ratio, limit=limit):
            if name_match < MIN_NAME_MATCH:
                continue
            users = [n.name for n in neighbours if key in n.competencies]
            score = name_match * (0.8 + 0.2 * len(users) / NEIGHBOURS)
            reason = f"name {competency.name!r} ~ {framework[key].name!r} ({name_match:.0f})"
            if users:
                reason += (
                    f"; required by {len(users)} of the {NEIGHBOURS} framework roles most like this one "
                    f"({', '.join(users)})"
                )
            out.append(
                Suggestion(
                    target=framework[key].ref,
                    own=competency.ref,
                    score=round(score, 1),
                    reason=reason,
                    accepted=key in profiles.equivalent.get(competency.id, set()),
                )
            )
    out.sort(key=lambda s: (-s.score, s.own.id, s.target.id))
    return out[:limit]


def skill_suggestions(profiles: Profiles, role: Profile, skills: dict[str, NodeRef], limit: int) -> list[Suggestion]:
    """SFIA skills the role's work resembles: mapped to a practice the role answers for (60), and
    required by the framework roles most like it (up to 40). Skills it already requires are left out."""
    neighbours = _neighbours(profiles, role)
    out = []
    for skill_id, ref in skills.items():
        if skill_id in role.skills:
            continue
        practices = [
            link["name"] for link in profiles.skill_links.get(skill_id, []) if link["id"] in role.responsibilities
        ]
        users = [n.name for n in neighbours if skill_id in n.skills]
        score = (60 if practices else 0) + 40 * len(users) / NEIGHBOURS
        if not score:
            continue
        reasons = []
        if practices:
            reasons.append(f"mapped to {', '.join(sorted(practices))}, which the role answers for")
        if users:
            reasons.append(
                f"required by {len(users)} of the {NEIGHBOURS} framework roles most like it ({', '.join(users)})"
            )
        out.append(
            Suggestion(
                target=ref,
                own=role.ref,
                score=round(score, 1),
                reason="; ".join(reasons),
                accepted=role.maps_to(skill_id) is not None,
            )
        )
    out.sort(key=lambda s: (-s.score, s.target.id))
    return out[:limit]

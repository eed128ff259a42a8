"""Coverage: which activities of a value chain, and which practices, no role of an organisation covers.

An own role covers an activity when it PERFORMS_IN it (or in an activity aligned with it), or when
it is RESPONSIBLE_FOR a practice that CONTRIBUTES_TO the activity at `min_level` or above (default
low; explicit exclusions never count). A practice is covered when some own role is RESPONSIBLE_FOR
it. Uncovered practices come with their contribution levels, strongest first: the gaps that
matter most lead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import NodeRef
from app.overlay.models import ActivityCoverage, CoverageVia, Level, PracticeContribution, UncoveredPractice
from app.overlay.profiles import Profile, Profiles
from app.services.value_chain import LEVEL_RANK

DEFAULT_MIN_LEVEL = "low"


@dataclass
class ChainPractices:
    chain: NodeRef
    activities: list[NodeRef]
    practices: dict[str, NodeRef]
    levels: dict[tuple[str, str], tuple[str, list[str]]]  # (practice, activity) -> (strongest level, sources)
    aligned_levels: dict[tuple[str, str], tuple[str, list[str]]]  # the same for activities of other chains
    aligned_refs: dict[str, NodeRef]


def _strongest(
    entries: list[dict[str, Any]], practice_id: str, into: dict[tuple[str, str], tuple[str, list[str]]]
) -> None:
    for entry in entries:
        key = (practice_id, entry["activity"])
        before = into.get(key)
        sources = sorted(entry["sources"] or [])
        if before is None or LEVEL_RANK[entry["level"]] > LEVEL_RANK[before[0]]:
            into[key] = (entry["level"], sorted(set(sources) | set(before[1] if before else [])))
        else:
            into[key] = (before[0], sorted(set(before[1]) | set(sources)))


def chain_practices(store: GraphStore, value_chain_id: str) -> ChainPractices:
    row = store.read_one("overlay/chain_practices", chain=value_chain_id)
    if row is None:
        raise NotFound("value chain", value_chain_id)
    levels: dict[tuple[str, str], tuple[str, list[str]]] = {}
    aligned: dict[tuple[str, str], tuple[str, list[str]]] = {}
    practices = {}
    refs = {}
    for practice in row["practices"]:
        practices[practice["id"]] = NodeRef(id=practice["id"], label="Practice", name=practice["name"])
        _strongest(practice["levels"], practice["id"], levels)
        _strongest(practice["aligned"], practice["id"], aligned)
        for entry in practice["aligned"]:
            refs[entry["activity"]] = NodeRef(id=entry["activity"], label="ValueChainActivity", name=entry["name"])
    return ChainPractices(
        chain=NodeRef(id=row["chain"]["id"], label="ValueChain", name=row["chain"]["name"]),
        activities=[NodeRef(id=a["id"], label="ValueChainActivity", name=a["name"]) for a in row["activities"]],
        practices=practices,
        levels=levels,
        aligned_levels=aligned,
        aligned_refs=refs,
    )


def _level(
    profiles: Profiles, chain: ChainPractices, practice_id: str, activity_id: str
) -> tuple[str, list[str], str | None] | None:
    """The practice's level in the activity, or (when the chain states none for the activity, as
    Zero Outage's) the strongest in an activity aligned with it; with sources and the aligned id."""
    found = chain.levels.get((practice_id, activity_id))
    if found is not None:
        return found[0], found[1], None
    best: tuple[str, list[str], str | None] | None = None
    for other in sorted(profiles.equivalent.get(activity_id, ())):
        level = chain.aligned_levels.get((practice_id, other))
        if level is not None and (best is None or LEVEL_RANK[level[0]] > LEVEL_RANK[best[0]]):
            best = (level[0], level[1], other)
    return best


def activity_cover(
    profiles: Profiles, roles: list[Profile], chain: ChainPractices, min_level: str, through: str = "both"
) -> list[ActivityCoverage]:
    """`through`: work (PERFORMS_IN only), practices (RESPONSIBLE_FOR a contributing practice) or both."""
    floor = LEVEL_RANK[min_level]
    out = []
    for activity in chain.activities:
        via: list[CoverageVia] = []
        direct = False
        for role in roles:
            held = profiles.matches(activity.id, role.activities)
            if held is not None and through != "practices":
                direct = True
                via.append(CoverageVia(role=role.ref, sources=list(role.activities[held].sources)))
            for item in role.responsibilities.values() if through != "work" else ():
                found = _level(profiles, chain, item.id, activity.id)
                if found is None or found[0] == "none" or LEVEL_RANK[found[0]] < max(floor, 1):
                    continue
                via.append(
                    CoverageVia(
                        role=role.ref,
                        practice=chain.practices[item.id],
                        level=cast(Level, found[0]),
                        aligned=chain.aligned_refs.get(found[2]) if found[2] else None,
                        sources=sorted(set(item.sources) | set(found[1])),
                    )
                )
        levels: list[str] = [lv for v in via if (lv := v.level) is not None]
        best = max(levels, key=lambda lv: LEVEL_RANK[lv]) if levels else None
        via.sort(key=lambda v: (v.practice is not None, -LEVEL_RANK[v.level or "none"], v.role.name.lower()))
        out.append(
            ActivityCoverage(activity=activity, covered=bool(via), direct=direct, best_level=best, covered_by=via)
        )
    return out


def uncovered_practices(roles: list[Profile], chain: ChainPractices) -> tuple[list[UncoveredPractice], int]:
    """Practices no own role answers for (strongest contributions first), and how many are covered."""
    held = {i for role in roles for i in role.responsibilities}
    order = {a.id: n for n, a in enumerate(chain.activities)}
    out = []
    for practice_id, ref in chain.practices.items():
        if practice_id in held:
            continue
        contributions = sorted(
            (
                PracticeContribution(activity=a, level=cast(Level, chain.levels[(practice_id, a.id)][0]))
                for a in chain.activities
                if (practice_id, a.id) in chain.levels
            ),
            key=lambda c: order[c.activity.id],
        )
        out.append(UncoveredPractice(practice=ref, contributions=contributions))

    def strength(item: UncoveredPractice) -> tuple[Any, ...]:
        """Strongest levels first; with the same prefix, more contributions first (1 ends a list)."""
        ranks = sorted((LEVEL_RANK[c.level] for c in item.contributions), reverse=True)
        return (*(-r for r in ranks), 1), item.practice.name.lower()

    out.sort(key=strength)
    return out, len(chain.practices) - len(out)

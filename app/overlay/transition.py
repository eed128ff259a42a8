"""What to acquire to move from one role to another, along a path of roles where one exists.

The roles form a directed graph (built once per release): an organisation's career steps
(`progresses_to`, RELATED_TO kind career-step) one way, MAPS_TO between roles both ways, and each
role's NEAREST most similar roles (similarity.py, score at least MIN_SIMILARITY) both ways. A step
costs what its end holds that its start lacks, plus one; the cheapest path of at most MAX_STEPS
steps is walked by a person who keeps what they hold, so each step lists only what is new to them
and `cumulative` what they have gained so far. Without such a path, the answer is the direct jump.
Bounded: with more than MAX_SIMILARITY_ROLES roles the similarity edges are left out (declared
steps and mappings only).
"""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx

from app.overlay.models import Delta, RoleTransition, TransitionStep
from app.overlay.profiles import Holdings, Profile, Profiles, empty_delta
from app.overlay.similarity import ranked_ids

NEAREST = 3
MIN_SIMILARITY = 45.0
MAX_STEPS = 5
MAX_SIMILARITY_ROLES = 400


def _graph(profiles: Profiles) -> nx.DiGraph:
    with profiles.lock:
        cached = profiles.graph_cache.get("paths")
    if cached is not None:
        return cached
    graph = nx.DiGraph()
    graph.add_nodes_from(profiles.roles)

    def join(a: str, b: str, via: str, *, both: bool) -> None:
        for start, end in ((a, b), (b, a)) if both else ((a, b),):
            if not graph.has_edge(start, end) or graph[start][end]["rank"] > RANK[via.split(" ")[0]]:
                graph.add_edge(start, end, via=via, rank=RANK[via.split(" ")[0]])

    for role in profiles.roles.values():
        for other in role.next_roles:
            join(role.id, other, "career-step", both=False)
        for mapping in role.mappings:
            if mapping["id"] in profiles.roles:
                join(role.id, mapping["id"], f"mapping ({mapping.get('kind') or 'MAPS_TO'})", both=True)
    if len(profiles.roles) <= MAX_SIMILARITY_ROLES:
        for role in profiles.roles.values():
            for near_score, near in ranked_ids(profiles, role)[:NEAREST]:
                if near_score >= MIN_SIMILARITY:
                    join(role.id, near, f"similar ({near_score:.0f})", both=True)
    with profiles.lock:
        profiles.graph_cache["paths"] = graph
    return graph


RANK = {"career-step": 0, "mapping": 1, "similar": 2}


def _union(a: Delta, b: Delta) -> Delta:
    competencies = {k: list(v) for k, v in a.competencies.items()}
    for family, items in b.competencies.items():
        known = {i.id for i in competencies.get(family, [])}
        competencies.setdefault(family, []).extend(i for i in items if i.id not in known)
    skills = {g.skill.id: g for g in a.skills}
    for gap in b.skills:
        before = skills.get(gap.skill.id)
        if before is None:
            skills[gap.skill.id] = gap
        else:
            levels = [lv for lv in (before.needed_level, gap.needed_level) if lv is not None]
            skills[gap.skill.id] = before.model_copy(update={"needed_level": max(levels) if levels else None})
    responsibilities = {r.id: r for r in [*a.responsibilities, *b.responsibilities]}
    activities = {r.id: r for r in [*a.activities, *b.activities]}
    for items in competencies.values():
        items.sort(key=lambda i: i.name.lower())
    count = sum(len(v) for v in competencies.values()) + len(skills) + len(responsibilities) + len(activities)
    return Delta(
        competencies=dict(sorted(competencies.items())),
        skills=sorted(skills.values(), key=lambda g: g.code),
        responsibilities=sorted(responsibilities.values(), key=lambda r: r.name.lower()),
        activities=sorted(activities.values(), key=lambda r: r.name.lower()),
        count=count,
    )


def _path(profiles: Profiles, start: Profile, end: Profile) -> list[str] | None:
    graph = _graph(profiles)
    costs: dict[tuple[str, str], int] = {}

    def cost(u: str, v: str, _: dict[str, Any]) -> int:
        if (u, v) not in costs:
            costs[(u, v)] = profiles.delta(Holdings.of(profiles.roles[u]), profiles.roles[v]).count + 1
        return costs[(u, v)]

    try:
        path: list[str] = nx.shortest_path(graph, start.id, end.id, weight=cost)
    except nx.NetworkXNoPath:
        return None
    return path if len(path) - 1 <= MAX_STEPS else None


def transition(profiles: Profiles, start_id: str, end_id: str) -> RoleTransition:
    start, end = profiles.get(start_id), profiles.get(end_id)
    direct = profiles.delta(Holdings.of(start), end)
    if start.id == end.id:
        return RoleTransition(start=start.ref, end=end.ref, path=[start.ref], path_found=True, steps=[], direct=direct)
    found = _path(profiles, start, end)
    walk = found or [start.id, end.id]
    graph = _graph(profiles)
    held = Holdings.of(start)
    cumulative = empty_delta()
    steps = []
    for u, v in itertools.pairwise(walk):
        acquire = profiles.delta(held, profiles.roles[v])
        held.absorb(acquire)
        cumulative = _union(cumulative, acquire)
        via = graph[u][v]["via"] if graph.has_edge(u, v) else "direct"
        steps.append(
            TransitionStep(
                start=profiles.roles[u].ref, end=profiles.roles[v].ref, via=via, acquire=acquire, cumulative=cumulative
            )
        )
    return RoleTransition(
        start=start.ref,
        end=end.ref,
        path=[profiles.roles[r].ref for r in walk],
        path_found=found is not None,
        steps=steps,
        direct=direct,
    )

"""Communities of roles and practices (networkx Louvain), computed once per release.

The graph joins each role to the practices (and processes, activities, ...) it is RESPONSIBLE_FOR
(weight 2 for owner or manager, 1 otherwise), to the competencies and SFIA skills it REQUIRES
(weight 0.5: they bind roles of one framework's vocabulary), to the roles it maps to and those it
progresses to (weight 1). Louvain (seeded, so the same release always gives the same answer) splits
it; each community lists its roles and practices, named after its best-connected practice.
Bounded: the graph has one node per role and held item and one edge per holding (the release's size),
and no community lists more than MAX_MEMBERS roles or practices.
"""

from __future__ import annotations

import networkx as nx

from app.models import NodeRef
from app.overlay.models import Community
from app.overlay.profiles import Profiles

SEED = 16
MAX_MEMBERS = 200
WEIGHTS = {"owner": 2.0, "manager": 2.0}
REQUIREMENT_WEIGHT = 0.5
METHOD = (
    "Louvain (networkx, seed 16) over roles and what they hold: RESPONSIBLE_FOR (2 for owner or manager, "
    "else 1), REQUIRES (0.5), MAPS_TO and career steps between roles (1)"
)


def communities(profiles: Profiles) -> list[Community]:
    with profiles.lock:
        cached = profiles.graph_cache.get("communities")
        if cached is not None:
            return list(cached)
    graph = nx.Graph()
    refs: dict[str, NodeRef] = {}
    for role in profiles.roles.values():
        refs[role.id] = role.ref
        graph.add_node(role.id)
        for item in role.responsibilities.values():
            refs.setdefault(item.id, item.ref)
            graph.add_edge(role.id, item.id, weight=WEIGHTS.get(item.kind or "", 1.0))
        for item in role.requirements.values():
            refs.setdefault(item.id, item.ref)
            graph.add_edge(role.id, item.id, weight=REQUIREMENT_WEIGHT)
        for mapping in role.mappings:
            if mapping["id"] in profiles.roles:
                graph.add_edge(role.id, mapping["id"], weight=1.0)
        for other in role.next_roles:
            graph.add_edge(role.id, other, weight=1.0)
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED) if graph.number_of_nodes() else []
    out = []
    for members in found:
        roles = sorted((refs[m] for m in members if refs[m].label == "Role"), key=lambda r: r.name.lower())
        practices = sorted((refs[m] for m in members if refs[m].label == "Practice"), key=lambda r: r.name.lower())
        if not roles:
            continue
        anchors = [p.id for p in practices] or [r.id for r in roles]
        anchor = max(anchors, key=lambda n: (graph.degree(n, weight="weight"), n))
        out.append((roles, practices, refs[anchor].name))
    out.sort(key=lambda c: (-(len(c[0]) + len(c[1])), c[2]))
    result = [
        Community(
            id=index,
            name=name,
            size=len(roles) + len(practices),
            roles=roles[:MAX_MEMBERS],
            practices=practices[:MAX_MEMBERS],
        )
        for index, (roles, practices, name) in enumerate(out)
    ]
    with profiles.lock:
        profiles.graph_cache["communities"] = result
    return list(result)

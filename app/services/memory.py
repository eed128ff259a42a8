"""The release's graph held in memory, so that breadth-first steps need no store round trip.

Between two loads the graph is read-only: the nodes (id, name, label, description, sources) and
every relationship with its properties are read once per release (two queries,
cypher/memory/*.cypher) and kept until the release changes. `expand` answers what
cypher/nodes/expand.cypher answers, row for row, from memory. A release with more relationships
than ITSM_MEMORY_GRAPH_MAX_RELATIONSHIPS is not held (the store answers, as before), so the
memory this takes stays bounded: about 1 KB per relationship.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from app.graph.store import GraphStore, StoreUnavailable
from app.services.release import ReleaseCache

Row = dict[str, Any]


class MemoryGraph:
    def __init__(self, nodes: Iterable[Row], relationships: Iterable[Row]):
        self.nodes: dict[str, Row] = {row["id"]: row for row in nodes}
        # id -> [(other id, outgoing, type, properties)], in the order the rows came
        self.adjacency: dict[str, list[tuple[str, bool, str, Row]]] = {}
        self._incoming: dict[tuple[str, str, str], list[tuple[str, Row]]] = {}
        for rel in relationships:
            start, end = rel["start"], rel["end"]
            if start not in self.nodes or end not in self.nodes:
                continue
            entry = (rel["type"], rel["properties"] or {})
            self.adjacency.setdefault(start, []).append((end, True, *entry))
            self.adjacency.setdefault(end, []).append((start, False, *entry))

    def summary(self, node_id: str) -> Row | None:
        """What cypher/nodes/summary.cypher returns as `node`, or None for an unknown id."""
        node = self.nodes.get(node_id)
        if node is None:
            return None
        return {
            key: node[key] for key in ("id", "name", "description", "sources", "label") if node.get(key) is not None
        }

    def detail(self, node_id: str) -> Row | None:
        """The row of cypher/nodes/get.cypher for this id (None for an unknown one), from memory."""
        node = self.nodes.get(node_id)
        if node is None:
            return None
        out: list[Row] = []
        into: list[Row] = []
        for other, outgoing, rel_type, properties in self.adjacency.get(node_id, ()):
            b = self.nodes[other]
            (out if outgoing else into).append(
                {
                    "direction": "out" if outgoing else "in",
                    "type": rel_type,
                    "properties": properties,
                    "node": {"id": other, "label": b["label"], "name": b["name"]},
                }
            )
        return {"properties": node["properties"], "label": node["label"], "outgoing": out, "incoming": into}

    def holdings(self, role_id: str) -> Row | None:
        """The row of cypher/roles/holdings.cypher for this id (None unless it is a role's)."""
        node = self.nodes.get(role_id)
        if node is None or node["label"] != "Role":
            return None
        role = {key: node.get(key) for key in ("id", "name", "kind", "description", "sources")} | {"label": "Role"}
        row: Row = {"role": role, "competencies": [], "skills": [], "responsibilities": [], "activities": []}
        for other, outgoing, rel_type, properties in self.adjacency.get(role_id, ()):
            if not outgoing:
                continue
            b = self.nodes[other]
            item = {"id": other, "name": b["name"], "label": b["label"], "family": None}
            if rel_type == "REQUIRES" and b["label"] == "Competency":
                row["competencies"].append(item | {"family": properties.get("family")})
            elif rel_type == "REQUIRES" and b["label"] == "SFIASkill":
                row["skills"].append(item)
            elif rel_type == "RESPONSIBLE_FOR":
                row["responsibilities"].append(item | {"family": properties.get("kind")})
            elif rel_type == "PERFORMS_IN":
                row["activities"].append(item)
        return row

    def mappings_between(self, a: list[str], b: list[str]) -> list[Row]:
        """The rows of cypher/roles/mappings_between.cypher: MAPS_TO and ALIGNS_WITH, either
        direction, from a node of `a` to a node of `b`, ordered by a, b and the mapping's id."""
        wanted, rows = set(b), []
        for x in a:
            for other, _outgoing, rel_type, properties in self.adjacency.get(x, ()):
                if rel_type in ("MAPS_TO", "ALIGNS_WITH") and other in wanted:
                    rows.append(
                        {
                            "a_id": x,
                            "b_id": other,
                            "id": properties.get("id"),
                            "type": rel_type,
                            "kind": properties.get("kind"),
                            "basis": properties.get("basis") or "stated",
                            "rationale": properties.get("rationale"),
                            "sources": properties.get("sources"),
                        }
                    )
        rows.sort(key=lambda r: (r["a_id"], r["b_id"], r["id"] or ""))
        return rows

    def path_steps(
        self, ids: list[str], types: list[str] | None, exclude_types: list[str], exclude: list[str]
    ) -> list[Row]:
        """The rows of cypher/paths/expand.cypher: every relationship touching a frontier node,
        either way, unless its type or its other end is excluded."""
        wanted = set(types) if types is not None else None
        banned_types, banned = set(exclude_types), set(exclude)
        rows = []
        for node_id in ids:
            for other, outgoing, rel_type, properties in self.adjacency.get(node_id, ()):
                if (wanted is not None and rel_type not in wanted) or rel_type in banned_types or other in banned:
                    continue
                b = self.nodes[other]
                rows.append(
                    {
                        "from_id": node_id,
                        "to_id": other,
                        "to_name": b["name"],
                        "to_label": b["label"],
                        "id": properties.get("id"),
                        "type": rel_type,
                        "start": node_id if outgoing else other,
                        "end": other if outgoing else node_id,
                        "basis": properties.get("basis") or "stated",
                        "kind": properties.get("kind"),
                        "level": properties.get("level"),
                        "rationale": properties.get("rationale"),
                        "sources": properties.get("sources"),
                    }
                )
        return rows

    def hubs(self) -> list[str]:
        """What cypher/paths/hubs.cypher returns: the Framework and ValueChain nodes, by id."""
        return sorted(i for i, node in self.nodes.items() if node["label"] in ("Framework", "ValueChain"))

    def expand(self, ids: list[str], types: list[str] | None) -> list[Row]:
        """The rows of cypher/nodes/expand.cypher for these frontier ids."""
        wanted = set(types) if types is not None else None
        rows = []
        for node_id in ids:
            for other, outgoing, rel_type, properties in self.adjacency.get(node_id, ()):
                if wanted is not None and rel_type not in wanted:
                    continue
                b = self.nodes[other]
                rows.append(
                    {
                        "from_id": node_id,
                        "outgoing": outgoing,
                        "type": rel_type,
                        "properties": properties,
                        "node": {"id": other, "name": b["name"], "sources": b["sources"], "label": b["label"]},
                    }
                )
        return rows

    def incoming(self, node_id: str, rel_type: str, label: str) -> list[tuple[str, Row]]:
        """(other id, properties) of the `rel_type` relationships into `node_id` from `label` nodes,
        in adjacency order; kept per release (the graph never changes), as a hub practice has
        thousands of relationships and a headline asks for its roles once per statement."""
        key = (node_id, rel_type, label)
        found = self._incoming.get(key)
        if found is None:
            found = [
                (other, properties)
                for other, outgoing, kind, properties in self.adjacency.get(node_id, ())
                if not outgoing and kind == rel_type and self.nodes[other]["label"] == label
            ]
            self._incoming[key] = found
        return found

    def contributions(self, activity_id: str, source: str | None) -> Row | None:
        """What cypher/value_chain/practices.cypher returns, or None for an unknown activity:
        the activity and, per CONTRIBUTES_TO into it (only statements citing `source` when
        given), the practice, the statement and the roles RESPONSIBLE_FOR the practice."""
        activity = self.nodes.get(activity_id)
        if activity is None or activity["label"] != "ValueChainActivity":
            return None
        entries = []
        roles_of: dict[str, list[Row]] = {}
        for practice_id, outgoing, rel_type, statement in self.adjacency.get(activity_id, ()):
            practice = self.nodes[practice_id]
            if outgoing or rel_type != "CONTRIBUTES_TO" or practice["label"] != "Practice":
                continue
            if source is not None and not any(s.startswith(source + ":") for s in statement.get("sources") or []):
                continue
            roles = roles_of.get(practice_id)
            if roles is None:  # once per practice, however many statements it has
                roles = roles_of[practice_id] = [
                    {
                        "id": role_id,
                        "name": self.nodes[role_id]["name"],
                        "kind": self.nodes[role_id].get("kind"),
                        "label": "Role",
                        "basis": link.get("basis"),
                        "rationale": link.get("rationale"),
                        "responsibility": link.get("kind"),
                    }
                    for role_id, link in self.incoming(practice_id, "RESPONSIBLE_FOR", "Role")
                ]
            entries.append(
                {
                    "practice": {
                        "id": practice_id,
                        "name": practice["name"],
                        "category": practice.get("category"),
                        "label": "Practice",
                    },
                    "contribution": {key: statement.get(key) for key in ("level", "level_cue", "summary", "sources")},
                    "roles": roles,
                }
            )
        keys = ("id", "name", "description", "sources")
        summary = {key: activity[key] for key in keys if activity.get(key) is not None}
        return {"activity": {**summary, "label": "ValueChainActivity"}, "contributions": entries}


_lock = threading.Lock()
_held: tuple[tuple[str | None, str, str] | None, MemoryGraph | None] = (None, None)


def graph(store: GraphStore, releases: ReleaseCache, max_relationships: int) -> MemoryGraph | None:
    """The current release's graph in memory (read on first use), or None: no release known yet,
    or one too large to hold."""
    global _held
    if store.down_reason is not None:  # known down: the same 503 as every other answer
        raise StoreUnavailable(store.down_reason)
    release, tag = releases.get(), releases.tag()
    if release is None or tag is None or int(release.get("relationships") or 0) > max_relationships:
        return None
    key = (store.uri, store.database, tag)  # the data's address and release
    held_key, held = _held
    if held_key == key and held is not None:
        return held
    with _lock:  # one read per release, however many requests arrive meanwhile
        held_key, held = _held
        if held_key == key and held is not None:
            return held
        fresh = MemoryGraph(store.read("memory/nodes"), store.read("memory/relationships"))
        _held = (key, fresh)
        return fresh

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

"""The whole graph as one document: release, nodes and relationships (ends as node ids)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.graph.store import GraphStore
from app.models import ExportDocument, ExportNode, ExportRelationship

EXPORT_BATCH = 1000


def _pages(store: GraphStore, name: str) -> Iterator[dict[str, Any]]:
    skip = 0
    while True:
        rows = store.read(name, skip=skip, limit=EXPORT_BATCH)
        yield from rows
        if len(rows) < EXPORT_BATCH:
            return
        skip += EXPORT_BATCH


def export_graph(store: GraphStore) -> ExportDocument:
    release = store.read_one("meta/latest_release")
    nodes = [
        ExportNode(
            id=row["id"],
            labels=[label for label in row["labels"] if label != "Entity"],
            properties=row["properties"],
        )
        for row in _pages(store, "export/nodes")
    ]
    relationships = [
        ExportRelationship(type=row["type"], start=row["start"], end=row["end"], properties=row["properties"])
        for row in _pages(store, "export/relationships")
    ]
    return ExportDocument(release=release["release"] if release else None, nodes=nodes, relationships=relationships)

"""What changed between two documents: nodes and relationships added, removed and changed, each
change with its properties' values before and after. Nodes are matched by id, relationships by
their `id` property (which names type, start and end, so moving a relationship is a removal and an
addition). A node whose label changed is `changed`, with a `labels` entry."""

from __future__ import annotations

from typing import Any

from app.interop.content import relationship_id
from app.interop.models import Change, ChangeCounts, ChangeSummary, PropertyChange
from app.models import ExportDocument, ExportNode, ExportRelationship

LABELS = "labels"


def _property_changes(before: dict[str, Any], after: dict[str, Any]) -> list[PropertyChange]:
    return [
        PropertyChange(name=name, before=before.get(name), after=after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    ]


def _node(change: str, node: ExportNode, **extra: Any) -> Change:
    return Change(change=change, entity="node", id=node.id, label=node.labels[0] if node.labels else None, **extra)


def _rel(change: str, rel: ExportRelationship, **extra: Any) -> Change:
    return Change(
        change=change,
        entity="relationship",
        id=relationship_id(rel),
        type=rel.type,
        start=rel.start,
        end=rel.end,
        **extra,
    )


def diff(before: ExportDocument, after: ExportDocument) -> list[Change]:
    """Every change from `before` to `after`: nodes first, then relationships, each by id."""
    changes: list[Change] = []
    old_nodes = {n.id: n for n in before.nodes}
    new_nodes = {n.id: n for n in after.nodes}
    for node_id in sorted(set(old_nodes) | set(new_nodes)):
        old, new = old_nodes.get(node_id), new_nodes.get(node_id)
        if old is None and new is not None:
            changes.append(_node("added", new, after=new.properties))
        elif new is None and old is not None:
            changes.append(_node("removed", old, before=old.properties))
        elif old is not None and new is not None:
            props = _property_changes(old.properties, new.properties)
            if sorted(old.labels) != sorted(new.labels):
                props.insert(0, PropertyChange(name=LABELS, before=old.labels, after=new.labels))
            if props:
                changes.append(_node("changed", new, properties=props))
    old_rels = {relationship_id(r): r for r in before.relationships}
    new_rels = {relationship_id(r): r for r in after.relationships}
    for rel_id in sorted(set(old_rels) | set(new_rels)):
        old_rel, new_rel = old_rels.get(rel_id), new_rels.get(rel_id)
        if old_rel is None and new_rel is not None:
            changes.append(_rel("added", new_rel, after=new_rel.properties))
        elif new_rel is None and old_rel is not None:
            changes.append(_rel("removed", old_rel, before=old_rel.properties))
        elif old_rel is not None and new_rel is not None:
            props = _property_changes(old_rel.properties, new_rel.properties)
            if props:
                changes.append(_rel("changed", new_rel, properties=props))
    return changes


def summarize(changes: list[Change]) -> ChangeSummary:
    counts = {"node": ChangeCounts(), "relationship": ChangeCounts()}
    for change in changes:
        bucket = counts[change.entity]
        setattr(bucket, change.change, getattr(bucket, change.change) + 1)
    return ChangeSummary(nodes=counts["node"], relationships=counts["relationship"])

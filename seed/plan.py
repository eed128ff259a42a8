"""Compare the validated ontology with what the store holds and decide the smallest set of writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from seed.model import NodeRecord, Ontology, RelationshipRecord

Row = dict[str, Any]


@dataclass
class Plan:
    create_nodes: list[NodeRecord] = field(default_factory=list)
    update_nodes: list[NodeRecord] = field(default_factory=list)
    delete_nodes: list[str] = field(default_factory=list)  # includes nodes whose label changed
    unchanged_nodes: int = 0
    create_relationships: list[RelationshipRecord] = field(default_factory=list)
    update_relationships: list[RelationshipRecord] = field(default_factory=list)
    delete_relationships: list[Row] = field(default_factory=list)  # {id, start, end}
    unchanged_relationships: int = 0

    @property
    def is_empty(self) -> bool:
        return not (
            self.create_nodes
            or self.update_nodes
            or self.delete_nodes
            or self.create_relationships
            or self.update_relationships
            or self.delete_relationships
        )

    @property
    def writes(self) -> int:
        return (
            len(self.create_nodes)
            + len(self.update_nodes)
            + len(self.delete_nodes)
            + len(self.create_relationships)
            + len(self.update_relationships)
            + len(self.delete_relationships)
        )

    def summary(self) -> dict[str, dict[str, int]]:
        return {
            "nodes": {
                "create": len(self.create_nodes),
                "update": len(self.update_nodes),
                "delete": len(self.delete_nodes),
                "unchanged": self.unchanged_nodes,
            },
            "relationships": {
                "create": len(self.create_relationships),
                "update": len(self.update_relationships),
                "delete": len(self.delete_relationships),
                "unchanged": self.unchanged_relationships,
            },
        }


def make_plan(ontology: Ontology, current_nodes: list[Row], current_relationships: list[Row]) -> Plan:
    plan = Plan()
    stored = {row["id"]: row for row in current_nodes}
    for node_id, row in stored.items():
        wanted = ontology.nodes.get(node_id)
        if wanted is None or row["labels"] != [wanted.label]:
            plan.delete_nodes.append(node_id)
    removed = set(plan.delete_nodes)
    for node in ontology.nodes.values():
        stored_node = stored.get(node.id)
        if stored_node is None or node.id in removed:
            plan.create_nodes.append(node)
        elif stored_node["properties"] != node.properties:
            plan.update_nodes.append(node)
        else:
            plan.unchanged_nodes += 1

    # Relationships touching a deleted node disappear with it (DETACH DELETE).
    stored_rels = {
        row["id"]: row for row in current_relationships if row["start"] not in removed and row["end"] not in removed
    }
    for rel_id, row in stored_rels.items():
        wanted_rel: RelationshipRecord | None = ontology.relationships.get(rel_id) if rel_id is not None else None
        if wanted_rel is None or (row["type"], row["start"], row["end"]) != (
            wanted_rel.type,
            wanted_rel.start,
            wanted_rel.end,
        ):
            plan.delete_relationships.append({"id": rel_id, "start": row["start"], "end": row["end"]})
    deleted_rel_ids = {row["id"] for row in plan.delete_relationships}
    for rel in ontology.relationships.values():
        stored_rel = stored_rels.get(rel.id)
        if stored_rel is None or rel.id in deleted_rel_ids:
            plan.create_relationships.append(rel)
        elif stored_rel["properties"] != rel.properties:
            plan.update_relationships.append(rel)
        else:
            plan.unchanged_relationships += 1
    for records in (plan.create_nodes, plan.update_nodes):
        records.sort(key=lambda n: (n.label, n.id))
    for rels in (plan.create_relationships, plan.update_relationships):
        rels.sort(key=lambda r: (r.type, r.id))
    return plan

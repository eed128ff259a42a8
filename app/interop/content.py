"""The graph as one document, the same for every format: the canonical export.

A document is an `ExportDocument` (app/models.py): the release, every node (id, labels without
`Entity`, properties) and every relationship (type, start and end node ids, properties with the
relationship's `id`), nodes sorted by id and relationships by id. The live store and a kept release
give the same document for the same content.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from app.models import ExportDocument, ExportNode, ExportRelationship
from seed.model import NodeRecord, Ontology, RelationshipRecord
from seed.schema import OntologySchema

PART_OF = "PART_OF"
FRAMEWORK_LABEL = "Framework"
PART_OF_HOPS = 5  # as cypher/crosswalk/mappings.cypher


def from_ontology(ontology: Ontology, release: dict[str, Any] | None = None) -> ExportDocument:
    """The document a load of `ontology` leaves in the store."""
    return ExportDocument(
        release=release,
        nodes=[
            ExportNode(id=n.id, labels=[n.label], properties=dict(n.properties))
            for n in sorted(ontology.nodes.values(), key=lambda n: n.id)
        ],
        relationships=[
            ExportRelationship(type=r.type, start=r.start, end=r.end, properties=dict(r.properties))
            for r in sorted(ontology.relationships.values(), key=lambda r: r.id)
        ],
    )


def to_ontology(document: ExportDocument, schema: OntologySchema, origin: str) -> Ontology:
    """Records the loader (seed/load.py) writes: how an export read back (CSV, GraphML) goes into a
    store with the project's own code. `origin` names the file the records came from."""
    ontology = Ontology(schema=schema)
    for node in document.nodes:
        label = next((lb for lb in node.labels if lb in schema.labels), node.labels[0])
        ontology.nodes[node.id] = NodeRecord(id=node.id, label=label, properties=dict(node.properties), file=origin)
    for rel in document.relationships:
        rid = relationship_id(rel)
        ontology.relationships[rid] = RelationshipRecord(
            id=rid, type=rel.type, start=rel.start, end=rel.end, properties=dict(rel.properties), file=origin
        )
    return ontology


def relationship_id(rel: ExportRelationship) -> str:
    return str(rel.properties.get("id") or f"{rel.type}:{rel.start}->{rel.end}")


def canonical(document: ExportDocument) -> dict[str, Any]:
    """Nodes and relationships (no release record) in a stable order: what the hash covers."""
    nodes = sorted(document.nodes, key=lambda n: n.id)
    rels = sorted(document.relationships, key=relationship_id)
    return {
        "nodes": [{"id": n.id, "labels": sorted(n.labels), "properties": n.properties} for n in nodes],
        "relationships": [{"type": r.type, "start": r.start, "end": r.end, "properties": r.properties} for r in rels],
    }


def graph_hash(document: ExportDocument) -> str:
    """SHA-256 of the canonical nodes and relationships: equal for equal graphs, whatever the format
    they travelled in."""
    text = json.dumps(canonical(document), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cites(properties: Mapping[str, Any], source_file: str) -> bool:
    return any(str(s).startswith(source_file + ":") for s in properties.get("sources") or [])


def select_source(document: ExportDocument, source_file: str | None) -> ExportDocument:
    """What one document states: the nodes and relationships citing it, with the nodes at the ends
    of those relationships, so that every relationship exported has both its ends."""
    if source_file is None:
        return document
    rels = [r for r in document.relationships if cites(r.properties, source_file)]
    ends = {r.start for r in rels} | {r.end for r in rels}
    nodes = [n for n in document.nodes if n.id in ends or cites(n.properties, source_file)]
    return ExportDocument(release=document.release, nodes=nodes, relationships=rels)


def node_frameworks(document: ExportDocument, documents: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Framework ids of every node, by the crosswalk's rule (docs/ontology.md): a Framework is its
    own; a node PART_OF a Framework (directly or up to five PART_OF hops) and a node citing a
    document of a framework belong to it. `documents`: (seed file, framework id) pairs."""
    labels = {n.id: n.labels for n in document.nodes}
    up: dict[str, list[str]] = defaultdict(list)
    for rel in document.relationships:
        if rel.type == PART_OF:
            up[rel.start].append(rel.end)
    by_file = list(documents)
    result: dict[str, set[str]] = {}
    for node in document.nodes:
        if FRAMEWORK_LABEL in node.labels:
            result[node.id] = {node.id}
            continue
        found = {fw for file, fw in by_file if cites(node.properties, file)}
        frontier, seen = [node.id], {node.id}
        for _hop in range(PART_OF_HOPS):
            frontier = [end for start in frontier for end in up.get(start, []) if end not in seen]
            seen.update(frontier)
            found.update(end for end in frontier if FRAMEWORK_LABEL in labels.get(end, []))
        result[node.id] = found
    return result


def crosswalk(document: ExportDocument, documents: Iterable[tuple[str, str]]) -> list[ExportRelationship]:
    """The relationships whose two ends belong to no common framework (as GET /v1/crosswalk)."""
    frameworks = node_frameworks(document, documents)
    return [
        r
        for r in document.relationships
        if frameworks.get(r.start) and frameworks.get(r.end) and not (frameworks[r.start] & frameworks[r.end])
    ]

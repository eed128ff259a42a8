"""GraphML through networkx: one `MultiDiGraph`, nodes keyed by id and edges by relationship id.

Node attributes: `labels` (colon-separated, as Neo4j's own GraphML export writes them) and every
property; edge attributes: `type` and every property. GraphML has no list type, so list properties
are JSON text (`["001_….txt:12-14"]`); `parse` turns them back into lists, and values GraphML
widened to text (an attribute name with values of two types, such as `level`) back to the type the
schema declares.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import networkx as nx

from app.interop.base import ExportContext
from app.interop.content import relationship_id
from app.interop.typing_rules import declared, decode_json_list
from app.models import ExportDocument, ExportNode, ExportRelationship
from seed.schema import OntologySchema

LABELS = "labels"
TYPE = "type"


def _attributes(properties: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in properties.items()}


def to_networkx(document: ExportDocument) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(release=json.dumps(document.release, ensure_ascii=False) if document.release else "")
    for node in document.nodes:
        graph.add_node(node.id, **{LABELS: ":".join(node.labels)}, **_attributes(node.properties))
    for rel in document.relationships:
        graph.add_edge(rel.start, rel.end, key=relationship_id(rel), **{TYPE: rel.type}, **_attributes(rel.properties))
    return graph


def serialize(document: ExportDocument, context: ExportContext) -> Iterator[bytes]:
    for line in nx.generate_graphml(to_networkx(document), encoding="utf-8", prettyprint=True):
        yield (line + "\n").encode("utf-8")


def _typed(schema: OntologySchema, kind: str, name: str, value: Any, *, relationship: bool) -> Any:
    spec = declared(schema, kind, name, relationship=relationship)
    if spec is None:
        return value
    if spec.type.startswith("list["):
        items = decode_json_list(value)
        return [int(v) for v in items] if spec.type == "list[int]" else items
    if spec.type == "int":
        return int(value)
    if spec.type == "bool":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return str(value)


def parse(data: bytes, schema: OntologySchema) -> ExportDocument:
    """The document a GraphML export holds (networkx reads it)."""
    graph = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    nodes = []
    for node_id, attrs in graph.nodes(data=True):
        labels = str(attrs.pop(LABELS, "")).split(":")
        props = {k: _typed(schema, labels[0], k, v, relationship=False) for k, v in attrs.items()}
        nodes.append(ExportNode(id=str(node_id), labels=labels, properties=props))
    rels = []
    for start, end, _key, attrs in graph.edges(keys=True, data=True):
        rtype = str(attrs.pop(TYPE))
        props = {k: _typed(schema, rtype, k, v, relationship=True) for k, v in attrs.items()}
        rels.append(ExportRelationship(type=rtype, start=str(start), end=str(end), properties=props))
    release = graph.graph.get("release")
    return ExportDocument(
        release=json.loads(release) if release else None,
        nodes=sorted(nodes, key=lambda n: n.id),
        relationships=sorted(rels, key=relationship_id),
    )

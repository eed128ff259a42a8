"""The validated ontology: plain records the planner and loader work from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from seed.problems import Problem, clip
from seed.reader import gc_paused
from seed.schema import OntologySchema

__all__ = ["NodeRecord", "Ontology", "Problem", "RelationshipRecord", "clip"]

Properties = dict[str, Any]


@dataclass(frozen=True, slots=True)
class NodeRecord:
    id: str
    label: str
    properties: Properties  # includes id; no None and no empty lists
    file: str


@dataclass(frozen=True, slots=True)
class RelationshipRecord:
    id: str  # "<TYPE>:<start>-><end>" plus "#<key>" when two of a type join the same nodes
    type: str
    start: str
    end: str
    properties: Properties  # includes id
    file: str


@dataclass
class Ontology:
    schema: OntologySchema
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    relationships: dict[str, RelationshipRecord] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.schema.ontology_version

    def canonical(self) -> dict[str, Any]:
        """Everything that goes into the graph, in a stable order (comments and layout excluded)."""
        return {
            "version": self.version,
            "nodes": [
                {"label": n.label, "properties": n.properties} for n in sorted(self.nodes.values(), key=lambda n: n.id)
            ],
            "relationships": [
                {"type": r.type, "start": r.start, "end": r.end, "properties": r.properties}
                for r in sorted(self.relationships.values(), key=lambda r: r.id)
            ],
        }

    @property
    def content_hash(self) -> str:
        """sha256 of the canonical form as compact JSON with sorted keys. orjson writes the same
        bytes as `json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))`
        (tests/test_validation.py checks it) in a tenth of the time."""
        with gc_paused():
            return hashlib.sha256(orjson.dumps(self.canonical(), option=orjson.OPT_SORT_KEYS)).hexdigest()

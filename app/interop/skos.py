"""Which relationships read as SKOS, and as which SKOS property.

Every relationship is exported with the ontology's own property (`itsm:PART_OF`, ...); where SKOS
says the same thing it is stated a second time in SKOS:

- PART_OF between two concepts: `skos:broader` (a part read as narrower than its whole, as the SKOS
  primer allows for partitive hierarchies). PART_OF a Framework: `skos:inScheme` (a Framework is a
  `skos:ConceptScheme`, never a concept), stated for every node of the framework (content.py).
- RELATED_TO: `skos:related`.
- MAPS_TO and ALIGNS_WITH (the crosswalk's mappings): by kind and basis. Kinds that say "the same
  thing" (same-role, same-concept, equivalent-skill, also-appears-as-...) give `skos:exactMatch`
  when a document states it and `skos:closeMatch` when it is our reading; similar-role,
  corresponds and the alignments of value chains give `skos:closeMatch`; sub-activity-of and
  example-of give `skos:broadMatch`; every other kind `skos:relatedMatch`.

SKOS's integrity conditions then drop a SKOS statement (never the relationship): S27 (`related`
is disjoint with `broaderTransitive`, `relatedMatch` being a kind of `related` and `broadMatch` of
`broader`) and S46 (`exactMatch` is disjoint with `broadMatch` and `relatedMatch`). Relationships
touching a Framework other than PART_OF get no SKOS statement.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib.namespace import SKOS
from rdflib.term import URIRef

from app.interop.content import FRAMEWORK_LABEL, PART_OF, relationship_id
from app.models import ExportDocument

SAME_KINDS = frozenset(
    {
        "same-role",
        "same-concept",
        "equivalent-skill",
        "also-appears-as-practice",
        "also-appears-as-value-chain-activity",
    }
)
CLOSE_KINDS = frozenset({"similar-role", "corresponds", "corresponds-to-internal-dev"})
BROAD_KINDS = frozenset({"sub-activity-of", "example-of"})
MAPPING_TYPES = frozenset({"MAPS_TO", "ALIGNS_WITH"})
HIERARCHICAL = (SKOS.broader, SKOS.broadMatch)
ASSOCIATIVE = (SKOS.related, SKOS.relatedMatch)


def mapping_predicate(rel_type: str, kind: str | None, basis: str | None) -> URIRef:
    """The SKOS mapping property of a MAPS_TO or ALIGNS_WITH (SSSOM's predicate_id too)."""
    if kind in SAME_KINDS:
        return SKOS.exactMatch if (basis or "stated") == "stated" else SKOS.closeMatch
    if kind in CLOSE_KINDS or (rel_type == "ALIGNS_WITH" and kind is None):
        return SKOS.closeMatch
    if kind in BROAD_KINDS:
        return SKOS.broadMatch
    return SKOS.relatedMatch


def _candidate(rel_type: str, kind: str | None, basis: str | None) -> URIRef | None:
    if rel_type == PART_OF:
        return SKOS.broader
    if rel_type == "RELATED_TO":
        return SKOS.related
    if rel_type in MAPPING_TYPES:
        return mapping_predicate(rel_type, kind, basis)
    return None


def skos_statements(document: ExportDocument) -> dict[str, URIRef]:
    """Relationship id -> the SKOS property that restates it, for the relationships that have one."""
    schemes = {n.id for n in document.nodes if FRAMEWORK_LABEL in n.labels}
    chosen: dict[str, tuple[str, str, URIRef]] = {}
    for rel in document.relationships:
        if rel.start in schemes or rel.end in schemes or rel.start == rel.end:
            continue
        predicate = _candidate(rel.type, rel.properties.get("kind"), rel.properties.get("basis"))
        if predicate is not None:
            chosen[relationship_id(rel)] = (rel.start, rel.end, predicate)

    # S46: a pair joined by exactMatch keeps no broadMatch or relatedMatch.
    exact = {frozenset((a, b)) for a, b, p in chosen.values() if p == SKOS.exactMatch}
    for rid, (a, b, p) in list(chosen.items()):
        if p in (SKOS.broadMatch, SKOS.relatedMatch) and frozenset((a, b)) in exact:
            del chosen[rid]
    # S27: no associative link between two concepts one of which is broader (transitively).
    hierarchy = nx.DiGraph([(a, b) for a, b, p in chosen.values() if p in HIERARCHICAL])
    ancestors: dict[str, set[str]] = defaultdict(set)
    for node in hierarchy.nodes:
        ancestors[node] = nx.descendants(hierarchy, node)
    for rid, (a, b, p) in list(chosen.items()):
        if p in ASSOCIATIVE and (b in ancestors.get(a, set()) or a in ancestors.get(b, set())):
            del chosen[rid]
    return {rid: p for rid, (_a, _b, p) in chosen.items()}

"""The crosswalk mappings as an SSSOM TSV, written (and read back) by sssom-pydantic.

Rows are the crosswalk: every relationship whose two ends share no framework (the rule of GET
/v1/crosswalk, content.py), as stated (start = subject, end = object).

- predicate_id: the SKOS mapping property (skos.py) for MAPS_TO and ALIGNS_WITH; the ontology's
  own property (`itsm:REQUIRES`, `itsm:RESPONSIBLE_FOR`, ...) for the other crosswalk links;
- mapping_justification from basis: `stated` (a document says it) is
  semapv:BackgroundKnowledgeBasedMatching (taken from an external resource, the document), and
  `inferred` (our reading) semapv:ManualMappingCuration, its rationale in `comment`;
- confidence: left empty. The graph has no measured confidence, and a number made up from the
  basis would look like one;
- subject_source / object_source: the framework of each end; `other`: relationship id, kind,
  level and the sources (document and line range) it rests on.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import curies
from sssom_pydantic import MappingSet
from sssom_pydantic.io import read_unprocessed, write_unprocessed
from sssom_pydantic.models import Record

from app.interop.base import ExportContext, chunks
from app.interop.content import crosswalk, node_frameworks, relationship_id
from app.interop.skos import MAPPING_TYPES, mapping_predicate
from app.models import ExportDocument

STATED = "semapv:BackgroundKnowledgeBasedMatching"
INFERRED = "semapv:ManualMappingCuration"


def _curie(prefix: str, local: str) -> str:
    return f"{prefix}:{local}"


def _predicate(rel_type: str, kind: str | None, basis: str | None) -> str:
    if rel_type in MAPPING_TYPES:
        return "skos:" + str(mapping_predicate(rel_type, kind, basis)).rsplit("#", 1)[1]
    return _curie("itsm", rel_type)


def _other(rel_id: str, properties: dict[str, Any]) -> str:
    parts = [f"relationship={rel_id}"]
    for name in ("kind", "level"):
        if name in properties:
            parts.append(f"{name}={properties[name]}")
    parts.append("sources=" + ",".join(properties.get("sources") or []))
    return ";".join(parts)


def converter(context: ExportContext) -> curies.Converter:
    ns = context.namespaces
    return curies.Converter.from_prefix_map(
        {
            "node": str(ns.node),
            "itsm": str(ns.vocab),
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "semapv": "https://w3id.org/semapv/vocab/",
        }
    )


def records(document: ExportDocument, context: ExportContext) -> list[Record]:
    nodes = {n.id: n for n in document.nodes}
    frameworks = node_frameworks(document, context.documents)
    rows = []
    for rel in crosswalk(document, context.documents):
        props = rel.properties
        basis = props.get("basis") or "stated"
        start, end = nodes[rel.start], nodes[rel.end]
        comment = "stated in the documents cited" if basis == "stated" else f"inferred: {props.get('rationale', '')}"
        rows.append(
            Record(
                subject_id=_curie("node", start.id),
                subject_label=start.properties.get("name"),
                subject_category=_curie("itsm", start.labels[0]),
                subject_source=_curie("node", sorted(frameworks[start.id])[0]),
                predicate_id=_predicate(rel.type, props.get("kind"), props.get("basis")),
                object_id=_curie("node", end.id),
                object_label=end.properties.get("name"),
                object_category=_curie("itsm", end.labels[0]),
                object_source=_curie("node", sorted(frameworks[end.id])[0]),
                mapping_justification=STATED if basis == "stated" else INFERRED,
                comment=comment.strip(),
                other=_other(relationship_id(rel), props),
            )
        )
    return sorted(rows, key=lambda r: (r.subject_id, r.predicate_id, r.object_id, r.other or ""))


def metadata(document: ExportDocument, context: ExportContext) -> MappingSet:
    release = document.release or {}
    loaded = str(release.get("loaded_at") or "")[:10]
    return MappingSet(
        id=context.namespaces.base + "sssom/crosswalk.sssom.tsv",
        title="itsm-ontology crosswalk: ITIL 4, Zero Outage and SFIA mappings",
        version=str(release.get("version")) if release.get("version") else None,
        publication_date=dt.date.fromisoformat(loaded) if loaded else None,
        description="Relationships between nodes of different frameworks; basis in mapping_justification, "
        "sources in `other`.",
    )


def to_tsv(document: ExportDocument, context: ExportContext) -> str:
    buffer = io.StringIO()
    write_unprocessed(
        records(document, context),
        buffer,
        metadata=metadata(document, context),
        converter=converter(context),
        condense=False,
    )
    return buffer.getvalue()


def serialize(document: ExportDocument, context: ExportContext) -> Iterator[bytes]:
    yield from chunks(to_tsv(document, context).encode("utf-8"))


def parse(text: str, context: ExportContext) -> list[Record]:
    return list(read_unprocessed(io.StringIO(text), converter=converter(context)).records)

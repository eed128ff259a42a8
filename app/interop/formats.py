"""The export formats: name, media type, file name, serialiser; and content negotiation.

A serialiser takes the document and an `ExportContext` and yields bytes, so a router can stream it.
`negotiate` picks the format: the `format` parameter when given, else the best match of the
`Accept` header (q-values honoured), else JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.errors import NotAcceptable
from app.interop import csvzip, graphml, jsonexport, jsonld, sssom, turtle
from app.interop.base import ExportContext
from app.models import ExportDocument

Serializer = Callable[[ExportDocument, ExportContext], Iterator[bytes]]


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    description: str
    serialize: Serializer


def _registry() -> dict[str, Format]:
    items = [
        Format(
            "json",
            "application/json",
            "json",
            "the service's own JSON (release, nodes, relationships)",
            jsonexport.serialize,
        ),
        Format(
            "jsonld", "application/ld+json", "jsonld", "RDF as JSON-LD (SKOS + the itsm vocabulary)", jsonld.serialize
        ),
        Format("turtle", "text/turtle", "ttl", "RDF as Turtle (SKOS + the itsm vocabulary)", turtle.serialize),
        Format(
            "graphml",
            "application/graphml+xml",
            "graphml",
            "GraphML (networkx), node and edge attributes",
            graphml.serialize,
        ),
        Format(
            "csv",
            "application/zip",
            "zip",
            "a zip of CSV files in neo4j-admin database import's header format",
            csvzip.serialize,
        ),
        Format(
            "sssom", "text/tab-separated-values", "sssom.tsv", "the crosswalk mappings as SSSOM TSV", sssom.serialize
        ),
    ]
    return {f.name: f for f in items}


FORMATS: dict[str, Format] = _registry()
FORMAT_NAMES = tuple(FORMATS)
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS.values()}
ALIASES = {"text/csv": "csv", "application/x-turtle": "turtle", "application/n-triples": None}


def _accepted(header: str) -> list[tuple[float, int, str]]:
    ranked = []
    for position, item in enumerate(header.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranked.append((-quality, position, media.lower()))
    return sorted(ranked)


def negotiate(format_name: str | None, accept: str | None) -> Format:
    if format_name is not None:
        return FORMATS[format_name]
    if not accept or not accept.strip():
        return FORMATS["json"]
    for negative_q, _pos, media in _accepted(accept):
        if negative_q >= 0:  # q=0: not acceptable
            continue
        if media in ("*/*", "application/*"):
            return FORMATS["json"]
        if media in BY_MEDIA_TYPE:
            return BY_MEDIA_TYPE[media]
        alias = ALIASES.get(media)
        if alias:
            return FORMATS[alias]
        if media == "text/*":
            return FORMATS["turtle"]
    offered = ", ".join(f.media_type for f in FORMATS.values())
    raise NotAcceptable(f"none of the media types in Accept is offered; offered: {offered}, or use ?format=")

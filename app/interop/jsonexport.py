"""The service's own JSON: `{release, nodes: [{id, labels, properties}], relationships: [{type,
start, end, properties}]}`, written one item at a time (the same bytes json.dumps would give the
whole document, without holding them all)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from app.interop.base import ExportContext
from app.models import ExportDocument


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def serialize(document: ExportDocument, context: ExportContext | None = None) -> Iterator[bytes]:
    yield b'{"release":' + _dumps(document.release) + b',"nodes":['
    for i, node in enumerate(document.nodes):
        yield (b"," if i else b"") + _dumps(node.model_dump(mode="json"))
    yield b'],"relationships":['
    for i, rel in enumerate(document.relationships):
        yield (b"," if i else b"") + _dumps(rel.model_dump(mode="json"))
    yield b"]}"


def parse(data: bytes) -> ExportDocument:
    return ExportDocument.model_validate_json(data)

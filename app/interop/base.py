"""What every serialiser takes: the export's context (schema, IRIs); and byte chunks for streaming."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from app.interop.vocabulary import Namespaces
from seed.schema import OntologySchema

CHUNK = 64 * 1024


@dataclass(frozen=True)
class ExportContext:
    schema: OntologySchema
    namespaces: Namespaces

    @property
    def documents(self) -> list[tuple[str, str]]:
        """(seed file, framework id) for every document that names its framework."""
        return [(d.file, d.framework) for d in self.schema.documents.values() if d.framework]


def chunks(data: bytes) -> Iterator[bytes]:
    for offset in range(0, len(data), CHUNK):
        yield data[offset : offset + CHUNK]

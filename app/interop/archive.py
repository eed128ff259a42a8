"""Release contents kept in the store, and the rule that gives each release its version.

Content: the canonical JSON export (jsonexport.py) of what the load wrote, gzip-compressed and
base64-encoded, on a `ReleaseContent` node beside the `Release` node (a long one in parts of
PART_CHARS, the rest on `ReleaseContentPart` nodes), written in the load's own transaction (so
a release never exists without its content, whichever store, and every API process sees it; a
file in one machine's data directory would be neither).

Version rule (`next_version`): the first release takes the curated `ontology_version` of
ontology/schema.yaml. A load whose content hash equals the previous release's (a forced reload)
keeps its version. A load that changes content takes the curated version when it is higher than the
previous release's (a curator's deliberate bump), else the previous version with its last number
raised by one (0.1.0 -> 0.1.1). So the version changes exactly when the content does, and never goes
down.
"""

from __future__ import annotations

import base64
import gzip
import re
from typing import Any

import orjson

from app.interop.jsonexport import parse, serialize
from app.models import ExportDocument
from seed.model import Ontology
from seed.reader import gc_paused

ENCODING = "gzip+base64"
# A packed content longer than this is kept in parts (the first on the ReleaseContent node, the
# rest on ReleaseContentPart nodes), so that no statement of a load carries more: the embedded
# store refuses a Bolt message over 16 MiB ("BOLT message too large"), which a million
# relationships' content exceeds.
PART_CHARS = 4_000_000
VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def pack(document: ExportDocument) -> str:
    return _compressed(b"".join(serialize(document)))


def _compressed(raw: bytes) -> str:
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def pack_ontology(ontology: Ontology, release: dict[str, Any]) -> str:
    """pack(from_ontology(ontology, release)), byte for byte, without building a model per entry:
    a load keeps its release's content this way (a million relationships' models and their dumps
    took about a quarter of the load's writes). orjson writes what json.dumps with
    ensure_ascii=False and compact separators writes (tests/test_releases.py checks the bytes)."""
    sort = orjson.OPT_SORT_KEYS
    with gc_paused():
        nodes = orjson.dumps(
            [{"id": n.id, "labels": [n.label], "properties": n.properties} for _, n in sorted(ontology.nodes.items())],
            option=sort,  # id, labels, properties: already in key order
        )
        dumps = orjson.dumps
        relationships = b",".join(
            b'{"type":%b,"start":%b,"end":%b,"properties":%b}'
            % (dumps(r.type), dumps(r.start), dumps(r.end), dumps(r.properties, option=sort))
            for _, r in sorted(ontology.relationships.items())
        )
        head = dumps(release, option=sort)
        raw = b'{"release":%b,"nodes":%b,"relationships":[%b]}' % (head, nodes, relationships)
    return _compressed(raw)


def split(data: str, size: int | None = None) -> list[str]:
    """The packed text in parts of at most `size` characters (at least one part)."""
    size = size or PART_CHARS
    return [data[i : i + size] for i in range(0, len(data), size)] or [""]


def unpack(data: str, encoding: str = ENCODING) -> ExportDocument:
    if encoding != ENCODING:
        raise ValueError(f"release content encoded as {encoding!r}, not {ENCODING!r}")
    return parse(gzip.decompress(base64.b64decode(data)))


def _parts(version: str | None) -> tuple[int, int, int] | None:
    match = VERSION.match(version or "")
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def next_version(curated: str, previous: dict[str, Any] | None, content_hash: str) -> str:
    """The version of a release with `content_hash`, after `previous` (the latest release, or None)."""
    if previous is None:
        return curated
    before = str(previous.get("version") or "")
    if previous.get("content_hash") == content_hash and before:
        return before
    prev, cur = _parts(before), _parts(curated)
    if prev is None or (cur is not None and cur > prev):
        return curated
    return f"{prev[0]}.{prev[1]}.{prev[2] + 1}"

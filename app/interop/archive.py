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

from app.interop.jsonexport import parse, serialize
from app.models import ExportDocument

ENCODING = "gzip+base64"
# A packed content longer than this is kept in parts (the first on the ReleaseContent node, the
# rest on ReleaseContentPart nodes), so that no statement of a load carries more: the embedded
# store refuses a Bolt message over 16 MiB ("BOLT message too large"), which a million
# relationships' content exceeds.
PART_CHARS = 4_000_000
VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def pack(document: ExportDocument) -> str:
    raw = b"".join(serialize(document))
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


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

"""What a no-op load recognises without validating again: the bytes it would read, and the code
that reads them.

Validating a million relationships takes over half a minute; a reload of files nobody touched
should take seconds. A load records the fingerprint of what it read in its release
(`files_fingerprint`): SHA-256 over the reading code (every `seed/` module and the load limits),
the curated folder's YAML files and every file under the organisations folder, each by its name,
size and bytes, read in 1 MiB pieces (bounded memory). The next load computes it first; when the
store's latest release carries the same fingerprint, and the store still holds as many nodes and
relationships as that release recorded, and its content is kept, the load is up to date with
nothing validated or written. Any changed byte, added or removed file, new code or other limit
gives another fingerprint and the full validation runs, as before.

`<data_dir>/last-load.json` remembers the fingerprint of the last load per store so that the
CLI can tell, before it starts a store, whether checking the store first is worth it: an edited
(possibly invalid) file is still validated before any store starts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from seed.limits import LoadLimits

CHUNK = 1024 * 1024
MARKER = "last-load.json"
CODE = Path(__file__).resolve().parent  # the seed package: reader, validator, importers


def _add(digest: Any, path: Path, name: str) -> None:
    digest.update(f"{name}\0{path.stat().st_size}\0".encode())
    with path.open("rb") as handle:
        while piece := handle.read(CHUNK):
            digest.update(piece)


def files_fingerprint(ontology_dir: Path, organisations_dir: Path, limits: LoadLimits | None = None) -> str:
    """The fingerprint of what a load of these folders would read, and of the code reading it."""
    digest = hashlib.sha256()
    digest.update(json.dumps(asdict(limits or LoadLimits()), sort_keys=True).encode())
    for path in sorted(CODE.rglob("*.py")):
        _add(digest, path, "code/" + path.relative_to(CODE).as_posix())
    for path in sorted(ontology_dir.glob("*.yaml")):
        _add(digest, path, "ontology/" + path.name)
    if organisations_dir.is_dir():
        for path in sorted(p for p in organisations_dir.rglob("*") if p.is_file()):
            _add(digest, path, "organisations/" + path.relative_to(organisations_dir).as_posix())
    return digest.hexdigest()


def _where(store: str, uri: str | None, database: str | None) -> dict[str, str | None]:
    return {"store": store, "uri": uri, "database": database}


def remembered(data_dir: Path, store: str, uri: str | None, database: str | None) -> str | None:
    """The fingerprint of the last load into this store from this data directory, if any."""
    try:
        marker = json.loads((data_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("where") != _where(store, uri, database):
        return None
    found = marker.get("fingerprint")
    return found if isinstance(found, str) else None


def remember(data_dir: Path, store: str, uri: str | None, database: str | None, fingerprint: str) -> None:
    """Note the fingerprint of a load that succeeded (best effort: a read-only folder keeps none)."""
    marker = {"where": _where(store, uri, database), "fingerprint": fingerprint}
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = data_dir / (MARKER + ".tmp")
        temporary.write_text(json.dumps(marker), encoding="utf-8")
        temporary.replace(data_dir / MARKER)
    except OSError:
        pass

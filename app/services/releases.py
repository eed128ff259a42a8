"""Release history: the releases recorded, their kept contents, what changed between two of them,
and the change feed a polling service reads (docs/interop.md).

A release is named by its id (`release:<loaded_at>`), its version (the latest release carrying
it) or `latest`. Contents are kept by the loader (seed/load.py, app/interop/archive.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.errors import Conflict, InvalidInput, NotFound
from app.graph.store import GraphStore
from app.interop import archive
from app.interop.content import from_ontology
from app.interop.diff import diff, summarize
from app.interop.models import Change, ChangeFeed, ReleaseDiff, ReleaseInfo, ReleaseList
from app.models import ExportDocument
from app.paging import Page
from app.services.export import export_graph
from seed.model import Ontology

LATEST = "latest"


class ContentNotKept(Conflict):
    title = "Release content not kept"


def _info(row: dict[str, Any]) -> ReleaseInfo:
    return ReleaseInfo(**{k: v for k, v in row["release"].items() if v is not None}, kept=bool(row["kept"]))


def list_releases(store: GraphStore, page: Page) -> ReleaseList:
    total = store.read_one("releases/count", after=None)
    rows = store.read("releases/list", skip=page.skip, limit=page.limit)
    return ReleaseList(**page.wrap([_info(row) for row in rows], int(total["total"]) if total else 0))


def _by_id(store: GraphStore, release_id: str) -> ReleaseInfo | None:
    row = store.read_one("releases/get", id=release_id)
    return _info(row) if row else None


def find_release(store: GraphStore, ref: str) -> ReleaseInfo | None:
    """The release `ref` names (id, version or `latest`), or None."""
    if ref == LATEST:
        latest = store.read_one("meta/latest_release")
        return _by_id(store, latest["release"]["id"]) if latest else None
    found = _by_id(store, ref)
    if found is None:
        row = store.read_one("releases/by_version", version=ref)
        found = _by_id(store, row["id"]) if row else None
    return found


def get_release(store: GraphStore, ref: str) -> ReleaseInfo:
    found = find_release(store, ref)
    if found is None:
        raise NotFound("release", ref)
    return found


def release_document(store: GraphStore, ref: str) -> ExportDocument:
    """The content a release left in the store, as the canonical export."""
    release = get_release(store, ref)
    row = store.read_one("releases/content", id=release.id)
    if row is None:
        raise ContentNotKept(
            f"the content of release {release.id} ({release.version}) was not kept: it was loaded before "
            "releases kept their content"
        )
    data, parts = row["data"], int(row.get("parts") or 1)
    if parts > 1:
        rest = store.read("releases/content_parts", id=release.id)
        if [r["part"] for r in rest] != list(range(1, parts)):
            raise ContentNotKept(f"the content of release {release.id} ({release.version}) is incomplete in the store")
        data = "".join([data, *(r["data"] for r in rest)])
    return archive.unpack(data, row["encoding"])


def diff_releases(store: GraphStore, a: str, b: str, page: Page) -> ReleaseDiff:
    """What changed from release `a` to release `b` (either may be the earlier one)."""
    before, after = get_release(store, a), get_release(store, b)
    changes = diff(release_document(store, before.id), release_document(store, after.id))
    return ReleaseDiff(from_release=before, to_release=after, summary=summarize(changes), **page.cut(changes))


def _moment(text: str) -> str:
    """An ISO 8601 time as the loader writes `loaded_at` (UTC, milliseconds, Z); naive means UTC."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    except (ValueError, OverflowError) as exc:  # OverflowError: year 1 or 9999 shifted out of range
        raise InvalidInput(
            f"since={text!r} is neither a release (id, version or 'latest') nor an ISO 8601 time"
        ) from exc


def changes_since(store: GraphStore, since: str, page: Page) -> ChangeFeed:
    """Everything that changed after release `since`, or after the release current at time `since`
    (from the empty graph when no release was loaded then), up to the graph as it is now."""
    start = find_release(store, since)
    if start is None:
        row = store.read_one("releases/at", at=_moment(since))
        start = _by_id(store, row["id"]) if row else None
    latest = find_release(store, LATEST)
    before = release_document(store, start.id) if start else ExportDocument(release=None, nodes=[], relationships=[])
    now = release_document(store, latest.id) if latest and latest.kept else export_graph(store)
    counted = store.read_one("releases/count", after=start.loaded_at if start else "")
    changes = diff(before, now)
    return ChangeFeed(
        since=start,
        to_release=latest,
        releases=int(counted["after"]) if counted else 0,
        summary=summarize(changes),
        **page.cut(changes),
    )


def pending_changes(store: GraphStore, ontology: Ontology) -> list[Change]:
    """What loading `ontology` would change in the store (load --dry-run)."""
    return diff(export_graph(store), from_ontology(ontology))

"""The release currently loaded, cached so every response can name it without waiting on the store.

Readers (the release header on every answer, cursors, /ready) get the cached value at once. A
value older than `ttl_s` is refreshed on a background thread (one at a time), so a load made by
another process (`itsm-ontology load` beside `serve`) shows within seconds, and a store that is
down, restarting or hung delays no answer: the last value known is served meanwhile. The
supervisor refreshes it after a restart.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from app.graph.store import GraphStore, StoreUnavailable
from seed.schema import OntologySchema

log = logging.getLogger("itsm_ontology.store")


class ReleaseCache:
    def __init__(self, store: GraphStore, ttl_s: float = 5.0):
        self.store = store
        self.ttl_s = ttl_s
        self._value: dict[str, Any] | None = None
        self._fetched = float("-inf")
        self._error: str | None = None  # why the last refresh failed, if it did
        self._lock = threading.Lock()  # guards the fields below; never held while the store works
        self._running: threading.Event | None = None

    def get(self, *, fresh: bool = False) -> dict[str, Any] | None:
        """The latest release known; with `fresh`, read from the store now (raises StoreUnavailable)."""
        if fresh:
            value = self._read()
            with self._lock:
                self._value, self._fetched, self._error = value, time.monotonic(), None
            return value
        self._refresh_if_stale()
        return self._value

    def tag(self) -> str | None:
        release = self.get()
        return f"{release['version']}+{str(release['content_hash'])[:12]}" if release else None

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def age_s(self) -> float:
        return time.monotonic() - self._fetched

    def refresh(self, wait_s: float | None = None) -> bool:
        """Start a refresh (unless one runs) and wait up to `wait_s` for it; whether it finished."""
        with self._lock:
            running = self._running
            if running is None:
                running = self._running = threading.Event()
                threading.Thread(target=self._refresh, args=(running,), name="release-refresh", daemon=True).start()
        return running.wait(wait_s) if wait_s else running.is_set()

    def _refresh_if_stale(self) -> None:
        if time.monotonic() - self._fetched > self.ttl_s and self._running is None:
            self.refresh()

    def _refresh(self, done: threading.Event) -> None:
        try:
            value = self._read()
        except Exception as exc:  # kept: the last value known stays served
            with self._lock:
                self._error = str(exc) or type(exc).__name__
                self._fetched = time.monotonic() - self.ttl_s / 2  # try again soon, not on every request
            if not isinstance(exc, StoreUnavailable):
                log.warning("release lookup failed: %s", self._error)
        else:
            with self._lock:
                self._value, self._fetched, self._error = value, time.monotonic(), None
        finally:
            with self._lock:
                self._running = None
            done.set()

    def _read(self) -> dict[str, Any] | None:
        row = self.store.read_one("meta/latest_release")
        return row["release"] if row else None


_schemas: dict[tuple[int, str], OntologySchema] = {}
_schemas_lock = threading.Lock()


def release_schema(schema: OntologySchema, release: dict[str, Any] | None) -> OntologySchema:
    """`schema` with the source documents the release recorded (`documents`, JSON, written by the
    loader), so that `source=` and the documents listed follow what is loaded rather than the
    folder the service started from. A release without them (loaded by an older version), or
    one whose record cannot be read, leaves `schema` as it is. Built once per release."""
    recorded = release.get("documents") if release else None
    if not isinstance(recorded, str):
        return schema
    key = (id(schema), recorded)
    with _schemas_lock:
        found = _schemas.get(key)
    if found is not None:
        return found
    try:
        documents = json.loads(recorded)
        merged = OntologySchema.model_validate({**schema.model_dump(), "documents": documents})
    except (ValueError, TypeError) as exc:
        log.warning("the release's document list cannot be read (%s); using the schema's own", exc)
        merged = schema
    with _schemas_lock:
        if len(_schemas) > 16:
            _schemas.clear()
        _schemas[key] = merged
    return merged

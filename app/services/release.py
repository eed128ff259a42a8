"""The release currently loaded, cached briefly so every response can name it cheaply."""

from __future__ import annotations

import threading
import time
from typing import Any

from app.graph.store import GraphStore, StoreUnavailable


class ReleaseCache:
    def __init__(self, store: GraphStore, ttl_s: float = 5.0):
        self.store = store
        self.ttl_s = ttl_s
        self._value: dict[str, Any] | None = None
        self._fetched = 0.0
        self._lock = threading.Lock()

    def get(self, *, fresh: bool = False) -> dict[str, Any] | None:
        """The latest release; raises StoreUnavailable only when `fresh` is asked for."""
        with self._lock:
            if fresh or time.monotonic() - self._fetched > self.ttl_s:
                try:
                    row = self.store.read_one("meta/latest_release")
                    self._value = row["release"] if row else None
                    self._fetched = time.monotonic()
                except StoreUnavailable:
                    if fresh:
                        raise
            return self._value

    def tag(self) -> str | None:
        release = self.get()
        return f"{release['version']}+{str(release['content_hash'])[:12]}" if release else None

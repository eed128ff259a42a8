"""The organisation sources the loaded release holds, read from the store once per release.

`source=` filters learn about a source from the release itself: the loader records the release's
documents, an organisation source among them (seed/importers/assemble.py), and the service reads
its schema's documents from the release (app/services/release.py, release_schema), so a source
that `itsm-ontology import` loads beside a running server is accepted as soon as the server sees
the new release, without a restart. This module lists the sources with what they hold (the
Organisation nodes), for /v1/overlay/sources and for telling an unknown source (404).
"""

from __future__ import annotations

import threading

from app.graph.store import GraphStore
from app.overlay.models import OrganisationSource


def read_sources(store: GraphStore) -> list[OrganisationSource]:
    return [
        OrganisationSource(
            id=row["id"],
            name=row["id"].split(":", 1)[1],
            title=row["title"],
            description=row["description"],
            files=list(row["files"] or []),
            rows=row["rows"] or 0,
            roles=row["roles"],
        )
        for row in store.read("overlay/sources")
    ]


class SourceCatalogue:
    """The release's organisation sources, cached per release tag."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[str | None, list[OrganisationSource]] | None = None

    def sources(self, store: GraphStore, release: str | None) -> list[OrganisationSource]:
        with self._lock:
            cached = self._cached
        if cached is not None and cached[0] == release:
            return cached[1]
        found = read_sources(store)
        with self._lock:
            self._cached = (release, found)
        return found

"""Pages of a list and the opaque cursors between them, the same for every list the API returns.

A cursor carries the offset of the next page and the release it was issued under, signed
(itsdangerous, HMAC-SHA1 over the payload with the server's cursor key), so a client paging across
a reload is told to start again (409) instead of silently skipping or repeating items, and a cursor
the server did not issue (edited, forged, from another server's key) is a 422, never a query with
an offset nobody checked. Offsets are bounded (`MAX_OFFSET`) even in signed cursors.

Services take a `Page` and return `page.wrap(items, total)` (the store cut the page) or
`page.cut(everything)` (the service computed the whole list) inside their typed model.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, TypeVar

from itsdangerous import BadData, URLSafeSerializer

from app.errors import Conflict, InvalidInput

T = TypeVar("T")
MAX_OFFSET = 10_000_000  # far past any list the ontology has; a larger offset is refused
MAX_CURSOR_CHARS = 256  # a cursor this API issues is under 100 characters
SALT = "itsm-ontology.page-cursor"


class StaleCursor(Conflict):
    title = "Stale cursor"


class Cursors:
    """Issues and reads signed cursors. `secret`: ITSM_CURSOR_SECRET, shared by every worker that
    serves the same clients; without one, a random key per process (cursors then last as long as
    the process, and a restarted server asks clients to start again)."""

    def __init__(self, secret: str | bytes | None = None):
        self._serializer = URLSafeSerializer(secret or secrets.token_bytes(32), salt=SALT)

    def issue(self, offset: int, release: str | None) -> str:
        return str(self._serializer.dumps({"o": offset, "r": release}))

    def read(self, cursor: str) -> tuple[int, str | None]:
        """(offset, release issued under), or InvalidInput for anything this server did not issue."""
        if len(cursor) > MAX_CURSOR_CHARS:
            raise InvalidInput(f"cursor is longer than {MAX_CURSOR_CHARS} characters; it is not one this API issued")
        try:
            data = self._serializer.loads(cursor)
        except (BadData, UnicodeError, ValueError) as exc:
            raise InvalidInput(
                "cursor is not one this API issued (or the server restarted since); start from the first page"
            ) from exc
        offset = data.get("o") if isinstance(data, dict) else None
        release = data.get("r") if isinstance(data, dict) else None
        if type(offset) is not int or not 0 <= offset <= MAX_OFFSET or not isinstance(release, str | None):
            raise InvalidInput("cursor is not one this API issued")
        return offset, release


_DEFAULT_CURSORS = Cursors()


@dataclass(frozen=True)
class Page:
    skip: int
    limit: int
    release: str | None
    cursors: Cursors = field(default=_DEFAULT_CURSORS, repr=False, compare=False)

    def next_cursor(self, total: int) -> str | None:
        if self.skip + self.limit >= total:
            return None
        return self.cursors.issue(self.skip + self.limit, self.release)

    def wrap(self, items: list[T], total: int) -> dict[str, Any]:
        """The envelope for a page the store already cut (`items`) out of `total` matches."""
        return {"items": items, "total": total, "next": self.next_cursor(total)}

    def cut(self, everything: list[T]) -> dict[str, Any]:
        """The envelope for this page of a list computed in full by the service."""
        return self.wrap(everything[self.skip : self.skip + self.limit], len(everything))


def make_page(
    limit: int | None,
    cursor: str | None,
    current_release: str | None,
    *,
    default: int,
    maximum: int,
    cursors: Cursors = _DEFAULT_CURSORS,
) -> Page:
    size = min(limit or default, maximum)
    skip = 0
    if cursor:
        skip, issued_under = cursors.read(cursor)
        if issued_under != current_release:
            raise StaleCursor("the ontology was reloaded after this cursor was issued; start again")
    return Page(skip, size, current_release, cursors)

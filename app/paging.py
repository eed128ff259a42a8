"""Pages of a list and the opaque cursors between them, the same for every list the API returns.

A cursor encodes the offset of the next page and the release it was issued under, so a client
paging across a reload is told to start again (409) instead of silently skipping or repeating
items. Services take a `Page` and return `page.wrap(items, total)` (the store cut the page) or
`page.cut(everything)` (the service computed the whole list) inside their typed model.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, TypeVar

from app.errors import Conflict, InvalidInput

T = TypeVar("T")


class StaleCursor(Conflict):
    title = "Stale cursor"


@dataclass(frozen=True)
class Page:
    skip: int
    limit: int
    release: str | None

    def next_cursor(self, total: int) -> str | None:
        if self.skip + self.limit >= total:
            return None
        raw = json.dumps({"o": self.skip + self.limit, "r": self.release}).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def wrap(self, items: list[T], total: int) -> dict[str, Any]:
        """The envelope for a page the store already cut (`items`) out of `total` matches."""
        return {"items": items, "total": total, "next": self.next_cursor(total)}

    def cut(self, everything: list[T]) -> dict[str, Any]:
        """The envelope for this page of a list computed in full by the service."""
        return self.wrap(everything[self.skip : self.skip + self.limit], len(everything))


def decode_cursor(cursor: str) -> tuple[int, str | None]:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = int(data["o"])
        if offset < 0:
            raise ValueError
        return offset, data.get("r")
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise InvalidInput("cursor is not one this API issued") from exc


def make_page(
    limit: int | None, cursor: str | None, current_release: str | None, *, default: int, maximum: int
) -> Page:
    size = min(limit or default, maximum)
    skip = 0
    if cursor:
        skip, issued_under = decode_cursor(cursor)
        if issued_under != current_release:
            raise StaleCursor("the ontology was reloaded after this cursor was issued; start again")
    return Page(skip, size, current_release)

"""The query parameters of every paginated list (`limit`, `cursor`); the pages themselves are
`app/paging.py`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from app.paging import MAX_CURSOR_CHARS


async def page_params(
    limit: Annotated[int | None, Query(ge=1, description="Items per page (capped by the server's maximum).")] = None,
    cursor: Annotated[
        str | None, Query(max_length=MAX_CURSOR_CHARS, description="The `next` value of the previous page (signed).")
    ] = None,
) -> tuple[int | None, str | None]:
    return limit, cursor


PageParams = Annotated[tuple[int | None, str | None], Depends(page_params)]

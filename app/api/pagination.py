"""The query parameters of every paginated list (`limit`, `cursor`); the pages themselves are
`app/paging.py`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query


def page_params(
    limit: Annotated[int | None, Query(ge=1, description="Items per page (capped by the server's maximum).")] = None,
    cursor: Annotated[str | None, Query(description="The `next` value of the previous page.")] = None,
) -> tuple[int | None, str | None]:
    return limit, cursor


PageParams = Annotated[tuple[int | None, str | None], Depends(page_params)]

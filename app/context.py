"""What belongs to the request being answered, readable from any layer without passing it down:
its id (the `X-Request-ID` answered, for log and audit lines) and the time it spent waiting on
the store (the `store` entry of `Server-Timing` and the store-time metric).

The request's middleware (app/api/observe.py) sets both; context variables follow the request
into the thread pool that runs endpoints, and every store call adds its duration to the timer.
Outside a request (the supervisor, the release cache, the CLI) there is no id and nothing is timed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token


class StoreTimer:
    def __init__(self) -> None:
        self.calls = 0
        self.seconds = 0.0
        self._lock = threading.Lock()

    def add(self, seconds: float) -> None:
        with self._lock:
            self.calls += 1
            self.seconds += seconds


_request_id: ContextVar[str | None] = ContextVar("itsm_request_id", default=None)
_timer: ContextVar[StoreTimer | None] = ContextVar("itsm_store_timer", default=None)


class RequestContext:
    """Opened by the middleware for one request, closed when it has been answered."""

    def __init__(self, rid: str):
        self.request_id = rid
        self.timer = StoreTimer()
        self._tokens: tuple[Token[str | None], Token[StoreTimer | None]] | None = None

    def __enter__(self) -> RequestContext:
        self._tokens = (_request_id.set(self.request_id), _timer.set(self.timer))
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._tokens is not None
        rid_token, timer_token = self._tokens
        _timer.reset(timer_token)
        _request_id.reset(rid_token)


def request_id() -> str | None:
    """The id of the request being answered, if any."""
    return _request_id.get()


def add_store_time(seconds: float) -> None:
    timer = _timer.get()
    if timer is not None:
        timer.add(seconds)


@contextmanager
def store_time() -> Iterator[None]:
    """Count the block as store time of the current request (if there is one)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        add_store_time(time.perf_counter() - started)

"""One function over many inputs in forked worker processes, the results in order.

The loader's work per file (parse, then validate) is Python, one core's work each; with several
cores a large ontology's files are checked side by side while the caller merges the ones done.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Workers are forked (no interpreter start, no import of the caller's main module, and the
    caller's state, e.g. built validators, comes along), and only from a process running no other
    thread: a fork copies no thread, so a lock another one held would stay held in the child."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def ordered_map(fn: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    """fn(item) for each item, in order. With `workers` > 0 (and can_fork()), in up to that many
    forked processes, at most `workers` + 1 items ahead of the caller, so memory holds a few
    results, not all of them; otherwise in this process. `fn` must be a module-level function,
    its argument and result picklable; an exception it raises is raised here."""
    if workers <= 0 or len(items) < 2 or not can_fork():
        for item in items:
            yield fn(item)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pending: deque[Future[R]] = deque()
        queue = iter(items)
        pending.extend(pool.submit(fn, item) for item in itertools.islice(queue, workers + 1))
        while pending:
            result = pending.popleft().result()
            following = next(queue, _END)
            if following is not _END:
                pending.append(pool.submit(fn, following))  # type: ignore[arg-type]
            yield result


_END = object()

"""Guard rails every MCP tool call and resource read passes through.

- **Size**: an answer reaches the model as JSON of at most `max_rows` items in any one list and
  `max_bytes` bytes in all. Longer lists are cut to `max_rows`; an answer still too large has its
  largest list halved (then its longest text shortened) until it fits. A cut answer carries a
  `truncation` member (each list cut: where, kept, of how many, why) and a first text block
  starting with TRUNCATED_MARKER that says so and how to narrow the question.
- **Time**: the work runs on a worker thread and the caller stops waiting at `timeout_s` (the
  store's own time limits, which every store call has, end the work itself).
- **Audit**: one JSON line per call on the `itsm_ontology.audit` logger, the stream ad-hoc Cypher
  writes to: the tool, the caller, the outcome, the time taken, whether the answer was cut. The
  arguments are named and hashed, never logged.

Read-only enforcement is not here but in what the tools can reach: fixed, gate-checked read
queries (app/mcp/server.py checks them at start) and the ad-hoc runner's three layers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from app.errors import QueryTimeout, ServiceError, StoreUnavailable
from app.settings import Settings

audit_log = logging.getLogger("itsm_ontology.audit")
TRUNCATED_MARKER = "[truncated]"
MIN_TEXT = 200  # a text is never shortened below this many characters
T = TypeVar("T")


@dataclass(frozen=True)
class GuardLimits:
    max_rows: int = 100
    max_bytes: int = 50_000
    timeout_s: float = 20.0

    @classmethod
    def from_settings(cls, settings: Settings) -> GuardLimits:
        return cls(max_rows=settings.mcp_max_rows, max_bytes=settings.mcp_max_bytes, timeout_s=settings.mcp_timeout_s)


@dataclass(frozen=True)
class Cut:
    """One list (or text) shortened: where in the answer, how much was kept of how much."""

    path: str
    kept: int
    of: int | None  # None: more than `kept` (the store stopped reading at its row limit)
    by: str  # "rows", "bytes", or "store" (the row limit of a Cypher query)

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path or "(answer)", "kept": self.kept, "of": self.of, "by": self.by}

    def describe(self) -> str:
        return f"{self.path or 'answer'}: {self.kept} of {self.of if self.of is not None else 'more'}"


@dataclass
class Capped:
    payload: Any
    cuts: list[Cut] = field(default_factory=list)
    size: int = 0

    @property
    def truncated(self) -> bool:
        return bool(self.cuts)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _size(value: Any) -> int:
    return len(dumps(value).encode("utf-8"))


def _cut_rows(value: Any, path: str, max_rows: int, cuts: list[Cut]) -> Any:
    if isinstance(value, list):
        if len(value) > max_rows:
            cuts.append(Cut(path, max_rows, len(value), "rows"))
            value = value[:max_rows]
        return [_cut_rows(item, f"{path}[{i}]", max_rows, cuts) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {k: _cut_rows(v, f"{path}.{k}" if path else k, max_rows, cuts) for k, v in value.items()}
    return value


def _largest(value: Any, path: str = "") -> tuple[int, str, Any, Any] | None:
    """The largest list of two or more items, or else the longest text over MIN_TEXT characters,
    anywhere in `value`: (size, path, container, key) so that container[key] is it."""
    best: tuple[int, str, Any, Any] | None = None
    children: list[tuple[Any, Any, str]] = []
    if isinstance(value, dict):
        children = [(k, v, f"{path}.{k}" if path else str(k)) for k, v in value.items()]
    elif isinstance(value, list):
        children = [(i, v, f"{path}[{i}]") for i, v in enumerate(value)]
    for key, child, child_path in children:
        if isinstance(child, list | dict):
            found = _largest(child, child_path)
            if isinstance(child, list) and len(child) > 1:
                own = (_size(child) + (1 << 40), child_path, value, key)  # lists are cut before texts
                found = own if found is None or own[0] > found[0] else found
        elif isinstance(child, str) and len(child) > MIN_TEXT:
            found = (len(child.encode("utf-8")), child_path, value, key)
        else:
            found = None
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    return best


def cap(payload: Any, limits: GuardLimits, *, reserve: int = 600) -> Capped:
    """The answer cut to the limits (`reserve`: bytes kept free for the truncation note)."""
    cuts: list[Cut] = []
    capped = _cut_rows(payload, "", limits.max_rows, cuts)
    budget = max(limits.max_bytes - reserve, 256)
    size = _size(capped)
    while size > budget:
        found = _largest(capped)
        if found is None:
            break  # nothing left to cut: scalars only (never larger than a few hundred bytes)
        _, path, container, key = found
        item = container[key]
        if isinstance(item, list):
            kept = len(item) // 2
            cuts.append(Cut(path, kept, _original_length(cuts, path, len(item)), "bytes"))
            container[key] = item[:kept]
        else:
            kept = max(MIN_TEXT, len(item) // 2)
            cuts.append(Cut(path, kept, _original_length(cuts, path, len(item)), "bytes"))
            container[key] = item[:kept] + "…"
        size = _size(capped)
    return Capped(capped, _merged(cuts), size)


def _original_length(cuts: list[Cut], path: str, current: int) -> int:
    earlier = [c.of for c in cuts if c.path == path and c.of is not None]
    return earlier[0] if earlier else current


def _merged(cuts: list[Cut]) -> list[Cut]:
    """One entry per path: the final length kept, the original length, the last reason."""
    by_path: dict[str, Cut] = {}
    for c in cuts:
        first = by_path.get(c.path)
        by_path[c.path] = Cut(c.path, c.kept, first.of if first else c.of, first.by if first else c.by)
    return list(by_path.values())


def truncation_note(cuts: list[Cut], limits: GuardLimits, narrow: str) -> str:
    shown = "; ".join(c.describe() for c in cuts[:5])
    more = f" (and {len(cuts) - 5} more lists)" if len(cuts) > 5 else ""
    reasons = sorted({c.by for c in cuts})
    why = {
        "rows": f"at most {limits.max_rows} items per list",
        "bytes": f"at most {limits.max_bytes} bytes per answer",
        "store": "the row limit of the query",  # `limit`, at most ITSM_MCP_MAX_ROWS
    }
    return (
        f"{TRUNCATED_MARKER} This answer was cut ({', '.join(why[r] for r in reasons)}): {shown}{more}. "
        f"To see the rest, narrow the question: {narrow}"
    )


# --- the call: time limit, errors, audit --------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """How a call ended, for the audit line."""

    outcome: str
    detail: str | None = None


class ToolFailure(Exception):
    """A call that failed in a way the caller can read and act on (returned as an error result)."""

    def __init__(self, message: str, outcome: str):
        super().__init__(message)
        self.message = message
        self.outcome = outcome


def describe(exc: ServiceError) -> str:
    """A ServiceError as one line for a model: title, detail and the useful members."""
    if type(exc) is StoreUnavailable:  # the driver's words name hosts and ports
        return f"{exc.title}: the graph store cannot be reached; retry shortly"
    extra = ", ".join(f"{k} {v}" for k, v in exc.extra.items() if k in ("layer", "offset", "line", "limit_s"))
    return f"{exc.title}: {exc.detail}" + (f" ({extra})" if extra else "")


async def run_bounded(work: Callable[[], T], limits: GuardLimits) -> T:
    """`work` on a worker thread; ToolFailure past the time limit or when it raises a ServiceError."""
    try:
        with anyio.fail_after(limits.timeout_s):
            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
    except TimeoutError as exc:
        raise ToolFailure(
            f"Timed out: no answer within the {limits.timeout_s:g}s limit of one call; ask a narrower question "
            "(fewer hops, a smaller depth, a filter) or retry later",
            "timeout",
        ) from exc
    except QueryTimeout as exc:
        raise ToolFailure(describe(exc) + "; ask a narrower question", exc.outcome) from exc
    except ServiceError as exc:
        raise ToolFailure(describe(exc), exc.outcome) from exc


def arguments_digest(arguments: dict[str, Any]) -> str:
    return hashlib.sha256(dumps(arguments).encode("utf-8")).hexdigest()


@dataclass
class AuditLine:
    """The audit line of one call, written once it has ended."""

    kind: str  # "tool" or "resource"
    name: str
    who: str
    transport: str
    arguments: dict[str, Any] | None = None
    started: float = field(default_factory=time.monotonic)

    def write(
        self, outcome: str, *, truncated: bool | None = None, size: int | None = None, detail: str | None = None
    ) -> None:
        line: dict[str, Any] = {
            "ts": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "event": f"mcp-{self.kind}",
            self.kind: self.name,
            "who": self.who,
            "transport": self.transport,
            "arguments": sorted(self.arguments) if self.arguments else None,
            "arguments_sha256": arguments_digest(self.arguments) if self.arguments else None,
            "outcome": outcome,
            "refused": outcome == "refused" or None,
            "truncated": truncated,
            "bytes": size,
            "detail": detail,
            "elapsed_ms": round((time.monotonic() - self.started) * 1000, 1),
        }
        audit_log.info(dumps({k: v for k, v in line.items() if v is not None}))

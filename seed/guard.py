"""What keeps a load from failing half-way for reasons of the machine, and names them when it does.

- One load at a time per data directory: `exclusive_load` holds `<data>/load.lock` (an advisory
  `flock`) for the whole store part of a load; a second load fails at once with `in-use` and the
  holder's pid, instead of racing the first for the embedded database (or its start).
- Room before writing: `check_space` refuses a load whose planned writes would not fit in the free
  space of the embedded store's data directory (ArcadeDB acknowledges a commit once its log is
  written and flushes pages later, so a full disk would otherwise show only in its log).
- A failure while writing is named from the evidence (`explain`): the error's own words, what the
  embedded store logged meanwhile, the space left. Each kind has its own exit status (EXIT_CODES).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from app.graph.faults import LOW_SPACE_BYTES, FaultKind, StoreFault, describe, fault_in_text, free_bytes, from_os_error

# Exit statuses of `itsm-ontology load`, one per kind of fault (1: invalid ontology, 2: configuration,
# 3: store unavailable or failed for another reason).
EXIT_CODES: dict[FaultKind, int] = {"disk-full": 7, "read-only": 8, "in-use": 9}
LOCK_FILE = "load.lock"
# What one planned write takes on the embedded store's disk (its log plus pages and indexes),
# measured with generated ontologies (about 0.4 KB per entry), with room to spare.
BYTES_PER_WRITE = 2048


def _fault(exc: OSError, where: Path) -> StoreFault:
    return from_os_error(exc, where) or StoreFault("read-only", describe("read-only", where, exc.strerror or ""))


@contextlib.contextmanager
def exclusive_load(data_dir: Path) -> Iterator[None]:
    """Hold the data directory's load lock while the block runs; StoreFault('in-use') when another
    load holds it, a read-only or full-disk StoreFault when the lock cannot even be written."""
    where = data_dir.resolve()
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd = os.open(where / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _fault(exc, where) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                raise _fault(exc, where) from exc
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise StoreFault(
                "in-use", describe("in-use", where, f"another load, pid {holder}, holds {LOCK_FILE}")
            ) from None
        with contextlib.suppress(OSError):  # who holds it, for the loser's message
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def store_root(data_dir: Path) -> Path:
    return data_dir.resolve() / "arcadedb"


def check_space(data_dir: Path, writes: int) -> None:
    """StoreFault('disk-full') when `writes` planned writes would not fit on the embedded store's disk."""
    root = store_root(data_dir)
    free = free_bytes(root)
    needed = LOW_SPACE_BYTES + writes * BYTES_PER_WRITE
    if free is not None and free < needed:
        raise StoreFault(
            "disk-full",
            describe("disk-full", root, f"the load plans {writes} writes, which need about {needed / 1e6:.0f} MB"),
        )


class LogWatch:
    """What the embedded store's log gains from now on (bounded)."""

    def __init__(self, data_dir: Path):
        self.path = store_root(data_dir) / "server.log"
        try:
            self.offset = self.path.stat().st_size
        except OSError:
            self.offset = 0

    def since(self, limit: int = 1_000_000) -> str:
        try:
            with self.path.open("rb") as fh:
                fh.seek(self.offset)
                return fh.read(limit).decode("utf-8", errors="replace")
        except OSError:
            return ""


def explain(exc: BaseException, data_dir: Path, watch: LogWatch | None) -> StoreFault | None:
    """The machine fault behind a failed load, if the evidence names one."""
    if isinstance(exc, StoreFault):
        return exc
    root = store_root(data_dir) if watch is not None else data_dir.resolve()
    for cause in (exc, exc.__cause__, exc.__context__):
        if isinstance(cause, OSError) and (fault := from_os_error(cause, root)) is not None:
            return fault
    texts = [str(exc), str(exc.__cause__ or "")]
    if watch is not None:
        texts.append(watch.since())
    for text in texts:
        found = fault_in_text(text)
        if found is not None:
            kind, words = found
            return StoreFault(kind, describe(kind, root, f"the store said {words!r}"))
    free = free_bytes(root)
    if watch is not None and free is not None and free < LOW_SPACE_BYTES:
        return StoreFault("disk-full", describe("disk-full", root, "a write failed with the disk nearly full"))
    return None


def disk_full_logged(watch: LogWatch) -> StoreFault | None:
    """After a commit: a full disk the embedded store logged while writing its pages."""
    found = fault_in_text(watch.since())
    if found is None or found[0] != "disk-full":
        return None
    root = store_root(watch.path.parent.parent)
    return StoreFault(
        "disk-full",
        describe(
            "disk-full", root, f"the store logged {found[1]!r} while writing this load; it is kept in the store's log"
        ),
    )

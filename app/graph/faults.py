"""Faults of the machine under a store, named so a command can say why in one line.

A full disk, a read-only data directory and a database another process holds look alike from the
driver ("transaction error on commit", a child that never says READY). This module turns the
evidence (an OSError's errno, a line of the store's log, a driver message, the free space left)
into one `StoreFault` with a kind; `itsm-ontology` gives each kind its own exit status.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import Literal

FaultKind = Literal["disk-full", "read-only", "in-use"]
# Below this much free space a failed write is taken for a full disk.
LOW_SPACE_BYTES = 8 * 1024 * 1024

_PATTERNS: tuple[tuple[FaultKind, re.Pattern[str]], ...] = (
    ("disk-full", re.compile(r"No space left on device|disk (is )?full|ENOSPC|DiskFull", re.IGNORECASE)),
    ("read-only", re.compile(r"Read-only file system|EROFS|AccessDeniedException|Permission denied", re.IGNORECASE)),
    (
        "in-use",
        re.compile(
            r"is locked by another process|LockException|Database '[^']*' already exists|"
            r"DatabaseIsLockedException|store is locked|already in use",
            re.IGNORECASE,
        ),
    ),
)


class StoreFault(Exception):
    """The store cannot do its work because of the machine or another process, not the data."""

    def __init__(self, kind: FaultKind, message: str):
        super().__init__(message)
        self.kind: FaultKind = kind
        self.message = message


def fault_in_text(text: str) -> tuple[FaultKind, str] | None:
    """The fault a log line or driver message names, with the words that name it (first match wins)."""
    for kind, pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return kind, match.group(0)
    return None


def kind_of_os_error(exc: OSError) -> FaultKind | None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk-full"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "read-only"
    return None


def free_bytes(path: Path) -> int | None:
    """Free space (for an unprivileged writer) on the file system holding `path` or its nearest parent."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        stat = os.statvfs(probe)
    except OSError:
        return None
    return stat.f_bavail * stat.f_frsize


def describe(kind: FaultKind, where: Path, detail: str = "") -> str:
    """The one line a command prints for a fault at `where`."""
    extra = f" ({detail})" if detail else ""
    if kind == "disk-full":
        free = free_bytes(where)
        shown = f"{free / 1e6:.1f} MB free" if free is not None else "no space"
        return f"disk full: the file system of {where} has {shown}{extra}; free some space and retry"
    if kind == "read-only":
        return f"read-only: cannot write in {where}{extra}; make it writable or set ITSM_DATA_DIR"
    return f"in use: {where} is held by another process{extra}; wait for it to finish, or stop it"


def from_os_error(exc: OSError, where: Path) -> StoreFault | None:
    kind = kind_of_os_error(exc)
    if kind is None:
        return None
    return StoreFault(kind, describe(kind, where, exc.strerror or ""))

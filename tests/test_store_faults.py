"""Faults of the machine under a store (full disk, read-only directory, a database another process
holds) are named from the evidence: an errno, a log line, a driver message."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from app.graph.faults import describe, fault_in_text, from_os_error


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("java.io.IOException: No space left on device", "disk-full"),
        ("java.nio.file.FileSystemException: /data/x: Read-only file system", "read-only"),
        ("com.arcadedb.utility.LockException: Database 'itsm' is locked by another process (path=/d)", "in-use"),
        ("DatabaseOperationException: Database '/d/databases/itsm' already exists", "in-use"),
        ("Transaction error on commit", None),
    ],
)
def test_a_log_line_names_its_fault(text: str, kind: str | None) -> None:
    found = fault_in_text(text)
    assert (found[0] if found else None) == kind


def test_os_errors_are_named_and_described_in_one_line(tmp_path: Path) -> None:
    full = from_os_error(OSError(errno.ENOSPC, "No space left on device"), tmp_path)
    assert full is not None and full.kind == "disk-full"
    assert full.message.startswith(f"disk full: the file system of {tmp_path} has ")
    read_only = from_os_error(OSError(errno.EROFS, "Read-only file system"), tmp_path)
    assert read_only is not None and read_only.kind == "read-only"
    assert from_os_error(OSError(errno.ENOENT, "No such file"), tmp_path) is None
    for kind in ("disk-full", "read-only", "in-use"):
        assert "\n" not in describe(kind, tmp_path, "detail")  # type: ignore[arg-type]


def test_a_second_server_on_a_held_data_directory_says_in_use(tmp_path: Path) -> None:
    """Two cold starts racing on one data directory: the loser names the lock, at once (not after
    the start timeout)."""
    from app.graph.embedded import EmbeddedArcadeDB, EmbeddedStoreFault

    first = EmbeddedArcadeDB(tmp_path, heap="256m")
    first.start()
    try:
        second = EmbeddedArcadeDB(tmp_path, heap="256m", start_timeout_s=120)
        with pytest.raises(EmbeddedStoreFault) as caught:
            second.start()  # not running_elsewhere(): the race where neither has written server.json yet
        assert caught.value.kind == "in-use"
        assert caught.value.message.startswith(f"in use: {tmp_path.resolve() / 'arcadedb'} is held by another process")
        assert "\n" not in caught.value.message
        assert second.process is None  # its child was stopped
    finally:
        first.stop()

"""The loader's limits: every bad file gets exactly one line naming file, line, entry and field, a
non-zero exit, the store unchanged, within bounded memory and time; the machine's faults (a full
disk, a read-only data directory, a concurrent load, a database another process holds) get a
one-line reason and an exit status of their own.

Memory is bounded twice: tracemalloc's peak around validation in this process, and the address
space of a CLI subprocess (RLIMIT_AS) fed every hostile file at once. Time limits are guards
against a hang, not speed targets. The disk and read-only cases mount a small tmpfs or a read-only
bind mount (root only; they skip, saying why, where mounting is not allowed).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.embedded import EmbeddedArcadeDB
from app.graph.lifecycle import open_store
from app.settings import Settings, get_settings
from seed.guard import EXIT_CODES, exclusive_load, explain
from seed.limits import LoadLimits
from seed.load import current_release
from seed.validate import OntologyInvalid, read_ontology

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SOURCE = '"001_36cf4593c3a5a483.txt:1-2"'
GOOD = (
    "nodes:\n"
    f'  - {{label: Practice, id: "practice:alpha", name: Alpha, category: general, sources: [{SOURCE}]}}\n'
    f'  - {{label: Practice, id: "practice:beta", name: "Bêta", category: service, sources: [{SOURCE}]}}\n'
    "relationships:\n"
    f'  - {{type: RELATED_TO, from: "practice:alpha", to: "practice:beta", kind: feeds, sources: [{SOURCE}]}}\n'
)
PEAK_BYTES = 64 * 1024 * 1024  # what validating any one hostile file may allocate at its peak
ADDRESS_SPACE = 2 * 1024**3  # the CLI subprocess's whole address space (Python, pydantic, the driver)


def _alias_bomb() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        prev, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\nnodes: *i\n"


def _big_file(path: Path, size: int) -> None:
    row = f'  - {{label: Practice, id: "practice:p%d", name: P, category: general, sources: [{SOURCE}]}}\n'
    with path.open("w", encoding="utf-8") as fh:
        fh.write("nodes:\n")
        written, i = 0, 0
        while written < size:
            chunk = "".join(row % n for n in range(i, i + 1000))
            fh.write(chunk)
            written, i = written + len(chunk), i + 1000


# name -> (how to write the file, what its one line must say: (line, fragments))
HOSTILE: dict[str, tuple[Callable[[Path], None], int | None, tuple[str, ...]]] = {
    "latin1": (
        lambda p: p.write_bytes(GOOD.encode("latin-1")),
        3,
        ("file: not UTF-8: byte 0xea", "Latin-1", "save it as UTF-8"),
    ),
    "utf16": (lambda p: p.write_bytes(GOOD.encode("utf-16")), 1, ("file: the file is UTF-16", "save it as UTF-8")),
    "utf16-no-bom": (lambda p: p.write_bytes(GOOD.encode("utf-16-le")), 1, ("NUL byte", "UTF-16")),
    "nested": (
        lambda p: p.write_text("nodes: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8"),
        1,
        ("file: not valid YAML", "nesting depth"),
    ),
    "label-list": (
        lambda p: p.write_text(
            f'nodes:\n  - {{label: [a, b], id: "practice:x", name: X, sources: [{SOURCE}]}}\n', encoding="utf-8"
        ),
        2,
        ("node practice:x field 'label': unknown label", "['a', 'b']"),
    ),
    "type-map": (
        lambda p: p.write_text(
            f'relationships:\n  - {{type: {{a: 1}}, from: "practice:alpha", to: "practice:beta", sources: [{SOURCE}]}}\n',
            encoding="utf-8",
        ),
        2,
        ("field 'type': unknown relationship type", "{'a': 1}"),
    ),
    "megabyte-id": (
        lambda p: p.write_text(
            f'nodes:\n  - {{label: Practice, id: "practice:{"x" * 1_000_000}", name: X, category: general, sources: [{SOURCE}]}}\n',
            encoding="utf-8",
        ),
        2,
        ("field 'id': String should have at most 200 characters",),
    ),
    "alias-bomb": (
        lambda p: p.write_text(_alias_bomb(), encoding="utf-8"),
        5,  # where the repeats pass the limit (line 5 repeats 9 x 9^3 values)
        ("file: YAML aliases repeat more than 10000 values",),
    ),
    "fifty-megabytes": (
        lambda p: _big_file(p, 50_000_000),
        None,
        ("file: the file has 47.", "MiB, over the limit of 16.0 MiB", "ITSM_LOAD_MAX_FILE_BYTES"),
    ),
    "huge-int": (
        lambda p: p.write_text(
            f'relationships:\n  - {{type: PART_OF, from: "practice:alpha", to: "practice:beta", order: {"9" * 5000}, sources: [{SOURCE}]}}\n',
            encoding="utf-8",
        ),
        2,
        ("file: an integer that cannot be read",),
    ),
    "int-past-64-bits": (
        lambda p: p.write_text(
            f'relationships:\n  - {{type: PART_OF, from: "practice:alpha", to: "practice:beta", order: {2**63}, sources: [{SOURCE}]}}\n',
            encoding="utf-8",
        ),
        2,
        ("field 'order': Input should be less than or equal to 9223372036854775807",),
    ),
    "python-tag": (
        lambda p: p.write_text("nodes:\n  - !!python/object:os.system {label: Practice}\n", encoding="utf-8"),
        2,
        ("file: the YAML tag", "is not supported"),
    ),
    "merge-key": (
        lambda p: p.write_text(
            f'base: &b {{name: X}}\nnodes:\n  - {{<<: *b, label: Practice, id: "practice:m", sources: [{SOURCE}]}}\n',
            encoding="utf-8",
        ),
        3,
        ("file: merge keys (<<) are not supported",),
    ),
    "two-documents": (
        lambda p: p.write_text("nodes: []\n---\nnodes: []\n", encoding="utf-8"),
        2,
        ("file: more than one YAML document",),
    ),
}


def _folder(tmp_path: Path, cases: list[str]) -> Path:
    folder = tmp_path / "onto"
    folder.mkdir()
    shutil.copy(ONTOLOGY / "schema.yaml", folder)
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    for case in cases:
        HOSTILE[case][0](folder / f"{case}.yaml")
    return folder


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_gets_one_line_in_bounded_memory(tmp_path: Path, case: str) -> None:
    folder = _folder(tmp_path, [case])
    _write, line, fragments = HOSTILE[case]
    tracemalloc.start()
    try:
        with pytest.raises(OntologyInvalid) as caught:
            read_ontology(folder)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [problem] = caught.value.problems
    text = str(problem)
    assert problem.file == f"onto/{case}.yaml" and problem.line == line
    assert text.startswith(f"onto/{case}.yaml{f':{line}' if line else ''}: ")
    for fragment in fragments:
        assert fragment in text
    assert "\n" not in text and len(text) < 700  # one line that never embeds the content
    assert peak < PEAK_BYTES, f"{case}: validation peaked at {peak / 1e6:.0f} MB"


def test_the_file_size_limit_is_configurable(tmp_path: Path) -> None:
    folder = _folder(tmp_path, [])
    _big_file(folder / "big.yaml", 30_000)
    with pytest.raises(OntologyInvalid) as caught:
        read_ontology(folder, LoadLimits(max_file_bytes=20_000))
    [problem] = caught.value.problems
    assert problem.file == "onto/big.yaml" and "over the limit of 20000 bytes" in problem.message
    assert len(read_ontology(folder).nodes) > 2


def test_the_cli_gives_every_hostile_file_one_line_within_a_memory_limit(tmp_path: Path) -> None:
    """All hostile files in one folder, `itsm-ontology load` in a subprocess whose address space is
    capped: exit 1, one error line per file, no traceback, nothing written (no data directory)."""
    folder = _folder(tmp_path, sorted(HOSTILE))
    data = tmp_path / "data"
    env = {**os.environ, "ITSM_ONTOLOGY_DIR": str(folder), "ITSM_DATA_DIR": str(data), "ITSM_STORE": "embedded"}
    env["COLUMNS"] = "400"  # one console line per problem

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "load"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=cap,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output and "MemoryError" not in output
    errors = [line for line in output.splitlines() if line.startswith("error ")]
    for case in HOSTILE:
        assert sum(f"onto/{case}.yaml" in line for line in errors) == 1, output
    assert len(errors) == len(HOSTILE)
    assert f"{len(HOSTILE)} problem(s); nothing was loaded." in output
    assert not data.exists()


def test_explain_names_a_full_disk_from_the_stores_words(tmp_path: Path) -> None:
    fault = explain(RuntimeError("java.io.IOException: No space left on device"), tmp_path, None)
    assert fault is not None and fault.kind == "disk-full"
    assert explain(RuntimeError("Transaction error on commit"), tmp_path, None) is None


# ---- the machine's faults, through `itsm-ontology load` -------------------------------------------


@pytest.fixture
def onto(tmp_path: Path) -> Path:
    return _folder(tmp_path, [])


def _cli_load(monkeypatch: pytest.MonkeyPatch, onto: Path, data: Path) -> tuple[int, str]:
    monkeypatch.setenv("ITSM_ONTOLOGY_DIR", str(onto))
    monkeypatch.setenv("ITSM_DATA_DIR", str(data))
    monkeypatch.setenv("ITSM_STORE", "embedded")
    monkeypatch.setenv("COLUMNS", "400")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["load"])
    finally:
        get_settings.cache_clear()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _one_fault_line(output: str, starts: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(starts)]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


def _release(data: Path) -> str | None:
    with open_store(Settings(store="embedded", data_dir=data, embedded_heap="256m")) as store:
        release = current_release(store)
    return release["content_hash"] if release else None


def _change(onto: Path) -> None:
    (onto / "good.yaml").write_text(GOOD.replace("name: Alpha", "name: Alpha changed"), encoding="utf-8")


def test_a_second_load_while_one_holds_the_data_directory_says_in_use(
    onto: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    with exclusive_load(data):  # the first load, mid-way
        code, output = _cli_load(monkeypatch, onto, data)
    assert code == EXIT_CODES["in-use"] == 9
    line = _one_fault_line(output, "in use: ")
    assert f"another load, pid {os.getpid()}, holds load.lock" in line
    assert not (data / "arcadedb").exists()  # it never started a store


def test_a_load_racing_a_server_that_holds_the_database_says_in_use(
    onto: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of two cold starts: another process holds the database but has not written
    server.json yet, so the load starts its own child and finds the files locked."""
    data = tmp_path / "data"
    holder = EmbeddedArcadeDB(data, heap="256m")
    holder.start()
    try:
        (data / "arcadedb" / "server.json").unlink()
        code, output = _cli_load(monkeypatch, onto, data)
    finally:
        holder.stop()
    assert code == EXIT_CODES["in-use"], output
    _one_fault_line(output, "in use: ")


def _mount_or_skip(*args: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs or a read-only bind mount needs root and mount(8)")
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount {' '.join(args)} is not allowed here: {done.stderr.strip()[:200]}")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir()
    _mount_or_skip("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path))
    try:
        yield path
    finally:
        _umount(path)


def test_a_full_disk_is_named_before_anything_is_written(
    onto: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _tmpfs(tmp_path / "disk", "96m") as disk:
        data = disk / "data"
        code, output = _cli_load(monkeypatch, onto, data)
        assert code == 0, output
        first = output.split("loaded release 0.1.0 (", 1)[1][:12]
        free = shutil.disk_usage(disk).free
        filler = disk / "filler"
        with filler.open("wb") as fh:  # leave about 1 MB
            fh.truncate(max(0, free - 1_000_000))
            fh.seek(0)
            os.posix_fallocate(fh.fileno(), 0, max(0, free - 1_000_000))
        _change(onto)
        code, output = _cli_load(monkeypatch, onto, data)
        assert code == EXIT_CODES["disk-full"] == 7, output
        line = _one_fault_line(output, "disk full: ")
        assert "free some space and retry" in line
        filler.unlink()
        assert str(_release(data))[:12] == first  # the store is unchanged


def test_a_read_only_data_directory_is_named(onto: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    code, output = _cli_load(monkeypatch, onto, data)
    assert code == 0, output
    before = sorted((p.relative_to(data), p.stat().st_size) for p in data.rglob("*") if p.is_file())
    _mount_or_skip("--bind", str(data), str(data))
    try:
        done = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(data)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            pytest.skip(f"a read-only remount is not allowed here: {done.stderr.strip()[:200]}")
        _change(onto)
        code, output = _cli_load(monkeypatch, onto, data)
    finally:
        _umount(data)
    assert code == EXIT_CODES["read-only"] == 8, output
    line = _one_fault_line(output, "read-only: ")
    assert str(data.resolve()) in line and "make it writable or set ITSM_DATA_DIR" in line
    after = sorted((p.relative_to(data), p.stat().st_size) for p in data.rglob("*") if p.is_file())
    assert after == before  # nothing was written

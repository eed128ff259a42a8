"""Read one organisation file (CSV or YAML) into rows that remember the line they start on.

A file holds one kind of table: a role catalogue (`roles`), a skill inventory (`skills`) or the
organisation's accepted mappings (`mappings`). A CSV file says which by its columns, a YAML file
by its one top-level key. Problems (not UTF-8, not CSV or YAML, an unknown shape, duplicate or
unknown columns, a row longer than its header) are returned, never raised, so that every problem
of every file is reported at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from seed.model import Problem

TableKind = Literal["roles", "skills", "mappings"]
KINDS: tuple[TableKind, ...] = ("roles", "skills", "mappings")
LINE_KEY = "__line__"
MAX_FILE_BYTES = 5_000_000  # an organisation's catalogue is small; anything larger is a mistake
MAX_ROWS = 20_000

# The columns of each kind: required ones first. docs/overlay.md describes them.
COLUMNS: dict[TableKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "roles": (("id", "name"), ("aliases", "description", "responsible_for", "performs_in", "progresses_to")),
    "skills": (("role", "kind", "requirement"), ("level", "family", "note")),
    "mappings": (("own", "maps_to"), ("kind", "note", "accept", "score", "reason")),
}
# The column that tells a CSV file's kind (checked in this order).
MARKERS: tuple[tuple[str, TableKind], ...] = (("maps_to", "mappings"), ("requirement", "skills"), ("name", "roles"))


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]


@dataclass
class Table:
    display: str  # how problems name the file (a path)
    cite: str  # how sources cite it: "<source>:<file name>"
    kind: TableKind
    rows: list[Row] = field(default_factory=list)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    if b"\x00" in data:
        return None, [Problem(display, _line_of(data, data.index(b"\x00")), "file", None, "binary data, not text")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        return None, [
            Problem(
                display,
                _line_of(data, exc.start),
                "file",
                None,
                f"not UTF-8 text (byte 0x{byte:02x} at offset {exc.start}); save the file as UTF-8",
            )
        ]


def _csv_kind(columns: list[str]) -> TableKind | None:
    return next((kind for marker, kind in MARKERS if marker in columns), None)


def _check_columns(display: str, kind: TableKind, columns: list[str], line: int) -> list[Problem]:
    required, optional = COLUMNS[kind]
    problems = [
        Problem(display, line, "header", name, f"missing column '{name}' (a {kind} file needs {', '.join(required)})")
        for name in required
        if name not in columns
    ]
    known = set(required) | set(optional)
    problems += [
        Problem(display, line, "header", name, f"unknown column '{name}'; known: {', '.join((*required, *optional))}")
        for name in columns
        if name and name not in known
    ]
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            problems.append(Problem(display, line, "header", name, f"column '{name}' appears twice"))
        seen.add(name)
    return problems


def _read_csv(text: str, display: str, cite: str) -> tuple[Table | None, list[Problem]]:
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    header: list[str] | None = None
    header_line = 1
    rows: list[Row] = []
    previous_end = 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_line = [c.strip().lower() for c in cells], start
                continue
            if len(cells) > len(header):
                problems.append(
                    Problem(
                        display, start, f"row {start}", None, f"{len(cells)} cells but the header has {len(header)}"
                    )
                )
                continue
            rows.append(Row(start, {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name}))
            if len(rows) > MAX_ROWS:
                problems.append(Problem(display, start, "file", None, f"more than {MAX_ROWS} rows"))
                return None, problems
    except csv.Error as exc:
        return None, [Problem(display, previous_end + 1, "file", None, f"not valid CSV: {exc}")]
    if header is None:
        return None, [Problem(display, None, "file", None, "empty file: a CSV file starts with a header row")]
    kind = _csv_kind(header)
    if kind is None:
        return None, [
            Problem(
                display,
                header_line,
                "header",
                None,
                "cannot tell what the file holds: a role catalogue has a 'name' column, a skill inventory "
                "a 'requirement' column, accepted mappings a 'maps_to' column",
            )
        ]
    header_problems = _check_columns(display, kind, header, header_line)
    if header_problems:  # the rows are read once the header is right: one line per problem
        return None, header_problems
    return Table(display, cite, kind, rows), problems


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line each mapping starts on."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping  # type: ignore[return-value]


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _read_yaml(text: str, display: str, cite: str) -> tuple[Table | None, list[Problem]]:
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(display, mark.line + 1 if mark else None, "file", None, f"not valid YAML: {exc}")]
    keys = set(doc) - {LINE_KEY} if isinstance(doc, dict) else set()
    if len(keys) != 1 or not keys <= set(KINDS):
        return None, [
            Problem(display, 1, "file", None, "a YAML file is a mapping with one key: 'roles', 'skills' or 'mappings'")
        ]
    assert isinstance(doc, dict)
    kind: TableKind = next(k for k in KINDS if k in keys)
    entries = doc[kind] or []
    if not isinstance(entries, list):
        return None, [Problem(display, doc.get(LINE_KEY), kind, None, "must be a list")]
    if len(entries) > MAX_ROWS:
        return None, [Problem(display, None, "file", None, f"more than {MAX_ROWS} entries")]
    required, optional = COLUMNS[kind]
    known = (*required, *optional)
    problems: list[Problem] = []
    rows: list[Row] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            problems.append(Problem(display, None, f"{kind}[{index}]", None, "an entry is a mapping"))
            continue
        line = int(entry.get(LINE_KEY) or 0) or None
        values = {str(k).lower(): v for k, v in entry.items() if k != LINE_KEY}
        bad = [k for k in values if k not in known and not (kind == "roles" and k == "requires")]
        for name in bad:
            problems.append(Problem(display, line, f"{kind}[{index}]", name, f"unknown key; known: {', '.join(known)}"))
        if bad:
            continue
        rows.append(Row(line or 0, values))
    return Table(display, cite, kind, rows), problems


def read_table(path: Path, display: str, cite: str) -> tuple[Table | None, list[Problem]]:
    """The rows of one file, or None and why not; `cite` is the `<source>:<file>` sources begin with."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        return None, [Problem(display, None, "file", None, "an organisation file is .csv, .yaml or .yml")]
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(display, None, "file", None, f"{size} bytes; at most {MAX_FILE_BYTES}")]
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, None, "file", None, f"cannot be read: {exc.strerror or exc}")]
    text, problems = _decode(data, display)
    if text is None:
        return None, problems
    return _read_csv(text, display, cite) if suffix == ".csv" else _read_yaml(text, display, cite)

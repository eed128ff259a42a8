"""Read one organisation file (CSV or YAML) into rows that remember the line they start on.

A file holds one kind of table: a role catalogue (`roles`), a skill inventory (`skills`) or the
organisation's accepted mappings (`mappings`). A CSV file says which by its columns, a YAML file
by its one top-level key. Files are read by seed/reader.py, the ontology's reader, within the
load's limits (size, UTF-8, YAML nesting, aliases and tags). Problems (a refused file, not CSV or
YAML, an unknown shape, duplicate or unknown columns, a row longer than its header) are returned,
never raised, so that every problem of every file is reported at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from seed.limits import LoadLimits
from seed.model import Problem
from seed.reader import FileRefused, parse, read_text

TableKind = Literal["roles", "skills", "mappings"]
KINDS: tuple[TableKind, ...] = ("roles", "skills", "mappings")
LINE_KEY = "__line__"
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


def _read_yaml(text: str, display: str, cite: str, limits: LoadLimits) -> tuple[Table | None, list[Problem]]:
    try:
        parsed = parse(text, limits, line_key=LINE_KEY)
    except FileRefused as exc:
        return None, [Problem(display, exc.line, "file", None, exc.message)]
    doc = parsed.data
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
    item_lines = parsed.item_lines.get(kind, [])
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            line = item_lines[index] if index < len(item_lines) else None
            problems.append(Problem(display, line, f"{kind}[{index}]", None, "an entry is a mapping"))
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


def read_table(
    path: Path, display: str, cite: str, limits: LoadLimits | None = None
) -> tuple[Table | None, list[Problem]]:
    """The rows of one file, or None and why not; `cite` is the `<source>:<file>` sources begin with.
    The file is read by the ontology's own reader (seed/reader.py) within `limits`: its size,
    UTF-8, and for YAML nesting, aliases and tags."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        return None, [Problem(display, None, "file", None, "an organisation file is .csv, .yaml or .yml")]
    limits = limits or LoadLimits()
    try:
        text = read_text(path, limits)
    except FileRefused as exc:
        return None, [Problem(display, exc.line, "file", None, exc.message)]
    return _read_csv(text, display, cite) if suffix == ".csv" else _read_yaml(text, display, cite, limits)

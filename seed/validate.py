"""Read and validate every instance file in ontology/ against ontology/schema.yaml.

Each problem names the file, the line, the entry (its id, or its position) and the field, so a
reviewer can find it; every problem is one line. Validation never touches a store.

Files are read within bounds (seed/reader.py: size, UTF-8, nesting, aliases); entries are checked
per label or type with one pydantic TypeAdapter over the list of them (TypedDicts built from the
schema, strict, unknown keys refused, string lengths and integers bounded, seed/limits.py), then
for what types cannot say: id patterns and prefixes, source ranges, duplicates, both ends and the
labels a relationship type may join.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, NotRequired, Required, cast

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from seed.limits import INT_MAX, INT_MIN, LoadLimits
from seed.model import NodeRecord, Ontology, Problem, RelationshipRecord, clip
from seed.parallel import can_fork, cores, ordered_map
from seed.reader import FileRefused, ParsedFile, gc_paused, read_yaml
from seed.schema import OntologySchema, PropertySpec, SchemaInvalid, load_schema

SCHEMA_FILE = "schema.yaml"
_STRICT = ConfigDict(extra="forbid", strict=True)


class OntologyInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the ontology")
        self.problems = problems


def _text(max_chars: int) -> Any:
    return Annotated[str, StringConstraints(min_length=1, max_length=max_chars)]


def _python_type(spec: PropertySpec, limits: LoadLimits, *, is_id: bool = False) -> Any:
    if spec.type == "enum":
        assert spec.values
        return Literal[spec.values]
    string = _text(limits.max_id_chars if is_id else limits.max_string_chars)
    integer = Annotated[int, Field(ge=INT_MIN, le=INT_MAX)]
    return {
        "string": string,
        "text": _text(limits.max_text_chars),
        "int": integer,
        "bool": bool,
        "list[string]": Annotated[list[string], Field(max_length=limits.max_list_items)],  # type: ignore[valid-type]
        "list[int]": Annotated[list[integer], Field(max_length=limits.max_list_items)],
    }[spec.type]


def _entries_adapter(
    name: str, discriminator: str, value: str, props: dict[str, PropertySpec], extra: dict[str, Any], limits: LoadLimits
) -> TypeAdapter[list[dict[str, Any]]]:
    """One adapter validating a whole list of entries of one label or relationship type."""
    fields: dict[str, Any] = {discriminator: Required[Literal[value]], **extra}
    for prop, spec in props.items():
        python = _python_type(spec, limits, is_id=prop == "id")
        fields[prop] = Required[python] if spec.required else NotRequired[python]
    entry: Any = cast(Any, TypedDict)(name, fields, total=True)
    entry.__pydantic_config__ = _STRICT
    adapter: TypeAdapter[list[dict[str, Any]]] = TypeAdapter(cast(Any, list[entry]))
    return adapter


def _clean(values: dict[str, Any], drop: Iterable[str], lists: Iterable[str]) -> dict[str, Any]:
    """Properties as they go into the graph: no None, no empty list, no loader keys. `values` is
    a validated entry (a dict of its own) and is cleaned in place."""
    for key in drop:
        values.pop(key, None)
    for key in lists:
        if values.get(key) == []:
            del values[key]
    return values


def _list_properties(props: dict[str, PropertySpec]) -> tuple[str, ...]:
    return tuple(name for name, spec in props.items() if spec.type.startswith("list"))


def _node_name(index: int, entry: dict[str, Any]) -> str:
    node_id = entry.get("id")
    return f"node {clip(node_id)}" if isinstance(node_id, str) else f"nodes[{index}]"


def _relationship_name(entry: dict[str, Any]) -> str:
    def show(value: Any) -> str:
        return clip(value if isinstance(value, str) else repr(value), 80)

    return f"relationship {show(entry.get('type'))} {show(entry.get('from'))} -> {show(entry.get('to'))}"


_UNSEEN = object()
# One entry as checked in its file: (problems of the file before it, its line, id, label, properties).
_NodeEntry = tuple[int, int | None, str, str, dict[str, Any]]
# (problems before it, line, id, type, start, end, properties)
_RelationshipEntry = tuple[int, int | None, str, str, str, str, dict[str, Any]]


@dataclass
class FileCheck:
    """One file's entries and problems, checked without the other files (and picklable, so a
    worker process can send it back)."""

    problems: list[Problem]
    nodes: list[_NodeEntry]
    relationships: list[_RelationshipEntry]


class _Checker:
    def __init__(self, schema: OntologySchema, limits: LoadLimits):
        self.schema = schema
        self.limits = limits
        self.problems: list[Problem] = []  # the file being checked
        self._nodes: list[_NodeEntry] = []
        self._relationships: list[_RelationshipEntry] = []
        self.found: list[Problem] = []  # every file's, merged
        self.ontology = Ontology(schema=schema)
        self._pending_ends: list[tuple[RelationshipRecord, int | None]] = []
        self._sources: dict[str, str | None] = {}  # a source string -> its problem (None: fine)
        self.node_lists = {label: _list_properties(schema.node_properties_for(label)) for label in schema.labels}
        self.relationship_lists = {
            t: _list_properties(schema.relationship_properties_for(t)) for t in schema.relationship_types
        }
        self.node_adapters = {
            label: _entries_adapter(f"{label}Node", "label", label, schema.node_properties_for(label), {}, limits)
            for label in schema.labels
        }
        end = _text(limits.max_id_chars)
        extra = {"from": Required[end], "to": Required[end], "key": NotRequired[end | None]}
        self.relationship_adapters = {
            t: _entries_adapter(f"{t}Relationship", "type", t, schema.relationship_properties_for(t), extra, limits)
            for t in schema.relationship_types
        }

    def problem(self, file: str, line: int | None, what: str, field: str | None, message: str) -> None:
        self.problems.append(Problem(file, line, what, field, message))

    def _found(self, file: str, line: int | None, what: str, field: str | None, message: str) -> None:
        self.found.append(Problem(file, line, what, field, message))

    def check_file(self, path: Path, display: str) -> FileCheck:
        """One file checked on its own: everything but what needs the other files (duplicates
        across files, both ends of a relationship), which merge() and check_ends() do."""
        self.problems, self._nodes, self._relationships = [], [], []
        try:
            parsed = read_yaml(path, self.limits)
        except FileRefused as exc:
            self.problem(display, exc.line, "file", None, exc.message)
        else:
            self._check_parsed(parsed, display)
        return FileCheck(self.problems, self._nodes, self._relationships)

    def _check_parsed(self, parsed: ParsedFile, display: str) -> None:
        doc = parsed.data
        if doc is None:
            return
        if not isinstance(doc, dict) or set(doc) - {"nodes", "relationships"}:
            message = "an instance file is a mapping with only 'nodes' and 'relationships' lists"
            self.problem(display, 1, "file", None, message)
            return
        for key in ("nodes", "relationships"):
            entries = doc.get(key) or []
            if not isinstance(entries, list):
                self.problem(display, None, key, None, "must be a list")
                continue
            lines: list[int | None] = list(parsed.item_lines.get(key, []))
            lines += [None] * (len(entries) - len(lines))
            if key == "nodes":
                self.check_nodes(display, entries, lines)
            else:
                self.check_relationships(display, entries, lines)

    def _validated(
        self,
        adapters: dict[str, TypeAdapter[list[dict[str, Any]]]],
        groups: dict[str, list[int]],
        entries: list[Any],
        display: str,
        lines: list[int | None],
        name: Any,
    ) -> dict[int, dict[str, Any]]:
        """Validate each group of entries with its adapter in one call; the valid entries by index."""
        valid: dict[int, dict[str, Any]] = {}
        for kind, indexes in groups.items():
            adapter = adapters[kind]
            items = [entries[i] for i in indexes]
            try:
                values = adapter.validate_python(items)
            except ValidationError as exc:
                bad: set[int] = set()
                for err in exc.errors(include_url=False, include_context=False, include_input=False):
                    position = int(err["loc"][0])
                    bad.add(position)
                    index = indexes[position]
                    loc = ".".join(clip(str(p), 80) for p in err["loc"][1:]) or None
                    message = "not a property of this label/type" if err["type"] == "extra_forbidden" else err["msg"]
                    self.problem(display, lines[index], name(index, entries[index]), loc, message)
                keep = [p for p in range(len(indexes)) if p not in bad]
                indexes = [indexes[p] for p in keep]
                values = adapter.validate_python([items[p] for p in keep]) if keep else []
            valid.update(zip(indexes, values, strict=True))
        return valid

    def source_problem(self, source: str) -> str | None:
        if source in self._sources:
            return self._sources[source]
        found: str | None = None
        match = self.schema.source_regex.match(source)
        if not match:
            found = f"{clip(source)!r} is not '<document>:<first>-<last>'"
        else:
            doc = self.schema.documents_by_file.get(match["file"])
            first, last = int(match["first"]), int(match["last"])
            if doc is None:
                found = f"{match['file']!r} is not a document in schema.yaml"
            elif not 1 <= first <= last <= doc.lines:
                found = f"{source!r}: lines must satisfy 1 <= first <= last <= {doc.lines}"
        if len(self._sources) < 1_000_000:
            self._sources[source] = found
        return found

    def sources_fine(self, sources: list[str]) -> bool:
        """True when every source is one already found fine (the common case, without a message)."""
        cache = self._sources
        return bool(sources) and all(cache.get(source, _UNSEEN) is None for source in sources)

    def check_sources(self, display: str, line: int | None, what: str, sources: list[str]) -> None:
        if not sources:
            self.problem(display, line, what, "sources", "at least one '<document>:<first>-<last>' is needed")
        for source in sources:
            found = self.source_problem(source)
            if found:
                self.problem(display, line, what, "sources", found)

    def _grouped(
        self,
        display: str,
        entries: list[Any],
        lines: list[int | None],
        section: str,
        noun: str,
        field: str,
        described: str,
        known: Mapping[str, Any],
        name_of: Callable[[int, dict[str, Any]], str],
    ) -> dict[str, list[int]]:
        """Indexes of the section's entries by their label or type; a non-mapping or an unknown one is a problem."""
        groups: dict[str, list[int]] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.problem(display, lines[index], f"{section}[{index}]", None, f"a {noun} is a mapping")
                continue
            key = entry.get(field)
            if not isinstance(key, str) or key not in known:
                shown = clip(key if isinstance(key, str) else repr(key), 80)
                self.problem(
                    display,
                    lines[index],
                    name_of(index, entry),
                    field,
                    f"unknown {described} {shown!r}; known: {', '.join(sorted(known))}",
                )
                continue
            groups.setdefault(key, []).append(index)
        return groups

    def check_nodes(self, display: str, entries: list[Any], lines: list[int | None]) -> None:
        labels = self.schema.labels
        groups = self._grouped(display, entries, lines, "nodes", "node", "label", "label", labels, _node_name)
        valid = self._validated(self.node_adapters, groups, entries, display, lines, _node_name)
        id_regex = self.schema.id_regex
        for index in sorted(valid):
            values, line = valid[index], lines[index]
            label, node_id = values["label"], values["id"]
            prefix = labels[label].id_prefix
            fine = id_regex.match(node_id) and node_id.split(":", 1)[0] == prefix
            if not fine or not self.sources_fine(values["sources"]):
                what = f"node {node_id}"
                if not id_regex.match(node_id):
                    self.problem(display, line, what, "id", f"{node_id!r} does not match {self.schema.id_pattern}")
                if node_id.split(":", 1)[0] != prefix:
                    self.problem(display, line, what, "id", f"a {label} id starts with '{prefix}:'")
                self.check_sources(display, line, what, values["sources"])
            props = _clean(values, ("label",), self.node_lists[label])
            self._nodes.append((len(self.problems), line, node_id, label, props))

    def check_relationships(self, display: str, entries: list[Any], lines: list[int | None]) -> None:
        types = self.schema.relationship_types
        groups = self._grouped(
            display,
            entries,
            lines,
            "relationships",
            "relationship",
            "type",
            "relationship type",
            types,
            lambda _i, e: _relationship_name(e),
        )
        valid = self._validated(
            self.relationship_adapters, groups, entries, display, lines, lambda _i, e: _relationship_name(e)
        )
        for index in sorted(valid):
            values, line = valid[index], lines[index]
            rel_type, start, end, key = values["type"], values["from"], values["to"], values.get("key")
            unexplained = values.get("basis") == "inferred" and not values.get("rationale")
            if unexplained or not self.sources_fine(values["sources"]):
                what = f"relationship {rel_type} {start} -> {end}"
                self.check_sources(display, line, what, values["sources"])
                if unexplained:
                    self.problem(display, line, what, "rationale", "an inferred link needs a one-line rationale")
            rel_id = f"{rel_type}:{start}->{end}#{key}" if key else f"{rel_type}:{start}->{end}"
            props = _clean(values, ("type", "from", "to", "key"), self.relationship_lists[rel_type])
            entry = (len(self.problems), line, rel_id, rel_type, start, end, {"id": rel_id, **props})
            self._relationships.append(entry)

    def merge(self, check: FileCheck, display: str) -> None:
        """Add one file's checked entries to the ontology; an id another entry took first is a
        problem, placed among the file's own problems where checking in one pass would put it."""
        found, own, done = self.found, check.problems, 0

        def duplicate(before: int, problem: Problem) -> None:
            """The file's own problems up to this entry, then the entry's duplicate."""
            nonlocal done
            found.extend(own[done:before])
            done = before
            found.append(problem)

        nodes, relationships, pending = self.ontology.nodes, self.ontology.relationships, self._pending_ends
        for before, line, node_id, label, props in check.nodes:
            if node_id in nodes:
                message = f"duplicate id, first defined in {nodes[node_id].file}"
                duplicate(before, Problem(display, line, f"node {node_id}", "id", message))
                continue
            nodes[node_id] = NodeRecord(node_id, label, props, display)
        for before, line, rel_id, rel_type, start, end, props in check.relationships:
            if rel_id in relationships:
                message = f"duplicate relationship (also in {relationships[rel_id].file}); give one a distinct 'key'"
                duplicate(before, Problem(display, line, f"relationship {rel_type} {start} -> {end}", "key", message))
                continue
            record = RelationshipRecord(rel_id, rel_type, start, end, props, display)
            relationships[rel_id] = record
            pending.append((record, line))
        found.extend(own[done:])

    def check_ends(self) -> None:
        """Once every file is read: both ends exist and the type allows those labels."""
        nodes, types = self.ontology.nodes, self.schema.relationship_types
        fine: set[tuple[str, str, str]] = set()  # (type, start label, end label) found allowed
        for record, line in self._pending_ends:
            start, end = nodes.get(record.start), nodes.get(record.end)
            if start is not None and end is not None:
                joined = (record.type, start.label, end.label)
                if joined in fine:
                    continue
                spec = types[record.type]
                if spec.allows(start.label, end.label):
                    fine.add(joined)
                    continue
                self._found(
                    record.file,
                    line,
                    f"relationship {record.type} {record.start} -> {record.end}",
                    "type",
                    f"{record.type} may not join {start.label} -> {end.label} "
                    f"(allowed: {', '.join(spec.from_labels)} -> {', '.join(spec.to_labels)})",
                )
                continue
            for field, node_id, node in (("from", record.start, start), ("to", record.end, end)):
                if node is None:
                    self._found(
                        record.file,
                        line,
                        f"relationship {record.type} {record.start} -> {record.end}",
                        field,
                        f"no node has id {node_id!r}",
                    )


def instance_files(ontology_dir: Path) -> list[Path]:
    return sorted(p for p in ontology_dir.glob("*.yaml") if p.name != SCHEMA_FILE)


# Checking files in worker processes pays when there is enough to check: below this many bytes in
# all, the files are checked in this process (forking and sending the results back cost more).
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
_FORKED: _Checker | None = None  # the checker forked workers use (set only while they run)


def _check_in_worker(job: tuple[Path, str]) -> FileCheck:
    assert _FORKED is not None
    with gc_paused():
        return _FORKED.check_file(*job)


def _workers(paths: list[Path], workers: int | None) -> int:
    if workers is not None:
        return workers if can_fork() else 0
    if len(paths) < 2 or cores() < 2 or not can_fork():
        return 0
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    return min(2, cores()) if size >= PARALLEL_MIN_BYTES else 0


def workers_for(ontology_dir: Path, workers: int | None = None) -> int:
    """How many worker processes read_ontology(ontology_dir, workers=workers) would check with."""
    return _workers(instance_files(ontology_dir), workers)


def read_ontology(ontology_dir: Path, limits: LoadLimits | None = None, workers: int | None = None) -> Ontology:
    """Validate every file; return the ontology or raise OntologyInvalid with every problem found.

    Each file is checked on its own (parsed, then its entries validated), then merged in file
    order (duplicates across files), then both ends of every relationship are checked. A large
    ontology's files are checked in forked worker processes (`workers`: None decides by size and
    cores, 0 checks here); the problems and the ontology are the same either way."""
    global _FORKED
    limits = limits or LoadLimits()
    schema_path = ontology_dir / SCHEMA_FILE
    try:
        schema = load_schema(schema_path, limits)
    except SchemaInvalid as exc:
        raise OntologyInvalid(exc.problems) from exc
    checker = _Checker(schema, limits)
    paths = instance_files(ontology_dir)
    jobs = [(path, f"{ontology_dir.name}/{path.name}") for path in paths]
    count = _workers(paths, workers)
    with gc_paused():
        if count > 0:
            _FORKED = checker  # forked workers see it; a fork needs a process with one thread
            try:
                for job, check in zip(jobs, ordered_map(_check_in_worker, jobs, count), strict=True):
                    checker.merge(check, job[1])
            finally:
                _FORKED = None
        else:
            for path, display in jobs:
                checker.merge(checker.check_file(path, display), display)
        checker.check_ends()
    if checker.found:
        raise OntologyInvalid(checker.found)
    return checker.ontology

"""Read and validate every instance file in ontology/ against ontology/schema.yaml.

Each problem names the file, the entry (its id, or its position) and the field, so a reviewer can
find it. Validation never touches a store.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, create_model

from seed.model import NodeRecord, Ontology, Problem, RelationshipRecord
from seed.schema import OntologySchema, PropertySpec, load_schema

SCHEMA_FILE = "schema.yaml"
LINE_KEY = "__line__"
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False)]


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line each mapping starts on."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping  # type: ignore[return-value]


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


class OntologyInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the ontology")
        self.problems = problems


def _python_type(spec: PropertySpec) -> Any:
    if spec.type == "enum":
        assert spec.values
        return Literal[spec.values]
    return {
        "string": NonEmpty,
        "text": NonEmpty,
        "int": int,
        "bool": bool,
        "list[string]": list[NonEmpty],
        "list[int]": list[int],
    }[spec.type]


def _entry_model(
    name: str, discriminator: str, value: str, props: dict[str, PropertySpec], extra: dict[str, Any]
) -> type[BaseModel]:
    fields: dict[str, Any] = {discriminator: (Literal[value], ...), **extra}
    for prop, spec in props.items():
        fields[prop] = (_python_type(spec), ... if spec.required else None)
    config = ConfigDict(extra="forbid", strict=True)
    return create_model(name, __config__=config, **fields)


def _node_model(schema: OntologySchema, label: str) -> type[BaseModel]:
    return _entry_model(f"{label}Node", "label", label, schema.node_properties_for(label), {})


def _relationship_model(schema: OntologySchema, rel_type: str) -> type[BaseModel]:
    extra = {"from": (NonEmpty, ...), "to": (NonEmpty, ...), "key": (NonEmpty | None, None)}
    return _entry_model(
        f"{rel_type}Relationship", "type", rel_type, schema.relationship_properties_for(rel_type), extra
    )


def _clean(values: dict[str, Any], drop: Iterable[str]) -> dict[str, Any]:
    """Properties as they go into the graph: no None, no empty list, no loader keys."""
    skip = set(drop)
    return {k: v for k, v in values.items() if k not in skip and v is not None and v != []}


class _Checker:
    def __init__(self, schema: OntologySchema):
        self.schema = schema
        self.problems: list[Problem] = []
        self.ontology = Ontology(schema=schema)
        self._pending_ends: list[tuple[RelationshipRecord, dict[str, Any]]] = []
        self.node_models = {label: _node_model(schema, label) for label in schema.labels}
        self.relationship_models = {t: _relationship_model(schema, t) for t in schema.relationship_types}

    def problem(self, file: str, entry: dict[str, Any] | None, what: str, field: str | None, message: str) -> None:
        line = entry.get(LINE_KEY) if isinstance(entry, dict) else None
        self.problems.append(Problem(file, line, what, field, message))

    def check_file(self, path: Path, display: str) -> None:
        try:
            with path.open(encoding="utf-8") as fh:
                doc = yaml.load(fh, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else None
            self.problems.append(Problem(display, line, "file", None, f"not valid YAML: {exc}"))
            return
        if doc is None:
            return
        if not isinstance(doc, dict) or set(doc) - {"nodes", "relationships", LINE_KEY}:
            self.problem(
                display,
                doc if isinstance(doc, dict) else None,
                "file",
                None,
                "an instance file is a mapping with only 'nodes' and 'relationships' lists",
            )
            return
        for key, handler in (("nodes", self.check_node), ("relationships", self.check_relationship)):
            entries = doc.get(key) or []
            if not isinstance(entries, list):
                self.problem(display, doc, key, None, "must be a list")
                continue
            for index, entry in enumerate(entries):
                handler(display, index, entry)

    def _validate(
        self, model: type[BaseModel], display: str, entry: dict[str, Any], what: str
    ) -> dict[str, Any] | None:
        data = {k: v for k, v in entry.items() if k != LINE_KEY}
        try:
            return model.model_validate(data).model_dump()
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"]) or None
                message = "not a property of this label/type" if err["type"] == "extra_forbidden" else err["msg"]
                self.problem(display, entry, what, loc, message)
            return None

    def check_sources(self, display: str, entry: dict[str, Any], what: str, sources: list[str]) -> None:
        if not sources:
            self.problem(display, entry, what, "sources", "at least one '<document>:<first>-<last>' is needed")
        for source in sources:
            match = self.schema.source_regex.match(source)
            if not match:
                self.problem(display, entry, what, "sources", f"{source!r} is not '<document>:<first>-<last>'")
                continue
            doc = self.schema.documents_by_file.get(match["file"])
            first, last = int(match["first"]), int(match["last"])
            if doc is None:
                self.problem(display, entry, what, "sources", f"{match['file']!r} is not a document in schema.yaml")
            elif not 1 <= first <= last <= doc.lines:
                self.problem(
                    display, entry, what, "sources", f"{source!r}: lines must satisfy 1 <= first <= last <= {doc.lines}"
                )

    def check_node(self, display: str, index: int, entry: Any) -> None:
        what = f"nodes[{index}]"
        if not isinstance(entry, dict):
            self.problems.append(Problem(display, None, what, None, "a node is a mapping"))
            return
        if isinstance(entry.get("id"), str):
            what = f"node {entry['id']}"
        label = entry.get("label")
        if label not in self.schema.labels:
            self.problem(
                display,
                entry,
                what,
                "label",
                f"unknown label {label!r}; known: {', '.join(sorted(self.schema.labels))}",
            )
            return
        values = self._validate(self.node_models[label], display, entry, what)
        if values is None:
            return
        node_id = values["id"]
        if not self.schema.id_regex.match(node_id):
            self.problem(display, entry, what, "id", f"{node_id!r} does not match {self.schema.id_pattern}")
        prefix = self.schema.labels[label].id_prefix
        if node_id.split(":", 1)[0] != prefix:
            self.problem(display, entry, what, "id", f"a {label} id starts with '{prefix}:'")
        self.check_sources(display, entry, what, values["sources"])
        if node_id in self.ontology.nodes:
            self.problem(
                display, entry, what, "id", f"duplicate id, first defined in {self.ontology.nodes[node_id].file}"
            )
            return
        self.ontology.nodes[node_id] = NodeRecord(node_id, label, _clean(values, ["label"]), display)

    def check_relationship(self, display: str, index: int, entry: Any) -> None:
        what = f"relationships[{index}]"
        if not isinstance(entry, dict):
            self.problems.append(Problem(display, None, what, None, "a relationship is a mapping"))
            return
        rel_type = entry.get("type")
        what = f"relationship {rel_type} {entry.get('from')} -> {entry.get('to')}"
        if rel_type not in self.schema.relationship_types:
            known = ", ".join(sorted(self.schema.relationship_types))
            self.problem(display, entry, what, "type", f"unknown relationship type {rel_type!r}; known: {known}")
            return
        values = self._validate(self.relationship_models[rel_type], display, entry, what)
        if values is None:
            return
        self.check_sources(display, entry, what, values["sources"])
        if values.get("basis") == "inferred" and not values.get("rationale"):
            self.problem(display, entry, what, "rationale", "an inferred link needs a one-line rationale")
        rel_id = f"{rel_type}:{values['from']}->{values['to']}" + (f"#{values['key']}" if values.get("key") else "")
        if rel_id in self.ontology.relationships:
            self.problem(
                display,
                entry,
                what,
                "key",
                f"duplicate relationship (also in {self.ontology.relationships[rel_id].file}); "
                "give one a distinct 'key'",
            )
            return
        props = _clean(values, ["type", "from", "to", "key"])
        record = RelationshipRecord(rel_id, rel_type, values["from"], values["to"], {"id": rel_id, **props}, display)
        self.ontology.relationships[rel_id] = record
        self._pending_ends.append((record, entry))

    def check_ends(self) -> None:
        """Once every file is read: both ends exist and the type allows those labels."""
        for record, entry in self._pending_ends:
            what = f"relationship {record.type} {record.start} -> {record.end}"
            ends = {"from": record.start, "to": record.end}
            labels = {}
            for field, node_id in ends.items():
                node = self.ontology.nodes.get(node_id)
                if node is None:
                    self.problem(record.file, entry, what, field, f"no node has id {node_id!r}")
                else:
                    labels[field] = node.label
            if len(labels) == 2 and not self.schema.relationship_types[record.type].allows(
                labels["from"], labels["to"]
            ):
                spec = self.schema.relationship_types[record.type]
                self.problem(
                    record.file,
                    entry,
                    what,
                    "type",
                    f"{record.type} may not join {labels['from']} -> {labels['to']} "
                    f"(allowed: {', '.join(spec.from_labels)} -> {', '.join(spec.to_labels)})",
                )


def instance_files(ontology_dir: Path) -> list[Path]:
    return sorted(p for p in ontology_dir.glob("*.yaml") if p.name != SCHEMA_FILE)


def read_ontology(ontology_dir: Path) -> Ontology:
    """Validate every file; return the ontology or raise OntologyInvalid with every problem found."""
    schema_path = ontology_dir / SCHEMA_FILE
    try:
        schema = load_schema(schema_path)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise OntologyInvalid([Problem(str(schema_path), None, "schema", None, str(exc))]) from exc
    checker = _Checker(schema)
    for path in instance_files(ontology_dir):
        checker.check_file(path, f"{ontology_dir.name}/{path.name}")
    checker.check_ends()
    if checker.problems:
        raise OntologyInvalid(checker.problems)
    return checker.ontology

"""The ontology schema (ontology/schema.yaml) as pydantic models."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from seed.limits import LoadLimits
from seed.problems import Problem
from seed.reader import FileRefused, read_yaml

PropertyType = Literal["string", "text", "int", "bool", "enum", "list[string]", "list[int]"]
LABEL_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
TYPE_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
# Labels the service adds itself; the ontology may not declare them.
ENTITY_LABEL = "Entity"
RELEASE_LABEL = "Release"
RELEASE_CONTENT_LABEL = "ReleaseContent"  # a release's kept content (app/interop/archive.py)
RELEASE_CONTENT_PART_LABEL = "ReleaseContentPart"  # its further parts, when long
RESERVED_LABELS = (ENTITY_LABEL, RELEASE_LABEL, RELEASE_CONTENT_LABEL, RELEASE_CONTENT_PART_LABEL)
ANY_LABEL = "*"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PropertySpec(_Strict):
    type: PropertyType
    required: bool = False
    values: tuple[str, ...] | None = None
    doc: str | None = None

    @model_validator(mode="after")
    def _enum_has_values(self) -> PropertySpec:
        if (self.type == "enum") != bool(self.values):
            raise ValueError("an enum property lists its values, and only an enum does")
        return self


class DocumentSpec(_Strict):
    file: str
    title: str
    lines: int = Field(gt=0)
    # The Framework node id whose guidance the document is (the crosswalk's framework of a node).
    framework: str | None = None


class LabelSpec(_Strict):
    doc: str
    id_prefix: str
    properties: dict[str, PropertySpec] = {}


class RelationshipTypeSpec(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    doc: str
    from_labels: tuple[str, ...] = Field(alias="from")
    to_labels: tuple[str, ...] = Field(alias="to")
    properties: dict[str, PropertySpec] = {}

    def allows(self, start_label: str, end_label: str) -> bool:
        return (ANY_LABEL in self.from_labels or start_label in self.from_labels) and (
            ANY_LABEL in self.to_labels or end_label in self.to_labels
        )


class OntologySchema(_Strict):
    ontology_version: str
    documents: dict[str, DocumentSpec]
    id_pattern: str
    source_pattern: str
    node_properties: dict[str, PropertySpec]
    relationship_properties: dict[str, PropertySpec]
    labels: dict[str, LabelSpec]
    relationship_types: dict[str, RelationshipTypeSpec]
    rules: list[str] = []

    @model_validator(mode="after")
    def _names_and_ends(self) -> OntologySchema:
        for label in self.labels:
            if not LABEL_NAME.match(label) or label in RESERVED_LABELS:
                raise ValueError(f"label {label!r} is not a usable label name")
        for name, rel in self.relationship_types.items():
            if not TYPE_NAME.match(name):
                raise ValueError(f"relationship type {name!r} is not UPPER_SNAKE_CASE")
            for end in (*rel.from_labels, *rel.to_labels):
                if end != ANY_LABEL and end not in self.labels:
                    raise ValueError(f"relationship type {name}: unknown label {end!r} at an end")
        for required in ("id", "name", "sources"):
            if required not in self.node_properties:
                raise ValueError(f"node_properties must declare {required!r}")
        framework = self.labels.get("Framework")
        for key, doc in self.documents.items():
            if doc.framework and (framework is None or not doc.framework.startswith(framework.id_prefix + ":")):
                raise ValueError(f"document {key}: framework {doc.framework!r} is no Framework id")
        return self

    @cached_property
    def id_regex(self) -> re.Pattern[str]:
        return re.compile(self.id_pattern)

    @cached_property
    def source_regex(self) -> re.Pattern[str]:
        return re.compile(self.source_pattern)

    @cached_property
    def documents_by_file(self) -> dict[str, DocumentSpec]:
        return {doc.file: doc for doc in self.documents.values()}

    def document_file(self, key_or_file: str) -> str | None:
        """The seed file name for a document key (`itil-roles`), file name or its 3-digit prefix."""
        if key_or_file in self.documents:
            return self.documents[key_or_file].file
        for doc in self.documents.values():
            if key_or_file in (doc.file, doc.file.split("_", 1)[0]):
                return doc.file
        return None

    def node_properties_for(self, label: str) -> dict[str, PropertySpec]:
        return {**self.node_properties, **self.labels[label].properties}

    def relationship_properties_for(self, rel_type: str) -> dict[str, PropertySpec]:
        return {**self.relationship_properties, **self.relationship_types[rel_type].properties}


class SchemaInvalid(Exception):
    """schema.yaml cannot be read or is not a schema: one problem per line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def load_schema(path: Path, limits: LoadLimits | None = None) -> OntologySchema:
    """The schema in `path`, read within `limits` (seed/reader.py); SchemaInvalid says what is wrong."""
    try:
        data = read_yaml(path, limits or LoadLimits()).data
    except FileRefused as exc:
        raise SchemaInvalid([Problem(str(path), exc.line, "schema", None, exc.message)]) from exc
    try:
        return OntologySchema.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(str(path), None, "schema", ".".join(str(p) for p in err["loc"]) or None, err["msg"])
            for err in exc.errors(include_url=False, include_input=False)
        ]
        raise SchemaInvalid(problems) from exc

"""Property value types, for the formats that carry text only (CSV, GraphML): what a column or an
attribute holds, from the schema where it declares the property, else from the values."""

from __future__ import annotations

import json
from typing import Any

from seed.schema import OntologySchema, PropertySpec

SCALAR_TYPES = {"string": "string", "text": "string", "enum": "string", "int": "int", "bool": "boolean"}


def declared(schema: OntologySchema, label_or_type: str, name: str, *, relationship: bool) -> PropertySpec | None:
    if relationship:
        if label_or_type not in schema.relationship_types:
            return schema.relationship_properties.get(name)
        return schema.relationship_properties_for(label_or_type).get(name)
    if label_or_type not in schema.labels:
        return schema.node_properties.get(name)
    return schema.node_properties_for(label_or_type).get(name)


def value_type(value: Any) -> str:
    """neo4j-admin's name for the type of a value: string, int, double, boolean, or one of them + []."""
    if isinstance(value, list):
        inner = {value_type(v) for v in value} or {"string"}
        return (inner.pop() if len(inner) == 1 else "string") + "[]"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    return "string"


def from_text(text: str, type_name: str, array_delimiter: str) -> Any:
    if type_name.endswith("[]"):
        inner = type_name[:-2]
        return [from_text(part, inner, array_delimiter) for part in text.split(array_delimiter)] if text else []
    if type_name in ("int", "long"):
        return int(text)
    if type_name in ("double", "float"):
        return float(text)
    if type_name == "boolean":
        return text.lower() == "true"
    return text


def decode_json_list(value: Any) -> Any:
    if isinstance(value, str):
        decoded = json.loads(value)
        if isinstance(decoded, list):
            return decoded
    return value

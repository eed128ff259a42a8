"""Values across the ad-hoc boundary, both ways.

In: the parameters a caller sends (JSON values, bounded in size, 64-bit integers only), and the
typed parameters of saved queries (`convert` checks a JSON value against a declared type; `parse`
reads a value written as text, a header default or a CLI `--param k=v`, then checks it the same way).

Out: driver values as JSON (`to_json`: nodes, relationships and paths by their `id` properties,
temporal values as ISO 8601, points as coordinate maps, bytes as base64) and as CSV cells.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j.graph import Node, Path, Relationship

from app.errors import QueryInvalid

TYPES = ("string", "id", "int", "float", "bool", "list[string]", "list[int]")
# `id`: a string that must be the id of a node; a saved query given an id no node has answers 404.


class ParameterError(ValueError):
    """A value does not fit its declared type (the message names what and why)."""


# --- parameters in ----------------------------------------------------------------------------


def check_text(text: str, *, what: str) -> None:
    """Refuse (QueryInvalid) text that is not valid Unicode: a lone surrogate such as the JSON
    escape `"\\ud800"` decodes to a str that no store (and no UTF-8 encoder) accepts."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QueryInvalid(f"{what} holds a lone surrogate (position {exc.start}); send valid Unicode") from exc


def check_parameters(parameters: dict[str, Any], *, max_bytes: int) -> None:
    """Refuse (QueryInvalid) parameters that are not JSON, too large, or not sendable to Cypher."""
    try:
        encoded = json.dumps(parameters, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise QueryInvalid(f"parameters must be JSON values: {exc}") from exc
    check_text(encoded, what="parameters")
    if len(encoded.encode("utf-8")) > max_bytes:
        raise QueryInvalid(f"parameters exceed {max_bytes} bytes")
    _check_integers(parameters)


def _check_integers(value: Any, where: str = "parameters") -> None:
    """Cypher integers are 64-bit: a larger JSON number cannot be sent to the store."""
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        raise QueryInvalid(f"{where} holds an integer outside the 64-bit range Cypher supports")
    if isinstance(value, list):
        for item in value:
            _check_integers(item, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_integers(item, f"{where}.{key}")


def convert(type_: str, value: Any, *, what: str) -> Any:
    """A JSON value checked against a declared type (ints are accepted where floats are)."""
    if value is None:
        return None
    if type_ in ("string", "id") and isinstance(value, str):
        return value
    if type_ == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if type_ == "float" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if type_ == "bool" and isinstance(value, bool):
        return value
    if type_.startswith("list[") and isinstance(value, list):
        item_type = type_[5:-1]
        return [convert(item_type, item, what=what) for item in value]
    raise ParameterError(f"{what} must be {type_}, got {json.dumps(value)}")


def parse(type_: str, text: str, *, what: str) -> Any:
    """A value written as text, converted to its declared type: `null`, `3`, `true`, `x`, and
    lists as JSON (`["a", "b"]`) or bare (`[a, b]`, `a,b`)."""
    text = text.strip()
    if text == "null":
        return None
    try:
        if type_ in ("string", "id"):
            return text
        if type_ == "int":
            return int(text)
        if type_ == "float":
            return float(text)
        if type_ == "bool":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return text.lower() == "true"
        item_type = type_[5:-1]
        if text.startswith("["):
            try:
                return convert(type_, json.loads(text), what=what)
            except json.JSONDecodeError:
                text = text[1:].removesuffix("]")  # [a, b] written bare
        return [parse(item_type, item, what=what) for item in text.split(",") if item.strip()]
    except ParameterError:
        raise
    except ValueError as exc:
        raise ParameterError(f"{what} must be {type_}, got {text!r}") from exc


# --- results out ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """A relationship end whose node came without properties: resolved to its id afterwards."""

    element_id: str


def _node_id(node: Node) -> Any:
    value = node.get("id")
    return value if value is not None else node.element_id


def _end(node: Node | None, fallback: str) -> Any:
    if node is not None and node.get("id") is not None:
        return node.get("id")
    return Endpoint(node.element_id if node is not None else fallback)


def to_json(value: Any) -> Any:
    """A driver value as JSON (see the module's docstring); map keys sorted, so that both stores
    give the same bytes."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Node):
        return {
            "id": _node_id(value),
            "labels": sorted(value.labels),
            "properties": {k: to_json(v) for k, v in sorted(value.items())},
        }
    if isinstance(value, Relationship):
        return {
            "type": value.type,
            "start": _end(value.start_node, ""),
            "end": _end(value.end_node, ""),
            "properties": {k: to_json(v) for k, v in sorted(value.items())},
        }
    if isinstance(value, Path):
        return {"nodes": [to_json(n) for n in value.nodes], "relationships": [to_json(r) for r in value.relationships]}
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time | neo4j.time.Duration):
        return value.iso_format()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return neo4j.time.Duration(seconds=value.total_seconds()).iso_format()
    if isinstance(value, neo4j.spatial.Point):
        keys = (
            ("x", "y", "z") if not isinstance(value, neo4j.spatial.WGS84Point) else ("longitude", "latitude", "height")
        )
        return {"srid": value.srid, **dict(zip(keys, value, strict=False))}
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, list | tuple):  # after Duration and Point, which are tuples too
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in sorted(value.items(), key=lambda item: str(item[0]))}
    return str(value)


def endpoints(value: Any) -> Iterator[Endpoint]:
    if isinstance(value, Endpoint):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from endpoints(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from endpoints(item)


def resolve(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, Endpoint):
        return ids.get(value.element_id, value.element_id)
    if isinstance(value, list):
        return [resolve(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, ids) for k, v in value.items()}
    return value


def json_size(row: list[Any]) -> int:
    text = json.dumps(row, ensure_ascii=False, default=lambda e: e.element_id, separators=(",", ":"))
    return len(text.encode("utf-8")) + 1


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def to_csv(columns: list[str], rows: list[list[Any]]) -> str:
    """CSV with a header row; nodes, lists and maps become compact JSON in their cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()

"""Saved, named, parameterised queries: `cypher/saved/NAME.cypher`, run on the ad-hoc read path.

A file starts with a header of `//` lines: free text (the description), then one line per
parameter in the form

    // @param NAME: TYPE = DEFAULT — MEANING

TYPE is one of string, id, int, float, bool, list[string], list[int] (`id`: a string naming a
node; a value no node has makes the run a 404 instead of an empty answer); `= DEFAULT` is optional (a
parameter without one is required; `= null` makes it optional with no value); the separator before
the meaning is an em dash or `--`. Defaults are written bare (`= practice:incident-management`,
`= 3`, `= true`, `= [a, b]` or `= ["a", "b"]`). Every declared parameter must appear in the query
as `$NAME` and every `$NAME` must be declared: the registry refuses to load otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.adhoc import values
from app.adhoc.gate import tokenize
from app.adhoc.models import SavedParameterModel, SavedQueryList, SavedQueryModel
from app.adhoc.values import TYPES
from app.errors import NotFound
from app.paging import Page

PARAM_LINE = re.compile(
    r"^@param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[a-z\[\]]+)"
    r"(?:\s*=\s*(?P<default>.*?))?\s+(?:—|--)\s+(?P<meaning>.+)$"
)
NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


class SavedQueryError(ValueError):
    """A saved query file is malformed, or a parameter value does not fit its declaration."""


@dataclass(frozen=True)
class SavedParameter:
    name: str
    type: str
    default: Any
    required: bool
    description: str

    def model(self) -> SavedParameterModel:
        return SavedParameterModel(
            name=self.name, type=self.type, required=self.required, default=self.default, description=self.description
        )


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    parameters: tuple[SavedParameter, ...]
    text: str  # the Cypher without its header

    def bind(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """JSON parameter values checked against the declarations, defaults filled in."""
        return self._bind(given, lambda p, v: values.convert(p.type, v, what=f"parameter {p.name!r}"))

    def bind_text(self, given: Mapping[str, str]) -> dict[str, Any]:
        """Parameter values written as text (the CLI's `--param k=v`), converted by type."""
        return self._bind(given, lambda p, v: values.parse(p.type, v, what=f"parameter {p.name!r}"))

    def _bind(self, given: Mapping[str, Any], convert: Callable[[SavedParameter, Any], Any]) -> dict[str, Any]:
        declared = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            raise SavedQueryError(f"{self.name} has no parameter(s) {unknown}; it takes {sorted(declared)}")
        bound = {}
        for parameter in self.parameters:
            if parameter.name in given:
                try:
                    bound[parameter.name] = convert(parameter, given[parameter.name])
                except values.ParameterError as exc:
                    raise SavedQueryError(str(exc)) from exc
            elif parameter.required:
                raise SavedQueryError(f"{self.name} needs parameter {parameter.name!r} ({parameter.type})")
            else:
                bound[parameter.name] = parameter.default
        return bound

    @property
    def has_ids(self) -> bool:
        """Whether it declares an `id` parameter (checked to name a node before it runs)."""
        return any(p.type == "id" for p in self.parameters)

    def ids(self, bound: Mapping[str, Any]) -> dict[str, str]:
        """The values of its `id` parameters (by name) that were given or defaulted."""
        return {p.name: bound[p.name] for p in self.parameters if p.type == "id" and bound.get(p.name) is not None}

    def model(self) -> SavedQueryModel:
        return SavedQueryModel(
            name=self.name,
            description=self.description,
            parameters=[p.model() for p in self.parameters],
            cypher=self.text,
        )


def parse(name: str, source: str) -> SavedQuery:
    if not NAME.match(name):
        raise SavedQueryError(f"saved query name {name!r} must be lowercase letters, digits, - and _")
    lines = source.splitlines()
    description: list[str] = []
    parameters: list[SavedParameter] = []
    body_start = len(lines)
    for index, line in enumerate(lines):
        if not line.startswith("//"):
            body_start = index
            break
        content = line[2:].strip()
        if content.startswith("@param"):
            match = PARAM_LINE.match(content)
            if not match:
                raise SavedQueryError(f"{name}: cannot read {content!r} (// @param NAME: TYPE = DEFAULT — MEANING)")
            type_ = match["type"]
            if type_ not in TYPES:
                raise SavedQueryError(f"{name}: parameter {match['name']!r} has unknown type {type_!r}")
            has_default = match["default"] is not None
            try:
                default = (
                    values.parse(type_, match["default"], what=f"{name}: default of {match['name']!r}")
                    if has_default
                    else None
                )
            except values.ParameterError as exc:
                raise SavedQueryError(str(exc)) from exc
            parameters.append(SavedParameter(match["name"], type_, default, not has_default, match["meaning"].strip()))
        elif content:
            description.append(content)
    text = "\n".join(lines[body_start:]).strip()
    if not description:
        raise SavedQueryError(f"{name}: the header needs a description")
    if not text:
        raise SavedQueryError(f"{name}: no query after the header")
    used = {t.text[1:].strip("`") for t in tokenize(text) if t.kind == "param"}
    declared = {p.name for p in parameters}
    if used != declared:
        raise SavedQueryError(f"{name}: parameters used {sorted(used)} and declared {sorted(declared)} differ")
    return SavedQuery(name, " ".join(description), tuple(parameters), text)


class SavedQueries:
    """Every `*.cypher` directly under the saved-queries directory, by name."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._queries = {
            path.stem: parse(path.stem, path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.cypher"))
        }

    def __iter__(self) -> Iterator[SavedQuery]:
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def get(self, name: str) -> SavedQuery | None:
        return self._queries.get(name)

    def one(self, name: str) -> SavedQuery:
        query = self._queries.get(name)
        if query is None:
            raise NotFound("saved query", name)
        return query

    def listing(self, page: Page) -> SavedQueryList:
        return SavedQueryList(**page.cut([q.model() for q in self]))

"""The registry of named Cypher files under cypher/.

Each file starts with `//` comment lines saying what it answers; its name (path without `.cypher`,
e.g. `nodes/get` or `load/merge_nodes`) is how Python refers to it. Load templates may contain
`{{label}}`-style placeholders, filled only with names the ontology schema declares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
STRING_OR_COMMENT = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|//[^\n]*")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    parameters: tuple[str, ...]
    placeholders: tuple[str, ...]

    def render(self, allowed: set[str], **names: str) -> str:
        """Fill `{{placeholder}}`s with schema names; anything not in `allowed` is refused."""
        if set(names) != set(self.placeholders):
            raise ValueError(f"{self.name} needs placeholders {self.placeholders}, got {tuple(names)}")
        for value in names.values():
            if value not in allowed or not IDENTIFIER.match(value):
                raise ValueError(f"{value!r} is not a name the schema declares")
        return PLACEHOLDER.sub(lambda m: names[m.group(1)], self.text)


def parameter_names(text: str) -> tuple[str, ...]:
    """The `$parameters` a Cypher text uses, in order of first use (strings and comments aside)."""
    return tuple(dict.fromkeys(PARAMETER.findall(STRING_OR_COMMENT.sub("", text))))


def _parse(name: str, text: str) -> NamedQuery:
    header = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        header.append(line.lstrip("/").strip())
    placeholders = tuple(dict.fromkeys(PLACEHOLDER.findall(STRING_OR_COMMENT.sub("", text))))
    return NamedQuery(name, text.strip(), " ".join(h for h in header if h), parameter_names(text), placeholders)


class QueryRegistry:
    def __init__(self, directory: Path):
        self.directory = directory
        self._queries: dict[str, NamedQuery] = {}
        for path in sorted(directory.rglob("*.cypher")):
            name = path.relative_to(directory).with_suffix("").as_posix()
            self._queries[name] = _parse(name, path.read_text(encoding="utf-8"))

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise KeyError(f"no Cypher file {name}.cypher under {self.directory}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def names(self, prefix: str = "") -> list[str]:
        return [n for n in self._queries if n.startswith(prefix)]

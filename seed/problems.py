"""A problem in an ontology file, printed as one line that names file, line, entry and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def clip(text: str, limit: int = 120) -> str:
    """`text` on one line and at most `limit` characters (a 1 MB id stays out of messages)."""
    one_line = " ".join(text.split()) if ("\n" in text or "\r" in text) else text
    return one_line if len(one_line) <= limit else f"{one_line[: limit - 1]}…"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an ontology file, named so a reviewer can find it."""

    file: str
    line: int | None
    entry: str
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = f" field '{clip(self.field)}'" if self.field else ""
        return f"{where}: {clip(self.entry)}{what}: {clip(self.message, 400)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "entry": clip(self.entry),
            "field": clip(self.field) if self.field else None,
            "message": clip(self.message, 400),
        }

"""Cell parsers for organisation files: each returns the value or raises FieldError with the
wording a reviewer reads (`level 'four' is not a SFIA level: a whole number from 1 to 7`)."""

from __future__ import annotations

import re
from typing import Any

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
RESPONSIBILITY_KINDS = ("owner", "manager", "lead", "practitioner", "contributor")
FAMILIES = ("functional", "methodical", "interpersonal", "leadership", "technical", "general")
REQUIREMENT_KINDS = ("sfia", "competency")
SFIA_LEVELS = range(1, 8)
_KIND_SUFFIX = re.compile(r"^(?P<target>.*?)\s*\((?P<kind>[^()]*)\)\s*$")
TRUE, FALSE = {"true", "yes", "y", "1", "x"}, {"false", "no", "n", "0", ""}


class FieldError(ValueError):
    """A cell that cannot be used; the message says why."""


def text(value: Any) -> str:
    """A cell as trimmed text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return str(value).strip()
    raise FieldError(f"expected text, got a {type(value).__name__}")


def required_text(value: Any) -> str:
    result = text(value)
    if not result:
        raise FieldError("is empty")
    return result


def slug(value: Any) -> str:
    result = required_text(value)
    if not SLUG.match(result):
        raise FieldError(f"{result!r} is not an id: lower-case letters, digits and '-', e.g. ops-engineer-2")
    return result


def items(value: Any) -> list[str]:
    """A list cell: a YAML list, or text separated by ';' (or new lines)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [required_text(v) for v in value]
    return [part.strip() for part in re.split(r"[;\n]", text(value)) if part.strip()]


def with_kind(item: str) -> tuple[str, str | None]:
    """'Incident management (practitioner)' -> ('Incident management', 'practitioner')."""
    match = _KIND_SUFFIX.match(item)
    if not match:
        return item, None
    kind = match["kind"].strip().lower()
    if kind not in RESPONSIBILITY_KINDS:
        raise FieldError(
            f"({match['kind']}) is not a kind of responsibility; use one of {', '.join(RESPONSIBILITY_KINDS)}"
        )
    return match["target"], kind


def level(value: Any, *, required: bool) -> int | None:
    raw = text(value)
    if not raw:
        if required:
            raise FieldError("a SFIA skill needs its level (a whole number from 1 to 7)")
        return None
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number not in SFIA_LEVELS or (isinstance(value, float) and not value.is_integer()):
        raise FieldError(f"level {raw!r} is not a SFIA level: a whole number from 1 to 7")
    return number


def choice(value: Any, allowed: tuple[str, ...], what: str, *, required: bool) -> str | None:
    raw = text(value).lower()
    if not raw:
        if required:
            raise FieldError(f"is empty; use one of {', '.join(allowed)}")
        return None
    if raw not in allowed:
        raise FieldError(f"{text(value)!r} is not a {what}; use one of {', '.join(allowed)}")
    return raw


def flag(value: Any, *, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return default if raw == "" else False
    raise FieldError(f"{text(value)!r} is not yes or no")

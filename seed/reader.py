"""Read one YAML file within bounds: size, encoding, nesting, aliases, tags.

The file is checked for size before it is read, decoded as UTF-8 (a Latin-1 or UTF-16 file is
named as such), then parsed by libyaml's C parser (PyYAML's `CSafeLoader`; the pure-Python parser
where libyaml is missing) into events, from which plain values are built without recursion. The
builder records the line each item of a top-level list starts on, so a problem can name its line,
and refuses what a curated ontology never needs: nesting deeper than a few levels, aliases that
repeat more than a bounded number of nodes (a "billion laughs"), merge keys, collection keys and
tags beyond YAML's core scalars. Every refusal is one `FileRefused` with a line and a one-line
message that never embeds the offending content.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode

from seed.limits import LoadLimits

_Parser: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")

# The implicit resolvers of YAML 1.1 that yaml.SafeLoader uses, by first character.
_RESOLVERS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    key: tuple(found + yaml.SafeLoader.yaml_implicit_resolvers.get(None, []))
    for key, found in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if key is not None
}
_CONSTRUCTOR = SafeConstructor()
_NOKEY = object()


class FileRefused(Exception):
    """A file that cannot be read as an ontology file: one line, and where."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class ParsedFile:
    data: Any
    # For each key of a top-level mapping whose value is a list: the line each item starts on.
    item_lines: dict[str, list[int]] = field(default_factory=dict)


def _size(count: int) -> str:
    return f"{count / 2**20:.1f} MiB" if count >= 2**20 else f"{count} bytes"


def read_text(path: Path, limits: LoadLimits) -> str:
    """The file's text, or FileRefused when it is too big or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise FileRefused(
                None,
                f"the file has {_size(size)}, over the limit of {_size(limits.max_file_bytes)} "
                "(ITSM_LOAD_MAX_FILE_BYTES); split it into several files",
            )
        with path.open("rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise FileRefused(None, f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > limits.max_file_bytes:
        raise FileRefused(None, f"the file is over the limit of {_size(limits.max_file_bytes)}")
    return decode_utf8(data)


def decode_utf8(data: bytes) -> str:
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise FileRefused(1, "the file is UTF-32 (it starts with a byte-order mark); save it as UTF-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(1, "the file is UTF-16 (it starts with a byte-order mark); save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise FileRefused(line, "a NUL byte: the file looks like UTF-16 or UTF-32, or is not text; save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileRefused(
            line,
            f"not UTF-8: byte 0x{data[exc.start]:02x} at column {column} "
            "(a Latin-1 or Windows-1252 file?); save it as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def _yaml_error(exc: yaml.YAMLError) -> FileRefused:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    text = f"{context}: {problem}" if context else str(problem)
    return FileRefused(line, f"not valid YAML: {' '.join(text.split())[:300]}{where}")


def _resolve(value: str) -> str:
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


def _line(event: Any) -> int:
    return int(event.start_mark.line) + 1


def _scalar(event: ScalarEvent) -> Any:
    tag, value = event.tag, event.value
    if tag is None:
        if not event.implicit[0]:  # quoted
            return _checked_string(event, value)
        tag = _resolve(value)
    elif tag == "!":  # the non-specific tag: a string
        return _checked_string(event, value)
    if tag == _STR:
        return _checked_string(event, value)
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return SafeConstructor.bool_values.get(value.lower(), value)
    node = ScalarNode(tag, value)
    try:
        if tag == _INT:
            if _DECIMAL.fullmatch(value) and len(value) <= 30:
                return int(value)
            return _CONSTRUCTOR.construct_yaml_int(node)
        if tag == _FLOAT:
            return _CONSTRUCTOR.construct_yaml_float(node)
        if tag == _TIMESTAMP:
            return _CONSTRUCTOR.construct_yaml_timestamp(node)
    except (ValueError, ConstructorError, OverflowError):
        what = {_INT: "an integer", _FLOAT: "a number", _TIMESTAMP: "a date"}[tag]
        raise FileRefused(_line(event), f"{what} that cannot be read (too long, or malformed)") from None
    if tag == _MERGE:
        raise FileRefused(_line(event), "merge keys (<<) are not supported; write the keys out")
    raise FileRefused(_line(event), f"the YAML tag {tag[:60]!r} is not supported")


def _checked_string(event: ScalarEvent, value: str) -> str:
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise FileRefused(_line(event), "a string with a lone surrogate (not encodable as UTF-8)") from None
    return value


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while the block runs. Reading, validating and planning build
    millions of small dicts and lists that hold no reference cycles; each collection would walk
    all of them again (most of validation's time on large ontologies went there). Memory is still
    freed by reference counting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(text: str, limits: LoadLimits, line_key: str | None = None) -> ParsedFile:
    """Plain values of the single YAML document in `text` (None for an empty one). With
    `line_key`, every mapping also holds the line it starts on under that key (organisation files,
    whose nested entries cite their own line); a file that writes that key itself is refused."""
    parser = _Parser(text)
    try:
        with gc_paused():
            return _build(parser, limits, line_key)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    finally:
        parser.dispose()


def _reserved(event: Any, line_key: str) -> FileRefused:
    return FileRefused(_line(event), f"the key {line_key!r} is reserved; rename it")


def _build(parser: yaml.SafeLoader, limits: LoadLimits, line_key: str | None = None) -> ParsedFile:
    get: Callable[[], Any] = parser.get_event
    result = ParsedFile(None)
    stack: list[tuple[Any, bool, Any, str | None, int]] = []
    container: Any = None
    is_map = False
    key: Any = _NOKEY
    anchors: dict[str, tuple[Any, int]] = {}
    anchor: str | None = None
    started_at = 0
    nodes = 0  # values built, counting what aliases repeat
    repeated = 0  # values repeated by aliases
    item_lines: list[int] | None = None
    depth = 0
    documents = 0
    while True:
        event = get()
        if event is None:
            break
        kind = event.__class__
        if kind is ScalarEvent:
            nodes += 1
            value = event.value
            if not value.isascii():
                _checked_string(event, value)
            tag = event.tag
            if is_map and key is _NOKEY:
                if value == "<<" and tag is None and event.implicit[0]:
                    raise FileRefused(_line(event), "merge keys (<<) are not supported; write the keys out")
                if line_key is not None and value == line_key:
                    raise _reserved(event, line_key)
                key = value
                continue
            if tag is None:
                if event.implicit[0] and value[:1] in _RESOLVERS:  # plain, and maybe not a string
                    value = _scalar(event)
            elif tag != "!" and tag != _STR:
                value = _scalar(event)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag not in _COLLECTION_TAGS:
                raise FileRefused(_line(event), f"the YAML tag {str(event.tag)[:60]!r} is not supported")
            if is_map and key is _NOKEY:
                raise FileRefused(_line(event), "a mapping key must be a plain value, not a list or mapping")
            if depth >= limits.max_depth:
                raise FileRefused(_line(event), f"nested deeper than {limits.max_depth} levels")
            nodes += 1
            if item_lines is not None and depth == 2 and not is_map:
                item_lines.append(_line(event))
            new: Any = {} if kind is MappingStartEvent else []
            if line_key is not None and kind is MappingStartEvent:
                new[line_key] = _line(event)
            if container is not None:
                if is_map:
                    container[key] = new
                else:
                    container.append(new)
            stack.append((container, is_map, key, anchor, started_at))
            depth += 1
            if depth == 2 and kind is SequenceStartEvent and is_map:
                item_lines = result.item_lines.setdefault(str(key), [])
            container, is_map, key = new, kind is MappingStartEvent, _NOKEY
            anchor, started_at = event.anchor, nodes
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            done = container
            if anchor is not None:
                anchors[anchor] = (done, nodes - started_at + 1)
            container, is_map, key, anchor, started_at = stack.pop()
            depth -= 1
            if container is None:
                result.data = done
            elif depth == 1:
                item_lines = None
            if is_map:
                key = _NOKEY
            continue
        elif kind is AliasEvent:
            if event.anchor not in anchors:
                raise FileRefused(_line(event), f"alias *{str(event.anchor)[:60]} names no anchor before it")
            value, size = anchors[event.anchor]
            if is_map and key is _NOKEY:
                if not isinstance(value, str):
                    raise FileRefused(_line(event), "a mapping key must be a plain value, not a list or mapping")
                if line_key is not None and value == line_key:
                    raise _reserved(event, line_key)
                key = value
                continue
            nodes += size
            repeated += size
            if repeated > limits.max_alias_nodes:
                raise FileRefused(
                    _line(event),
                    f"YAML aliases repeat more than {limits.max_alias_nodes} values in this file; write the values out",
                )
        else:  # stream and document events
            if kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise FileRefused(_line(event), "more than one YAML document in the file")
            continue
        # a value (scalar or alias) goes into its container
        if container is None:
            result.data = value
        elif is_map:
            container[key] = value
            key = _NOKEY
        else:
            if item_lines is not None and depth == 2:
                item_lines.append(_line(event))
            container.append(value)
    return result


def read_yaml(path: Path, limits: LoadLimits) -> ParsedFile:
    """Read, decode and parse one file within `limits`; FileRefused says why not."""
    return parse(read_text(path, limits), limits)

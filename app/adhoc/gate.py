"""The token-level gate for analysts' ad-hoc Cypher: the second of three read-only layers.

Layer 1 is the engine's own permission (a read-only user, or Neo4j's READ access mode plus an
`EXPLAIN` query-type check); layer 3 is a transaction that is always rolled back. This layer
refuses, before anything reaches the store, what the other two cannot stop or should never see:

- updating clauses (CREATE, INSERT, MERGE, SET, DELETE, DETACH, REMOVE, FOREACH), LOAD CSV,
  `USING PERIODIC COMMIT` and `CALL { ... } IN TRANSACTIONS`;
- schema and administration commands (DROP, ALTER, GRANT, DENY, REVOKE, RENAME, SHOW ...,
  START/STOP DATABASE, TERMINATE, USE another database), and `EXPLAIN`/`PROFILE`/`CYPHER` prefixes;
- procedures outside a small allowlist, and namespaced functions outside the temporal, spatial
  and vector ones Cypher itself defines (so no `apoc.*` on a Neo4j that has it);
- more than one statement.

It works on tokens, not on the raw text: string literals, comments and backtick-quoted names are
recognised by a real tokenizer and never read as keywords, so `RETURN 'CREATE'` and
``MATCH (n:`Set`)`` pass while `MATCH (n) /* x */ SET n.a = 1` does not. A word counts as a keyword
unless its position makes it a name: after a property dot (`n.set`), after a label colon
(`(n:Set)`), or before a colon or dot (`{delete: 1}`, `(create:Label)`, `create.id`). When in doubt it refuses: a
variable named `set` is refused, and can be written `` `set` ``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["word", "name", "string", "number", "param", "punct"]

# Each answered by both stores (tests/test_hardening.py runs every one on each). Left out:
# `dbms.components` (Neo4j's EXPLAIN types it a system query, so the engine check refuses it there)
# and `db.index.fulltext.queryNodes` (neither store has a full-text index to query).
ALLOWED_PROCEDURES = (
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.schema.visualization",
)
_ALLOWED_PROCEDURES = {name.lower() for name in ALLOWED_PROCEDURES}

# Namespaces of functions Cypher defines itself (temporal, spatial, vector); anything else
# namespaced is a plugin's (apoc.*, gds.*, an engine's own) and is refused.
ALLOWED_FUNCTION_NAMESPACES = ("date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector")

_UPDATING = {
    "CREATE": "CREATE is an updating clause",
    "INSERT": "INSERT is an updating clause",
    "MERGE": "MERGE is an updating clause",
    "SET": "SET is an updating clause",
    "DELETE": "DELETE is an updating clause",
    "DETACH": "DETACH DELETE is an updating clause",
    "NODETACH": "NODETACH DELETE is an updating clause",
    "REMOVE": "REMOVE is an updating clause",
    "FOREACH": "FOREACH exists to update the graph",
    "LOAD": "LOAD CSV reads files and URLs",
    "PERIODIC": "USING PERIODIC COMMIT commits writes",
    "COMMIT": "COMMIT belongs to writing queries",
    "TRANSACTIONS": "CALL { ... } IN TRANSACTIONS runs its own transactions",
}
_ADMIN = {
    "DROP": "DROP changes the schema",
    "ALTER": "ALTER is an administration command",
    "GRANT": "GRANT is an administration command",
    "DENY": "DENY is an administration command",
    "REVOKE": "REVOKE is an administration command",
    "RENAME": "RENAME is an administration command",
    "SHOW": "SHOW commands are administration commands (use CALL db.labels() or db.schema.visualization())",
    "TERMINATE": "TERMINATE is an administration command",
    "START": "START DATABASE is an administration command",
    "STOP": "STOP DATABASE is an administration command",
    "ENABLE": "ENABLE SERVER is an administration command",
    "DEALLOCATE": "DEALLOCATE is an administration command",
    "REALLOCATE": "REALLOCATE is an administration command",
    "DRYRUN": "DRYRUN belongs to administration commands",
    "USE": "USE selects another database or graph",
}
_PREFIXES = {
    "EXPLAIN": "EXPLAIN is not supported here; run the query itself",
    "PROFILE": "PROFILE is not supported here; run the query itself",
    "CYPHER": "CYPHER query options are not supported here",
}
# Words that are only dangerous as the command they start; as names (a variable `start`) they pass.
_COMMAND_ONLY = {"START", "STOP"}
_COMMAND_OBJECTS = {"DATABASE", "DATABASES", "SERVER", "SERVERS", "USER", "USERS", "ROLE", "ROLES"}


class GateRefusal(Exception):
    """The query is refused before it reaches the store (HTTP 403), with the reason."""

    def __init__(self, reason: str, offset: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


class GateSyntaxError(GateRefusal):
    """The query cannot even be tokenized (an unterminated string or comment): HTTP 400."""


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    offset: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def _is_word_start(ch: str) -> bool:
    return ch.isalpha() or ch == "_"


def _is_word_part(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _skip_string(text: str, start: int) -> int:
    """Index just past the string literal opening at `start` (quotes ' or ", backslash escapes)."""
    quote, i, n = text[start], start + 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == quote:
            return i + 1
        i += 1
    raise GateSyntaxError("unterminated string literal", start)


def _skip_backticks(text: str, start: int) -> int:
    """Index just past a backtick-quoted name (a doubled backtick stands for one)."""
    i, n = start + 1, len(text)
    while i < n:
        if text[i] == "`":
            if i + 1 < n and text[i + 1] == "`":
                i += 2
                continue
            return i + 1
        i += 1
    raise GateSyntaxError("unterminated backtick-quoted name", start)


_MULTI_PUNCT = ("..", "<>", "<=", ">=", "=~", "+=", "->", "<-", "::")


def tokenize(text: str) -> Iterator[Token]:
    """Cypher's significant tokens; whitespace and comments are dropped."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise GateSyntaxError("unterminated /* comment", i)
            i = end + 2
        elif ch in "'\"":
            end = _skip_string(text, i)
            yield Token("string", text[i:end], i)
            i = end
        elif ch == "`":
            end = _skip_backticks(text, i)
            yield Token("name", text[i + 1 : end - 1].replace("``", "`"), i)
            i = end
        elif ch == "$":
            j = i + 1
            if j < n and text[j] == "`":
                end = _skip_backticks(text, j)
            else:
                end = j
                while end < n and _is_word_part(text[end]):
                    end += 1
            yield Token("param", text[i:end], i)
            i = end
        elif ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            j = i
            while j < n and (_is_word_part(text[j])):  # digits, hex/octal prefixes, exponents, _
                j += 1
            if j + 1 < n and text[j] == "." and text[j + 1].isdigit():  # a fraction, not `..` or `.name`
                j += 1
                while j < n and _is_word_part(text[j]):
                    j += 1
            if j < n and text[j] in "+-" and text[j - 1] in "eE":  # 1e-3
                j += 1
                while j < n and text[j].isdigit():
                    j += 1
            yield Token("number", text[i:j], i)
            i = j
        elif _is_word_start(ch):
            j = i + 1
            while j < n and _is_word_part(text[j]):
                j += 1
            yield Token("word", text[i:j], i)
            i = j
        elif ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0:
            raise GateRefusal(f"control character U+{ord(ch):04X} in the query", i)
        else:
            pair = text[i : i + 2]
            size = 2 if pair in _MULTI_PUNCT else 1
            yield Token("punct", text[i : i + size], i)
            i += size


def _is_name_position(tokens: list[Token], k: int) -> bool:
    """Whether the word at k is used as a name (property, label, key, variable before a label)."""
    before = tokens[k - 1] if k > 0 else None
    after = tokens[k + 1] if k + 1 < len(tokens) else None
    if before is not None and before.kind == "punct":
        if before.text == "." and k >= 2 and tokens[k - 2].kind != "number":
            return True  # n.set, n {.create}
        if before.text in (":", "::"):
            return True  # (n:Set), {a: 1} keys are handled below, labels here
    # {delete: 1}, (create:Label), create.id: no clause keyword is ever followed by `:` or `.`
    return after is not None and after.kind == "punct" and after.text in (":", ".")


def _dotted_name(tokens: list[Token], k: int) -> tuple[str, int]:
    """The dotted name starting at k (words or backtick names) and the index just after it."""
    parts = []
    while k < len(tokens) and tokens[k].kind in ("word", "name"):
        parts.append(tokens[k].text)
        if k + 2 < len(tokens) and tokens[k + 1].text == "." and tokens[k + 2].kind in ("word", "name"):
            k += 2
            continue
        k += 1
        break
    return ".".join(parts), k


def check(query: str, *, max_chars: int = 20_000) -> str:
    """Refuse (GateRefusal) anything but one read-only statement; return the text to run (a
    single trailing `;` removed)."""
    if len(query) > max_chars:
        raise GateRefusal(f"the query is {len(query)} characters long; the limit is {max_chars}")
    tokens = list(tokenize(query))
    if not tokens:
        raise GateSyntaxError("the query is empty")
    if tokens[-1].text == ";":
        query = query[: tokens[-1].offset]
        tokens.pop()
        if not tokens:
            raise GateSyntaxError("the query is empty")
    first = tokens[0].upper
    if first in _PREFIXES:
        raise GateRefusal(_PREFIXES[first], tokens[0].offset)
    for k, token in enumerate(tokens):
        if token.kind == "punct" and token.text == ";":
            raise GateRefusal("only one statement per query (found `;`)", token.offset)
        if token.kind in ("word", "name") and k + 1 < len(tokens) and tokens[k + 1].text == ".":
            _check_function(tokens, k)  # apoc.create.node(...), `apoc`.text.join(...)
        if token.kind != "word" or _is_name_position(tokens, k):
            continue
        word = token.upper
        if word in _COMMAND_ONLY:
            following = tokens[k + 1].upper if k + 1 < len(tokens) else ""
            if k == 0 or following in _COMMAND_OBJECTS:
                raise GateRefusal(f"{_ADMIN[word]}: ad-hoc queries may only read", token.offset)
            continue
        if word in _UPDATING:
            raise GateRefusal(f"{_UPDATING[word]}: ad-hoc queries may only read", token.offset)
        if word in _ADMIN:
            raise GateRefusal(f"{_ADMIN[word]}: ad-hoc queries may only read", token.offset)
        if word == "CALL":
            _check_call(tokens, k)
    return query


def _check_call(tokens: list[Token], k: int) -> None:
    following = tokens[k + 1] if k + 1 < len(tokens) else None
    if following is None:
        raise GateSyntaxError("CALL needs a procedure or a subquery", tokens[k].offset)
    if following.text in ("{", "("):
        return  # a subquery: its body is checked like the rest of the query
    name, _ = _dotted_name(tokens, k + 1)
    if name.lower() not in _ALLOWED_PROCEDURES:
        allowed = ", ".join(ALLOWED_PROCEDURES)
        raise GateRefusal(f"procedure {name or following.text!r} is not allowed; allowed: {allowed}", following.offset)


def _check_function(tokens: list[Token], k: int) -> None:
    """A dotted name followed by `(` is a namespaced function call."""
    previous = tokens[k - 1] if k > 0 else None
    if previous is not None and (previous.text in (".", ":", "::") or previous.upper == "CALL"):
        return  # the middle of a dotted name, a label, or a procedure name (checked by _check_call)
    name, end = _dotted_name(tokens, k)
    if end < len(tokens) and tokens[end].text == "(" and "." in name:
        namespace = name.split(".", 1)[0].lower()
        if namespace not in ALLOWED_FUNCTION_NAMESPACES:
            raise GateRefusal(f"function {name!r} is not allowed (only Cypher's own functions)", tokens[k].offset)

"""How an ad-hoc query fails: the gate's verdicts, positions moved back to the analyst's text, and
the audit log's words for each outcome.

The classes themselves are the service's (`app/errors.py`); the store's exceptions become them in
`app/graph/errors.py`. Here only what is particular to ad-hoc Cypher."""

from __future__ import annotations

import re
from typing import Any

from neo4j import exceptions as neo4j_errors

from app.adhoc import gate
from app.errors import QueryRefused, QuerySyntaxError, ServiceError
from app.graph.errors import POSITION, syntax_error

EXPLAIN = "EXPLAIN\n"  # on its own line, so that the query's own lines keep their columns


def from_gate(exc: gate.GateRefusal) -> QueryRefused | QuerySyntaxError:
    """The gate's verdict: a refusal (403) or a text that cannot even be tokenized (400)."""
    if isinstance(exc, gate.GateSyntaxError):
        return QuerySyntaxError(exc.reason, offset=exc.offset)
    return QueryRefused(exc.reason, layer="gate", offset=exc.offset)


def unshifted(exc: neo4j_errors.CypherSyntaxError) -> QuerySyntaxError:
    """A syntax error found while EXPLAINing, with its position in the analyst's own text."""
    message = exc.message or str(exc)

    def shift(match: re.Match[str]) -> str:
        line, column, offset = match.groups()
        text = f"line {int(line) - 1}, column {column}"
        return text + (f" (offset: {int(offset) - len(EXPLAIN)})" if offset else "")

    return syntax_error(POSITION.sub(shift, message))


def outcome(exc: BaseException) -> dict[str, Any]:
    """The audit line's fields for a query that produced no result."""
    if isinstance(exc, QueryRefused):
        return {"outcome": exc.outcome, "refused": True, "layer": exc.layer, "reason": exc.detail}
    if isinstance(exc, ServiceError):
        out: dict[str, Any] = {"outcome": exc.outcome, "refused": False}
        if exc.outcome != "unavailable":
            out["reason"] = exc.detail[:300]
        return out
    return {"outcome": "error", "refused": False, "reason": type(exc).__name__}

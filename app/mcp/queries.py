"""The MCP tools on the ad-hoc read path: one per saved query (generated from its header, so adding a
file to cypher/saved/ adds a tool) and bounded read-only Cypher.

Both run through `AdhocRunner` exactly as POST /v1/cypher and POST /v1/queries/{name} do: the
token-level gate, the read-only store user (or Neo4j's READ mode with an EXPLAIN check), the
transaction that is always rolled back, the runner's time limit and its audit line; and both count
against the same per-client rate limit (ITSM_CYPHER_RATE_LIMIT). Rows are limited to the MCP cap.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, create_model

from app.adhoc.models import CypherResult
from app.adhoc.saved import SavedQueries, SavedQuery
from app.mcp.context import Backend, Call
from app.mcp.guard import Cut
from app.mcp.tools import Arguments, ToolSpec
from app.settings import Settings

PYTHON_TYPES: dict[str, Any] = {
    "string": str,
    "id": str,  # a node's id; one no node has makes the run fail as not found
    "int": int,
    "float": float,
    "bool": bool,
    "list[string]": list[str],
    "list[int]": list[int],
}
SAVED_PREFIX = "saved_"


def _row_limit(settings: Settings, asked: int | None) -> int:
    cap = settings.mcp_max_rows
    return min(asked or cap, cap)


def _store_cuts(answer: BaseModel) -> list[Cut]:
    """The runner's own cut: it fetched one row past the limit and stopped (or hit its size cap)."""
    assert isinstance(answer, CypherResult)
    if not answer.truncated:
        return []
    return [Cut("rows", answer.row_count, None, "store")]


def _finish(payload: dict[str, Any], truncated: bool) -> None:
    """Keep row_count and truncated true to the rows that reach the caller."""
    payload["row_count"] = len(payload.get("rows", []))
    payload["truncated"] = truncated


def _hit(backend: Backend, call: Call, what: str) -> None:
    backend.rate_limit.hit(call.caller, path=f"mcp:{what}")


# --- Cypher ------------------------------------------------------------------------------------


class CypherArgs(Arguments):
    query: str = Field(
        min_length=1,
        description="One read-only Cypher statement, e.g. MATCH (p:Practice)-[c:CONTRIBUTES_TO]->"
        "(:ValueChainActivity {id: $a}) WHERE c.level = 'high' RETURN p.id AS practice. Pass values as "
        "$parameters, not inside the text.",
    )
    parameters: dict[str, Any] = Field(default_factory=dict, description="Values for the query's $parameters.")
    limit: int | None = Field(None, ge=1, description="Rows to return at most (capped by the server).")


def _cypher(backend: Backend, args: CypherArgs, call: Call) -> BaseModel:
    _hit(backend, call, "cypher")
    limit = _row_limit(backend.settings, args.limit)
    return backend.runner.run(args.query, args.parameters, limit=limit, who=f"mcp:{call.caller.name}")


def cypher_tool(settings: Settings) -> ToolSpec:
    return ToolSpec(
        name="cypher",
        title="Run read-only Cypher",
        description="Run one read-only Cypher query on the ontology graph and get {columns, rows}. Nodes carry "
        "the label Entity plus their own label (Practice, Role, ValueChainActivity, Competency, "
        "SFIASkill, ...) and an `id` property; every node and relationship has `sources`. Nothing can "
        "write: updating clauses, schema and admin commands, LOAD CSV and most procedures are refused, "
        "and the query runs as a read-only user in a transaction that is rolled back. At most "
        f"{settings.mcp_max_rows} rows and {settings.cypher_timeout_s:g}s. Read the `schema` tool first "
        "for the labels and relationship types; prefer the specific tools and saved queries when they fit.",
        arguments=CypherArgs,
        run=_cypher,
        narrow="add WHERE filters, return fewer columns (ids, not whole nodes) or add LIMIT / SKIP.",
        store_cuts=_store_cuts,
        finish=_finish,
    )


# --- saved queries -----------------------------------------------------------------------------


def _arguments_model(query: SavedQuery) -> tuple[type[Arguments], str]:
    """The query's parameters as a pydantic model (types, defaults and meanings from its header),
    plus a row limit, named `limit` unless the query has a parameter of that name."""
    fields: dict[str, Any] = {}
    for p in query.parameters:
        python_type = PYTHON_TYPES[p.type]
        meaning = p.description + (" (a node id)" if p.type == "id" else "")
        if p.required:
            fields[p.name] = (python_type, Field(description=meaning))
        elif p.default is None:
            fields[p.name] = (python_type | None, Field(None, description=meaning + " (optional)"))
        else:
            fields[p.name] = (python_type, Field(p.default, description=meaning))
    limit_name = "limit" if "limit" not in fields else "row_limit"
    fields[limit_name] = (int | None, Field(None, ge=1, description="Rows to return at most (capped by the server)."))
    model = create_model(f"Saved_{query.name.replace('-', '_')}", __base__=Arguments, **fields)
    return model, limit_name


def saved_tool(query: SavedQuery, settings: Settings) -> ToolSpec:
    model, limit_name = _arguments_model(query)
    parameter_names = {p.name for p in query.parameters}

    def run(backend: Backend, args: Any, call: Call) -> BaseModel:
        _hit(backend, call, f"saved:{query.name}")
        given = {k: v for k, v in args.model_dump(exclude_unset=True).items() if k in parameter_names}
        limit = _row_limit(backend.settings, getattr(args, limit_name))
        return backend.runner.run_saved(query, given, limit=limit, who=f"mcp:{call.caller.name}")

    return ToolSpec(
        name=SAVED_PREFIX + query.name.replace("-", "_"),
        title=f"Saved query {query.name}",
        description=f"{query.description} (The saved query `{query.name}` of cypher/saved/, run read-only; "
        "answers {columns, rows}.)",
        arguments=model,
        run=run,
        narrow="pass more specific parameters or a smaller `limit`, or use the `cypher` tool with a filter.",
        store_cuts=_store_cuts,
        finish=_finish,
    )


def query_tools(saved: SavedQueries, settings: Settings) -> list[ToolSpec]:
    """The Cypher tool and one tool per saved query, in name order."""
    return [cypher_tool(settings), *(saved_tool(query, settings) for query in saved)]

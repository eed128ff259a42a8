"""Request and response bodies of ad-hoc Cypher and saved queries (part of the /v1 contract)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class CypherRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt member is a 422, not silently ignored

    query: str = Field(min_length=1, description="One read-only Cypher statement.")
    parameters: dict[str, Any] = Field(default_factory=dict, description="Values for `$name` parameters.")
    limit: int | None = Field(None, ge=1, description="Rows to return at most (capped by the server's maximum).")


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[list[Any]] = Field(
        description="One list per row. Nodes are {id, labels, properties}; relationships {type, start, end, "
        "properties} with start/end as node ids; paths {nodes, relationships}; temporal values ISO 8601 strings."
    )
    row_count: int
    truncated: bool = Field(description="True when rows were left out by the row limit or the size cap.")
    truncated_by: Literal["rows", "bytes"] | None = None
    limit: int = Field(description="The row limit that applied.")
    elapsed_ms: float


class SavedParameterModel(BaseModel):
    name: str
    type: str = Field(description="string, id (a node's id; unknown: 404), int, float, bool, list[string] or list[int]")
    required: bool
    default: Any = None
    description: str


class SavedQueryModel(BaseModel):
    name: str
    description: str
    parameters: list[SavedParameterModel]
    cypher: str


class SavedQueryList(BaseModel):
    items: list[SavedQueryModel]
    total: int
    next: str | None = None


class SavedQueryRun(BaseModel):
    model_config = ConfigDict(extra="forbid")  # `{"params": ...}` would otherwise run the defaults

    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Values by parameter name; defaults fill the rest."
    )
    limit: int | None = Field(None, ge=1, description="Rows to return at most (capped by the server's maximum).")

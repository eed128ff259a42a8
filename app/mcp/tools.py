"""The MCP tools built on the services: each a typed argument model, a description written for a
model, and one service call (the same functions the /v1 routes call; no Cypher here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.params import check_label, check_types, resolve_source
from app.mcp.context import Backend, Call
from app.mcp.guard import Cut
from app.services import crosswalk, nodes, paths, role_compare, roles, schema, search, value_chain

ID_HINT = (
    "Ids look like practice:incident-management, activity:itil:deliver-and-support, "
    "activity:zero-outage:run, role:itil:incident-manager, role:zero-outage:incident-manager, sfia:ITMG, "
    "competency:customer-service; find one with the `search` tool."
)
SOURCES_HINT = "`sources` are <seed file>:<first line>-<last line> of the document a fact comes from."


class Arguments(BaseModel):
    """The base of every tool's arguments: unknown names are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    arguments: type[Arguments]
    run: Callable[[Backend, Any, Call], BaseModel]
    narrow: str  # how to narrow the question when the answer was cut
    enums: Callable[[Backend], dict[str, list[str]]] | None = None  # allowed values, added to the schema
    store_cuts: Callable[[BaseModel], list[Cut]] = field(default=lambda _: [])  # cuts made before the guard
    finish: Callable[[dict[str, Any], bool], None] | None = None  # adjusts the answer after the guard's cuts

    def input_schema(self, backend: Backend | None) -> dict[str, Any]:
        schema = self.arguments.model_json_schema()
        schema.pop("title", None)
        if backend is not None and self.enums is not None:
            for name, values in self.enums(backend).items():
                _add_enum(schema["properties"][name], values)
        return schema


def _add_enum(prop: dict[str, Any], values: list[str]) -> None:
    """Name the allowed values in a property's schema (a string, a list of strings, or either with null)."""
    for variant in prop.get("anyOf", [prop]):
        if variant.get("type") == "string":
            variant["enum"] = values
        elif variant.get("type") == "array" and variant.get("items", {}).get("type") == "string":
            variant["items"]["enum"] = values


def _labels(backend: Backend) -> list[str]:
    return sorted(backend.schema.labels)


def _types(backend: Backend) -> list[str]:
    return sorted(backend.schema.relationship_types)


def _documents(backend: Backend) -> list[str]:
    return sorted(backend.schema.documents)


# --- search ----------------------------------------------------------------------------------


class SearchArgs(Arguments):
    q: str = Field(
        min_length=1,
        max_length=200,
        description="Words to find in names, aliases and codes, e.g. 'incident', 'change control', 'SACM', "
        "'ITMG'. Case is ignored; a misspelt word is corrected when nothing matches.",
    )
    label: str | None = Field(None, description="Only nodes of this label, e.g. Practice, Role, SFIASkill.")
    limit: int = Field(10, ge=1, le=50, description="Hits to return, best first.")


def _search(backend: Backend, args: SearchArgs, call: Call) -> BaseModel:
    page = backend.page(args.limit, None)
    label = check_label(backend.schema, args.label)
    return search.search(backend.store, args.q, label=label, page=page, release=backend.releases.tag())


SEARCH = ToolSpec(
    name="search",
    title="Search the ontology",
    description="Find nodes of the ITSM ontology (ITIL 4, Zero Outage Industry Standard, SFIA) by name, alias "
    "or code, best match first (exact, prefix, word prefix, substring). Use it first to turn a name "
    "into the id the other tools take. Each hit gives id, label, name and a score (100: exact).",
    arguments=SearchArgs,
    run=_search,
    narrow="use more specific words or set `label`.",
    enums=lambda b: {"label": _labels(b)},
)


# --- one node, its neighbourhood, paths --------------------------------------------------------


class NodeArgs(Arguments):
    id: str = Field(min_length=1, max_length=300, description="The node's id. " + ID_HINT)


def _get_node(backend: Backend, args: NodeArgs, call: Call) -> BaseModel:
    return nodes.node_detail(backend.store, args.id)


GET_NODE = ToolSpec(
    name="get_node",
    title="One node with its sources and relationships",
    description="Everything the ontology holds about one node: its properties (name, description, aliases, "
    "...), its `sources`, and its relationships grouped by direction (`out`, `in`) and type, each "
    "with the node at the other end and the relationship's own properties (level, basis, rationale, "
    "sources). " + SOURCES_HINT,
    arguments=NodeArgs,
    run=_get_node,
    narrow="use `neighbours` with `types`, `direction` or `label` to see one kind of relationship at a time.",
)


class NeighboursArgs(Arguments):
    id: str = Field(min_length=1, max_length=300, description="The start node's id. " + ID_HINT)
    types: list[str] | None = Field(None, description="Only follow these relationship types, e.g. CONTRIBUTES_TO.")
    direction: Literal["out", "in", "both"] = Field("both", description="Follow relationships out of, into, or both.")
    depth: int = Field(1, ge=1, le=4, description="Hops from the start node.")
    label: str | None = Field(None, description="Only list reached nodes of this label.")
    source: str | None = Field(None, description="Only what this document states (a document key).")
    limit: int = Field(50, ge=1, le=200, description="Nodes per page.")
    cursor: str | None = Field(None, description="The `next` value of a previous answer, for the following page.")


def _neighbours(backend: Backend, args: NeighboursArgs, call: Call) -> BaseModel:
    schema_ = backend.schema
    return nodes.neighbors(
        backend.store,
        args.id,
        types=check_types(schema_, args.types),
        direction=args.direction,
        depth=args.depth,
        label=check_label(schema_, args.label),
        source=resolve_source(schema_, args.source),
        page=backend.page(args.limit, args.cursor),
    )


NEIGHBOURS = ToolSpec(
    name="neighbours",
    title="Nodes within a few hops",
    description="The nodes reachable from one node within `depth` hops (breadth first), each with the hop "
    "that first reached it (relationship type, direction, properties) and the node it came from. "
    "Paginated: `total` says how many, `next` continues.",
    arguments=NeighboursArgs,
    run=_neighbours,
    narrow="set `types`, `direction`, `label` or a smaller `depth`, or page on with `cursor`.",
    enums=lambda b: {"types": _types(b), "label": _labels(b), "source": _documents(b)},
)


class PathsArgs(Arguments):
    from_id: str = Field(min_length=1, max_length=300, description="Start node id. " + ID_HINT)
    to_id: str = Field(min_length=1, max_length=300, description="End node id.")
    mode: Literal["shortest", "all"] = Field(
        "shortest", description="shortest: every shortest path; all: every simple path up to max_hops."
    )
    max_hops: int = Field(4, ge=1, le=6, description="Longest path, in relationships.")
    types: list[str] | None = Field(None, description="Only paths made of these relationship types.")
    exclude_types: list[str] | None = Field(None, description="Relationship types no path may use.")
    exclude: list[str] | None = Field(None, description="Node ids no path may pass through.")
    avoid_hubs: bool = Field(
        True, description="Pass through no Framework or ValueChain node (membership hubs that join everything)."
    )
    limit: int = Field(10, ge=1, le=50, description="Paths to return, shortest first.")


def _paths(backend: Backend, args: PathsArgs, call: Call) -> BaseModel:
    schema_ = backend.schema
    return paths.paths(
        backend.store,
        args.from_id,
        args.to_id,
        mode=args.mode,
        max_hops=args.max_hops,
        limit=args.limit,
        types=check_types(schema_, args.types),
        exclude_types=check_types(schema_, args.exclude_types) or [],
        exclude=args.exclude or [],
        avoid_hubs=args.avoid_hubs,
        time_budget_s=backend.settings.query_timeout_s,
    )


PATHS = ToolSpec(
    name="paths",
    title="How two nodes are connected",
    description="Paths between two nodes, shortest first, explaining how they are related: each step gives "
    "the relationship type, its direction (start, end), basis (stated or inferred), kind, level, "
    "rationale and sources. `complete` is false when a bound cut the search short.",
    arguments=PathsArgs,
    run=_paths,
    narrow="lower `max_hops` or `limit`, set `types`, or exclude relationship types or nodes.",
    enums=lambda b: {"types": _types(b), "exclude_types": _types(b)},
)


# --- the headline question, roles, value chains, schema ----------------------------------------

Level = Literal["high", "medium", "low", "unspecified", "none"]


class PracticesArgs(Arguments):
    activity_id: str = Field(
        min_length=1,
        max_length=300,
        description="A value chain activity, e.g. activity:itil:deliver-and-support, activity:itil:plan, "
        "activity:zero-outage:run (the `value_chains` tool lists them all).",
    )
    min_level: Level = Field(
        "unspecified",
        description="Weakest contribution level to include: high > medium > low > unspecified (the text says the "
        "practice contributes but not how much) > none (the text explicitly excludes the activity).",
    )
    include_roles: bool = Field(True, description="Also list the roles responsible for each practice.")
    aligned: bool = Field(
        False,
        description="Also answer through the activities of other value chains this one aligns with (the "
        "crosswalk): a Zero Outage phase through its ITIL activities. Each practice then says which "
        "alignment it came through.",
    )
    source: str | None = Field(None, description="Only contributions this document states (a document key).")
    limit: int = Field(50, ge=1, le=200, description="Practices per page, strongest first.")
    cursor: str | None = Field(None, description="The `next` value of a previous answer, for the following page.")


def _practices(backend: Backend, args: PracticesArgs, call: Call) -> BaseModel:
    source = resolve_source(backend.schema, args.source)
    page = backend.page(args.limit, args.cursor)
    service = crosswalk.aligned_contributions if args.aligned else value_chain.contributions
    return service(
        backend.store,
        args.activity_id,
        min_level=args.min_level,
        source=source,
        include_roles=args.include_roles,
        page=page,
    )


PRACTICES = ToolSpec(
    name="practices_for_activity",
    title="Practices contributing to a value chain activity",
    description="Which management practices contribute to a value chain activity, and how much, strongest "
    "first: each with its level (high, medium, low, unspecified, none), the wording cue behind the "
    "level, a summary, the evidence (every statement, with sources) and, with include_roles, the "
    "roles responsible for it (stated or inferred). Levels come only from the documents' wording. "
    "Example: activity:itil:deliver-and-support with min_level=high.",
    arguments=PracticesArgs,
    run=_practices,
    narrow="raise `min_level` (e.g. high), set include_roles=false or `source`, or page on with `cursor`.",
    enums=lambda b: {"source": _documents(b)},
)


class RoleArgs(Arguments):
    role_id: str = Field(
        min_length=1,
        max_length=300,
        description="A role, e.g. role:itil:incident-manager or role:zero-outage:incident-manager.",
    )


def _role_competencies(backend: Backend, args: RoleArgs, call: Call) -> BaseModel:
    return roles.requirements(backend.store, args.role_id)


ROLE_COMPETENCIES = ToolSpec(
    name="role_competencies",
    title="What a role requires",
    description="The competencies a role requires, grouped by family (functional, methodical, interpersonal, "
    "...), and the SFIA skills with their levels; each says whether a source states it or it is our "
    "reading (basis inferred, with a rationale), and its sources.",
    arguments=RoleArgs,
    run=_role_competencies,
    narrow="ask `get_node` about one competency, or compare two roles with `compare_roles`.",
)


class CompareArgs(Arguments):
    a_id: str = Field(
        min_length=1, max_length=300, description="The first role's id, e.g. role:zero-outage:incident-manager."
    )
    b_id: str = Field(
        min_length=1, max_length=300, description="The second role's id, e.g. role:zero-outage:problem-manager."
    )


def _compare(backend: Backend, args: CompareArgs, call: Call) -> BaseModel:
    return role_compare.compare(backend.store, args.a_id, args.b_id)


COMPARE_ROLES = ToolSpec(
    name="compare_roles",
    title="Compare two roles",
    description="What two roles share and what only one of them holds: competencies, SFIA skills, "
    "responsibilities and value chain activities, each split into shared, only_a and only_b, with a "
    "count summary. Roles of different frameworks are matched through the crosswalk's mappings (named "
    "under `counterparts`). Answers 'what does A need that B lacks?'.",
    arguments=CompareArgs,
    run=_compare,
    narrow="use `role_competencies` on each role for one facet at a time.",
)


class NoArgs(Arguments):
    pass


def _value_chains(backend: Backend, args: NoArgs, call: Call) -> BaseModel:
    return value_chain.value_chains(backend.store)


VALUE_CHAINS = ToolSpec(
    name="value_chains",
    title="Value chains and their activities",
    description="The value chains of each framework (ITIL 4's service value chain, Zero Outage's "
    "Plan/Build/Deliver/Run) with their activities in order: the activity ids "
    "`practices_for_activity` takes.",
    arguments=NoArgs,
    run=_value_chains,
    narrow="ask `get_node` about one value chain.",
)


def _schema(backend: Backend, args: NoArgs, call: Call) -> BaseModel:
    return schema.summary(backend.store, backend.schema, backend.releases.get())


SCHEMA = ToolSpec(
    name="schema",
    title="What the graph holds",
    description="The ontology's node labels and relationship types, what each means and how many the graph "
    "holds, the source documents (key, file, title, framework), and the release loaded. Read it to "
    "learn the vocabulary before writing Cypher.",
    arguments=NoArgs,
    run=_schema,
    narrow="this answer is fixed; read the `itsm://schema` resource instead.",
)

SERVICE_TOOLS = [
    SEARCH,
    GET_NODE,
    NEIGHBOURS,
    PATHS,
    PRACTICES,
    ROLE_COMPETENCIES,
    COMPARE_ROLES,
    VALUE_CHAINS,
    SCHEMA,
]

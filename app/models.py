"""Response models: the stable, versioned JSON contract of /v1."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class NodeRef(BaseModel):
    id: str
    label: str
    name: str


class NodeSummary(NodeRef):
    description: str | None = None
    sources: list[str] = []


class Listing(BaseModel):
    total: int = Field(description="How many items match in all.")
    next: str | None = Field(None, description="Cursor of the next page; null on the last page.")


class NodeList(Listing):
    items: list[NodeSummary]


class Connection(BaseModel):
    node: NodeRef
    properties: dict[str, Any]


class NodeDetail(NodeRef):
    properties: dict[str, Any]
    sources: list[str]
    relationships: dict[str, dict[str, list[Connection]]] = Field(
        description="`out` and `in`, each grouped by relationship type."
    )


class Hop(BaseModel):
    type: str
    direction: str
    properties: dict[str, Any]


class Neighbor(BaseModel):
    node: NodeRef
    depth: int
    relationship: Hop = Field(description="The relationship through which the node was first reached.")
    via: str = Field(description="Id of the node the relationship leads from.")


class NeighborList(Listing):
    node: NodeSummary
    items: list[Neighbor]


class PathRelationship(BaseModel):
    type: str
    start: str
    end: str


class Path(BaseModel):
    nodes: list[NodeRef]
    relationships: list[PathRelationship]
    length: int


class PathList(BaseModel):
    paths: list[Path]


class ActivityRef(BaseModel):
    id: str
    name: str
    order: int | None = None


class ValueChainEntry(BaseModel):
    id: str
    name: str
    framework: dict[str, str] | None
    activities: list[ActivityRef]


class ValueChainList(BaseModel):
    items: list[ValueChainEntry]


class PracticeRef(NodeRef):
    category: str | None = None


class ResponsibleRole(NodeRef):
    kind: str | None = None
    basis: str | None = None
    rationale: str | None = None


class Evidence(BaseModel):
    level: str
    level_cue: str | None = None
    summary: str | None = None
    sources: list[str]


class Contribution(BaseModel):
    practice: PracticeRef
    level: str = Field(description="The strongest level any cited statement supports.")
    level_cue: str | None = None
    summary: str | None = None
    sources: list[str]
    evidence: list[Evidence] = Field(description="Each statement behind the contribution, strongest first.")
    roles: list[ResponsibleRole] | None = Field(None, description="Present with include=roles.")


class ContributionList(Listing):
    activity: NodeSummary
    items: list[Contribution]


class Requirement(BaseModel):
    id: str
    name: str
    level: int | None = None
    basis: Literal["stated", "inferred"] = Field(
        "stated", description="stated: a source ties it to the role; inferred: our reading (see rationale)"
    )
    rationale: str | None = None
    sources: list[str] = []


class SkillRequirement(Requirement):
    code: str


class RoleRequirements(BaseModel):
    role: NodeSummary
    families: dict[str, list[Requirement]]
    skills: list[SkillRequirement]


class ComparedItem(BaseModel):
    id: str
    name: str
    families_a: list[str] = []
    families_b: list[str] = []


class Comparison(BaseModel):
    shared: list[ComparedItem]
    only_a: list[ComparedItem]
    only_b: list[ComparedItem]


class RoleComparison(BaseModel):
    a: NodeSummary
    b: NodeSummary
    competencies: Comparison
    skills: Comparison


class SearchHit(NodeRef):
    score: int


class SearchResults(Listing):
    items: list[SearchHit]


class CountEntry(BaseModel):
    name: str
    count: int
    doc: str | None = None


class SchemaSummary(BaseModel):
    version: str
    labels: list[CountEntry]
    relationship_types: list[CountEntry]
    documents: dict[str, dict[str, Any]]
    release: dict[str, Any] | None


class RankedNode(NodeRef):
    score: float


class RankedNodes(Listing):
    items: list[RankedNode]


class CoveringPractice(BaseModel):
    practice: NodeRef
    level: str = Field(description="How strongly the practice contributes to the activity (strongest statement).")
    basis: str | None = Field(None, description="stated or inferred: how we know the role answers for the practice.")
    responsibility: str | None = Field(None, description="owner, manager, lead, ... when the text says.")
    rationale: str | None = None
    sources: list[str] = Field(description="Sources of the responsibility and of the contribution.")
    via: list[ActivityRef] = Field(
        [], description="With aligned=true: the aligned activities of another chain the practice contributes to."
    )


class CoverageCell(BaseModel):
    activity: str = Field(description="Activity id.")
    level: str | None = Field(None, description="Strongest contribution level among the practices below.")
    performs_in: Literal["stated", "inferred"] | None = Field(
        None, description="Set when the role works in the activity itself (PERFORMS_IN), with its basis."
    )
    performs_in_rationale: str | None = None
    performs_in_sources: list[str] = []
    practices: list[CoveringPractice] = Field(
        description="Practices the role answers for that contribute to the activity, strongest first."
    )


class RoleRef(NodeRef):
    kind: str | None = None


class RoleCoverage(BaseModel):
    role: RoleRef
    covered: int = Field(description="How many activities of the chain the role covers.")
    cells: list[CoverageCell] = Field(description="One per covered activity, in chain order.")


class RoleCoverageList(Listing):
    value_chain: ActivityRef
    activities: list[ActivityRef]
    items: list[RoleCoverage]


class ExportNode(BaseModel):
    id: str
    labels: list[str] = Field(description="The node's labels (the shared `Entity` label left out).")
    properties: dict[str, Any]


class ExportRelationship(BaseModel):
    type: str
    start: str = Field(description="Id of the start node.")
    end: str = Field(description="Id of the end node.")
    properties: dict[str, Any]


class ExportDocument(BaseModel):
    release: dict[str, Any] | None = Field(description="The release loaded (version, content hash, counts).")
    nodes: list[ExportNode]
    relationships: list[ExportRelationship]

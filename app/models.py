"""Response models: the stable, versioned JSON contract of /v1."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field


def _sorted_map(value: dict[str, Any]) -> dict[str, Any]:
    return {key: _sorted_map(item) if isinstance(item, dict) else item for key, item in sorted(value.items())}


# A map whose keys come from the store (properties, the release record): sorted, because each store
# returns them in its own order, and the same answer must be the same bytes (and ETag) on both.
PropertyMap = Annotated[dict[str, Any], AfterValidator(_sorted_map)]


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
    properties: PropertyMap


class NodeDetail(NodeRef):
    properties: PropertyMap
    sources: list[str]
    relationships: dict[str, dict[str, list[Connection]]] = Field(
        description="`out` and `in`, each grouped by relationship type."
    )


class Hop(BaseModel):
    type: str
    direction: str
    properties: PropertyMap


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
    basis: Literal["stated", "inferred"] = Field(
        "stated", description="stated, or inferred (our reading); a relationship without basis is stated."
    )
    kind: str | None = None
    level: str | int | None = Field(None, description="A contribution level, or a skill level.")
    rationale: str | None = None
    sources: list[str] = []


class Path(BaseModel):
    nodes: list[NodeRef]
    relationships: list[PathRelationship]
    length: int


class PathList(BaseModel):
    mode: Literal["shortest", "all"] = "shortest"
    paths: list[Path]
    complete: bool = Field(
        True, description="False when a bound (paths enumerated, nodes visited, time) stopped the search early."
    )
    excluded: list[str] = Field([], description="Node ids no path passes through (asked for, or hubs).")


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
    responsibility: str | None = Field(
        None, description="The kind of responsibility the text gives (owner, manager, lead, practitioner, contributor)."
    )


Basis = Literal["stated", "inferred"]


class Alignment(BaseModel):
    """An ALIGNS_WITH edge an answer came through."""

    activity: NodeRef = Field(description="The aligned activity of the other value chain.")
    basis: Basis
    rationale: str | None = None
    sources: list[str]


class Evidence(BaseModel):
    level: str
    level_cue: str | None = None
    summary: str | None = None
    sources: list[str]
    via: NodeRef | None = Field(
        None, description="With aligned=true: the aligned activity the statement is about (absent: the one asked)."
    )


class Contribution(BaseModel):
    practice: PracticeRef
    level: str = Field(description="The strongest level any cited statement supports.")
    level_cue: str | None = None
    summary: str | None = None
    sources: list[str]
    evidence: list[Evidence] = Field(description="Each statement behind the contribution, strongest first.")
    roles: list[ResponsibleRole] | None = Field(None, description="Present with include=roles.")
    alignments: list[Alignment] | None = Field(
        None, description="With aligned=true: the alignments the practice was reached through (empty: directly)."
    )


class ContributionList(Listing):
    activity: NodeSummary
    aligned_with: list[Alignment] | None = Field(
        None, description="With aligned=true: the activities of other value chains this one aligns with."
    )
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


class MappingRef(BaseModel):
    """A mapping (MAPS_TO, ALIGNS_WITH) that makes two different nodes count as the same."""

    id: str
    type: str
    kind: str | None = None
    basis: Basis
    rationale: str | None = None
    sources: list[str]


class Counterpart(NodeRef):
    facet: str = Field(description="Where the other role holds it: competencies, skills, responsibilities, activities.")
    through: MappingRef


class ComparedItem(BaseModel):
    id: str
    name: str
    label: str | None = None
    families_a: list[str] = []
    families_b: list[str] = []
    held_by: Literal["both", "a", "b"] = Field(
        "both", description="Which role holds this node itself; a shared item held by one is matched by a mapping."
    )
    counterparts: list[Counterpart] = Field(
        [], description="The other role's nodes this one is mapped to, and the mapping each comes through."
    )


class Comparison(BaseModel):
    shared: list[ComparedItem]
    only_a: list[ComparedItem]
    only_b: list[ComparedItem]


class ComparisonSummary(BaseModel):
    shared: int = Field(description="Matched pairs over every facet: identical nodes, or nodes joined by a mapping.")
    shared_identical: int
    shared_through_mappings: int
    only_a: int
    only_b: int


class RoleComparison(BaseModel):
    a: NodeSummary
    b: NodeSummary
    competencies: Comparison
    skills: Comparison
    responsibilities: Comparison | None = Field(
        None, description="What each role is RESPONSIBLE_FOR (practices, processes, ...)."
    )
    activities: Comparison | None = Field(None, description="The value chain activities each role PERFORMS_IN.")
    mappings: list[MappingRef] = Field([], description="Mappings joining the two roles themselves.")
    summary: ComparisonSummary | None = None


class SearchHit(NodeRef):
    score: int
    matched: Literal["name", "alias", "code", "id", "description"] | None = Field(
        None, description="The field the text matched (name > alias > code > id > description)."
    )


class SearchResults(Listing):
    corrected: str | None = Field(
        None, description="Set when the text matched nothing and the search ran for this spelling instead."
    )
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
    release: PropertyMap | None


class RankedNode(NodeRef):
    score: float


class RankedNodes(Listing):
    items: list[RankedNode]
    approximate: bool = Field(
        False,
        description="True when betweenness was estimated from sampled nodes (a large graph; see docs/operations.md).",
    )


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
    properties: PropertyMap


class ExportRelationship(BaseModel):
    type: str
    start: str = Field(description="Id of the start node.")
    end: str = Field(description="Id of the end node.")
    properties: PropertyMap


class ExportDocument(BaseModel):
    release: PropertyMap | None = Field(description="The release loaded (version, content hash, counts).")
    nodes: list[ExportNode]
    relationships: list[ExportRelationship]


# --- The crosswalk layer: relationships whose two ends belong to no common framework -------------


class FrameworkNodeRef(NodeRef):
    frameworks: list[str] = Field(
        description="Framework ids the node belongs to: a Framework it is PART_OF (directly or up its chain), "
        "or the framework of a document it cites."
    )


class CrosswalkMapping(BaseModel):
    id: str = Field(description="The relationship's id (TYPE:from->to).")
    type: str
    kind: str | None = Field(None, description="The relationship's kind (same-role, competency-for-practice, ...).")
    basis: Basis = Field(description="stated: a document says it; inferred: our reading (see rationale).")
    rationale: str | None = None
    level: int | None = Field(None, description="For REQUIRES of a SFIA skill: the level a text supports.")
    sources: list[str]
    documents: list[str] = Field(description="Keys of the documents the sources cite.")
    cites_both: bool = Field(description="The sources cite a document of each side's framework.")
    from_node: FrameworkNodeRef = Field(description="The end in the `from` framework (the start, unless reversed).")
    to_node: FrameworkNodeRef
    reversed: bool = Field(description="True when the relationship is stated from `to_node` to `from_node`.")


class CrosswalkList(Listing):
    from_framework: str | None = None
    to_framework: str | None = None
    items: list[CrosswalkMapping]


class CrosswalkCount(BaseModel):
    from_framework: str
    to_framework: str
    type: str
    basis: Basis
    count: int


class CrosswalkSummary(Listing):
    items: list[CrosswalkCount]


# --- Where the documents disagree -------------------------------------------------------------------


class Statement(BaseModel):
    documents: list[str] = Field(description="Keys of the documents this statement cites.")
    value: str | int | None
    level_cue: str | None = None
    relationship: str = Field(description="Id of the relationship holding the statement.")
    sources: list[str]


class Disagreement(BaseModel):
    type: str
    property: str = Field(description="The property the documents give differently (level, kind, ...).")
    start: NodeRef
    end: NodeRef
    statements: list[Statement] = Field(description="One per differing statement, strongest or first first.")


class DisagreementList(Listing):
    items: list[Disagreement]

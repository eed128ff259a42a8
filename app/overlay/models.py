"""Typed answers of the organisation overlay (part of the /v1 contract)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.models import Listing, NodeRef

Level = Literal["high", "medium", "low", "unspecified", "none"]


class OrganisationSource(BaseModel):
    id: str = Field(description="The Organisation node, organisation:<source>.")
    name: str = Field(description="The source name, as `source=` takes it.")
    title: str
    description: str | None = None
    files: list[str] = Field(description="The imported files; facts cite them as <source>:<file>:<row>.")
    rows: int = Field(description="Data rows in those files.")
    roles: int = Field(description="Roles PART_OF the organisation.")


class OrganisationSourceList(Listing):
    items: list[OrganisationSource]


# --- suggestions, similar roles, communities ---------------------------------------------------


class Overlap(BaseModel):
    score: float = Field(description="0-100: Jaccard overlap of the two sets (after mappings).")
    shared: list[NodeRef] = Field(description="What both hold (a few, by name).")
    shared_count: int
    union_count: int


class Similarity(BaseModel):
    score: float = Field(description="0-100: 0.45 name + 0.35 work + 0.20 requirements (docs/overlay.md).")
    name_score: float = Field(
        description="0-100: mean of rapidfuzz's token-set and token-sort ratios, best pair of names/aliases."
    )
    name_pair: list[str] = Field(description="The two names (or aliases) that matched best.")
    work: Overlap = Field(description="What the roles are RESPONSIBLE_FOR or PERFORM_IN.")
    requirements: Overlap = Field(description="The competencies and SFIA skills the roles REQUIRE.")
    reason: str = Field(description="The score in words.")


class SimilarRole(BaseModel):
    role: NodeRef
    kind: str | None = None
    similarity: Similarity


class SimilarRoleList(Listing):
    role: NodeRef
    items: list[SimilarRole]


class Suggestion(BaseModel):
    target: NodeRef = Field(description="The framework node suggested.")
    own: NodeRef = Field(description="What would map to it: the role, or one of its own competencies.")
    score: float = Field(description="0-100, higher is closer.")
    reason: str
    accepted: bool = Field(description="The organisation already maps `own` to `target` (MAPS_TO).")


class RoleSuggestions(BaseModel):
    role: NodeRef
    roles: list[Suggestion] = Field(description="Framework roles the role resembles, best first.")
    competencies: list[Suggestion] = Field(
        description="Framework competencies for the role's own competencies (ones no framework names), best first."
    )
    skills: list[Suggestion] = Field(description="SFIA skills the role's work resembles, best first.")


class SuggestionList(Listing):
    source: str
    items: list[RoleSuggestions]


class Community(BaseModel):
    id: int = Field(description="Position in this release's list (largest first).")
    name: str = Field(description="Named after its best-connected practice (or role).")
    size: int
    roles: list[NodeRef]
    practices: list[NodeRef]


class CommunityList(Listing):
    method: str = Field(description="How the communities were found.")
    items: list[Community]


# --- gaps, transitions ------------------------------------------------------------------------------


class HeldItem(NodeRef):
    family: str | None = Field(None, description="The family the requiring role gives it.")


class SkillGap(BaseModel):
    skill: NodeRef
    code: str
    needed_level: int | None = Field(None, description="The level the other role requires (null: not stated).")
    held_level: int | None = Field(None, description="The level held now (null: not held, or no level stated).")
    held: bool = Field(description="Whether the skill is held at all (then only its level falls short).")


class Delta(BaseModel):
    """What one role would have to acquire to hold what another holds."""

    competencies: dict[str, list[HeldItem]] = Field(
        description="Competencies to acquire, by the family the other role gives them ('unspecified' when none)."
    )
    skills: list[SkillGap] = Field(description="SFIA skills missing or held at a lower level.")
    responsibilities: list[NodeRef] = Field(description="Practices, processes, ... the other role answers for.")
    activities: list[NodeRef] = Field(description="Value chain activities the other role works in.")
    count: int = Field(description="Competencies + skills + responsibilities + activities above.")


class MappedGap(BaseModel):
    framework_role: NodeRef
    mapping_kind: str | None = None
    mapping_sources: list[str]
    needed: int = Field(description="Competencies and skills the framework role requires.")
    covered: int = Field(description="Of those, held by the own role (same node, mapped, or skill at level).")
    lacks: Delta


class RoleGaps(BaseModel):
    role: NodeRef
    mapped: list[MappedGap] = Field(description="One per framework role the organisation maps this role to.")


class GapList(Listing):
    source: str
    unmapped: list[NodeRef] = Field(description="Roles of the source mapped to no framework role yet.")
    items: list[RoleGaps]


class TransitionStep(BaseModel):
    start: NodeRef
    end: NodeRef
    via: str = Field(description="What joins the two: career-step, mapping, or similar (with the score).")
    acquire: Delta
    cumulative: Delta = Field(description="Everything acquired from the first role up to this step's end.")


class RoleTransition(BaseModel):
    start: NodeRef
    end: NodeRef
    path: list[NodeRef] = Field(description="The roles walked, first to last.")
    path_found: bool = Field(
        description="False when no path of steps joins the roles (then the one step is the direct jump)."
    )
    steps: list[TransitionStep]
    direct: Delta = Field(description="What the last role holds that the first lacks, in one jump.")


# --- coverage -------------------------------------------------------------------------------------


class CoverageVia(BaseModel):
    role: NodeRef
    practice: NodeRef | None = Field(None, description="Null when the role PERFORMS_IN the activity itself.")
    level: Level | None = Field(None, description="The practice's contribution level to the activity.")
    aligned: NodeRef | None = Field(
        None, description="The activity of another chain the level is stated for, when the chain's own has none."
    )
    sources: list[str]


class ActivityCoverage(BaseModel):
    activity: NodeRef
    covered: bool
    direct: bool = Field(description="Some own role PERFORMS_IN the activity.")
    best_level: Level | None = Field(None, description="Strongest level of a covering practice.")
    covered_by: list[CoverageVia]


class PracticeContribution(BaseModel):
    activity: NodeRef
    level: Level


class UncoveredPractice(BaseModel):
    practice: NodeRef
    contributions: list[PracticeContribution] = Field(description="The practice's levels in the chain's activities.")


class OverlayCoverage(Listing):
    source: str
    value_chain: NodeRef
    activities: list[ActivityCoverage]
    uncovered_activities: list[NodeRef]
    covered_practices: int
    practices: int
    items: list[UncoveredPractice] = Field(description="Practices no own role is RESPONSIBLE_FOR, strongest first.")


# --- change-request impact ------------------------------------------------------------------------


class ChangeRef(BaseModel):
    target: NodeRef
    skill: NodeRef = Field(description="The skill changed (the target, or the skill of a target level).")
    level: int | None = Field(None, description="The level changed (null: the skill as a whole).")
    change: str
    before: str | None = None
    after: str | None = None
    sources: list[str]


class ImpactedRole(BaseModel):
    role: NodeRef
    kind: str | None = None
    organisation: str | None = Field(None, description="The organisation source, for an own role.")
    skill: NodeRef
    held_level: int | None = None
    changes: list[str] = Field(description="The changes that touch the role (change kind and target id).")
    certainty: Literal["touched", "may-touch"] = Field(
        description="touched: the change is to the skill, or to the level the role requires; may-touch: to a "
        "level of a skill the role requires without a stated level."
    )
    reason: str


class ChangeImpact(Listing):
    change_request: NodeRef
    status: str | None = None
    changes: list[ChangeRef]
    related: list[NodeRef] = Field(description="Competencies and practices mapped to (or from) the changed skills.")
    items: list[ImpactedRole]

"""Every role's holdings, read once per release, and what one role lacks against another.

A role holds competencies and SFIA skills (REQUIRES, with family and level), responsibilities
(RESPONSIBLE_FOR) and activities (PERFORMS_IN). An item counts as held when the role holds the same
node or one a mapping makes count as the same (cypher/overlay/equivalences.cypher: an
organisation's own competency mapped to a framework one, SLMO and service level management, Zero
Outage Run and ITIL Deliver and support). A SFIA skill is held short when the other role needs a
higher level than the one held; a skill held without a stated level is not counted short.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from app.errors import NotFound
from app.graph.store import GraphStore
from app.models import NodeRef
from app.overlay.models import Delta, HeldItem, SkillGap

ORGANISATION_ROLE = "organisation-role"
UNSPECIFIED_FAMILY = "unspecified"
FACETS = ("competencies", "skills", "responsibilities", "activities")


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    label: str
    family: str | None = None
    level: int | None = None
    code: str | None = None
    kind: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def ref(self) -> NodeRef:
        return NodeRef(id=self.id, label=self.label, name=self.name)


@dataclass
class Profile:
    id: str
    name: str
    kind: str | None
    aliases: tuple[str, ...]
    competencies: dict[str, Item]
    skills: dict[str, Item]
    responsibilities: dict[str, Item]
    activities: dict[str, Item]
    mappings: list[dict[str, Any]]
    next_roles: list[str]

    @property
    def organisation(self) -> str | None:
        """The organisation source of an own role (`role:<source>:<id>`), else None."""
        return self.id.split(":")[1] if self.kind == ORGANISATION_ROLE else None

    @property
    def ref(self) -> NodeRef:
        return NodeRef(id=self.id, label="Role", name=self.name)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def facet(self, name: str) -> dict[str, Item]:
        facets: dict[str, dict[str, Item]] = {
            "competencies": self.competencies,
            "skills": self.skills,
            "responsibilities": self.responsibilities,
            "activities": self.activities,
        }
        return facets[name]

    @property
    def work(self) -> dict[str, Item]:
        return {**self.responsibilities, **self.activities}

    @property
    def requirements(self) -> dict[str, Item]:
        return {**self.competencies, **self.skills}

    @cached_property
    def work_ids(self) -> frozenset[str]:
        return frozenset(self.responsibilities) | frozenset(self.activities)

    @cached_property
    def requirement_ids(self) -> frozenset[str]:
        return frozenset(self.competencies) | frozenset(self.skills)

    def maps_to(self, target_id: str) -> dict[str, Any] | None:
        return next((m for m in self.mappings if m["id"] == target_id), None)


@dataclass
class Holdings:
    """What a person holds: ids per facet, SFIA levels (None: held, level not stated)."""

    competencies: set[str] = field(default_factory=set)
    skills: dict[str, int | None] = field(default_factory=dict)
    responsibilities: set[str] = field(default_factory=set)
    activities: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, profile: Profile) -> Holdings:
        return cls(
            set(profile.competencies),
            {k: v.level for k, v in profile.skills.items()},
            set(profile.responsibilities),
            set(profile.activities),
        )

    def absorb(self, delta: Delta) -> None:
        for items in delta.competencies.values():
            self.competencies.update(i.id for i in items)
        for gap in delta.skills:
            held = self.skills.get(gap.skill.id)
            self.skills[gap.skill.id] = max(filter(None, (held, gap.needed_level)), default=None)
        self.responsibilities.update(r.id for r in delta.responsibilities)
        self.activities.update(a.id for a in delta.activities)


def _items(rows: list[dict[str, Any]], label: str | None = None) -> dict[str, Item]:
    out: dict[str, Item] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        out[row["id"]] = Item(
            id=row["id"],
            name=row.get("name") or row["id"],
            label=label or row.get("label") or "Entity",
            family=row.get("family"),
            level=row.get("level"),
            code=row.get("code"),
            kind=row.get("kind"),
            sources=tuple(sorted(row.get("sources") or [])),
        )
    return out


def empty_delta() -> Delta:
    return Delta(competencies={}, skills=[], responsibilities=[], activities=[], count=0)


class Profiles:
    def __init__(
        self,
        role_rows: list[dict[str, Any]],
        equivalences: list[dict[str, Any]],
        skill_links: list[dict[str, Any]],
        skills: list[dict[str, Any]],
    ):
        self.roles: dict[str, Profile] = {
            row["id"]: Profile(
                id=row["id"],
                name=row["name"] or row["id"],
                kind=row["kind"],
                aliases=tuple(row["aliases"] or ()),
                competencies=_items(row["competencies"], "Competency"),
                skills=_items(row["skills"], "SFIASkill"),
                responsibilities=_items(row["responsibilities"]),
                activities=_items(row["activities"]),
                mappings=sorted(row["mappings"], key=lambda m: m["id"]),
                next_roles=sorted(row["next_roles"]),
            )
            for row in role_rows
        }
        self.equivalent: dict[str, set[str]] = defaultdict(set)
        for pair in equivalences:
            self.equivalent[pair["a"]].add(pair["b"])
            self.equivalent[pair["b"]].add(pair["a"])
        self.skill_links: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for link in skill_links:
            self.skill_links[link["skill"]].append(link)
        self.all_skills = {row["id"]: NodeRef(id=row["id"], label="SFIASkill", name=row["name"]) for row in skills}
        self.graph_cache: dict[str, Any] = {}  # derived structures (similarity graph, communities)
        self.lock = threading.Lock()

    def get(self, role_id: str) -> Profile:
        profile = self.roles.get(role_id)
        if profile is None:
            raise NotFound("role", role_id)
        return profile

    def of_source(self, source: str) -> list[Profile]:
        return sorted((p for p in self.roles.values() if p.organisation == source), key=lambda p: p.id)

    def matches(self, item_id: str, held: set[str] | dict[str, Any]) -> str | None:
        """The held id that stands for `item_id` (itself or a mapped equivalent), or None."""
        if item_id in held:
            return item_id
        return next((e for e in sorted(self.equivalent.get(item_id, ())) if e in held), None)

    def delta(self, held: Holdings, target: Profile) -> Delta:
        """What `target` holds that `held` lacks."""
        requirements = held.competencies | set(held.skills)
        competencies: dict[str, list[HeldItem]] = {}
        for item in target.competencies.values():
            if self.matches(item.id, requirements) is None:
                family = item.family or UNSPECIFIED_FAMILY
                competencies.setdefault(family, []).append(
                    HeldItem(id=item.id, label=item.label, name=item.name, family=item.family)
                )
        skills = []
        for item in target.skills.values():
            if item.id in held.skills:
                have = held.skills[item.id]
                if have is None or item.level is None or item.level <= have:
                    continue
                skills.append(_gap(item, have, held=True))
            elif self.matches(item.id, requirements) is None:
                skills.append(_gap(item, None, held=False))
        responsibilities = [
            i.ref for i in target.responsibilities.values() if self.matches(i.id, held.responsibilities) is None
        ]
        activities = [i.ref for i in target.activities.values() if self.matches(i.id, held.activities) is None]
        for items in competencies.values():
            items.sort(key=lambda i: i.name.lower())
        count = sum(len(v) for v in competencies.values()) + len(skills) + len(responsibilities) + len(activities)
        return Delta(
            competencies=dict(sorted(competencies.items())),
            skills=skills,
            responsibilities=sorted(responsibilities, key=lambda r: r.name.lower()),
            activities=sorted(activities, key=lambda r: r.name.lower()),
            count=count,
        )


def _gap(item: Item, have: int | None, *, held: bool) -> SkillGap:
    return SkillGap(
        skill=item.ref, code=item.code or item.id.split(":")[-1], needed_level=item.level, held_level=have, held=held
    )


class ProfileCache:
    """The profiles of the loaded release, read once per release tag."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._release: str | None = None
        self._profiles: Profiles | None = None

    def get(self, store: GraphStore, release: str | None) -> Profiles:
        with self._lock:
            if self._profiles is not None and self._release == release:
                return self._profiles
        profiles = Profiles(
            store.read("overlay/roles"),
            store.read("overlay/equivalences"),
            store.read("overlay/skill_links"),
            store.read("overlay/sfia_skills"),
        )
        with self._lock:
            self._profiles, self._release = profiles, release
        return profiles

"""One organisation's files -> its nodes and relationships, or the problems that stop them.

What comes out (ids under the source's name, so two organisations never collide):
- `organisation:<source>`, with every role PART_OF it;
- each catalogue row: `role:<source>:<id>` (kind organisation-role), RESPONSIBLE_FOR the practices,
  processes or activities it names, PERFORMS_IN its activities, RELATED_TO (career-step) the roles it
  progresses to;
- each inventory row: REQUIRES a SFIA skill (with its level) or a competency (with its family); a
  competency the frameworks do not know becomes the organisation's own `competency:<source>:<slug>`;
- each accepted mapping: MAPS_TO (basis stated: the organisation states it) from its own role or
  competency to a framework node.
Every fact cites the row it comes from: `<source>:<file>:<line>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seed.importers import fields
from seed.importers.fields import FieldError
from seed.importers.resolve import Resolver
from seed.importers.tables import Row, Table, read_table
from seed.limits import LoadLimits
from seed.model import NodeRecord, Ontology, Problem, RelationshipRecord

ORGANISATION_ROLE = "organisation-role"
DEFAULT_MAPPING_KIND = "organisation-mapping"
CAREER_STEP = "career-step"
RESPONSIBLE_LABELS = ("Practice", "Process", "ValueChainActivity", "ValueStream", "Artifact", "Concept")
ACTIVITY_LABELS = ("ValueChainActivity", "ValueStreamStep")
# Cells that make or name ids (bounded as ids), and free text (bounded as text); see over_limit.
ID_COLUMNS = frozenset({"id", "role", "own", "maps_to", "requirement", "progresses_to"})
TEXT_COLUMNS = frozenset({"description", "note", "reason"})


@dataclass(frozen=True)
class SourceFile:
    path: Path
    display: str  # how problems name it
    name: str  # the file name sources cite


@dataclass(frozen=True)
class OrganisationSource:
    name: str
    title: str
    files: tuple[SourceFile, ...]
    description: str | None = None


@dataclass
class Built:
    nodes: dict[str, NodeRecord] = field(default_factory=dict)
    relationships: dict[str, RelationshipRecord] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x"


class _Builder:
    def __init__(self, source: OrganisationSource, framework: Ontology, limits: LoadLimits):
        self.source = source
        self.limits = limits
        self.resolver = Resolver(framework)
        self.framework = framework
        self.out = Built()
        self.roles: dict[str, tuple[str, Row, Table]] = {}  # short id -> (node id, row, table)
        self.role_names: dict[str, tuple[str, int]] = {}  # lower name -> (short id, line)
        self.competencies: dict[str, str] = {}  # short slug -> own competency node id
        self.first_seen: dict[str, int] = {}  # relationship id -> line of its first row
        self.org_id = f"organisation:{source.name}"

    # --- helpers -------------------------------------------------------------------------------
    def problem(self, table: Table, line: int | None, entry: str, column: str | None, message: str) -> None:
        self.out.problems.append(Problem(table.display, line or None, entry, column, message))

    def cite(self, table: Table, row: Row) -> str:
        return f"{table.cite}:{row.line}"

    def cell(self, table: Table, row: Row, entry: str, column: str, parse: Callable[[Any], Any]) -> Any:
        """The parsed cell, or None after recording a problem (`...` marks a failure)."""
        try:
            value = parse(row.values.get(column))
        except FieldError as exc:
            self.problem(table, row.line, entry, column, str(exc))
            return ...
        why = self.over_limit(column, value)
        if why:
            self.problem(table, row.line, entry, column, why)
            return ...
        return value

    def items(self, table: Table, row: Row, entry: str, column: str) -> list[str]:
        """A list cell's items; none after recording a problem."""
        found = self.cell(table, row, entry, column, fields.items)
        return [] if found is ... else list(found)

    def over_limit(self, column: str, value: Any) -> str | None:
        """Why a parsed cell is longer than the load's limits allow (seed/limits.py), so that it is
        a problem here and not a failure at commit: the cells that make or name ids at most an
        id's length, text cells a text's, the rest a string's; lists at most so many items."""
        limits = self.limits
        if column in ID_COLUMNS:
            bound, what = limits.max_id_chars, "an id"
        elif column in TEXT_COLUMNS:
            bound, what = limits.max_text_chars, "a text"
        else:
            bound, what = limits.max_string_chars, "a string"
        values = value if isinstance(value, list) else [value]
        if len(values) > limits.max_list_items:
            return f"{len(values)} items, over the limit of {limits.max_list_items}"
        longest = max((len(v) for v in values if isinstance(v, str)), default=0)
        if longest > bound:
            return f"{longest} characters, over the limit of {bound} for {what}"
        return None

    def relate(
        self,
        table: Table,
        row: Row,
        entry: str,
        column: str,
        rel_type: str,
        start: str,
        end: str,
        props: dict[str, Any],
        duplicate: str,
    ) -> None:
        rel_id = f"{rel_type}:{start}->{end}"
        if rel_id in self.out.relationships:
            self.problem(table, row.line, entry, column, f"{duplicate}, first on line {self.first_seen[rel_id]}")
            return
        clean = {k: v for k, v in props.items() if v is not None and v != []}
        self.first_seen[rel_id] = row.line
        self.out.relationships[rel_id] = RelationshipRecord(
            rel_id, rel_type, start, end, {"id": rel_id, **clean, "sources": [self.cite(table, row)]}, table.display
        )

    # --- the role catalogue ----------------------------------------------------------------------
    def role_node(self, table: Table, row: Row) -> None:
        where = f"row {row.line}"
        short = self.cell(table, row, where, "id", fields.slug)
        name = self.cell(table, row, where if short is ... else f"role {short}", "name", fields.required_text)
        if short is ... or name is ...:
            return
        entry = f"role {short}"
        if short in self.roles:
            self.problem(table, row.line, entry, "id", f"duplicate role, first on line {self.roles[short][1].line}")
            return
        if name.lower() in self.role_names:
            other, line = self.role_names[name.lower()]
            self.problem(
                table, row.line, entry, "name", f"duplicate role name {name!r}, also role {other} (line {line})"
            )
            return
        aliases = self.cell(table, row, entry, "aliases", fields.items)
        description = self.cell(table, row, entry, "description", fields.text)
        node_id = f"role:{self.source.name}:{short}"
        self.roles[short] = (node_id, row, table)
        self.role_names[name.lower()] = (short, row.line)
        props: dict[str, Any] = {
            "id": node_id,
            "name": name,
            "kind": ORGANISATION_ROLE,
            "description": description if description not in (..., "") else None,
            "aliases": aliases if aliases is not ... else None,
            "sources": [self.cite(table, row)],
        }
        self.out.nodes[node_id] = NodeRecord(
            node_id, "Role", {k: v for k, v in props.items() if v not in (None, [])}, table.display
        )
        self.relate(table, row, entry, "id", "PART_OF", node_id, self.org_id, {}, "duplicate role")

    def role_links(self, table: Table, row: Row, node_id: str, short: str) -> None:
        entry = f"role {short}"
        for item in self.items(table, row, entry, "responsible_for"):
            try:
                target, kind = fields.with_kind(item)
                node = self.resolver.find(target, RESPONSIBLE_LABELS, "practice, process or activity")
            except FieldError as exc:
                self.problem(table, row.line, entry, "responsible_for", str(exc))
                continue
            self.relate(
                table,
                row,
                entry,
                "responsible_for",
                "RESPONSIBLE_FOR",
                node_id,
                node.id,
                {"basis": "stated", "kind": kind},
                f"{node.id} listed twice",
            )
        for item in self.items(table, row, entry, "performs_in"):
            try:
                node = self.resolver.find(item, ACTIVITY_LABELS, "value chain activity")
            except FieldError as exc:
                self.problem(table, row.line, entry, "performs_in", str(exc))
                continue
            self.relate(
                table, row, entry, "performs_in", "PERFORMS_IN", node_id, node.id, {"basis": "stated"}, "listed twice"
            )
        for item in self.items(table, row, entry, "progresses_to"):
            other = self.roles.get(item.removeprefix(f"role:{self.source.name}:"))
            if other is None:
                self.problem(table, row.line, entry, "progresses_to", f"no role {item!r} in the catalogue")
                continue
            if other[0] == node_id:
                self.problem(table, row.line, entry, "progresses_to", "a role cannot progress to itself")
                continue
            self.relate(
                table,
                row,
                entry,
                "progresses_to",
                "RELATED_TO",
                node_id,
                other[0],
                {"kind": CAREER_STEP, "basis": "stated"},
                "listed twice",
            )
        requires = row.values.get("requires")
        if requires is not None:
            if not isinstance(requires, list):
                self.problem(table, row.line, entry, "requires", "must be a list of {kind, requirement, level, family}")
                return
            for index, item in enumerate(requires):
                if not isinstance(item, dict):
                    self.problem(table, row.line, entry, f"requires[{index}]", "an entry is a mapping")
                    continue
                line = int(item.pop("__line__", row.line))
                unknown = set(item) - {"kind", "requirement", "level", "family", "note"}
                if unknown:
                    self.problem(
                        table, line, entry, f"requires[{index}]", f"unknown key(s) {', '.join(sorted(unknown))}"
                    )
                    continue
                self.requirement(table, Row(line, {**item, "role": short}))

    # --- the skill inventory -----------------------------------------------------------------------
    def own_competency(self, table: Table, row: Row, name: str) -> str:
        slug = _slugify(name)
        node_id = self.competencies.get(slug) or f"competency:{self.source.name}:{slug}"
        if slug not in self.competencies:
            self.competencies[slug] = node_id
            node = NodeRecord(node_id, "Competency", {"id": node_id, "name": name, "sources": []}, table.display)
            self.out.nodes[node_id] = node
            self.resolver.add(node)
        sources = self.out.nodes[node_id].properties["sources"]
        if self.cite(table, row) not in sources:
            sources.append(self.cite(table, row))
        return node_id

    def requirement(self, table: Table, row: Row) -> None:
        role = self.cell(table, row, f"row {row.line}", "role", fields.required_text)
        if role is ...:
            return
        what = self.cell(table, row, f"row {row.line}", "requirement", fields.required_text)
        entry = f"requirement {role} -> {what if what is not ... else '?'}"
        kind = self.cell(
            table, row, entry, "kind", lambda v: fields.choice(v, fields.REQUIREMENT_KINDS, "kind", required=True)
        )
        family = self.cell(
            table, row, entry, "family", lambda v: fields.choice(v, fields.FAMILIES, "family", required=False)
        )
        level = self.cell(table, row, entry, "level", lambda v: fields.level(v, required=kind == "sfia"))
        owner = self.roles.get(role.removeprefix(f"role:{self.source.name}:"))
        if owner is None:
            self.problem(table, row.line, entry, "role", f"no role {role!r} in the catalogue")
        if ... in (what, kind, family, level) or owner is None:
            return
        if kind == "sfia":
            try:
                target = self.resolver.sfia(what).id
            except FieldError as exc:
                self.problem(table, row.line, entry, "requirement", str(exc))
                return
        else:
            try:
                target = self.resolver.find(what, ("Competency",), "competency").id
            except FieldError as exc:
                if ":" in what or "several" in str(exc):
                    self.problem(table, row.line, entry, "requirement", str(exc))
                    return
                target = self.own_competency(table, row, what)
        self.relate(
            table,
            row,
            entry,
            "requirement",
            "REQUIRES",
            owner[0],
            target,
            {"family": family, "level": level},
            "duplicate requirement",
        )

    # --- accepted mappings ---------------------------------------------------------------------
    def own_node(self, text: str) -> str | None:
        short = text.removeprefix(f"role:{self.source.name}:")
        if short in self.roles:
            return self.roles[short][0]
        if text in self.out.nodes and self.out.nodes[text].label in ("Role", "Competency"):
            return text
        slug = text.removeprefix(f"competency:{self.source.name}:")
        return self.competencies.get(slug) or self.competencies.get(_slugify(text))

    def mapping(self, table: Table, row: Row) -> None:
        own_text = self.cell(table, row, f"row {row.line}", "own", fields.required_text)
        target_text = self.cell(table, row, f"row {row.line}", "maps_to", fields.required_text)
        if own_text is ... or target_text is ...:
            return
        entry = f"mapping {own_text} -> {target_text}"
        accept = self.cell(table, row, entry, "accept", lambda v: fields.flag(v, default=True))
        kind = self.cell(table, row, entry, "kind", fields.text)
        note = self.cell(table, row, entry, "note", fields.text)
        own = self.own_node(own_text)
        if own is None:
            self.problem(table, row.line, entry, "own", f"no role or own competency {own_text!r} in this organisation")
        target = self.framework.nodes.get(target_text)
        if target is None:
            self.problem(table, row.line, entry, "maps_to", f"no framework node has id {target_text!r}")
        if own is None or target is None or ... in (accept, kind, note) or not accept:
            return
        self.relate(
            table,
            row,
            entry,
            "maps_to",
            "MAPS_TO",
            own,
            target.id,
            {"basis": "stated", "kind": kind or DEFAULT_MAPPING_KIND, "rationale": note or None},
            "duplicate mapping",
        )

    # --- the whole source ----------------------------------------------------------------------
    def build(self) -> Built:
        tables: list[Table] = []
        for file in self.source.files:
            table, problems = read_table(file.path, file.display, f"{self.source.name}:{file.name}", self.limits)
            self.out.problems += problems
            if table is not None:
                tables.append(table)
        by_kind = {kind: [t for t in tables if t.kind == kind] for kind in ("roles", "skills", "mappings")}
        if not by_kind["roles"] and tables:
            self.problem(
                tables[0],
                None,
                "source",
                None,
                f"organisation {self.source.name!r} has no role catalogue; import it first",
            )
            return self.out
        for table in by_kind["roles"]:
            for row in table.rows:
                self.role_node(table, row)
        for short, (node_id, row, table) in list(self.roles.items()):
            self.role_links(table, row, node_id, short)
        for table in by_kind["skills"]:
            for row in table.rows:
                self.requirement(table, row)
        for table in by_kind["mappings"]:
            for row in table.rows:
                self.mapping(table, row)
        org = {
            "id": self.org_id,
            "name": self.source.title,
            "description": self.source.description,
            "files": [f.name for f in self.source.files],
            "rows": sum(len(t.rows) for t in tables),
            "sources": [f"{self.source.name}:{f.name}:1" for f in self.source.files],
        }
        self.out.nodes[self.org_id] = NodeRecord(
            self.org_id, "Organisation", {k: v for k, v in org.items() if v}, self.source.files[0].display
        )
        for node in self.out.nodes.values():
            if node.label == "Competency":
                node.properties["sources"].sort()
        self.out.problems.sort(key=lambda p: (p.file, p.line or 0))
        return self.out


def build(source: OrganisationSource, framework: Ontology, limits: LoadLimits | None = None) -> Built:
    """The organisation's records, its files read within `limits` (seed/limits.py); `problems`
    non-empty means none of them may be loaded."""
    if not source.files:
        return Built()
    return _Builder(source, framework, limits or LoadLimits()).build()

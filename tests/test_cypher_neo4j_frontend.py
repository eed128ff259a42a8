"""Every query the service sends is valid Neo4j 5 Cypher, checked with Neo4j's own front end.

No Neo4j server runs here, so this does not replace EXPLAIN on Neo4j (tests/test_store.py does
that when one is reachable). It runs the Neo4j query compiler's parser and semantic analysis,
compiled to JavaScript and published by Neo4j as `@neo4j-cypher/language-support`, over the exact
texts the service sends: every file in cypher/ (load templates rendered for every schema label and
type), the schema statements as the Neo4j dialect keeps them, and the ad-hoc queries the gate
lets through. That catches what ArcadeDB accepts and Neo4j would not: syntax, undefined variables,
aggregation scope, unknown functions and procedures (plugins such as APOC count as unknown),
labels, types and properties the ontology schema does not declare.

The checker lives in tools/neo4j-cypher-check (pinned in its package-lock.json); `make
install-dev` installs it with npm when npm is present. Without Node.js it skips, with the reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.cypher_gate import ALLOWED_PROCEDURES
from app.graph.dialect import Dialect
from app.graph.queries import NamedQuery, QueryRegistry, parameter_names
from app.settings import Settings
from seed.schema import OntologySchema, load_schema
from tests.test_cypher_gate import READS

ROOT = Path(__file__).resolve().parents[1]
CHECKER = ROOT / "tools" / "neo4j-cypher-check"
# Queries shown to analysts in the docs: JSON bodies ("query": "...") and CLI calls.
DOC_QUERY = re.compile(
    r'"query": ("(?:\\.|[^"\\])*")|itsm-ontology cypher "((?:MATCH|CALL|RETURN|UNWIND|OPTIONAL)[^"]*)"'
)

# Warnings accepted on purpose, each with the reason: (query name, start of the message).
ACCEPTED_WARNINGS = {
    # Both ends are looked up by id under a uniqueness constraint: the "product" is one row.
    ("paths/shortest", "If a part of a query contains multiple disconnected patterns"),
    ("saved/shortest-path", "If a part of a query contains multiple disconnected patterns"),
}
# Gate-accepted reads that name things outside our schema on purpose (the gate is tested on
# shapes, not on this ontology): their label/property/index warnings are not findings.
GATE_NAMES_OUTSIDE_SCHEMA = ("is not present in the database",)


@dataclass(frozen=True)
class Checked:
    name: str
    text: str
    parameters: tuple[str, ...] = ()


def _checker_ready() -> str | None:
    """None when the checker can run, else why not."""
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not (CHECKER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        return "its npm packages are not installed: `npm ci --prefix tools/neo4j-cypher-check`"
    return None


def lint(schema: OntologySchema, queries: list[Checked]) -> dict[str, list[dict[str, Any]]]:
    """Run the checker once over all queries; diagnostics by query name."""
    return {name: item["diagnostics"] for name, item in analyse(schema, queries).items()}


def analyse(schema: OntologySchema, queries: list[Checked]) -> dict[str, dict[str, Any]]:
    """Run the checker once over all queries: by query name, its diagnostics, the grammar rules in
    its parse tree and the procedures it calls."""
    payload = {
        "schema": {
            "labels": sorted({*schema.labels, "Entity", "Release"}),
            "relationshipTypes": sorted(schema.relationship_types),
            "propertyKeys": sorted(_property_keys(schema)),
        },
        "queries": [{"name": q.name, "text": q.text, "parameters": list(q.parameters)} for q in queries],
    }
    done = subprocess.run(
        ["node", str(CHECKER / "check.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {item["name"]: item for item in json.loads(done.stdout)}


def _property_keys(schema: OntologySchema) -> set[str]:
    keys = {"id", *schema.node_properties, *schema.relationship_properties}
    for label in schema.labels.values():
        keys |= set(label.properties)
    for rel_type in schema.relationship_types.values():
        keys |= set(rel_type.properties)
    # The Release node (cypher/load/record_release.cypher), and the keys of the loader's row maps
    # (`row.start`, `row.end`), which the checker cannot tell from properties.
    return keys | {"version", "content_hash", "loaded_at", "nodes", "relationships", "start", "end"}


def doc_queries() -> list[Checked]:
    checked = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for match in DOC_QUERY.finditer(path.read_text(encoding="utf-8")):
            text = json.loads(match.group(1)) if match.group(1) else match.group(2).replace("\\$", "$")
            if "..." not in text:
                checked.append(Checked(f"{path.name}@{match.start()}", text, parameter_names(text)))
    return checked


def _rendered(query: NamedQuery, schema: OntologySchema) -> list[Checked]:
    """A file as the service sends it: templates once per schema name they can be filled with."""
    if not query.placeholders:
        return [Checked(query.name, query.text, query.parameters)]
    [placeholder] = query.placeholders
    names = schema.labels if placeholder == "label" else schema.relationship_types
    return [
        Checked(f"{query.name}[{name}]", query.render(set(names), **{placeholder: name}), query.parameters)
        for name in sorted(names)
    ]


@pytest.fixture(scope="module")
def schema() -> OntologySchema:
    return load_schema(Settings().ontology_dir / "schema.yaml")


@pytest.fixture(scope="module")
def service_queries(schema: OntologySchema) -> list[Checked]:
    settings = Settings()
    registry = QueryRegistry(settings.cypher_dir)
    checked = [c for name in registry.names() for c in _rendered(registry[name], schema)]
    dialect = Dialect("neo4j")
    schema_text = (settings.cypher_dir / "schema.cypher").read_text(encoding="utf-8")
    checked += [Checked(f"schema.cypher#{i}", s) for i, s in enumerate(dialect.schema_statements(schema_text))]
    assert dialect.await_indexes is not None
    checked.append(Checked("dialect/await_indexes", dialect.await_indexes))
    return checked


@pytest.fixture(scope="module")
def findings(schema: OntologySchema, service_queries: list[Checked]) -> dict[str, list[dict[str, Any]]]:
    why_not = _checker_ready()
    if why_not:
        pytest.skip(f"Neo4j front-end check needs Node.js and tools/neo4j-cypher-check ({why_not})")
    gate = [Checked(f"gate-read#{i}", q, parameter_names(q)) for i, q in enumerate(READS)]
    procedures = [Checked(f"allowlisted/{p}", f"CALL {p}") for p in ALLOWED_PROCEDURES]
    return lint(schema, service_queries + gate + procedures + doc_queries())


def test_every_service_query_is_checked(service_queries: list[Checked]) -> None:
    names = {q.name.split("[")[0] for q in service_queries}
    assert {"load/merge_nodes", "load/merge_relationships", "nodes/get", "saved/role-gap"} <= names
    assert "schema.cypher#0" in names and "dialect/await_indexes" in names


def test_service_queries_are_valid_neo4j_5(
    findings: dict[str, list[dict[str, Any]]], service_queries: list[Checked]
) -> None:
    problems = [
        f"{q.name}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}"
        for q in service_queries
        for d in findings[q.name]
        if (q.name.split("[")[0], d["message"][:60]) not in {(n, m[:60]) for n, m in ACCEPTED_WARNINGS}
    ]
    assert not problems, "\n".join(problems)


def test_accepted_warnings_still_occur(findings: dict[str, list[dict[str, Any]]]) -> None:
    """An accepted warning that no longer happens should leave the list."""
    for name, message in ACCEPTED_WARNINGS:
        assert any(d["message"].startswith(message) for d in findings[name]), name


def test_reads_the_gate_accepts_are_valid_neo4j_5(findings: dict[str, list[dict[str, Any]]]) -> None:
    problems = [
        f"{q!r}: {d['message']}"
        for i, q in enumerate(READS)
        for d in findings[f"gate-read#{i}"]
        if d["severity"] == "error" and not any(s in d["message"] for s in GATE_NAMES_OUTSIDE_SCHEMA)
    ]
    assert not problems, "\n".join(problems)


def test_queries_in_the_docs_are_valid_neo4j_5(findings: dict[str, list[dict[str, Any]]]) -> None:
    documented = doc_queries()
    assert len(documented) >= 4, [q.name for q in documented]
    problems = [f"{q.name}: {q.text!r}: {d['message']}" for q in documented for d in findings[q.name]]
    assert not problems, "\n".join(problems)


def test_allowlisted_procedures_exist_in_neo4j(findings: dict[str, list[dict[str, Any]]]) -> None:
    for procedure in ALLOWED_PROCEDURES:
        errors = [d["message"] for d in findings[f"allowlisted/{procedure}"] if d["severity"] == "error"]
        assert not [e for e in errors if "is not present" in e], (procedure, errors)


def test_the_checker_finds_what_arcadedb_would_let_through(schema: OntologySchema) -> None:
    """The check has teeth: each query here is one Neo4j 5 rejects or warns about."""
    if why_not := _checker_ready():
        pytest.skip(f"Neo4j front-end check needs Node.js and tools/neo4j-cypher-check ({why_not})")
    bad = {
        "undefined-variable": ("MATCH (n:Practice) RETURN m", "Variable `m` not defined"),
        "cypher-25-only": ("MATCH (n:Practice) FILTER n.id = 'x' RETURN n", "Invalid input 'FILTER'"),
        "plugin-function": ("RETURN apoc.text.join(['a'], ',')", "Function apoc.text.join is not present"),
        "unknown-label": ("MATCH (n:Pratice) RETURN n", "Pratice is not present in the database"),
        "unknown-property": ("MATCH (n:Practice) RETURN n.nmae", "nmae is not present in the database"),
        "undeclared-parameter": ("MATCH (n {id: $x}) RETURN n", "Parameter $x is not defined"),
        "union-columns": ("RETURN 1 AS a UNION RETURN 2 AS b", "All sub queries in an UNION"),
    }
    found = lint(schema, [Checked(name, text) for name, (text, _) in bad.items()])
    for name, (_, expected) in bad.items():
        assert any(expected in d["message"] for d in found[name]), (name, found[name])

"""Every query the service sends is valid Neo4j 5 Cypher, checked with Neo4j's own front end.

No Neo4j server runs here, so this does not replace EXPLAIN on Neo4j (tests/test_store.py does
that when one is reachable). It runs the Neo4j query compiler's parser and semantic analysis,
compiled to JavaScript and published by Neo4j as `@neo4j-cypher/language-support`, over the exact
texts the service sends: every file in cypher/ (load templates rendered for every schema label and
type), the schema statements as the Neo4j dialect keeps them, and the ad-hoc queries the gate
lets through. That catches what ArcadeDB accepts and Neo4j would not: syntax, undefined variables,
aggregation scope, unknown functions and procedures (plugins such as APOC count as unknown),
labels, types and properties the ontology schema does not declare.

The checker lives in tools/neo4j-cypher-check (pinned in its package-lock.json) and is driven by
tests/neo4j_frontend.py. Without Node.js these tests skip, with the reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from app.adhoc.gate import ALLOWED_PROCEDURES
from app.graph.dialect import Dialect
from app.graph.queries import NamedQuery, QueryRegistry, parameter_names
from app.settings import Settings
from seed.schema import OntologySchema, load_schema
from tests.neo4j_frontend import Checked, lint, require_checker
from tests.test_cypher_gate import READS

ROOT = Path(__file__).resolve().parents[1]
# Queries shown to analysts in the docs: JSON bodies ("query": "...") and CLI calls.
DOC_QUERY = re.compile(
    r'"query": ("(?:\\.|[^"\\])*")|itsm-ontology cypher "((?:MATCH|CALL|RETURN|UNWIND|OPTIONAL)[^"]*)"'
)

# Warnings accepted on purpose, each with the reason: (query name, start of the message).
ACCEPTED_WARNINGS = {
    # Both ends are looked up by id under a uniqueness constraint: the "product" is one row.
    ("saved/shortest-path", "If a part of a query contains multiple disconnected patterns"),
}
# Gate-accepted reads that name things outside our schema on purpose (the gate is tested on
# shapes, not on this ontology): their label/property/index warnings are not findings.
GATE_NAMES_OUTSIDE_SCHEMA = ("is not present in the database",)


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
    require_checker()
    gate = [Checked(f"gate-read#{i}", q, parameter_names(q)) for i, q in enumerate(READS)]
    procedures = [Checked(f"allowlisted/{p}", f"CALL {p}") for p in ALLOWED_PROCEDURES]
    return lint(schema, service_queries + gate + procedures + doc_queries())


def test_every_service_query_is_checked(service_queries: list[Checked]) -> None:
    names = {q.name.split("[")[0] for q in service_queries}
    assert {"load/merge_nodes", "load/merge_relationships", "nodes/get", "saved/role-gap"} <= names
    assert "schema.cypher#0" in names and "dialect/await_indexes" in names


def _accepted(name: str, message: str) -> bool:
    base = name.split("[")[0]  # a rendered template counts as its file
    return any(base == n and message.startswith(m) for n, m in ACCEPTED_WARNINGS)


def test_service_queries_are_valid_neo4j_5(
    findings: dict[str, list[dict[str, Any]]], service_queries: list[Checked]
) -> None:
    problems = [
        f"{q.name}:{d['line']}:{d['column']}: {d['severity']}: {d['message']}"
        for q in service_queries
        for d in findings[q.name]
        if not _accepted(q.name, d["message"])
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
    require_checker()
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

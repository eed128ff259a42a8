"""`itsm-ontology cypher` and `itsm-ontology query` on the session store: formats, parameters, exit codes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from typer.testing import CliRunner

from app import cli as cli_module
from app.cli import app as cli
from app.graph.store import GraphStore


@pytest.fixture
def run(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> Any:
    @contextmanager
    def attached(settings: object, **_: object) -> Iterator[GraphStore]:
        yield store  # the CLI would start or attach to the embedded server; the suite has one already

    monkeypatch.setattr(cli_module, "open_store", attached)
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(cli, list(args))

    return invoke


def test_cypher_json_with_parameters(run: Any) -> None:
    result = run(
        "cypher",
        "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN n.id AS id, n.name AS name, $level AS level ORDER BY id",
        "--param",
        'ids=["practice:incident-management", "sfia:ITMG"]',
        "--param",
        "level=3",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["columns"] == ["id", "name", "level"]
    assert body["rows"] == [
        ["practice:incident-management", "Incident management", 3],
        ["sfia:ITMG", "Technical Service Delivery Management", 3],
    ]
    assert "2 row(s)" in result.stderr


def test_cypher_csv_and_table(run: Any) -> None:
    query = "MATCH (p:Practice) RETURN p.id AS id, p.category AS category ORDER BY id LIMIT 3"
    result = run("cypher", query, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "category"] and rows[1][0] == "practice:architecture-management" and len(rows) == 4
    table = run("cypher", "MATCH (p:Practice {id: 'practice:incident-management'}) RETURN p, p.id AS id", "-f", "table")
    assert table.exit_code == 0, table.output
    assert "(:Entity:Practice practice:incident-management)" in table.stdout  # a node, compactly


def test_truncation_is_reported(run: Any) -> None:
    result = run("cypher", "UNWIND range(1, 20) AS i RETURN i", "--limit", "5", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["row_count"] == 5 and "truncated" in result.stderr


def test_exit_codes(run: Any) -> None:
    refused = run("cypher", "MATCH (n) DETACH DELETE n")
    assert refused.exit_code == 4 and "DETACH DELETE" in refused.stderr
    syntax = run("cypher", "MATCH (n) RETRUN n")
    assert syntax.exit_code == 5 and "RETRUN" in syntax.stderr
    assert run("cypher", "RETURN 1", "--format", "xml").exit_code == 2
    assert run("cypher", "RETURN $x", "--param", "no-equals-sign").exit_code == 2


def test_saved_query_by_name(run: Any) -> None:
    result = run(
        "query", "practices-for-activity", "--param", "activity=activity:itil:deliver-and-support", "-p", "level=high"
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["rows"][0][:3] == ["practice:incident-management", "Incident management", "high"]
    assert all(row[2] == "high" for row in body["rows"])
    typed = run("query", "roles-sharing-competencies", "--param", "min_shared=10")
    assert typed.exit_code == 0 and all(row[2] >= 10 for row in json.loads(typed.stdout)["rows"])


def test_saved_query_listing_and_errors(run: Any) -> None:
    listing = run("query")
    assert listing.exit_code == 0 and "practices-for-activity" in listing.output and "--param" in listing.output
    assert run("query", "no-such-query").exit_code == 2
    wrong = run("query", "roles-sharing-competencies", "--param", "min_shared=many")
    assert wrong.exit_code == 2 and "must be int" in wrong.output
    unknown = run("query", "role-gap", "--param", "nope=1")
    assert unknown.exit_code == 2


def test_serve_logs_the_audit_lines() -> None:
    config = cli_module._log_config()
    audit = config["loggers"]["itsm_ontology.audit"]
    assert audit["level"] == "INFO" and config["handlers"][audit["handlers"][0]]["formatter"] == "audit"
    assert config["formatters"]["audit"]["format"] == "%(message)s"  # one JSON object per line

"""Drives tools/neo4j-cypher-check, Neo4j's own Cypher 5 front end (parser and semantic analysis,
from npm), for the tests that compare the service's Cypher with what Neo4j accepts and sees.

`make install-dev` installs the checker with npm when npm is present; without it, the tests that
need it skip, saying why (`require_checker`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from seed.schema import OntologySchema

CHECKER = Path(__file__).resolve().parents[1] / "tools" / "neo4j-cypher-check"


@dataclass(frozen=True)
class Checked:
    name: str
    text: str
    parameters: tuple[str, ...] = ()


def require_checker() -> None:
    """Skip the calling test, with the reason, when the checker cannot run here."""
    if shutil.which("node") is None:
        why_not = "Node.js is not installed"
    elif not (CHECKER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        why_not = "its npm packages are not installed: `npm ci --prefix tools/neo4j-cypher-check`"
    else:
        return
    pytest.skip(f"Neo4j front-end check needs Node.js and tools/neo4j-cypher-check ({why_not})")


def lint(schema: OntologySchema, queries: list[Checked]) -> dict[str, list[dict[str, Any]]]:
    """Run the checker once over all queries; diagnostics by query name."""
    return {name: item["diagnostics"] for name, item in analyse(schema, queries).items()}


def analyse(schema: OntologySchema, queries: list[Checked]) -> dict[str, dict[str, Any]]:
    """Run the checker once over all queries: by query name, its diagnostics, the grammar rules in
    its parse tree and the procedures it calls."""
    payload = {
        "schema": {
            "labels": sorted({*schema.labels, "Entity", "Release", "ReleaseContent", "ReleaseContentPart"}),
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
    # ReleaseContent (cypher/load/keep_release_content.cypher) adds release, encoding, data and
    # parts; ReleaseContentPart (keep_release_content_part.cypher) part.
    return (
        keys
        | {"version", "content_hash", "loaded_at", "nodes", "relationships", "previous", "start", "end"}
        | {
            "release",
            "encoding",
            "data",
            "parts",
            "part",
        }
    )

"""Which graph stores the suite can run against, and how to get each.

- `embedded`: always; a throw-away ArcadeDB data directory per test session.
- `neo4j`: NEO4J_URI (with NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE) when set; else a
  testcontainers Neo4j 5.26 when a Docker engine answers; else skipped, with the reason.
  The suite loads the ontology into that database: point it at a database you can spare.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.graph.lifecycle import open_store
from app.graph.store import GraphStore
from app.settings import Settings

NEO4J_IMAGE = "neo4j:5.26.2-community"
BACKENDS = ["embedded", "neo4j"]


def _docker_answers() -> str | None:
    """None when a Docker engine answers, else why not."""
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
    except Exception as exc:  # any failure means: no engine to use
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    return None


@contextmanager
def neo4j_settings(base: dict[str, object]) -> Iterator[Settings]:
    if os.environ.get("NEO4J_URI"):
        yield Settings(**base, store="neo4j")  # type: ignore[arg-type]
        return
    why_not = _docker_answers()
    if why_not:
        pytest.skip(f"Neo4j tests need NEO4J_URI or a Docker engine for testcontainers ({why_not})")
    try:
        from testcontainers.community.neo4j import Neo4jContainer  # testcontainers >= 4.15
    except ImportError:
        from testcontainers.neo4j import Neo4jContainer  # type: ignore[no-redef]

    password = "itsm-test-password"
    with Neo4jContainer(NEO4J_IMAGE, password=password) as container:
        yield Settings(
            **base,  # type: ignore[arg-type]
            store="neo4j",
            neo4j_uri=container.get_connection_url(),
            neo4j_user="neo4j",
            neo4j_password=password,
            neo4j_database="neo4j",
        )


@contextmanager
def backend_store(kind: str, data_dir: Path) -> Iterator[GraphStore]:
    base: dict[str, object] = {"data_dir": data_dir, "embedded_heap": "512m"}
    if kind == "embedded":
        with open_store(Settings(**base, store="embedded")) as store:  # type: ignore[arg-type]
            yield store
    else:
        with neo4j_settings(base) as settings, open_store(settings) as store:
            store.ping()
            yield store

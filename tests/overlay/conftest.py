"""One store per backend for the organisation-overlay tests, apart from the suite's shared store
(which holds the curated ontology only, as every other test expects). Each test module puts the
store in the state it needs at its start: the frameworks alone, or with the example organisation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app import cli as cli_module
from app.cli import app as cli
from app.graph.store import GraphStore
from app.overlay import cli as overlay_cli
from app.services.export import export_graph
from app.settings import get_settings
from seed.importers.assemble import read_all
from seed.load import load
from seed.model import Ontology
from seed.validate import read_ontology
from tests.backends import BACKENDS, backend_store

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY, EXAMPLES = ROOT / "ontology", ROOT / "examples"
ACME = EXAMPLES / "acme"


@pytest.fixture(scope="session")
def framework() -> Ontology:
    return read_ontology(ONTOLOGY)


@pytest.fixture(scope="session")
def with_acme() -> Ontology:
    """The curated ontology plus examples/acme, read as an organisations folder."""
    return read_all(ONTOLOGY, EXAMPLES)


@pytest.fixture(scope="session", params=BACKENDS)
def overlay_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with backend_store(request.param, tmp_path_factory.mktemp(f"overlay-{request.param}")) as store:
        yield store
        if store.dialect.kind == "neo4j":  # the rest of the suite expects the curated ontology there
            load(store, read_ontology(ONTOLOGY))


@pytest.fixture(scope="module")
def acme_store(overlay_store: GraphStore, with_acme: Ontology, framework: Ontology) -> Iterator[GraphStore]:
    """The store with the frameworks and the example organisation, for one test module."""
    load(overlay_store, with_acme)
    yield overlay_store
    if overlay_store.dialect.kind == "neo4j":
        load(overlay_store, framework)


@pytest.fixture(scope="module")
def bare_store(overlay_store: GraphStore, framework: Ontology) -> Iterator[GraphStore]:
    """The store with the frameworks only (no organisation), for one test module."""
    load(overlay_store, framework)
    yield overlay_store
    if overlay_store.dialect.kind == "neo4j":
        load(overlay_store, framework)


@pytest.fixture
def cli_env(bare_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """`itsm-ontology` on the overlay store, with a fresh organisations folder."""

    @contextmanager
    def attached(settings: object, **_: object) -> Iterator[GraphStore]:
        yield bare_store

    monkeypatch.setattr(overlay_cli, "open_store", attached)
    monkeypatch.setattr(cli_module, "open_store", attached)
    monkeypatch.setenv("ITSM_ORGANISATIONS_DIR", str(tmp_path / "organisations"))
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(cli, list(args))
    get_settings.cache_clear()


def graph_of(store: GraphStore) -> tuple[dict[str, Any], dict[str, Any]]:
    exported = export_graph(store)
    return (
        {n.id: n.properties for n in exported.nodes},
        {r.properties["id"]: r.properties for r in exported.relationships},
    )

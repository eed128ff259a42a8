"""Loading: plan, idempotence, removal, relabelling, atomicity, and the CLI's refusal of bad files,
on every available store.

These tests replace what the store holds. On the embedded store they get a throw-away one; on
Neo4j they use the test database (a fresh container, or NEO4J_URI's database, which the suite
already treats as one to spare) and load the whole ontology back when they are done."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.store import GraphStore
from app.services.export import export_graph
from app.settings import Settings
from seed.load import load
from seed.validate import read_ontology
from tests.backends import BACKENDS, backend_store

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
SMALL = """
nodes:
  - {label: Practice, id: "practice:alpha", name: Alpha, category: general, sources: ["001_36cf4593c3a5a483.txt:1-2"]}
  - {label: Practice, id: "practice:beta", name: Beta, category: service, sources: ["001_36cf4593c3a5a483.txt:3-4"]}
  - {label: Role, id: "role:t:owner", name: Owner, kind: itil-role, sources: ["003_34f0498d0562ac31.txt:1-2"]}
relationships:
  - {type: CONTRIBUTES_TO, from: "practice:alpha", to: "activity:itil:plan", level: high, level_cue: key, sources: ["001_36cf4593c3a5a483.txt:1-2"]}
  - {type: RESPONSIBLE_FOR, from: "role:t:owner", to: "practice:beta", basis: stated, sources: ["003_34f0498d0562ac31.txt:1-2"]}
"""


@pytest.fixture(scope="module", params=BACKENDS)
def scratch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with backend_store(request.param, tmp_path_factory.mktemp(f"scratch-{request.param}")) as store:
        yield store
        if store.dialect.kind == "neo4j":  # the rest of the suite expects the whole ontology there
            load(store, read_ontology(Settings().ontology_dir))


def use_store_from_cli(monkeypatch: pytest.MonkeyPatch, store: GraphStore, data_dir: Path) -> None:
    """Point `itsm-ontology` at the same kind of store: a fresh embedded one in `data_dir` (the
    README's path, child process included), or the scratch Neo4j database."""
    monkeypatch.setenv("ITSM_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ITSM_STORE", store.dialect.kind)
    if store.dialect.kind == "neo4j":
        assert store.uri is not None and store.auth is not None
        monkeypatch.setenv("NEO4J_URI", store.uri)
        monkeypatch.setenv("NEO4J_USER", store.auth[0])
        monkeypatch.setenv("NEO4J_PASSWORD", store.auth[1])
        monkeypatch.setenv("NEO4J_DATABASE", store.database)


@pytest.fixture
def onto_dir(tmp_path: Path) -> Path:
    shutil.copy(ONTOLOGY / "schema.yaml", tmp_path)
    shutil.copy(ONTOLOGY / "core.yaml", tmp_path)
    (tmp_path / "small.yaml").write_text(SMALL, encoding="utf-8")
    return tmp_path


def edit(onto_dir: Path, change: dict[str, object]) -> None:
    doc = yaml.safe_load((onto_dir / "small.yaml").read_text(encoding="utf-8"))
    for key, value in change.items():
        doc[key] = value
    (onto_dir / "small.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")


def graph_of(store: GraphStore) -> tuple[dict[str, object], dict[str, object]]:
    exported = export_graph(store).model_dump()
    nodes = {n["id"]: (n["labels"], n["properties"]) for n in exported["nodes"]}
    rels = {
        r["properties"]["id"]: (r["type"], r["start"], r["end"], r["properties"]) for r in exported["relationships"]
    }
    return nodes, rels


def assert_store_matches(store: GraphStore, onto_dir: Path) -> None:
    ontology = read_ontology(onto_dir)
    nodes, rels = graph_of(store)
    assert nodes == {n.id: ([n.label], n.properties) for n in ontology.nodes.values()}
    assert rels == {r.id: (r.type, r.start, r.end, r.properties) for r in ontology.relationships.values()}


def test_load_then_reload_is_a_no_op(scratch: GraphStore, onto_dir: Path) -> None:
    ontology = read_ontology(onto_dir)
    first = load(scratch, ontology)
    assert first.applied
    assert_store_matches(scratch, onto_dir)
    again = load(scratch, ontology)
    assert again.up_to_date and not again.applied and again.plan.is_empty
    assert again.release is not None and again.release["content_hash"] == ontology.content_hash


def test_changes_removals_and_relabels_are_applied_exactly(scratch: GraphStore, onto_dir: Path) -> None:
    load(scratch, read_ontology(onto_dir))
    doc = yaml.safe_load(SMALL)
    doc["nodes"][0]["name"] = "Alpha renamed"  # update
    doc["nodes"] = [n for n in doc["nodes"] if n["id"] != "practice:beta"]  # removal (and its relationship)
    doc["nodes"].append(
        {"label": "Competency", "id": "competency:gamma", "name": "Gamma", "sources": ["000_6778994f348d47a8.txt:1-2"]}
    )
    doc["relationships"] = [doc["relationships"][0]]
    edit(onto_dir, doc)
    report = load(scratch, read_ontology(onto_dir))
    summary = report.plan.summary()
    assert summary["nodes"] == {"create": 1, "update": 1, "delete": 1, "unchanged": 17}
    assert summary["relationships"]["delete"] == 0  # it went with its node (DETACH DELETE)
    assert_store_matches(scratch, onto_dir)

    # Same id, other label: the node is replaced, and its relationships come back with it.
    doc["nodes"] = [{**n, "label": "Process"} if n["id"] == "practice:alpha" else n for n in doc["nodes"]]
    doc["nodes"][0] = {k: v for k, v in doc["nodes"][0].items() if k != "category"}
    doc["nodes"][0]["id"] = "process:alpha"
    doc["relationships"] = [
        {
            "type": "PART_OF",
            "from": "process:alpha",
            "to": "framework:itil4",
            "sources": ["001_36cf4593c3a5a483.txt:1-2"],
        }
    ]
    edit(onto_dir, doc)
    load(scratch, read_ontology(onto_dir))
    assert_store_matches(scratch, onto_dir)


def test_a_failing_load_leaves_the_store_as_it_was(
    scratch: GraphStore, onto_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(scratch, read_ontology(onto_dir))
    before = graph_of(scratch)
    doc = yaml.safe_load(SMALL)
    doc["nodes"].append(
        {"label": "Competency", "id": "competency:delta", "name": "Delta", "sources": ["000_6778994f348d47a8.txt:1-2"]}
    )
    edit(onto_dir, doc)
    # The last statement of the transaction is broken Cypher: every earlier write must roll back.
    broken = scratch.queries["load/record_release"].__class__(
        "load/record_release", "CREATE (r:Release SET r = $release", "broken", ("release",), ()
    )
    monkeypatch.setitem(scratch.queries._queries, "load/record_release", broken)
    with pytest.raises(Exception, match=r"(?i)syntax|invalid|error|mismatched|expect"):
        load(scratch, read_ontology(onto_dir))
    assert graph_of(scratch) == before


def test_cli_refuses_a_broken_file_and_leaves_the_store_untouched(
    scratch: GraphStore, onto_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(scratch, read_ontology(onto_dir))
    before = graph_of(scratch)
    (onto_dir / "broken.yaml").write_text(
        'nodes:\n  - {label: Practice, id: "practice:zeta", name: Z, category: weird, sources: ["001_36cf4593c3a5a483.txt:1-2"]}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("ITSM_ONTOLOGY_DIR", str(onto_dir))
    use_store_from_cli(monkeypatch, scratch, onto_dir / "unused-data")
    from app.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["load"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "broken.yaml:2: node practice:zeta field 'category'" in result.output
    assert "nothing was loaded" in result.output
    assert graph_of(scratch) == before


def test_cli_load_dry_run_and_reload(
    scratch: GraphStore, tmp_path: Path, onto_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's `itsm-ontology load` (embedded: on its own new store): load, dry run, no-op reload."""
    from app.settings import get_settings

    monkeypatch.setenv("ITSM_ONTOLOGY_DIR", str(onto_dir))
    use_store_from_cli(monkeypatch, scratch, tmp_path / "data")
    doc = yaml.safe_load(SMALL)
    doc["nodes"][0]["name"] = "Alpha, as loaded from the CLI"  # content no earlier test loaded
    edit(onto_dir, doc)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        first = runner.invoke(cli, ["load"])
        assert first.exit_code == 0, first.output
        assert "loaded release" in first.output
        doc["nodes"][1]["name"] = "Beta changed"
        edit(onto_dir, doc)
        dry = runner.invoke(cli, ["load", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "dry run: nothing written" in dry.output
        assert "1" in dry.output.split("nodes")[1].split("\n")[0]  # one update planned
        again = runner.invoke(cli, ["load"])
        assert "loaded release" in again.output
        noop = runner.invoke(cli, ["load"])
        assert noop.exit_code == 0 and "already up to date" in noop.output
        exported = runner.invoke(cli, ["export", "--output", str(tmp_path / "graph.json")])
        assert exported.exit_code == 0, exported.output
        assert "Beta changed" in (tmp_path / "graph.json").read_text(encoding="utf-8")
    finally:
        get_settings.cache_clear()

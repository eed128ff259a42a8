"""Releases (issue 13): every load that changes content records a release with its content kept
and a new version; the diff between two releases and the change feed name exactly what changed.

Release A is a small ontology; B adds a practice, removes a role (and with it its relationship) and
changes a contribution's level. On every available store (the Neo4j one is wiped first and given
the whole ontology back afterwards, as tests/test_loader.py does)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.store import GraphStore
from app.interop import archive
from app.interop.content import from_ontology, graph_hash
from app.main import create_app
from app.paging import Page
from app.services import releases
from app.settings import Settings
from seed.load import load
from seed.model import Ontology
from seed.validate import read_ontology
from tests.backends import BACKENDS, backend_store

ROOT = Path(__file__).resolve().parent.parent

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
SMALL = {
    "nodes": [
        {
            "label": "Practice",
            "id": "practice:alpha",
            "name": "Alpha",
            "category": "general",
            "sources": ["001_36cf4593c3a5a483.txt:1-2"],
        },
        {
            "label": "Practice",
            "id": "practice:beta",
            "name": "Beta",
            "category": "service",
            "sources": ["001_36cf4593c3a5a483.txt:3-4"],
        },
        {
            "label": "Role",
            "id": "role:t:owner",
            "name": "Owner",
            "kind": "itil-role",
            "sources": ["003_34f0498d0562ac31.txt:1-2"],
        },
    ],
    "relationships": [
        {
            "type": "CONTRIBUTES_TO",
            "from": "practice:alpha",
            "to": "activity:itil:plan",
            "level": "high",
            "level_cue": "key",
            "sources": ["001_36cf4593c3a5a483.txt:1-2"],
        },
        {
            "type": "RESPONSIBLE_FOR",
            "from": "role:t:owner",
            "to": "practice:beta",
            "basis": "stated",
            "sources": ["003_34f0498d0562ac31.txt:1-2"],
        },
    ],
}
LEVEL_REL = "CONTRIBUTES_TO:practice:alpha->activity:itil:plan"
OWNER_REL = "RESPONSIBLE_FOR:role:t:owner->practice:beta"
EXPECTED = {
    ("added", "node", "practice:gamma"),
    ("removed", "node", "role:t:owner"),
    ("removed", "relationship", OWNER_REL),
    ("changed", "relationship", LEVEL_REL),
}
PAGE = Page(0, 1000, None)


def change_b(doc: dict[str, list[dict[str, object]]]) -> None:
    doc["nodes"] = [n for n in doc["nodes"] if n["id"] != "role:t:owner"] + [
        {
            "label": "Practice",
            "id": "practice:gamma",
            "name": "Gamma",
            "category": "technical",
            "sources": ["001_36cf4593c3a5a483.txt:5-6"],
        }
    ]
    doc["relationships"] = [r for r in doc["relationships"] if r["type"] != "RESPONSIBLE_FOR"]
    doc["relationships"][0]["level"] = "medium"


@dataclass
class History:
    store: GraphStore
    data_dir: Path
    onto_dir: Path
    a: dict[str, object]
    b: dict[str, object]
    onto_a: Ontology
    onto_b: Ontology
    between: str  # an ISO time after A and before B


def write(onto_dir: Path, doc: dict[str, list[dict[str, object]]]) -> Ontology:
    (onto_dir / "small.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return read_ontology(onto_dir)


@pytest.fixture(scope="module", params=BACKENDS)
def history(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    data_dir = tmp_path_factory.mktemp(f"releases-{request.param}")
    onto_dir = tmp_path_factory.mktemp("onto")
    shutil.copy(ONTOLOGY / "schema.yaml", onto_dir)
    shutil.copy(ONTOLOGY / "core.yaml", onto_dir)
    with backend_store(request.param, data_dir) as store:
        if store.dialect.kind == "neo4j":
            store.run_write("MATCH (n) DETACH DELETE n")
        doc = yaml.safe_load(yaml.safe_dump(SMALL))
        onto_a = write(onto_dir, doc)
        report_a = load(store, onto_a)
        time.sleep(0.05)
        between = releases._moment(time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".999Z")
        time.sleep(1.1)  # B loads in a later second than `between`
        change_b(doc)
        onto_b = write(onto_dir, doc)
        report_b = load(store, onto_b)
        assert report_a.release and report_b.release
        yield History(store, data_dir, onto_dir, report_a.release, report_b.release, onto_a, onto_b, between)
        if store.dialect.kind == "neo4j":
            store.run_write("MATCH (n) DETACH DELETE n")
            load(store, read_ontology(Settings().ontology_dir))


def named(changes: list[releases.Change]) -> set[tuple[str, str, str]]:
    return {(c.change, c.entity, c.id) for c in changes}


def test_each_content_change_records_a_release_with_a_new_version(history: History) -> None:
    a, b = history.a, history.b
    assert a["version"] == history.onto_a.version == "0.1.0"
    assert b["version"] == "0.1.1" and b["previous"] == a["id"]
    listed = releases.list_releases(history.store, PAGE)
    assert [r.id for r in listed.items] == [b["id"], a["id"]] and listed.total == 2
    assert all(r.kept for r in listed.items)
    again = load(history.store, history.onto_b)
    assert again.up_to_date and releases.list_releases(history.store, PAGE).total == 2


def test_version_rule() -> None:
    previous = {"version": "0.1.4", "content_hash": "h1"}
    assert archive.next_version("0.1.0", None, "h1") == "0.1.0"
    assert archive.next_version("0.1.0", previous, "h1") == "0.1.4"  # same content: same version
    assert archive.next_version("0.1.0", previous, "h2") == "0.1.5"
    assert archive.next_version("0.2.0", previous, "h2") == "0.2.0"  # a curator's bump wins


def test_kept_content_is_what_was_loaded(history: History) -> None:
    for release, onto in ((history.a, history.onto_a), (history.b, history.onto_b)):
        kept = releases.release_document(history.store, str(release["id"]))
        assert graph_hash(kept) == graph_hash(from_ontology(onto))
        assert kept.release and kept.release["version"] == release["version"]


def test_the_diff_names_exactly_the_changes(history: History) -> None:
    result = releases.diff_releases(history.store, str(history.a["id"]), str(history.b["id"]), PAGE)
    assert named(result.items) == EXPECTED
    level = next(c for c in result.items if c.id == LEVEL_REL)
    assert [(p.name, p.before, p.after) for p in level.properties] == [("level", "high", "medium")]
    added = next(c for c in result.items if c.id == "practice:gamma")
    assert added.label == "Practice" and added.after and added.after["name"] == "Gamma"
    removed = next(c for c in result.items if c.id == "role:t:owner")
    assert removed.before and removed.before["kind"] == "itil-role"
    s = result.summary
    assert (s.nodes.added, s.nodes.removed, s.nodes.changed) == (1, 1, 0)
    assert (s.relationships.added, s.relationships.removed, s.relationships.changed) == (0, 1, 1)
    by_version = releases.diff_releases(history.store, "0.1.0", "0.1.1", PAGE)
    assert named(by_version.items) == EXPECTED


def test_the_change_feed_names_exactly_the_changes(history: History) -> None:
    for since in (str(history.a["id"]), "0.1.0", history.between):
        feed = releases.changes_since(history.store, since, PAGE)
        assert feed.since and feed.since.id == history.a["id"], since
        assert feed.to_release and feed.to_release.id == history.b["id"]
        assert feed.releases == 1 and named(feed.items) == EXPECTED
    assert releases.changes_since(history.store, "latest", PAGE).items == []
    everything = releases.changes_since(history.store, "2000-01-01T00:00:00Z", PAGE)
    assert everything.since is None and everything.releases == 2
    assert {c.change for c in everything.items} == {"added"} and len(everything.items) == len(
        history.onto_b.nodes
    ) + len(history.onto_b.relationships)


@pytest.fixture(scope="module")
def api(history: History) -> Iterator[TestClient]:
    app = create_app(Settings(store="embedded"), store=history.store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_api(history: History, api: TestClient) -> None:
    a, b = str(history.a["id"]), str(history.b["id"])
    listed = api.get("/v1/releases", params={"limit": 1})
    assert listed.status_code == 200 and listed.json()["total"] == 2 and listed.json()["next"]
    assert api.get(f"/v1/releases/{a}").json()["version"] == "0.1.0"
    assert api.get("/v1/releases/latest").json()["id"] == b
    assert api.get("/v1/releases/9.9.9").status_code == 404
    diff = api.get(f"/v1/releases/{a}/diff/{b}")
    assert diff.status_code == 200
    assert {(c["change"], c["entity"], c["id"]) for c in diff.json()["items"]} == EXPECTED
    paged = api.get(f"/v1/releases/{a}/diff/{b}", params={"limit": 2}).json()
    assert paged["total"] == 4 and len(paged["items"]) == 2 and paged["next"]
    feed = api.get("/v1/changes", params={"since": a})
    assert {(c["change"], c["entity"], c["id"]) for c in feed.json()["items"]} == EXPECTED
    assert api.get("/v1/changes", params={"since": "not a time"}).status_code == 422
    old = api.get("/v1/export", params={"release": a})
    assert old.status_code == 200 and "role:t:owner" in old.text and "practice:gamma" not in old.text
    assert api.get("/v1/export", params={"release": "0.0.9"}).status_code == 404


def test_cli_diff_and_dry_run(history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.settings import get_settings

    monkeypatch.setenv("ITSM_ONTOLOGY_DIR", str(history.onto_dir))
    monkeypatch.setenv("ITSM_DATA_DIR", str(history.data_dir))  # attaches to the running store
    monkeypatch.setenv("ITSM_STORE", history.store.dialect.kind)
    if history.store.dialect.kind == "neo4j":
        assert history.store.uri is not None and history.store.auth is not None
        monkeypatch.setenv("NEO4J_URI", history.store.uri)
        monkeypatch.setenv("NEO4J_USER", history.store.auth[0])
        monkeypatch.setenv("NEO4J_PASSWORD", history.store.auth[1])
        monkeypatch.setenv("NEO4J_DATABASE", history.store.database)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        shown = runner.invoke(cli, ["diff", "0.1.0", "0.1.1"])
        assert shown.exit_code == 0, shown.output
        for _change, _entity, ident in EXPECTED:
            assert ident in shown.output
        assert "level: 'high' -> 'medium'" in shown.output
        # The dry run of going back to A prints the inverse changes.
        write(history.onto_dir, SMALL)
        dry = runner.invoke(cli, ["load", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "removed node practice:gamma" in dry.output and "added   node role:t:owner" in dry.output
        assert "level: 'medium' -> 'high'" in dry.output and "dry run: nothing written" in dry.output
    finally:
        get_settings.cache_clear()


def test_a_release_without_kept_content_gets_it_at_the_next_load(history: History, api: TestClient) -> None:
    """A release recorded before contents were kept: 409 on export and diff, until a no-op load of
    the same content keeps it."""
    b = str(history.b["id"])
    history.store.run_write("MATCH (c:ReleaseContent) WHERE c.release = $id DELETE c", {"id": b})
    assert api.get(f"/v1/releases/{b}").json()["kept"] is False
    refused = api.get("/v1/export", params={"release": b})
    assert refused.status_code == 409 and "not kept" in refused.json()["detail"]
    assert api.get(f"/v1/releases/{history.a['id']}/diff/{b}").status_code == 409
    report = load(history.store, history.onto_b)
    assert report.up_to_date
    assert api.get(f"/v1/releases/{b}").json()["kept"] is True
    assert graph_hash(releases.release_document(history.store, b)) == graph_hash(from_ontology(history.onto_b))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_long_content_is_kept_in_parts_and_read_back_whole(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A content longer than archive.PART_CHARS is written one part per statement (a million
    relationships' content is over the embedded store's 16 MiB Bolt message limit) and read back
    whole, by the API and at the next no-op load's check alike."""
    monkeypatch.setattr(archive, "PART_CHARS", 997)  # any length: the parts are only joined again
    onto_dir = tmp_path / "onto"
    onto_dir.mkdir()
    shutil.copy(ONTOLOGY / "schema.yaml", onto_dir)
    shutil.copy(ONTOLOGY / "core.yaml", onto_dir)
    onto = write(onto_dir, yaml.safe_load(yaml.safe_dump(SMALL)))
    with backend_store(backend, tmp_path / "data") as store:
        if store.dialect.kind == "neo4j":
            store.run_write("MATCH (n) DETACH DELETE n")
        try:
            report = load(store, onto)
            assert report.release
            release_id = str(report.release["id"])
            [row] = store.run_read("MATCH (c:ReleaseContent) RETURN c.parts AS parts, size(c.data) AS first")
            assert row["parts"] > 3 and row["first"] == 997
            kept = releases.release_document(store, release_id)
            assert graph_hash(kept) == graph_hash(from_ontology(onto))
            assert load(store, onto).up_to_date
            # A part gone: the content is incomplete, and says so instead of unpacking garbage.
            store.run_write("MATCH (p:ReleaseContentPart) WHERE p.part = 2 DELETE p")
            with pytest.raises(releases.ContentNotKept, match="incomplete"):
                releases.release_document(store, release_id)
        finally:
            if store.dialect.kind == "neo4j":
                store.run_write("MATCH (n) DETACH DELETE n")
                load(store, read_ontology(Settings().ontology_dir))


def test_a_load_packs_the_same_bytes_as_the_export_document() -> None:
    """The loader packs its release content straight from the records (archive.pack_ontology);
    the bytes are those of the canonical export document, packed: non-ASCII, nested lists and a
    release record with a JSON string included."""
    ontology = read_ontology(ROOT / "ontology")
    first = next(iter(ontology.nodes.values()))
    first.properties["aliases"] = ["Ünïcode ‘quoted’ \u2028 line", 'back\\slash "q"']
    release = {"id": "release:x", "version": "1.2.3", "nodes": 3, "documents": '{"b": 1, "a": [2]}', "z": None}
    assert archive.pack_ontology(ontology, release) == archive.pack(from_ontology(ontology, release))

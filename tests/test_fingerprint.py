"""A reload of files nobody touched is recognised by their fingerprint, not validated again
(seed/fingerprint.py); any change to them is validated as before, and before a store starts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.lifecycle import load_if_out_of_date, open_store
from app.settings import Settings, get_settings
from seed.fingerprint import files_fingerprint, remember, remembered
from seed.limits import LoadLimits
from tests.test_loader import ONTOLOGY, SMALL

BROKEN = (
    'nodes:\n  - {label: Practice, id: "practice:zeta", name: Z, category: weird, '
    'sources: ["001_36cf4593c3a5a483.txt:1-2"]}\n'
)


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    onto = tmp_path / "ontology"
    onto.mkdir()
    shutil.copy(ONTOLOGY / "schema.yaml", onto)
    shutil.copy(ONTOLOGY / "core.yaml", onto)
    (onto / "small.yaml").write_text(SMALL, encoding="utf-8")
    return onto, tmp_path / "organisations"


def test_the_fingerprint_changes_with_any_byte_file_or_limit(folders: tuple[Path, Path]) -> None:
    onto, organisations = folders
    first = files_fingerprint(onto, organisations)
    assert files_fingerprint(onto, organisations) == first  # the same bytes, the same fingerprint
    small = onto / "small.yaml"
    small.write_text(SMALL + "# a comment\n", encoding="utf-8")
    edited = files_fingerprint(onto, organisations)
    small.write_text(SMALL, encoding="utf-8")
    assert edited != first and files_fingerprint(onto, organisations) == first
    (onto / "extra.yaml").write_text("nodes: []\n", encoding="utf-8")
    assert files_fingerprint(onto, organisations) not in (first, edited)
    (onto / "extra.yaml").unlink()
    (onto / "notes.txt").write_text("not read by the loader", encoding="utf-8")
    assert files_fingerprint(onto, organisations) == first  # only what a load reads counts
    (organisations / "acme").mkdir(parents=True)
    (organisations / "acme" / "roles.csv").write_text("id,name\n", encoding="utf-8")
    assert files_fingerprint(onto, organisations) != first
    shutil.rmtree(organisations)
    assert files_fingerprint(onto, organisations, LoadLimits(max_file_bytes=1024)) != first


def test_the_marker_belongs_to_one_store(tmp_path: Path) -> None:
    remember(tmp_path, "embedded", None, "neo4j", "abc")
    assert remembered(tmp_path, "embedded", None, "neo4j") == "abc"
    assert remembered(tmp_path, "neo4j", "bolt://elsewhere:7687", "neo4j") is None
    assert remembered(tmp_path / "nowhere", "embedded", None, "neo4j") is None
    (tmp_path / "last-load.json").write_text("{not json", encoding="utf-8")
    assert remembered(tmp_path, "embedded", None, "neo4j") is None


@pytest.fixture
def cli_env(folders: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """`itsm-ontology` on a throw-away embedded store of its own (data directory returned)."""
    onto, _ = folders
    data = tmp_path / "data"
    monkeypatch.setenv("ITSM_ONTOLOGY_DIR", str(onto))
    monkeypatch.setenv("ITSM_DATA_DIR", str(data))
    monkeypatch.setenv("ITSM_STORE", "embedded")
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


def test_unchanged_files_are_not_validated_again_and_changed_ones_are(
    folders: tuple[Path, Path], cli_env: Path
) -> None:
    onto, organisations = folders
    runner = CliRunner()
    first = runner.invoke(cli, ["load"])
    assert first.exit_code == 0 and "ontology valid" in first.output and "loaded release" in first.output, first.output

    again = runner.invoke(cli, ["load"])
    assert again.exit_code == 0, again.output
    assert "already up to date" in again.output and "not validated again" in again.output
    assert "ontology valid" not in again.output

    # A broken file: validated, and refused, before any store starts.
    (onto / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    broken = runner.invoke(cli, ["load"])
    assert broken.exit_code == 1 and "broken.yaml:2: node practice:zeta field 'category'" in broken.output
    assert "nothing was loaded" in broken.output and "ArcadeDB started" not in broken.output
    (onto / "broken.yaml").unlink()  # the very files of the release again
    back = runner.invoke(cli, ["load"])
    assert back.exit_code == 0 and "not validated again" in back.output, back.output

    # The marker says "unchanged" but the store holds another release: validated after all.
    (onto / "small.yaml").write_text(SMALL.replace("name: Alpha", "name: Alpha again"), encoding="utf-8")
    settings = Settings()
    remember(*settings.loads_into, files_fingerprint(onto, organisations, settings.load_limits))
    stale = runner.invoke(cli, ["load"])
    assert stale.exit_code == 0 and "ontology valid" in stale.output and "loaded release" in stale.output, stale.output

    # serve --load recognises them too, on the store it started.
    with open_store(Settings()) as store:
        said = load_if_out_of_date(store, Settings())
    assert "already loaded from these very files" in said, said

"""bench/generate.py: a generated ontology has the schema of ontology/, validates and loads."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.settings import get_settings
from bench.generate import generate
from seed.validate import read_ontology

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "onto"
    generate(out, nodes=120, rels=900, seed=7, per_file=400)
    return out


def test_generated_ontology_is_the_real_one_plus_the_synthetic_part(generated: Path) -> None:
    real = read_ontology(ONTOLOGY)
    ontology = read_ontology(generated)
    assert len(ontology.nodes) == len(real.nodes) + 120
    assert len(ontology.relationships) == len(real.relationships) + 900
    assert set(real.nodes) <= set(ontology.nodes)
    assert ontology.version == real.version
    assert len(list(generated.glob("synthetic-relationships-*.yaml"))) == 3  # 900 entries, 400 a file


def test_generation_is_deterministic_and_skewed(generated: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, nodes=120, rels=900, seed=7, per_file=400)
    assert read_ontology(again).content_hash == read_ontology(generated).content_hash
    # Hubs: the busiest role requires far more than the median role.
    requires = Counter(r.start for r in read_ontology(generated).relationships.values() if r.type == "REQUIRES")
    counts = sorted(requires.values())
    assert counts[-1] >= 5 * counts[len(counts) // 2]


def test_generate_refuses_a_non_empty_folder(generated: Path) -> None:
    with pytest.raises(FileExistsError):
        generate(generated, nodes=1, rels=1)


def test_cli_validates_and_loads_a_generated_folder(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setenv("ITSM_ONTOLOGY_DIR", str(generated))
    monkeypatch.setenv("ITSM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ITSM_STORE", "embedded")
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    runner = CliRunner()
    ontology = read_ontology(generated)
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert f"valid: {len(ontology.nodes)} nodes, {len(ontology.relationships)} relationships" in result.output
    result = runner.invoke(cli, ["load"])
    assert result.exit_code == 0, result.output
    assert f"{len(ontology.nodes)} nodes, {len(ontology.relationships)} relationships" in result.output
    result = runner.invoke(cli, ["load"])
    assert result.exit_code == 0, result.output
    assert "already up to date" in result.output

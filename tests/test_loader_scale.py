"""What makes the loader fast at scale, asserted as behaviour (never time): the content hash is the
same bytes as before, a no-op load does not read the graph back, new entries are created and
changed ones merged, and the loader bench runs at a tiny scale."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import seed.load
from app.graph.store import GraphStore
from bench.generate import generate
from bench.loader import main as bench_main
from seed.load import load
from seed.model import Ontology
from seed.validate import read_ontology
from tests.backends import backend_store


def _json_hash(ontology: Ontology) -> str:
    text = json.dumps(ontology.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scale") / "onto"
    generate(out, nodes=60, rels=300, seed=3)
    return out


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    with backend_store("embedded", tmp_path_factory.mktemp("scale-data")) as store:
        yield store


def test_the_content_hash_is_json_dumps_of_the_canonical_form(ontology: Ontology, generated: Path) -> None:
    """orjson writes the bytes json.dumps wrote, so releases recorded before keep their hash."""
    assert ontology.content_hash == _json_hash(ontology)
    other = read_ontology(generated)
    assert other.content_hash == _json_hash(other)


def test_a_no_op_load_trusts_the_release_and_counts(
    scratch: GraphStore, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ontology = read_ontology(generated)
    first = load(scratch, ontology, batch_size=50, create_batch=70)  # several batches of each kind
    assert first.applied
    assert first.plan.summary()["relationships"]["create"] == len(ontology.relationships)

    def no_plan(*_args: object) -> None:
        raise AssertionError("a no-op load must not read the graph back")

    with monkeypatch.context() as patch:
        patch.setattr(seed.load, "make_plan", no_plan)
        again = load(scratch, read_ontology(generated))
    assert again.up_to_date and not again.applied and again.plan.is_empty
    assert again.plan.summary()["nodes"]["unchanged"] == len(ontology.nodes)
    assert again.release == first.release
    forced = load(scratch, ontology, force=True)  # plans against everything, records a new release
    assert forced.applied and forced.plan.is_empty
    assert forced.release is not None and first.release is not None
    assert forced.release["id"] != first.release["id"]


def test_changes_after_a_bulk_create_are_merged(scratch: GraphStore, generated: Path, tmp_path: Path) -> None:
    changed = tmp_path / "changed"
    generate(changed, nodes=60, rels=300, seed=3)
    path = changed / "synthetic-nodes-0001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name: "', 'name: "Renamed ', 1), encoding="utf-8")
    ontology = read_ontology(changed)
    report = load(scratch, ontology)
    summary = report.plan.summary()
    assert summary["nodes"]["update"] == 1 and summary["nodes"]["create"] == 0
    rows = scratch.run_read("MATCH (n:Entity) WHERE n.name STARTS WITH 'Renamed' RETURN n.id AS id")
    assert len(rows) == 1
    counts = scratch.read_one("load/counts")
    assert counts == {"nodes": len(ontology.nodes), "relationships": len(ontology.relationships)}


def test_the_loader_bench_runs_at_a_tiny_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "loader.json"
    assert bench_main(["--scales", "40x150", "--heap", "256m", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "validated/s" in printed and "no-op load s" in printed and f"saved {out}" in printed
    saved = json.loads(out.read_text(encoding="utf-8"))
    [row] = saved["scales"]
    assert row["scale"] == "40x150" and row["relationships"] > 150
    for key in ("validate_s", "plan_s", "write_s", "noop_reload_s", "validate_and_noop_s", "validate_per_s"):
        assert row[key] > 0
    assert saved["machine"]["cpus"] >= 1


_COMPARE = """
import json, sys
from pathlib import Path
from seed.parallel import can_fork
from seed.validate import OntologyInvalid, read_ontology
out = {"can_fork": can_fork()}
for workers in (0, 2):
    try:
        onto = read_ontology(Path(sys.argv[1]), workers=workers)
        out[str(workers)] = {"hash": onto.content_hash, "nodes": sorted(onto.nodes)}
    except OntologyInvalid as exc:
        out[str(workers)] = {"problems": [str(p) for p in exc.problems]}
print(json.dumps(out))
"""


def _both_ways(folder: Path) -> dict[str, Any]:
    """read_ontology with workers=0 and workers=2 in a fresh process (one thread: forking is
    allowed there, where pytest's process may hold store drivers' threads)."""
    done = subprocess.run(
        [sys.executable, "-c", _COMPARE, str(folder)], capture_output=True, text=True, timeout=300, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["can_fork"], "worker processes were not used"
    return result


def test_checking_in_worker_processes_gives_the_same_ontology_and_problems(generated: Path, tmp_path: Path) -> None:
    """Large ontologies are checked file by file in forked worker processes (seed/validate.py,
    seed/parallel.py); forced here at a small scale, the result is the one checked in one process:
    the same content; the same problems, lines and order, duplicates across files included."""
    same = _both_ways(generated)
    assert same["2"] == same["0"] and "hash" in same["0"]

    broken = tmp_path / "onto"
    shutil.copytree(generated, broken)
    latin1 = 'nodes:\n  - {label: Practice, id: "practice:caf\xe9"}\n'.encode("latin-1")
    (broken / "bad-latin1.yaml").write_bytes(latin1)
    [rels] = sorted(broken.glob("synthetic-relationships-*.yaml"))
    text = rels.read_text(encoding="utf-8")
    rels.write_text(text.replace("type: ", "type: NOT_A_TYPE_", 1), encoding="utf-8")
    nodes_file = next(iter(sorted(broken.glob("synthetic-nodes-*.yaml"))))
    lines = nodes_file.read_text(encoding="utf-8").splitlines(keepends=True)
    entry = next(line for line in lines if line.lstrip().startswith("- "))
    (broken / "zz-duplicate.yaml").write_text("nodes:\n" + entry, encoding="utf-8")
    differ = _both_ways(broken)
    problems = differ["0"]["problems"]
    assert differ["2"]["problems"] == problems
    assert any(p.startswith("onto/bad-latin1.yaml:2: ") and "not UTF-8" in p for p in problems)
    assert any("NOT_A_TYPE_" in p for p in problems)
    assert any(p.startswith("onto/zz-duplicate.yaml:2: ") and "duplicate id, first defined in" in p for p in problems)

"""The bench runs end to end at a small scale: behaviour only (its figures are never asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run


def test_the_bench_prints_and_saves_every_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    scale = "tiny" if run.generator_available() else "seed"
    code = run.main(
        [
            "--scale",
            scale,
            "--store",
            "embedded",
            "--iterations",
            "3",
            "--budget",  # spent by the first sample: one sample a figure
            "0.000001",
            "--duration",
            "0.3",
            "--clients",
            "1,2",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    results = json.loads(out.read_text())
    (figures,) = results["stores"]
    names = {request.name for request in run.REQUESTS}
    assert set(figures["http_ms"]) == names and set(figures["http_nocache_ms"]) == names
    assert {"headline", "neighbours d4", "paths", "role compare", "saved query"} <= set(figures["store_ms"])
    for section in ("http_ms", "http_nocache_ms"):
        assert all(v["errors"] == 0 and {"p50", "p95", "p99"} <= set(v) for v in figures[section].values())
        assert all(v["n"] == 1 for v in figures[section].values())
    assert figures["capture_failed"] == {}
    assert set(figures["throughput"]) == {"1", "2"}
    assert all(t["requests"] > 0 and t["errors"] == 0 for t in figures["throughput"].values())
    assert figures["nodes"] > 0 and figures["load_s"] > 0 and figures["service_peak_rss_mb"]
    assert figures["store_peak_rss_mb"]
    # `serve --load` on an empty data directory: answered, after starting the store once
    assert figures["cold_start"]["first_answer_s"] > 0 and figures["cold_start"]["store_starts"] == 1
    printed = capsys.readouterr().out
    assert (
        "neighbours d4" in printed and "throughput (mix)" in printed and printed.strip() == "\n".join(results["table"])
    )


def test_the_search_bench_runs_at_a_tiny_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """bench/search.py: every search text answered, typos corrected, figures printed and saved."""
    from bench.search import QUERIES
    from bench.search import main as search_bench

    out = tmp_path / "search.json"
    assert search_bench(["--nodes", "200", "--iterations", "3", "--out", str(out)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    by_kind = {q["kind"]: q for q in figures["queries"]}
    assert set(by_kind) == {kind for kind, _text in QUERIES}
    assert by_kind["exact name"]["first"] == "Incident management"
    assert by_kind["typo"]["corrected"] == "incident management"
    assert by_kind["nothing matches"]["total"] == 0
    assert all(q["p50_ms"] >= 0 for q in figures["queries"])
    assert "index built in" in capsys.readouterr().out

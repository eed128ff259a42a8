"""Measure a store end to end: start (embedded) or connect (Neo4j), load, no-op reload, API latencies.

python -m bench.run [--store embedded|neo4j] [--iterations 50] [--out bench/results/STORE.json]

`--store neo4j` takes the server from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE and
loads the ontology into that database (use one you can spare), as the test suite does.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.graph.lifecycle import open_store
from app.main import create_app
from app.settings import Settings
from seed.load import load
from seed.validate import read_ontology

REQUESTS = {
    "headline (deliver and support, roles)": (
        "/v1/value-chain/activity:itil:deliver-and-support/practices",
        {"include": "roles"},
    ),
    "node detail": ("/v1/nodes/practice:incident-management", {}),
    "neighbors depth 2": ("/v1/nodes/practice:incident-management/neighbors", {"depth": 2, "limit": 200}),
    "shortest paths": ("/v1/paths", {"from": "role:zero-outage:incident-manager", "to": "activity:itil:plan"}),
    "compare roles": ("/v1/roles/role:zero-outage:incident-manager/compare/role:zero-outage:problem-manager", {}),
    "search 'incid'": ("/v1/search", {"q": "incid"}),
    "list practices": ("/v1/nodes", {"label": "Practice", "limit": 50}),
    "export": ("/v1/export", {}),
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", choices=["embedded", "neo4j"], default=Settings().store)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out: Path = args.out or Path(f"bench/results/{args.store}.json")

    figures: dict[str, Any] = {
        "store": args.store,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(store=args.store, data_dir=Path(data), allow_open_cypher=True, cypher_rate_limit=None)
        ontology = read_ontology(settings.ontology_dir)
        started = time.perf_counter()
        with open_store(settings) as store:
            figures["start_s"] = round(time.perf_counter() - started, 3)
            t0 = time.perf_counter()
            first = load(store, ontology)
            figures["load_s"] = round(time.perf_counter() - t0, 3)
            figures["load_writes"] = first.plan.writes  # 0 when a Neo4j database already held this release
            t0 = time.perf_counter()
            report = load(store, ontology)
            figures["reload_noop_s"] = round(time.perf_counter() - t0, 3)
            assert report.up_to_date
            figures["nodes"], figures["relationships"] = len(ontology.nodes), len(ontology.relationships)
            latencies: dict[str, dict[str, float]] = {}
            with TestClient(create_app(settings, store=store)) as client:
                for name, (path, params) in REQUESTS.items():
                    client.get(path, params=params)  # warm the plan caches
                    samples = []
                    for _ in range(args.iterations):
                        t0 = time.perf_counter()
                        response = client.get(path, params=params)
                        samples.append((time.perf_counter() - t0) * 1000)
                        assert response.status_code == 200, response.text
                    latencies[name] = {
                        "p50_ms": round(statistics.median(samples), 2),
                        "p95_ms": round(percentile(samples, 0.95), 2),
                    }
            figures["api_latency"] = latencies
    ready = "up" if args.store == "embedded" else "connected"
    print(
        f"{args.store} store {ready} in {figures['start_s']} s; loaded {figures['nodes']} nodes and "
        f"{figures['relationships']} relationships in {figures['load_s']} s; no-op reload {figures['reload_noop_s']} s"
    )
    print(f"{'request':<40} {'p50 ms':>8} {'p95 ms':>8}   ({args.iterations} runs each, through the ASGI app)")
    for name, values in figures["api_latency"].items():
        print(f"{name:<40} {values['p50_ms']:>8} {values['p95_ms']:>8}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"saved {out}")


if __name__ == "__main__":
    main()

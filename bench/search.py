"""Measure search at scale: the in-memory index of one release, built and queried without a store.

python -m bench.search [--nodes 100000] [--iterations 200] [--out bench/results/search-100k.json]

The folder comes from bench/generate.py (`--nodes` synthetic nodes beside the real ones, no
synthetic relationships: search reads nodes only). Its nodes become the rows the store's query
(cypher/search/index.cypher) returns, the index is built from them as the service builds it on the
first search after a load (timed), then each kind of search text is answered `--iterations` times
through app.services.search.answer, which is what `GET /v1/search` runs once the index is held:
the page of 20 hits, the total and the spelling correction. The HTTP layer adds its own fixed cost
(see docs/performance.md). The synthetic names draw on 40 words, so a common word matches tens of
thousands of nodes: the `one common word` and `one letter` rows are the worst cases, not typical.
Printed as a table and saved as JSON.
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

from app.paging import Page
from app.services.search import SearchIndex, answer
from bench.generate import generate
from seed.validate import read_ontology

# (what it exercises, search text)
QUERIES: tuple[tuple[str, str], ...] = (
    ("exact name", "incident management"),
    ("typo", "incdent managment"),
    ("words in any order", "manager incident"),
    ("prefix (autocomplete)", "inci"),
    ("code", "itil"),
    ("id fragment", "practice:service-desk"),
    ("one common word", "capacity"),
    ("one letter", "s"),
    ("nothing matches", "zzzzqqqq"),
)
PAGE = Page(skip=0, limit=20, release=None)


def rows_of(folder: Path) -> list[dict[str, Any]]:
    """The rows cypher/search/index.cypher would return for this ontology once loaded."""
    ontology = read_ontology(folder)
    return [
        {
            "id": node.id,
            "name": node.properties.get("name"),
            "code": node.properties.get("code"),
            "aliases": node.properties.get("aliases") or [],
            "description": node.properties.get("description"),
            "labels": ["Entity", node.label],
        }
        for node in ontology.nodes.values()
    ]


def _ms(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def measure(rows: list[dict[str, Any]], iterations: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    index = SearchIndex(rows)
    built_s = time.perf_counter() - t0
    figures: dict[str, Any] = {"nodes": len(rows), "build_s": round(built_s, 3), "queries": []}
    for kind, text in QUERIES:
        samples = []
        result = answer(index, text, label=None, page=PAGE)
        for _ in range(iterations):
            t0 = time.perf_counter()
            answer(index, text, label=None, page=PAGE)
            samples.append(time.perf_counter() - t0)
        figures["queries"].append(
            {
                "kind": kind,
                "text": text,
                "total": result.total,
                "first": result.items[0].name if result.items else None,
                "corrected": result.corrected,
                "p50_ms": round(statistics.median(samples) * 1000, 3),
                "p95_ms": round(_ms(samples, 0.95), 3),
                "p99_ms": round(_ms(samples, 0.99), 3),
            }
        )
    return figures


def table(figures: dict[str, Any]) -> str:
    head = f"{'search':<24} {'text':<24} {'hits':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  first hit"
    lines = [head, "-" * len(head)]
    for q in figures["queries"]:
        first = f"{q['first']}" + (f" (as {q['corrected']!r})" if q["corrected"] else "")
        lines.append(
            f"{q['kind']:<24} {q['text']:<24} {q['total']:>7,} {q['p50_ms']:>8.2f} {q['p95_ms']:>8.2f} "
            f"{q['p99_ms']:>8.2f}  {first[:40]}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000, help="synthetic nodes beside the real ones")
    parser.add_argument("--iterations", type=int, default=200, help="answers timed per search text")
    parser.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/search-N.json)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        folder = Path(tmp) / "onto"
        generate(folder, nodes=args.nodes, rels=0)
        rows = rows_of(folder)
    figures = measure(rows, args.iterations)
    figures["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    figures["iterations"] = args.iterations
    print(f"search over {figures['nodes']:,} nodes; index built in {figures['build_s']:.2f}s")
    print(table(figures))
    out = args.out or Path("bench/results") / f"search-{args.nodes}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Measure the loader at several scales: validation, planning, the store's writes, a no-op reload.

python -m bench.loader [--scales seed,10k] [--heap 2g] [--batch-size N] [--out bench/results/loader.json]

A scale is `seed` (the real ontology), `10k` (10,000 synthetic nodes and 100,000 relationships
on top of it), `100k` (100,000 and 1,000,000; run by hand: it takes minutes) or `NODESxRELS`.
Generated folders come from bench/generate.py (seed 1) in a temporary directory; each scale loads
into a fresh embedded store. Per scale: `validate` (read_ontology: parse, check, content hash),
the first `load` split into its planning part (schema, reading what the store holds, the plan) and
its writes (one transaction), then a no-op `load` of the same content (plan, up to date), and
validation plus the no-op load together (what `itsm-ontology load` costs when nothing changed).
Rates are entries (nodes + relationships) per second of wall time, and for validation also per
second of CPU time, this process's and its validation workers' (`workers`: how many processes
read_ontology forked, 0 below its size threshold or where threads run; seed/parallel.py). The table is printed and
saved as JSON (with the load average at the start, to read the wall times by).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from app.graph.lifecycle import open_store
from app.settings import Settings
from bench.generate import DEFAULT_ONTOLOGY, generate
from seed.load import load
from seed.plan import Plan
from seed.validate import read_ontology, workers_for

PRESETS = {"10k": (10_000, 100_000), "100k": (100_000, 1_000_000)}


def _scale(name: str) -> tuple[int, int] | None:
    if name == "seed":
        return None
    if name in PRESETS:
        return PRESETS[name]
    nodes, _, rels = name.partition("x")
    return int(nodes), int(rels)


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    except OSError:
        return "?"
    return done.stdout.strip() or "?"


def measure(name: str, folder: Path, heap: str, batch_size: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"scale": name}
    figures["validate_workers"] = workers_for(folder)
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    ontology = read_ontology(folder)
    _ = ontology.content_hash
    figures["validate_s"] = time.perf_counter() - t0
    # this process and the worker processes validation forked (seed/parallel.py), once reaped
    figures["validate_cpu_s"] = time.process_time() - c0 + _children_cpu() - k0
    entries = len(ontology.nodes) + len(ontology.relationships)
    figures.update(nodes=len(ontology.nodes), relationships=len(ontology.relationships), entries=entries)
    with tempfile.TemporaryDirectory(prefix="bench-loader-") as data:
        settings = Settings(store="embedded", data_dir=Path(data), embedded_heap=heap)
        with open_store(settings) as store:
            planned: list[float] = []

            def on_plan(_plan: Plan) -> None:
                planned.append(time.perf_counter())

            t0, c0 = time.perf_counter(), time.process_time()
            first = load(store, ontology, batch_size=batch_size, on_plan=on_plan)
            t1 = time.perf_counter()
            figures["load_cpu_s"] = time.process_time() - c0  # this process only, not the store's
            assert first.applied
            figures["plan_s"] = planned[0] - t0
            figures["write_s"] = t1 - planned[0]
            figures["load_s"] = t1 - t0
            t0, c0 = time.perf_counter(), time.process_time()
            again = load(store, ontology, batch_size=batch_size)
            figures["noop_reload_s"] = time.perf_counter() - t0
            figures["noop_reload_cpu_s"] = time.process_time() - c0
            assert again.up_to_date, again.plan.summary()
            t0 = time.perf_counter()
            fresh = read_ontology(folder)
            assert load(store, fresh, batch_size=batch_size).up_to_date
            figures["validate_and_noop_s"] = time.perf_counter() - t0
    figures["validate_per_s"] = entries / figures["validate_s"]
    figures["validate_per_cpu_s"] = entries / figures["validate_cpu_s"]
    figures["write_per_s"] = entries / figures["write_s"]
    figures["validate_and_load_s"] = figures["validate_s"] + figures["load_s"]
    figures["peak_rss_mb"] = _rss_mb()
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}


COLUMNS = (
    ("scale", "scale", "{}"),
    ("nodes", "nodes", "{:,}"),
    ("relationships", "rels", "{:,}"),
    ("validate_workers", "workers", "{}"),
    ("validate_s", "validate s", "{:.2f}"),
    ("validate_per_s", "validated/s", "{:,.0f}"),
    ("validate_per_cpu_s", "validated/cpu-s", "{:,.0f}"),
    ("plan_s", "plan s", "{:.2f}"),
    ("write_s", "write s", "{:.2f}"),
    ("write_per_s", "written/s", "{:,.0f}"),
    ("validate_and_load_s", "validate+load s", "{:.2f}"),
    ("noop_reload_s", "no-op load s", "{:.2f}"),
    ("validate_and_noop_s", "validate+no-op s", "{:.2f}"),
    ("peak_rss_mb", "peak RSS MB", "{:,.0f}"),
)


def table(rows: list[dict[str, Any]]) -> str:
    cells = [[fmt.format(row[key]) for key, _title, fmt in COLUMNS] for row in rows]
    widths = [max(len(title), *(len(c[i]) for c in cells)) for i, (_k, title, _f) in enumerate(COLUMNS)]
    lines = [" | ".join(title.rjust(w) for (_k, title, _f), w in zip(COLUMNS, widths, strict=True))]
    lines.append("-|-".join("-" * w for w in widths))
    lines += [" | ".join(c.rjust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="seed,10k", help="comma-separated: seed, 10k, 100k or NODESxRELS")
    parser.add_argument("--heap", default="2g", help="JVM heap of the embedded store")
    parser.add_argument("--batch-size", type=int, default=Settings().load_batch_size)
    parser.add_argument("--out", type=Path, default=Path("bench/results/loader.json"))
    args = parser.parse_args(argv)
    machine = {
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "commit": _commit(),
        "arcadedb_build": Settings().arcadedb_build,
    }
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-onto-") as work:
        for name in args.scales.split(","):
            scale = _scale(name.strip())
            folder = DEFAULT_ONTOLOGY
            generated_s = 0.0
            if scale is not None:
                folder = Path(work) / name
                t0 = time.perf_counter()
                generate(folder, nodes=scale[0], rels=scale[1], seed=1)
                generated_s = time.perf_counter() - t0
            row = measure(name.strip(), folder, args.heap, args.batch_size)
            row["generate_s"] = round(generated_s, 2)
            rows.append(row)
            print(f"{name}: {json.dumps(row)}", flush=True)
    print()
    print(table(rows))
    print(
        f"\n{machine['cpus']} cpus, load average {machine['load_average_at_start']} at start, "
        f"Python {machine['python']}, libyaml {machine['libyaml']}, commit {machine['commit']}, "
        f"batch size {args.batch_size}, heap {args.heap}, ArcadeDB build {machine['arcadedb_build']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"machine": machine, "batch_size": args.batch_size, "heap": args.heap, "scales": rows}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Start the embedded store's child a few times and report its start time and memory.

    python -m bench.store_start [--build jvm|native] [--starts 5] [--heap 512m] [--out FILE]

The first start is on a new data directory, the repeats on the same one again (a first start
on a new directory and a restart differ: the native build starts twice on a new directory to write
the read-only user's group). Per start: `start_s`, from spawning the child to its Bolt port open
(EmbeddedArcadeDB.start_seconds). Memory: the child's RSS idle after each start, then its RSS and
peak RSS (VmHWM) after loading the real ontology, in MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from app.graph.embedded import EmbeddedArcadeDB
from app.graph.lifecycle import open_store
from app.settings import Settings
from seed.load import load
from seed.validate import read_ontology


def _status_mb(pid: int, key: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def measure(build: str, starts: int, heap: str) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-start-") as work:
        for i in range(starts):
            data = Path(work) / "fresh"  # new at the first start, reused by the repeats
            server = EmbeddedArcadeDB(data, build=build, heap=heap)
            server.start()
            assert server.process is not None
            pid = server.process.pid
            time.sleep(1.0)  # let the start's own threads settle before reading the RSS
            rows.append(
                {
                    "new_directory": i == 0,
                    "start_s": round(server.start_seconds or 0.0, 3),
                    "rss_idle_mb": _status_mb(pid, "VmRSS"),
                }
            )
            server.stop()
        data = Path(work) / "loaded"
        settings = Settings(store="embedded", data_dir=data, embedded_heap=heap, arcadedb_build=build)  # type: ignore[arg-type]
        ontology = read_ontology(settings.ontology_dir)
        with open_store(settings) as store:
            load(store, ontology)
            state = json.loads((data.resolve() / "arcadedb" / "server.json").read_text())
            loaded = {"rss_mb": _status_mb(state["pid"], "VmRSS"), "peak_rss_mb": _status_mb(state["pid"], "VmHWM")}
    repeats = [r["start_s"] for r in rows if not r["new_directory"]] or [rows[0]["start_s"]]
    return {
        "build": build,
        "heap": heap,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "starts": rows,
        "restart_s_median": round(statistics.median(repeats), 3),
        "after_seed_load": loaded,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", choices=["jvm", "native"], default=Settings().arcadedb_build)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--heap", default="512m")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = measure(args.build, max(1, args.starts), args.heap)
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

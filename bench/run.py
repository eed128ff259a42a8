"""The bench: one run measures a store end to end and prints one table (saved as JSON too).

    python -m bench.run [--scale seed|10k|100k|N] [--rels N] [--store embedded|neo4j|both]
                        [--iterations 100] [--duration 10] [--clients 1,16,64] [--workers 1]
                        [--out bench/results/NAME.json]

For each store (the embedded ArcadeDB; Neo4j as well when NEO4J_URI is set, side by side):

- validate, start, load and no-op reload: seconds and entries per second;
- p50/p95/p99 of the headline, neighbours at depth 1-4, paths, search, role compare and a saved
  query, three ways: **store**, the very Cypher the endpoint sends with nothing held in memory
  (recorded from one call; neighbours: one query per level) replayed through the driver;
  **http-nc**, a real uvicorn on loopback with the release's in-memory answers turned off
  (ITSM_ANSWER_CACHE=false), so every request computes;
  **http**, the service as shipped. `ratio` is http-nc p50 / store p50: the API's own overhead;
- throughput over a mix of requests at 1, 16 and 64 concurrent keep-alive clients;
- peak RSS of the service and of the store process.

`--scale seed` (the default) benches the real ontology. `--scale 10k` generates (bench/generate.py)
the real ontology plus 10,000 nodes and 100,000 relationships (`--rels` to choose), `100k` 100,000
and 1,000,000. `--store neo4j` loads into NEO4J_DATABASE of the server at NEO4J_URI (use one you
can spare). Tests run this at a tiny scale for behaviour only (tests/test_bench.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.graph.store import GraphStore
from app.settings import Settings
from bench import client
from bench.client import Request
from bench.server import Service, peak_rss_mb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAVED_QUERY = "role-gap"
ROLE_A, ROLE_B = "role:zero-outage:incident-manager", "role:zero-outage:problem-manager"
HUB = "practice:incident-management"

REQUESTS: list[Request] = [
    Request(
        "headline",
        "/v1/value-chain/activity:itil:deliver-and-support/practices",
        (("include", "roles"), ("limit", "50")),
    ),
    *(
        Request(f"neighbours d{depth}", f"/v1/nodes/{HUB}/neighbors", (("depth", str(depth)), ("limit", "50")))
        for depth in (1, 2, 3, 4)
    ),
    Request("paths", "/v1/paths", (("from", ROLE_A), ("to", "activity:itil:plan"))),
    Request("search prefix", "/v1/search", (("q", "incid"),)),
    Request("search typo", "/v1/search", (("q", "incdent managment"),)),
    Request("search words", "/v1/search", (("q", "manager incident"),)),
    Request("role compare", f"/v1/roles/{ROLE_A}/compare/{ROLE_B}"),
    Request("saved query", f"/v1/queries/{SAVED_QUERY}", method="POST", body=b"{}"),
    Request("node detail", f"/v1/nodes/{HUB}"),
]
BY_NAME = {r.name: r for r in REQUESTS}
# The mix of the throughput runs: what an explorer page and an integration ask for most.
MIX: list[tuple[Request, int]] = [
    (BY_NAME["headline"], 20),
    (BY_NAME["node detail"], 20),
    (BY_NAME["neighbours d1"], 10),
    (BY_NAME["neighbours d2"], 10),
    (BY_NAME["search prefix"], 15),
    (BY_NAME["search typo"], 5),
    (BY_NAME["paths"], 5),
    (BY_NAME["role compare"], 10),
    (Request("list practices", "/v1/nodes", (("label", "Practice"), ("limit", "50"))), 5),
]
SCALES = {"seed": (0, 0), "tiny": (40, 120), "10k": (10_000, 100_000), "100k": (100_000, 1_000_000)}


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 2)

    return {"p50": round(statistics.median(ordered), 2), "p95": at(0.95), "p99": at(0.99), "n": len(ordered)}


def scale_of(text: str, rels: int | None) -> tuple[int, int]:
    if text in SCALES:
        nodes, default_rels = SCALES[text]
    else:
        nodes = int(float(text.lower().removesuffix("k")) * (1000 if text.lower().endswith("k") else 1))
        default_rels = nodes * 10
    return nodes, default_rels if rels is None else rels


def generator_available() -> bool:
    return (HERE / "generate.py").exists()


def ontology_for(nodes: int, rels: int, work: Path) -> Path:
    """The real ontology at seed scale; else a generated one (bench/generate.py) under `work`."""
    if not nodes and not rels:
        return Settings().ontology_dir
    try:
        from bench.generate import generate  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        sys.exit("larger scales need the generator, bench/generate.py (not in this checkout)")
    out = work / f"ontology-{nodes}-{rels}"
    generate(out, nodes=nodes, rels=rels)
    return out


# --- the store's own time: the endpoint's Cypher, replayed --------------------------------------------


Recorded = list[tuple[str, dict[str, Any]]]


@contextmanager
def recording(store: GraphStore) -> Iterator[Recorded]:
    """Every read the store runs while the block runs, from request threads (not the release
    lookups of background threads), in order."""
    calls: Recorded = []
    original = store.run_read
    latest = store.queries["meta/latest_release"].text

    def run_read(text: str, params: dict[str, Any] | None = None, **kw: Any) -> list[dict[str, Any]]:
        if text != latest and threading.current_thread().name != "release-refresh":
            calls.append((text, dict(params or {})))
        return original(text, params, **kw)

    store.run_read = run_read  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        del store.run_read


def _replay(store: GraphStore, calls: Recorded) -> Callable[[], None]:
    def replay() -> None:
        for text, params in calls:
            store.run_read(text, params)

    return replay


def capture(
    store: GraphStore, settings: Settings, failed: dict[str, int] | None = None
) -> dict[str, Callable[[], None]]:
    """Per request, a function that sends its Cypher straight to the store (None: it sends none).
    A request the service cannot answer with nothing in memory (at 1M relationships a deep
    neighbour walk runs past the query time limit) gets no replay; with `failed`, its status is
    kept there, else the bench stops."""
    from fastapi.testclient import TestClient

    from app.adhoc.saved import SavedQueries
    from app.main import create_app

    replays: dict[str, Callable[[], None]] = {}
    # Nothing held in memory: the answers' cache and the graph in memory off (the search index
    # has no Cypher path: a search sends its one query once per release, and none after).
    fresh = settings.model_copy(update={"answer_cache": False, "memory_graph_max_relationships": 0})
    with TestClient(create_app(fresh, store=store)) as app_client:
        for request in REQUESTS:
            if request.method == "POST":
                continue
            with recording(store) as calls:
                answer = app_client.get(request.path, params=dict(request.params))
            if answer.status_code != 200 and failed is not None:
                failed[request.name] = answer.status_code
                continue
            assert answer.status_code == 200, (request.name, answer.status_code, answer.text[:300])
            if calls:
                replays[request.name] = _replay(store, calls)
    saved = SavedQueries(settings.cypher_dir / "saved").get(SAVED_QUERY)
    assert saved is not None
    params = saved.bind_text({})

    def run_saved() -> None:  # as the ad-hoc runner does: a read-only session, one transaction
        with store.readonly_session() as session:
            tx = session.begin_transaction(timeout=settings.cypher_timeout_s)
            try:
                tx.run(saved.text, params).data()
            finally:
                tx.rollback()

    replays["saved query"] = run_saved
    return replays


def warmup(iterations: int) -> int:
    return max(2, iterations // 5)


def time_requests(
    service: Service,
    iterations: int,
    replays: dict[str, Callable[[], None]] | None = None,
    budget_s: float | None = None,
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """Per request: HTTP samples, and with `replays` the store's samples taken in turn with them
    (store, HTTP, store, HTTP, ...), so that both see the same moments of a noisy machine. With
    `budget_s`, a figure stops sampling (after one sample at least, `n` says how many) and its
    warm-up stops once that many seconds are spent: at 1M relationships a deep walk through the
    store takes minutes."""
    http_figures, store_figures = {}, {}
    connection = client.SyncConnection("127.0.0.1", service.port)
    try:
        for request in REQUESTS:
            replay = (replays or {}).get(request.name)
            started = time.perf_counter()
            for _ in range(warmup(iterations)):  # the JIT, plan caches and pools of a store just started
                connection.send(request)
                if replay is not None:
                    replay()
                if budget_s is not None and time.perf_counter() - started > budget_s:
                    break
            http_samples, store_samples, errors = [], [], 0
            sampling_since = time.perf_counter()  # (`started` below times each replay)
            for k in range(iterations):
                if k and budget_s is not None and time.perf_counter() - sampling_since > budget_s:
                    break
                if replay is not None:
                    started = time.perf_counter()
                    replay()
                    store_samples.append((time.perf_counter() - started) * 1000)
                elapsed, status = connection.send(request)
                http_samples.append(elapsed)
                errors += not 200 <= status < 300
            http_figures[request.name] = {**percentiles(http_samples), "errors": errors}
            if store_samples:
                store_figures[request.name] = percentiles(store_samples)
    finally:
        connection.close()
    return store_figures, http_figures


# --- one store ------------------------------------------------------------------------------------------


def service_env(settings: Settings, ontology_dir: Path, *, cache: bool) -> dict[str, str]:
    env = {
        "ITSM_STORE": settings.store,
        "ITSM_DATA_DIR": str(settings.data_dir),
        "ITSM_ONTOLOGY_DIR": str(ontology_dir),
        "ITSM_CYPHER_RATE_LIMIT": "",
        "ITSM_ALLOW_OPEN_CYPHER": "true",
        "ITSM_ANSWER_CACHE": "true" if cache else "false",
    }
    return env


def cold_start(ontology_dir: Path, work: Path) -> dict[str, Any]:
    """`itsm-ontology serve --load` (what `make run` runs after install) on an empty data
    directory: seconds to the first answer of the headline, and how many store starts it took."""
    data = work / "data-cold"
    env = {"ITSM_STORE": "embedded", "ITSM_DATA_DIR": str(data), "ITSM_ONTOLOGY_DIR": str(ontology_dir)}
    headline = BY_NAME["headline"]
    cli = str(Path(sys.executable).with_name("itsm-ontology"))
    command = [cli, "serve", "--load", "--host", "127.0.0.1", "--port", "{port}"]
    with Service(env, command=command, ready_path=headline.target, log=work / "cold-start.log") as service:
        seconds = round(service.ready_s or 0, 3)
    log = (data / "arcadedb" / "server.log").read_text(errors="replace") if (data / "arcadedb").exists() else ""
    return {"first_answer_s": seconds, "store_starts": (log.count("is starting up..."))}


def store_pid(settings: Settings) -> int | None:
    try:
        state = json.loads((settings.data_dir / "arcadedb" / "server.json").read_text())
    except (OSError, ValueError):
        return None
    pid = state.get("pid")
    return pid if isinstance(pid, int) else None


def bench_store(
    kind: str, ontology_dir: Path, work: Path, args: argparse.Namespace, say: Callable[[str], None]
) -> dict[str, Any]:
    from app.graph.lifecycle import open_store
    from seed.load import load
    from seed.validate import read_ontology

    settings = Settings(
        store=kind, data_dir=work / f"data-{kind}", ontology_dir=ontology_dir, cypher_rate_limit=None,
        allow_open_cypher=True,
    )  # fmt: skip
    figures: dict[str, Any] = {"store": kind}
    started = time.perf_counter()
    ontology = read_ontology(ontology_dir)
    entries = len(ontology.nodes) + len(ontology.relationships)
    figures["validate_s"] = round(time.perf_counter() - started, 3)
    figures["nodes"], figures["relationships"] = len(ontology.nodes), len(ontology.relationships)
    figures["validate_per_s"] = round(entries / max(figures["validate_s"], 1e-9))
    started = time.perf_counter()
    with open_store(settings) as store:
        figures["start_s"] = round(time.perf_counter() - started, 3)
        say(f"{kind}: store up in {figures['start_s']} s; loading {entries} entries")
        started = time.perf_counter()
        first = load(store, ontology, batch_size=settings.load_batch_size)
        figures["load_s"] = round(time.perf_counter() - started, 3)
        figures["load_writes"] = first.plan.writes  # 0 when a Neo4j database already held this release
        figures["load_per_s"] = round(entries / max(figures["load_s"], 1e-9))
        started = time.perf_counter()
        again = load(store, ontology, batch_size=settings.load_batch_size)
        figures["reload_noop_s"] = round(time.perf_counter() - started, 3)
        assert again.up_to_date
        say(f"{kind}: loaded in {figures['load_s']} s, no-op reload {figures['reload_noop_s']} s")
        figures["capture_failed"] = {}
        replays = capture(store, settings, figures["capture_failed"] if args.budget else None)
        log = work / f"service-{kind}.log"
        say(f"{kind}: the store and HTTP without in-memory answers, in turn")
        with Service(service_env(settings, ontology_dir, cache=False), workers=args.workers, log=log) as service:
            figures["store_ms"], figures["http_nocache_ms"] = time_requests(
                service, args.iterations, replays, args.budget or None
            )
        say(f"{kind}: HTTP as shipped")
        with Service(service_env(settings, ontology_dir, cache=True), workers=args.workers, log=log) as service:
            figures["service_ready_s"] = round(service.ready_s or 0, 3)
            figures["http_ms"] = time_requests(service, args.iterations, budget_s=args.budget or None)[1]
            figures["throughput"] = {}
            for clients in args.clients:
                say(f"{kind}: {clients} client(s) for {args.duration} s")
                result = client.load("127.0.0.1", service.port, MIX, clients, args.duration)
                figures["throughput"][str(clients)] = {
                    "requests": result.requests,
                    "per_s": round(result.per_second, 1),
                    "errors": result.errors,
                    "status": {str(k): v for k, v in sorted(result.by_status.items())},
                    **percentiles(result.samples),
                }
            figures["service_peak_rss_mb"] = service.peak_rss_mb()
        figures["store_peak_rss_mb"] = peak_rss_mb(store_pid(settings)) if kind == "embedded" else None
    if kind == "embedded" and args.cold_start:
        say(f"{kind}: cold start (serve --load on an empty data directory)")
        figures["cold_start"] = cold_start(ontology_dir, work)
    return figures


# --- the table ------------------------------------------------------------------------------------------


def _cell(values: dict[str, float] | None) -> str:
    if not values:
        return f"{'-':>24}"
    # 8 characters a figure: a neighbour step of the store at 10k takes over 10,000 ms
    return f"{values['p50']:>8.1f}{values['p95']:>8.1f}{values['p99']:>8.1f}"


def table(results: dict[str, Any]) -> str:
    lines = []
    m = results["machine"]
    lines.append(
        f"scale {results['scale']}; {m['cpus']} cpu(s), python {m['python']}; "
        f"embedded ArcadeDB build {m.get('arcadedb_build', 'jvm')}, load average {m.get('load_average_at_start')}; "
        f"{results['iterations']} requests each, one client; throughput {results['duration_s']} s per level"
    )
    for figures in results["stores"]:
        kind = figures["store"]
        lines.append("")
        lines.append(
            f"[{kind}] {figures['nodes']} nodes, {figures['relationships']} relationships: validate "
            f"{figures['validate_s']} s ({figures['validate_per_s']}/s), start {figures['start_s']} s, load "
            f"{figures['load_s']} s ({figures['load_per_s']}/s), no-op reload {figures['reload_noop_s']} s, "
            f"service ready {figures['service_ready_s']} s"
        )
        lines.append(f"{'ms (p50 p95 p99)':<18}{'store':>24}{'http-nc':>24}{'ratio':>7}{'http':>24}{'err':>5}")
        for request in REQUESTS:
            store = figures["store_ms"].get(request.name)
            nocache = figures["http_nocache_ms"].get(request.name)
            shipped = figures["http_ms"].get(request.name)
            ratio = f"{nocache['p50'] / store['p50']:>7.2f}" if store and nocache and store["p50"] else f"{'-':>7}"
            errors = sum(int((f or {}).get("errors", 0)) for f in (nocache, shipped))
            lines.append(f"{request.name:<18}{_cell(store)}{_cell(nocache)}{ratio}{_cell(shipped)}{errors:>5}")
        failed = figures.get("capture_failed") or {}
        if failed:
            lines.append(
                "no store replay (the service could not answer with nothing in memory): "
                + ", ".join(f"{name} ({status})" for name, status in failed.items())
            )
        samples = {f.get("n") for part in ("store_ms", "http_nocache_ms", "http_ms") for f in figures[part].values()}
        if len(samples) > 1:
            lines.append(
                f"samples per figure: {min(s for s in samples if s)}-{max(s for s in samples if s)} (--budget)"
            )
        lines.append(f"{'throughput (mix)':<18}{'req/s':>10}{'p50':>8}{'p99':>8}{'errors':>8}")
        for clients, t in figures["throughput"].items():
            p50, p99 = t.get("p50", 0), t.get("p99", 0)
            lines.append(f"{clients + ' client(s)':<18}{t['per_s']:>10.1f}{p50:>8.1f}{p99:>8.1f}{t['errors']:>8}")
        lines.append(
            f"peak RSS: service {figures['service_peak_rss_mb']} MB, store {figures['store_peak_rss_mb'] or '-'} MB"
            + (f" (workers: {results['workers']})" if results["workers"] > 1 else "")
        )
        if "cold_start" in figures:
            cold = figures["cold_start"]
            lines.append(
                f"cold start (serve --load, empty data directory): first answer in {cold['first_answer_s']} s, "
                f"{cold['store_starts']} store start(s)"
            )
    if len(results["stores"]) > 1:
        lines.append("")
        kinds = [f["store"] for f in results["stores"]]
        lines.append(f"{'http p50 ms':<18}" + "".join(f"{k:>12}" for k in kinds))
        for request in REQUESTS:
            row = [f.get("http_ms", {}).get(request.name, {}).get("p50") for f in results["stores"]]
            lines.append(f"{request.name:<18}" + "".join(f"{v:>12.1f}" if v is not None else f"{'-':>12}" for v in row))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="seed", help="seed, tiny, 10k, 100k or a node count (N or Nk)")
    parser.add_argument("--rels", type=int, default=None, help="synthetic relationships (default: 10 per node)")
    parser.add_argument("--store", choices=["embedded", "neo4j", "both"], default=None,
                        help="default: embedded, and Neo4j too when NEO4J_URI is set")  # fmt: skip
    parser.add_argument("--iterations", type=int, default=100, help="requests per latency figure")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per throughput level")
    parser.add_argument("--clients", default="1,16,64", help="concurrent clients of the throughput runs")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--out", type=Path, default=None, help="JSON file (default bench/results/SCALE-STORES.json)")
    parser.add_argument("--budget", type=float, default=0.0,
                        help="seconds per latency figure before it stops sampling (0: none; for 100k)")  # fmt: skip
    parser.add_argument("--no-cold-start", dest="cold_start", action="store_false", help="skip the cold start")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    args.clients = [int(c) for c in str(args.clients).split(",") if c.strip()]
    kinds = (
        ["embedded", "neo4j"] if args.store == "both"
        else [args.store] if args.store else ["embedded", *(["neo4j"] if os.environ.get("NEO4J_URI") else [])]
    )  # fmt: skip
    if "neo4j" in kinds and not os.environ.get("NEO4J_URI"):
        parser.error("--store neo4j needs NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)")

    def say(text: str) -> None:
        if not args.quiet:
            print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    nodes, rels = scale_of(args.scale, args.rels)
    results: dict[str, Any] = {
        "scale": args.scale,
        "synthetic": {"nodes": nodes, "relationships": rels},
        "iterations": args.iterations,
        "budget_s": args.budget or None,
        "duration_s": args.duration,
        "clients": args.clients,
        "workers": args.workers,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "arcadedb_build": Settings().arcadedb_build,
        },
        "stores": [],
    }
    work = Path(tempfile.mkdtemp(prefix="itsm-bench-"))
    try:
        ontology_dir = ontology_for(nodes, rels, work)
        for kind in kinds:
            results["stores"].append(bench_store(kind, ontology_dir, work, args, say))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = table(results)
    print(text)
    out: Path = args.out or ROOT / "bench" / "results" / f"{args.scale}-{'-'.join(kinds)}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({**results, "table": text.splitlines()}, indent=2) + "\n", encoding="utf-8")
    say(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

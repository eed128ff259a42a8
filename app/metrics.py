"""The service's Prometheus metrics (prometheus-client), served at `GET /metrics`.

Defined here, once per process, so that any layer can count (the ad-hoc runner its refusals, the
access check its 401s and 429s, the supervisor's restart hook) without importing the API. Route
labels are path templates (`/v1/nodes/{node_id}`), never raw paths, so the series stay few.
Several worker processes each keep their own numbers (scrape each, or run one worker).
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

# Seconds: answers of this API take milliseconds; ad-hoc queries and exports up to the time limits.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "itsm_http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "itsm_http_request_duration_seconds",
    "Time to answer a request (until the response starts).",
    ["method", "route"],
    buckets=BUCKETS,
)
STORE_TIME = Histogram(
    "itsm_store_time_seconds",
    "Time a request spent waiting on the graph store (all its store calls).",
    ["route"],
    buckets=BUCKETS,
)
STORE_CALLS = Counter("itsm_store_calls_total", "Store calls made while answering requests.", ["route"])
STORE_RESTARTS = Counter("itsm_store_restarts_total", "Restarts of the embedded store by the supervisor.")
STORE_UP = Gauge("itsm_store_up", "1 while the supervisor sees the store answering, else 0.")
ADHOC_QUERIES = Counter(
    "itsm_adhoc_queries_total",
    "Ad-hoc and saved queries run, by outcome (ok, refused, timeout, ...).",
    ["outcome"],
)
ADHOC_REFUSALS = Counter(
    "itsm_adhoc_refusals_total",
    "Ad-hoc attempts refused: by the gate, the engine or the backstop (not read-only), or before "
    "running (unauthorized, rate-limited, disabled).",
    ["reason"],
)


def adhoc_refused(reason: str) -> None:
    ADHOC_REFUSALS.labels(reason=reason).inc()


def exposition() -> tuple[bytes, str]:
    """The text exposition format of every metric of this process, and its content type."""
    return generate_latest(), CONTENT_TYPE_LATEST

"""The store's watchdog: notices a dead or hung store, restarts the embedded child, reports why.

One daemon thread per service process. Every `store_probe_interval_s` it runs a bounded Bolt
`RETURN 1` (app/graph/probe.py; never through the driver, which has no client-side read timeout).
For the embedded child it also keeps a reaper thread blocked in `wait()`, so a death is seen
(and the zombie reaped) the moment it happens.

- **Dead child** (kill -9, crash): reaped at once; the store is marked down, so every store call
  fails fast with 503 + Retry-After; the child is started again on the same data directory and
  ports (new ports if one was taken meanwhile), the drivers are replaced, and the store is up
  again after a first successful probe.
- **Hung child** (SIGSTOP, a wedged JVM): the first probe without an answer marks the store
  suspect (calls fail fast, in-flight calls keep waiting); one that answers again clears it (a
  short stall heals by itself); `store_probe_failures` in a row mean hung: the child is killed
  (SIGKILL, which also unblocks every call waiting on it) and restarted as above.
- **Bounded**: at most `store_restart_attempts` restarts in a row, pausing
  `store_restart_backoff_s` x 2^(n-2) between them (the first is immediate); the count resets
  after `store_restart_stable_s` of uptime. Then the supervisor gives up, and /ready says so.
- **Neo4j, or a store this process did not open** (tests hand the app a store): probed and
  reported, never restarted; only a hang makes calls fail fast (an unreachable server already
  fails quickly, and must answer again as soon as it is back).

Everything is logged on `itsm_ontology.store`.
"""

from __future__ import annotations

import logging
import math
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from app.graph.embedded import EmbeddedArcadeDB, EmbeddedStartError
from app.graph.probe import BoltProbe, ProbeFailed
from app.graph.store import GraphStore
from app.settings import Settings

log = logging.getLogger("itsm_ontology.store")

State = Literal["up", "suspect", "hung", "unreachable", "refusing", "restarting", "failed"]
# States in which calls fail at once instead of waiting on connections and retries.
GATED: frozenset[State] = frozenset({"suspect", "hung", "restarting", "failed"})
WARMUP_S = 20.0  # the first query of a fresh JVM is slow (JIT, first page reads)
BACKOFF_CAP_S = 30.0


@dataclass(frozen=True)
class StoreStatus:
    state: State
    reason: str | None = None
    restarts: int = 0
    since: float = 0.0  # time.monotonic() of the last change of state
    checked: float | None = None  # time.monotonic() of the last probe's end
    retry_at: float | None = None  # time.monotonic() by which a restart in progress should be up

    @property
    def up(self) -> bool:
        return self.state == "up"

    @property
    def retry_after_s(self) -> int:
        """What to tell callers: while restarting, the time left of the back-off pause and the start
        (the last start's duration); a failed supervisor needs a person."""
        if self.state == "restarting" and self.retry_at is not None:
            return max(1, math.ceil(self.retry_at - time.monotonic()))
        return 60 if self.state == "failed" else 2 if self.state in ("restarting", "suspect", "hung") else 5


class Supervisor:
    def __init__(
        self,
        store: GraphStore,
        settings: Settings,
        embedded: EmbeddedArcadeDB | None = None,
    ):
        """`embedded`: the child to restart (None: probe and report only)."""
        self.store, self.embedded = store, embedded
        self.interval_s = settings.store_probe_interval_s
        self.timeout_s = settings.store_probe_timeout_s
        self.failures_needed = settings.store_probe_failures
        self.max_restarts = settings.store_restart_attempts
        self.backoff_s = settings.store_restart_backoff_s
        self.stable_s = settings.store_restart_stable_s
        self.on_restart: list[Callable[[], object]] = []  # run after every successful restart
        self._status = StoreStatus("up", since=time.monotonic())
        self._probe = self._new_probe()
        self._failures = 0  # failed probes in a row
        self._attempts = 0  # restarts since the store was last stable
        self._up_since = time.monotonic()
        self._start_s = 5.0  # how long the last restart took (a first guess until one happened)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._checked = threading.Condition()
        self._checks = 0
        self._thread: threading.Thread | None = None

    @property
    def restartable(self) -> bool:
        return self.embedded is not None

    @property
    def status(self) -> StoreStatus:
        return self._status

    @property
    def watching(self) -> bool:
        """Started and not stopped: its probe thread is running."""
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Probe once (a fresh JVM gets longer), then watch on a daemon thread."""
        warm = WARMUP_S if self._owned_process() is not None else self.timeout_s
        self._probe_once(max(warm, self.timeout_s))
        self._watch_process()
        self._thread = threading.Thread(target=self._run, name="store-supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout_s + 70)  # a restart in progress finishes first
        self._probe.close()

    def check(self, wait_s: float) -> tuple[StoreStatus, bool]:
        """Ask for a probe now and wait up to `wait_s` for its result: (status, whether a probe
        finished in time). A store known to be restarting or given up on answers at once."""
        if self._status.state in ("restarting", "failed"):
            return self._status, True
        with self._checked:
            seen = self._checks
            self._wake.set()
            done = self._checked.wait_for(lambda: self._checks > seen, timeout=wait_s)
        return self._status, done

    # -- the watch ----------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._tick()
            except Exception:  # the watchdog must outlive anything it meets
                log.exception("store supervisor: unexpected error")

    def _tick(self) -> None:
        if self._status.state == "failed":
            return
        process = self._owned_process()
        if process is not None and process.poll() is not None:  # poll() reaps it: no zombie
            self._restart(f"the embedded ArcadeDB (pid {process.pid}) exited with status {process.returncode}")
            return
        self._probe_once(self.timeout_s)

    def _probe_once(self, timeout_s: float) -> None:
        try:
            took = self._probe.check(timeout_s)
        except ProbeFailed as exc:
            self._probe_failed(exc)
        else:
            self._probe_answered(took)
        finally:
            with self._checked:
                self._checks += 1
                self._checked.notify_all()

    def _probe_answered(self, took_s: float) -> None:
        self._failures = 0
        if self._status.state != "up":
            log.info("store answering again (probe %.0f ms; was %s)", took_s * 1000, self._status.state)
            self._set("up", None)
        self._status = replace(self._status, checked=time.monotonic())
        if self._attempts and time.monotonic() - self._up_since > self.stable_s:
            self._attempts = 0

    def _probe_failed(self, exc: ProbeFailed) -> None:
        self._failures += 1
        reason = str(exc)
        if exc.kind == "refusal":  # it answers, so it is neither dead nor hung: report, keep serving
            self._set("refusing", f"the store refused the supervisor's probe: {reason}")
            return
        if self.restartable and self._failures >= self.failures_needed:
            what = "no answer" if exc.kind == "timeout" else "not reachable"
            self._restart(f"store {what} for {self._failures} probes in a row ({reason})", kill=True)
            return
        if exc.kind == "timeout":
            hung = self._failures >= self.failures_needed
            state: State = "hung" if hung else "suspect"
            if self._status.state != state:
                log.warning("store %s: %s (probe %d of %d)", state, reason, self._failures, self.failures_needed)
            self._set(state, f"store not answering: {reason}")
        else:
            if self._status.state != "unreachable":
                log.warning("store unreachable: %s", reason)
            self._set("unreachable", f"store {reason}")

    # -- restarts -----------------------------------------------------------------------------

    def _restart(self, cause: str, *, kill: bool = False) -> None:
        embedded = self.embedded
        assert embedded is not None
        self._set("restarting", f"{cause}; restarting it")
        log.error("%s; restarting it", cause)
        old = embedded.process
        if old is not None:
            embedded.mark_restarting()
            if kill:
                log.warning("killing the embedded ArcadeDB (pid %d, status %s)", old.pid, embedded.kill())
        bolt, http = embedded.bolt_port, embedded.http_port
        ports = (bolt, http) if bolt is not None and http is not None else None
        while not self._stop.is_set():
            self._attempts += 1
            if self._attempts > self.max_restarts:
                self._give_up(cause)
                return
            pause = min(self.backoff_s * 2 ** (self._attempts - 2), BACKOFF_CAP_S) if self._attempts > 1 else 0.0
            self._status = replace(self._status, retry_at=time.monotonic() + pause + self._start_s)
            if pause and self._stop.wait(pause):
                return
            started = time.monotonic()
            try:
                endpoint = embedded.running_elsewhere() or embedded.start(ports)
            except EmbeddedStartError as exc:
                log.error("restart %d of %d failed: %s", self._attempts, self.max_restarts, exc)
                continue
            self.store.replace_drivers(endpoint.uri)  # fresh pools: nothing reuses the old process's sockets
            self._probe.close()
            self._probe = self._new_probe()
            try:
                self._probe.check(max(WARMUP_S, self.timeout_s))
            except ProbeFailed as exc:
                log.error(
                    "restart %d of %d: the new child does not answer (%s)", self._attempts, self.max_restarts, exc
                )
                embedded.kill()
                continue
            self._watch_process()
            self._start_s = time.monotonic() - started
            self._failures = 0
            self._up_since = time.monotonic()
            self._status = replace(self._status, restarts=self._status.restarts + 1)
            self._set("up", None)
            process = embedded.process
            log.warning(
                "embedded ArcadeDB restarted in %.1fs (pid %s, bolt port %s, restart %d since start)",
                time.monotonic() - started,
                process.pid if process else "?",
                embedded.bolt_port,
                self._status.restarts,
            )
            for callback in self.on_restart:
                try:
                    callback()
                except Exception:
                    log.exception("store supervisor: on_restart callback failed")
            return

    def _give_up(self, cause: str) -> None:
        message = (
            f"gave up after {self.max_restarts} restarts in a row (last cause: {cause}); "
            "see server.log in the data directory and restart the service"
        )
        log.critical("embedded ArcadeDB: %s", message)
        self._set("failed", message)

    # -- helpers ------------------------------------------------------------------------------

    def _set(self, state: State, reason: str | None) -> None:
        if state != self._status.state or reason != self._status.reason:
            since = time.monotonic() if state != self._status.state else self._status.since
            self._status = replace(self._status, state=state, reason=reason, since=since)
        self.store.down_reason = reason if state in GATED else None

    def _new_probe(self) -> BoltProbe:
        assert self.store.uri is not None and self.store.auth is not None
        return BoltProbe(self.store.uri, self.store.auth, self.store.database)

    def _owned_process(self) -> subprocess.Popen[str] | None:
        return self.embedded.process if self.embedded is not None else None

    def _watch_process(self) -> None:
        """Reap the child the moment it exits, and wake the watchdog."""
        process = self._owned_process()
        if process is None:
            return

        def reap() -> None:
            process.wait()
            self._wake.set()

        threading.Thread(target=reap, name=f"store-reaper-{process.pid}", daemon=True).start()

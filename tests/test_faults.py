"""Fault suite: the embedded store killed or hung under light load heals without a service restart.

One real service for the module: uvicorn on a free loopback port, in this process, with its own
supervised ArcadeDB child on a throw-away data directory (the signals hit that real child). Two
client threads keep a light load on a store-backed endpoint and on /health the whole time.

What is asserted is behaviour: 503 problem+json with Retry-After while the store is down (and
answered without the old multi-second waits), healthy again without a restart of the service,
/health answering throughout, no zombie child, the supervisor's log lines, and a CLI load that
attaches to the restarted store. Time bounds are generous guards against hanging, not speed
targets; the measured times are printed (run with -s to see them).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn

from app.graph.embedded import EmbeddedArcadeDB, free_loopback_ports
from app.graph.probe import BoltProbe, ProbeFailed
from app.graph.store import GraphStore
from app.graph.supervisor import Supervisor
from app.main import create_app
from app.settings import Settings
from seed.load import load
from seed.model import Ontology

NODE = "/v1/nodes/practice:incident-management"
RECOVERY_GUARD_S = 90.0  # a restart is a JVM start: seconds normally, longer on a loaded machine
ANSWER_GUARD_S = 10.0  # /health must always answer; this only keeps a hang from stalling the suite
# The slowest 503 allowed while the store is down: well under the old 3-26 s waits, generous for CI.
FAST_503_S = 5.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Poller:
    """A client thread requesting one path in a loop, keeping (time, status, seconds) of each."""

    base: str
    path: str
    pause_s: float = 0.1
    log: list[tuple[float, int, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Poller:
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    status = client.get(self.path).status_code
                except httpx.HTTPError:
                    status = 0  # no answer at all: what must never happen
                self.log.append((started, status, time.monotonic() - started))
                self._stop.wait(self.pause_s)

    def stop(self) -> None:
        self._stop.set()

    def since(self, t0: float) -> list[tuple[float, int, float]]:
        return [entry for entry in self.log if entry[0] >= t0]


@dataclass
class Service:
    base: str
    app_state: object
    data_dir: Path
    health: Poller
    load: Poller

    @property
    def supervisor(self) -> Supervisor:
        supervisor: Supervisor = self.app_state.supervisor  # type: ignore[attr-defined]
        return supervisor

    @property
    def child_pid(self) -> int:
        embedded = self.supervisor.embedded
        assert embedded is not None and embedded.process is not None
        return embedded.process.pid

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.base + path, timeout=60)

    def wait_for(self, path: str, status: int, guard_s: float) -> float:
        """Seconds until `path` answers `status` (fails past the guard)."""
        started = time.monotonic()
        while time.monotonic() - started < guard_s:
            if self.get(path).status_code == status:
                return time.monotonic() - started
            time.sleep(0.1)
        pytest.fail(f"{path} did not answer {status} within {guard_s:.0f}s")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, ontology: Ontology) -> Iterator[Service]:
    data_dir = tmp_path_factory.mktemp("faults")
    settings = Settings(
        store="embedded",
        data_dir=data_dir,
        embedded_heap="384m",
        store_probe_interval_s=0.5,
        store_probe_timeout_s=1.0,
        store_probe_failures=3,
        store_restart_backoff_s=0.5,
    )
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.1)
    load(app.state.store, ontology)
    app.state.releases.refresh(wait_s=10)
    base = f"http://127.0.0.1:{port}"
    health = Poller(base, "/health", pause_s=0.1).start()
    light_load = Poller(base, NODE, pause_s=0.1).start()
    try:
        yield Service(base, app.state, data_dir, health, light_load)
    finally:
        health.stop()
        light_load.stop()
        server.should_exit = True
        thread.join(timeout=120)
    # Every answer /health gave during the module: all 200, none hanging.
    assert health.log, "the /health poller never ran"
    assert {status for _, status, _ in health.log} == {200}, sorted({s for _, s, _ in health.log})
    assert max(seconds for _, _, seconds in health.log) < ANSWER_GUARD_S
    print(f"\n/health: {len(health.log)} answers, slowest {max(s for _, _, s in health.log) * 1000:.0f} ms")


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False  # gone: reaped
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _no_zombie_children() -> None:
    zombies = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if fields[0] == "Z" and int(fields[1]) == os.getpid():
                zombies.append(int(entry.name))
    assert not zombies, f"zombie children: {zombies}"


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["title"] == "Store unavailable"


def _outage_report(service: Service, t0: float, what: str) -> None:
    entries = service.load.since(t0)
    unavailable = [seconds for _, status, seconds in entries if status == 503]
    statuses = {status for _, status, _ in entries}
    assert statuses <= {200, 503}, f"{what}: statuses under load {sorted(statuses)} (only 200 and 503 allowed)"
    if unavailable:
        print(
            f"\n{what}: {len(unavailable)} answers 503 under load, median {sorted(unavailable)[len(unavailable) // 2]:.3f}s"
        )


def test_ready_and_serving_before_any_fault(service: Service) -> None:
    ready = service.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["state"] == "up" and ready.json()["restarts"] == 0
    assert service.get(NODE).status_code == 200


def test_kill_9_gives_fast_503_then_heals_without_a_service_restart(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="itsm_ontology.store")
    old_pid, restarts = service.child_pid, service.supervisor.status.restarts
    t0 = time.monotonic()
    os.kill(old_pid, signal.SIGKILL)
    service.wait_for(NODE, 503, 30)
    _assert_unavailable(service.get(NODE))
    ready = service.get("/ready")
    assert ready.status_code == 503 and ready.json()["status"] == "unavailable", ready.text
    assert "exited with status -9" in ready.json()["reason"] and ready.json()["state"] == "restarting", ready.json()
    healed = service.wait_for(NODE, 200, RECOVERY_GUARD_S)
    print(f"\nkill -9: healthy again {time.monotonic() - t0:.1f}s after the kill ({healed:.1f}s of polling)")
    assert service.child_pid != old_pid
    assert service.supervisor.status.restarts == restarts + 1
    assert not _is_zombie(old_pid)
    assert service.wait_for("/ready", 200, 10) >= 0
    _outage_report(service, t0, "kill -9")
    fast = [seconds for _, status, seconds in service.load.since(t0) if status == 503]
    assert fast and min(fast) < FAST_503_S
    messages = [record.getMessage() for record in caplog.records]
    assert any(f"pid {old_pid}) exited with status -9" in m for m in messages), messages
    assert any("restarted in" in m for m in messages), messages


def test_sigstop_briefly_then_sigcont_heals_without_a_restart(service: Service) -> None:
    """Stopped for less than the probe limit (3 probes of 1 s): calls fail fast once a probe
    misses, and the same child serves again after SIGCONT."""
    pid, restarts = service.child_pid, service.supervisor.status.restarts
    t0 = time.monotonic()
    # Three failed probes take at least 3 x 1 s plus two 0.5 s pauses: 2.5 s stays below that.
    resume = threading.Timer(2.5, os.kill, args=(pid, signal.SIGCONT))
    os.kill(pid, signal.SIGSTOP)
    resume.start()
    answers: list[httpx.Response] = []
    callers: list[threading.Thread] = []
    try:
        while resume.is_alive():  # a new caller every 0.2 s: the early ones wait for SIGCONT
            caller = threading.Thread(target=lambda: answers.append(service.get(NODE)), daemon=True)
            caller.start()
            callers.append(caller)
            time.sleep(0.2)
    finally:
        resume.join()
        os.kill(pid, signal.SIGCONT)
    for caller in callers:
        caller.join(timeout=RECOVERY_GUARD_S)
    unavailable = [answer for answer in answers if answer.status_code == 503]
    for answer in unavailable:
        _assert_unavailable(answer)
    suspected = bool(unavailable)
    assert {answer.status_code for answer in answers} <= {200, 503}
    healed = service.wait_for(NODE, 200, RECOVERY_GUARD_S)
    print(f"\nSIGSTOP 2.5s then SIGCONT: healthy again {healed:.1f}s after SIGCONT (503 seen: {suspected})")
    assert service.child_pid == pid and service.supervisor.status.restarts == restarts
    assert suspected, "no 503 while the store was stopped: the probe did not notice"
    _outage_report(service, t0, "SIGSTOP/SIGCONT")


def test_sigstop_held_past_the_probe_limit_restarts_the_child(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="itsm_ontology.store")
    old_pid, restarts = service.child_pid, service.supervisor.status.restarts
    t0 = time.monotonic()
    os.kill(old_pid, signal.SIGSTOP)
    try:
        service.wait_for(NODE, 503, 30)
        ready = service.get("/ready")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable", ready.text
        service.wait_for(NODE, 200, RECOVERY_GUARD_S)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(old_pid, signal.SIGCONT)
    print(f"\nSIGSTOP held: healthy again {time.monotonic() - t0:.1f}s after SIGSTOP")
    assert service.child_pid != old_pid and service.supervisor.status.restarts == restarts + 1
    assert not _is_zombie(old_pid)
    _outage_report(service, t0, "SIGSTOP held")
    messages = [record.getMessage() for record in caplog.records]
    assert any("probes in a row" in m and "restarting it" in m for m in messages), messages
    assert any(f"killing the embedded ArcadeDB (pid {old_pid}" in m for m in messages), messages


def test_a_cli_load_attaches_to_the_restarted_store(service: Service) -> None:
    """server.json names the new child: `itsm-ontology load` on the same data directory writes
    through it (no second server), and the running service sees the new release."""
    before = service.get("/ready").json()["release"]["id"]
    env = {**os.environ, "ITSM_STORE": "embedded", "ITSM_DATA_DIR": str(service.data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "load", "--force"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "loaded release" in output and "embedded ArcadeDB started" not in output, output
    service.app_state.releases.refresh(wait_s=10)  # type: ignore[attr-defined]
    after = service.get("/ready").json()
    assert after["status"] == "ready" and after["release"]["id"] != before
    assert service.get(NODE).status_code == 200


def test_no_zombie_children_are_left(service: Service) -> None:
    _no_zombie_children()
    statuses = {status for _, status, _ in service.load.log}
    assert 0 not in statuses, "a request under load got no answer at all"


# -- the pieces, without a service ------------------------------------------------------------


def test_probe_bounds_a_listener_that_never_answers() -> None:
    """A socket that accepts and stays silent (what a stopped process looks like) fails the
    probe at its deadline, as a timeout; a closed port fails at once, as refused."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        probe = BoltProbe(f"bolt://127.0.0.1:{silent.getsockname()[1]}", ("u", "p"))
        with pytest.raises(ProbeFailed) as hung:
            probe.check(0.5)
        assert hung.value.kind == "timeout"
    closed = BoltProbe(f"bolt://127.0.0.1:{_free_port()}", ("u", "p"))
    with pytest.raises(ProbeFailed) as refused:
        closed.check(0.5)
    assert refused.value.kind == "refused" and "Connection refused" in str(refused.value)


def test_start_retries_on_new_ports_when_one_was_taken(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The free-port race: a port chosen free is bound by someone else before the child binds it.
    The child's log says so; start() tries again on new ports."""
    caplog.set_level(logging.WARNING, logger="itsm_ontology.store")
    server = EmbeddedArcadeDB(tmp_path, heap="256m")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        taken = int(squatter.getsockname()[1])
        try:
            endpoint = server.start(ports=(taken, free_loopback_ports()[1]))
            assert endpoint.uri != f"bolt://127.0.0.1:{taken}"
            assert BoltProbe(endpoint.uri, (endpoint.user, endpoint.password), endpoint.database).check(20) >= 0
        finally:
            server.stop()
    assert any("starting again on new ports" in r.getMessage() for r in caplog.records)


def test_attach_waits_while_the_owner_restarts_its_child(tmp_path: Path) -> None:
    """A command that finds the data directory's server being restarted by its supervisor waits
    for the new child instead of starting a rival server on the same files."""
    server = EmbeddedArcadeDB(tmp_path, start_timeout_s=20)
    server.root.mkdir(parents=True)
    owner = subprocess.Popen(["sleep", "30"])
    gone = subprocess.Popen(["true"])
    gone.wait()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = int(listener.getsockname()[1])

        def state(pid: int, value: str) -> str:
            return (
                f'{{"pid": {pid}, "bolt_port": {port}, "http_port": 1, "owner_pid": {owner.pid}, "state": "{value}"}}'
            )

        (server.root / "server.json").write_text(state(gone.pid, "restarting"))
        flip = threading.Timer(0.5, lambda: (server.root / "server.json").write_text(state(os.getpid(), "up")))
        flip.start()
        try:
            endpoint = EmbeddedArcadeDB(tmp_path, start_timeout_s=20).running_elsewhere()
        finally:
            flip.cancel()
            owner.kill()
            owner.wait()
    assert endpoint is not None and endpoint.uri == f"bolt://127.0.0.1:{port}"


def test_gives_up_after_the_restart_limit(service: Service, caplog: pytest.LogCaptureFixture) -> None:
    """Bounded: past `store_restart_attempts` restarts in a row the supervisor stops trying, says
    so on /ready and in the log, and every store call answers 503 at once. (Last in the module:
    the service's store stays down.)"""
    caplog.set_level(logging.INFO, logger="itsm_ontology.store")
    service.supervisor.max_restarts = 0  # the next death is past the limit at once
    old_pid = service.child_pid
    os.kill(old_pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while (ready := service.get("/ready")).json().get("state") != "failed":
        assert time.monotonic() < deadline, ready.text
        time.sleep(0.1)
    assert ready.status_code == 503 and "gave up after 0 restarts" in ready.json()["reason"]
    assert int(ready.headers["Retry-After"]) >= 60
    _assert_unavailable(service.get(NODE))
    assert service.get("/health").status_code == 200
    assert not _is_zombie(old_pid)
    _no_zombie_children()
    assert any(r.levelno == logging.CRITICAL and "gave up" in r.getMessage() for r in caplog.records)


def test_drivers_are_replaced_safely_under_concurrent_calls(store: GraphStore) -> None:
    """What a restart does to the drivers, with calls running on 6 threads meanwhile: every call
    succeeds, and each replaced pair closes once its last call has ended."""
    errors: list[BaseException] = []
    calls = [0]
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            try:
                assert store.run_read("RETURN 1 AS one") == [{"one": 1}]
                with store.readonly_session() as session:
                    assert session.run("RETURN 2 AS two").single(strict=True)["two"] == 2
                calls[0] += 1
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=work, daemon=True) for _ in range(6)]
    for thread in threads:
        thread.start()
    replaced = []
    for _ in range(5):
        time.sleep(0.2)
        replaced.append(store._drivers)
        store.replace_drivers()
    time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert calls[0] > 0
    assert all(old.retired and old.users == 0 for old in replaced)
    assert store.run_read("RETURN 1 AS one") == [{"one": 1}]

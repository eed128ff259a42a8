"""Start, find and stop the embedded ArcadeDB server (a child process serving Bolt on 127.0.0.1).

One data directory has one server: whoever starts it writes `server.json` beside the database, and
another command on the same directory (e.g. `itsm-ontology load` while `serve` runs) attaches to
that server instead of starting a second one on locked files. When `serve`'s supervisor
(app/graph/supervisor.py) replaces a dead or hung child, `server.json` says `restarting` until the
new child is up (same ports when they are still free); an attaching command waits for it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.graph.arcadedb_child import BUILDS, DATABASE, READER
from app.graph.faults import FaultKind, StoreFault, describe, fault_in_text, from_os_error

log = logging.getLogger("itsm_ontology.store")
# What the child's log says when a port was taken between our choosing it and the server binding it.
PORT_BUSY = re.compile(r"Unable to listen|Address already in use|BindException")
START_ATTEMPTS = 3  # fresh ports each time the cause was a taken port


class EmbeddedStartError(RuntimeError):
    pass


class EmbeddedPortBusy(EmbeddedStartError):
    """Another process bound one of the chosen ports before the child did."""


class EmbeddedStoreFault(EmbeddedStartError, StoreFault):
    """The server could not start for a reason of the machine or another process (a full disk, a
    read-only data directory, a database another process holds); `kind` says which."""

    def __init__(self, kind: FaultKind, message: str):
        StoreFault.__init__(self, kind, message)


@dataclass(frozen=True)
class BoltEndpoint:
    uri: str
    user: str
    password: str
    database: str
    # The read-only user that ad-hoc Cypher runs as (created by the child at every start).
    readonly_user: str | None = None
    readonly_password: str | None = field(default=None, repr=False)

    @property
    def readonly_auth(self) -> tuple[str, str] | None:
        if self.readonly_user and self.readonly_password:
            return self.readonly_user, self.readonly_password
        return None


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_loopback_ports() -> tuple[int, int]:
    """Two distinct free ports (Bolt, HTTP). They are free now; the child binds them a moment
    later, and another process may take one in between: start() retries with new ones then."""
    with socket.socket() as first, socket.socket() as second:
        first.bind(("127.0.0.1", 0))
        second.bind(("127.0.0.1", 0))
        return int(first.getsockname()[1]), int(second.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _secret(path: Path) -> str:
    """A password generated once per data directory, readable only by its owner."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(24)
    path.touch(mode=0o600)
    path.write_text(value, encoding="utf-8")
    return value


class EmbeddedArcadeDB:
    def __init__(
        self,
        data_dir: Path,
        *,
        heap: str = "512m",
        start_timeout_s: float = 60.0,
        command_timeout_ms: int = 60000,
        reader_timeout_ms: int = 10000,
        reader_row_limit: int = 10001,
        build: str | None = None,
    ):
        """`build`: which ArcadeDB build the child runs, `jvm` or `native` (app/graph/arcadedb_child.py);
        None: the configured one (`ITSM_ARCADEDB_BUILD`, default `jvm`)."""
        if build is None:
            from app.settings import Settings

            build = Settings().arcadedb_build
        if build not in BUILDS:
            raise ValueError(f"unknown ArcadeDB build {build!r} (one of {', '.join(BUILDS)})")
        self.build = build
        self.root = data_dir.resolve() / "arcadedb"
        self.heap = heap
        self.start_timeout_s = start_timeout_s
        self.command_timeout_ms = command_timeout_ms
        self.reader_timeout_ms = reader_timeout_ms
        self.reader_row_limit = reader_row_limit
        self.process: subprocess.Popen[str] | None = None
        self.start_seconds: float | None = None
        self.bolt_port: int | None = None
        self.http_port: int | None = None

    @property
    def _state_file(self) -> Path:
        return self.root / "server.json"

    def _endpoint(self, bolt_port: int) -> BoltEndpoint:
        return BoltEndpoint(
            f"bolt://127.0.0.1:{bolt_port}",
            "root",
            _secret(self.root / "root-password"),
            DATABASE,
            readonly_user=READER,
            readonly_password=_secret(self.root / "reader-password"),
        )

    def _read_state(self) -> dict[str, object] | None:
        try:
            state = json.loads(self._state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) else None

    def _write_state(self, state: str) -> None:
        """server.json: the child's pid and ports, and who supervises it (`owner_pid`) in what
        state ('up', or 'restarting' while the supervisor replaces a dead or hung child)."""
        process = self.process
        body = {
            "pid": process.pid if process else None,
            "bolt_port": self.bolt_port,
            "http_port": self.http_port,
            "owner_pid": os.getpid(),
            "state": state,
        }
        tmp = self._state_file.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(body), encoding="utf-8")
        tmp.replace(self._state_file)  # readers never see half a file

    def mark_restarting(self) -> None:
        """Tell other commands on this directory to wait for the new child, not start their own."""
        self._write_state("restarting")

    def running_elsewhere(self) -> BoltEndpoint | None:
        """The endpoint of a server another process started on this data directory, if it is up.
        While that process's supervisor is restarting its child, wait for it (up to the start
        timeout) rather than start a rival server on the same files."""
        deadline = time.monotonic() + self.start_timeout_s
        while True:
            state = self._read_state()
            if state is None:
                return None
            owner = state.get("owner_pid")
            restarting = (
                state.get("state") == "restarting"
                and isinstance(owner, int)
                and owner != os.getpid()
                and _pid_alive(owner)
            )
            if not restarting or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        pid, port = state.get("pid"), state.get("bolt_port")
        if isinstance(pid, int) and isinstance(port, int) and _pid_alive(pid) and _port_open(port):
            return self._endpoint(port)
        return None

    def start(self, ports: tuple[int, int] | None = None) -> BoltEndpoint:
        """Start the child on `ports` (Bolt, HTTP) or on free ones; when the child's log shows
        that a port was taken in the meantime, try again on new ports (at most START_ATTEMPTS).
        A full disk, a read-only data directory or a database another process holds raise
        EmbeddedStoreFault as soon as they show, not after the start timeout."""
        try:
            return self._start(ports)
        except OSError as exc:  # this process writing in the data directory: mkdir, secrets, log, state
            fault = from_os_error(exc, self.root)
            if fault is None:
                raise
            raise EmbeddedStoreFault(fault.kind, fault.message) from exc

    def _start(self, ports: tuple[int, int] | None) -> BoltEndpoint:
        self.root.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, START_ATTEMPTS + 1):
            chosen = ports if ports is not None and attempt == 1 else free_loopback_ports()
            try:
                return self._start_on(*chosen)
            except EmbeddedPortBusy as exc:
                if attempt == START_ATTEMPTS:
                    raise
                log.warning(
                    "embedded ArcadeDB: %s; starting again on new ports (%d/%d)", exc, attempt + 1, START_ATTEMPTS
                )
        raise AssertionError("unreachable")

    def _start_on(self, bolt_port: int, http_port: int) -> BoltEndpoint:
        endpoint = self._endpoint(bolt_port)
        package_root = str(Path(__file__).resolve().parents[2])  # importable from the child's cwd
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
            "ITSM_ARCADEDB_BUILD": self.build,
            "ITSM_ARCADEDB_ROOT": str(self.root),
            "ITSM_ARCADEDB_BOLT_PORT": str(bolt_port),
            "ITSM_ARCADEDB_HTTP_PORT": str(http_port),
            "ITSM_ARCADEDB_PASSWORD": endpoint.password,
            "ITSM_ARCADEDB_HEAP": self.heap,
            "ITSM_ARCADEDB_COMMAND_TIMEOUT_MS": str(self.command_timeout_ms),
            "ITSM_ARCADEDB_READER_PASSWORD": endpoint.readonly_password or "",
            "ITSM_ARCADEDB_READER_TIMEOUT_MS": str(self.reader_timeout_ms),
            "ITSM_ARCADEDB_READER_ROW_LIMIT": str(self.reader_row_limit),
        }
        log_path = self.root / "server.log"
        log_file = log_path.open("a", encoding="utf-8")
        log_start = log_file.tell()  # this attempt's part of the log starts here
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.graph.arcadedb_child"],
            cwd=self.root,  # ArcadeDB writes ./log relative to its working directory
            env=env,
            stdin=subprocess.PIPE,  # closing it asks the child to stop; it closes by itself if we die
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
        )
        log_file.close()
        assert self.process.stdout is not None
        line = self._read_ready_line(log_start)
        if not line.startswith("READY"):
            exited = self.process.poll()
            self.stop()
            written = self._log_since(log_start)
            busy = PORT_BUSY.search(written)
            if busy:
                raise EmbeddedPortBusy(f"a port ({bolt_port} or {http_port}) was taken: {_line_of(written, busy)}")
            fault = self._fault_in(written)
            if fault is not None:
                raise fault
            why = (
                f"exited (status {exited}) before it was ready"
                if exited is not None
                else f"did not start within {self.start_timeout_s:.0f}s"
            )
            raise EmbeddedStartError(f"the embedded ArcadeDB {why}; last lines of {log_path}:\n{self._log_tail()}")
        while not _port_open(bolt_port):
            if time.monotonic() - started > self.start_timeout_s:
                self.stop()
                raise EmbeddedStartError(f"Bolt port {bolt_port} did not open; see {log_path}")
            time.sleep(0.05)
        self.start_seconds = time.monotonic() - started
        self.bolt_port, self.http_port = bolt_port, http_port
        self._write_state("up")
        return endpoint

    def _fault_in(self, written: str) -> EmbeddedStoreFault | None:
        """A full disk, read-only directory or held database the child's log names, if any."""
        found = fault_in_text(written)
        if found is None:
            return None
        kind, words = found
        return EmbeddedStoreFault(kind, describe(kind, self.root, f"the embedded ArcadeDB logged {words!r}"))

    def _log_since(self, offset: int) -> str:
        try:
            with (self.root / "server.log").open("rb") as log_file:
                log_file.seek(offset)
                return log_file.read(1_000_000).decode("utf-8", errors="replace")
        except OSError:
            return ""

    def kill(self) -> int | None:
        """SIGKILL the child (a hung one: a stopped process cannot stop itself) and reap it."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        try:
            return process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            return None

    def _log_tail(self, lines: int = 8) -> str:
        try:
            return "\n".join(
                (self.root / "server.log").read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            )
        except OSError:
            return "(no log)"

    def _read_ready_line(self, log_start: int) -> str:
        """The child's `READY` line, or '' when it exits, the start times out, or its log shows a
        fault that waiting will not cure (a full disk, a read-only directory, a database another
        process holds: the JVM may stay up after such an error). Other lines (a JVM warning
        printed on stdout) are passed to the log."""
        assert self.process is not None and self.process.stdout is not None
        import selectors

        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + self.start_timeout_s
        pending = b""
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if sel.select(timeout=0.2):
                    chunk = os.read(fd, 4096)
                    if not chunk:
                        return ""  # the child closed its stdout: it is exiting
                    pending += chunk
                    while b"\n" in pending:
                        line, pending = pending.split(b"\n", 1)
                        text = line.decode("utf-8", errors="replace").strip()
                        if text.startswith("READY"):
                            return text
                        if text:
                            log.info("embedded ArcadeDB (stdout): %s", text[:300])
                elif self.process.poll() is not None or self._fault_in(self._log_since(log_start)) is not None:
                    return ""
        return ""

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)  # a stopped child could not act on the requests below
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        for ask in (None, signal.SIGTERM, signal.SIGKILL):
            if ask is not None and process.poll() is None:
                process.send_signal(ask)
            try:
                process.wait(timeout=20)
                break
            except subprocess.TimeoutExpired:
                continue
        if process.stdout is not None:
            process.stdout.close()
        state = self._read_state()
        if state is not None and state.get("pid") == process.pid:
            with contextlib.suppress(OSError):
                self._state_file.unlink()


def _line_of(text: str, match: re.Match[str]) -> str:
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return text[start : end if end >= 0 else None].strip()[:300]

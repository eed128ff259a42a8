"""Start, find and stop the embedded ArcadeDB server (a child process serving Bolt on 127.0.0.1).

One data directory has one server: whoever starts it writes `server.json` beside the database, and
another command on the same directory (e.g. `itsm-ontology load` while `serve` runs) attaches to
that server instead of starting a second one on locked files.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.graph.arcadedb_child import DATABASE, READER


class EmbeddedStartError(RuntimeError):
    pass


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
    ):
        self.root = data_dir.resolve() / "arcadedb"
        self.heap = heap
        self.start_timeout_s = start_timeout_s
        self.command_timeout_ms = command_timeout_ms
        self.reader_timeout_ms = reader_timeout_ms
        self.reader_row_limit = reader_row_limit
        self.process: subprocess.Popen[str] | None = None
        self.start_seconds: float | None = None

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

    def running_elsewhere(self) -> BoltEndpoint | None:
        """The endpoint of a server another process started on this data directory, if it is up."""
        try:
            state = json.loads(self._state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if _pid_alive(int(state["pid"])) and _port_open(int(state["bolt_port"])):
            return self._endpoint(int(state["bolt_port"]))
        return None

    def start(self) -> BoltEndpoint:
        self.root.mkdir(parents=True, exist_ok=True)
        bolt_port, http_port = free_loopback_port(), free_loopback_port()
        endpoint = self._endpoint(bolt_port)
        package_root = str(Path(__file__).resolve().parents[2])  # importable from the child's cwd
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
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
        log = (self.root / "server.log").open("a", encoding="utf-8")
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.graph.arcadedb_child"],
            cwd=self.root,  # ArcadeDB writes ./log relative to its working directory
            env=env,
            stdin=subprocess.PIPE,  # closing it asks the child to stop; it closes by itself if we die
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        log.close()
        assert self.process.stdout is not None
        line = self._read_ready_line()
        if not line.startswith("READY"):
            self.stop()
            raise EmbeddedStartError(
                f"the embedded ArcadeDB did not start within {self.start_timeout_s:.0f}s; "
                f"last lines of {self.root / 'server.log'}:\n{self._log_tail()}"
            )
        while not _port_open(bolt_port):
            if time.monotonic() - started > self.start_timeout_s:
                self.stop()
                raise EmbeddedStartError(f"Bolt port {bolt_port} did not open; see {self.root / 'server.log'}")
            time.sleep(0.05)
        self.start_seconds = time.monotonic() - started
        self._state_file.write_text(json.dumps({"pid": self.process.pid, "bolt_port": bolt_port}), encoding="utf-8")
        return endpoint

    def _log_tail(self, lines: int = 8) -> str:
        try:
            return "\n".join(
                (self.root / "server.log").read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            )
        except OSError:
            return "(no log)"

    def _read_ready_line(self) -> str:
        """The child's first stdout line, or '' when it exits or the start times out."""
        assert self.process is not None and self.process.stdout is not None
        import selectors

        deadline = time.monotonic() + self.start_timeout_s
        with selectors.DefaultSelector() as sel:
            sel.register(self.process.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if sel.select(timeout=0.2):
                    return self.process.stdout.readline()
                if self.process.poll() is not None:
                    return ""
        return ""

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin is not None:
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
        try:
            state = json.loads(self._state_file.read_text(encoding="utf-8"))
            if int(state["pid"]) == process.pid:
                self._state_file.unlink()
        except (OSError, ValueError):
            pass

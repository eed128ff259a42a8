"""The service under test: a real uvicorn on loopback in its own process, and the processes' peak RSS."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _status_kb(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def peak_rss_mb(pid: int | None) -> float | None:
    """The process's peak resident set (VmHWM), in MB; None when it cannot be read."""
    if pid is None:
        return None
    kb = _status_kb(pid, "VmHWM")
    return round(kb / 1024, 1) if kb is not None else None


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


class Service:
    """`uvicorn app.main:create_app` with the given ITSM_* environment, on a free loopback port."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int = 1,
        log: Path | None = None,
        command: list[str] | None = None,
        ready_path: str = "/ready",
    ):
        self.env = env
        self.command = command
        self.ready_path = ready_path
        self.workers = workers
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.ready_s: float | None = None

    def __enter__(self) -> Service:
        if self.command is not None:  # e.g. `itsm-ontology serve --load`, with {port} filled in
            command = [part.format(port=self.port) for part in self.command]
        else:
            command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
            command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning", "--no-access-log"]
            command += ["--timeout-keep-alive", "120"]  # samples may pause between requests
            if self.workers > 1:
                command += ["--workers", str(self.workers)]
        out = self.log.open("ab") if self.log else subprocess.DEVNULL
        started = time.perf_counter()
        self.process = subprocess.Popen(command, env={**os.environ, **self.env}, stdout=out, stderr=out)
        deadline = started + 120
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited with status {self.process.returncode} (log: {self.log})")
            ready = f"http://127.0.0.1:{self.port}{self.ready_path}"
            with contextlib.suppress(OSError), urllib.request.urlopen(ready, timeout=2) as answer:
                if answer.status == 200:
                    self.ready_s = time.perf_counter() - started
                    return self
            time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("the service did not become ready within 120 s")

    def peak_rss_mb(self) -> float | None:
        """The service's peak RSS (with workers: the sum over the worker processes)."""
        if self.process is None:
            return None
        pids = [self.process.pid] + (children(self.process.pid) if self.workers > 1 else [])
        values = [v for v in (peak_rss_mb(pid) for pid in pids) if v is not None]
        return round(sum(values), 1) if values else None

    def __exit__(self, *_: object) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)

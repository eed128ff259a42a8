"""A small HTTP/1.1 load client for the bench: keep-alive connections on loopback, asyncio, no
parsing beyond the status line, Content-Length and chunked bodies. Lighter than a general client,
so that on a 2-core machine the clients take as little CPU from the server as they can.

Every loop is bounded by a request count or a deadline and stops by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class Request:
    """One request of the bench: a name, a method and a path with its query string (and a body)."""

    name: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    method: str = "GET"
    body: bytes = b""

    @property
    def target(self) -> str:
        return self.path + ("?" + urlencode(self.params) if self.params else "")

    def raw(self, host: str) -> bytes:
        head = f"{self.method} {self.target} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
        if self.method != "GET":
            head += f"Content-Type: application/json\r\nContent-Length: {len(self.body)}\r\n"
        return (head + "\r\n").encode() + self.body


class Connection:
    """One keep-alive connection; `send` returns (status, body bytes)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port, limit=1 << 24)
        return self._reader, self._writer

    async def send(self, request: Request) -> tuple[int, bytes]:
        reader, writer = await self._open()
        writer.write(request.raw(f"{self.host}:{self.port}"))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                parts.append(await reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(p[:-2] for p in parts)
        else:
            body = b""
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


async def _timed(connection: Connection, request: Request) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        status, _ = await connection.send(request)
    except (OSError, asyncio.IncompleteReadError, ValueError):
        await connection.close()
        status = 0
    return (time.perf_counter() - started) * 1000, status


@dataclass
class LoadResult:
    clients: int
    seconds: float
    requests: int = 0
    errors: int = 0
    samples: list[float] = field(default_factory=list)
    by_status: dict[int, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def _load(host: str, port: int, mix: list[tuple[Request, int]], clients: int, seconds: float) -> LoadResult:
    population = [request for request, _ in mix]
    weights = [weight for _, weight in mix]
    result = LoadResult(clients, seconds)
    started = time.perf_counter()
    deadline = started + seconds

    async def worker(seed: int) -> None:
        rng = random.Random(seed)
        connection = Connection(host, port)
        try:
            while time.perf_counter() < deadline:
                request = rng.choices(population, weights)[0]
                elapsed, status = await _timed(connection, request)
                result.requests += 1
                result.samples.append(elapsed)
                result.by_status[status] = result.by_status.get(status, 0) + 1
                result.errors += not 200 <= status < 300
        finally:
            await connection.close()

    await asyncio.gather(*(worker(i) for i in range(clients)))
    result.seconds = time.perf_counter() - started
    return result


def load(host: str, port: int, mix: list[tuple[Request, int]], clients: int, seconds: float) -> LoadResult:
    """`clients` connections sending requests drawn from `mix` (request, weight) for `seconds`."""
    return asyncio.run(_load(host, port, mix, clients, seconds))


class SyncConnection:
    """One keep-alive connection for sequential latency samples (interleaved with store calls)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._connection = http.client.HTTPConnection(host, port, timeout=120)

    def send(self, request: Request) -> tuple[float, int]:
        """(milliseconds, status); status 0 when the request failed on a fresh connection too (a
        keep-alive connection the server closed meanwhile is opened again, not counted)."""
        headers = {"Accept": "application/json"}
        if request.method != "GET":
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self._connection.request(request.method, request.target, body=request.body or None, headers=headers)
                answer = self._connection.getresponse()
                answer.read()
                return (time.perf_counter() - started) * 1000, answer.status
            except (OSError, http.client.HTTPException):
                self._connection.close()
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt == 2:
                    return (time.perf_counter() - started) * 1000, 0
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._connection.close()

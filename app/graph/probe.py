"""A bounded liveness probe: `RETURN 1` over Bolt on the probe's own socket, with a hard deadline.

The `neo4j` driver has no client-side read timeout (only a hint the server may send), so a store
that accepts connections but never answers (a stopped or wedged process: the kernel still
completes the TCP handshake) keeps a driver call waiting indefinitely. The supervisor therefore
does not probe through the driver: this module speaks just enough Bolt (handshake, HELLO/LOGON,
RUN, PULL) on a plain socket whose every read is bounded by what is left of the probe's deadline.

One `BoltProbe` keeps its connection between probes (one login, then one tiny query per probe);
any failure closes it and the next probe connects afresh.
"""

from __future__ import annotations

import socket
import ssl
import struct
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAGIC = b"\x60\x60\xb0\x17"
# Bolt 5.4 down to 5.1 (one range entry), then 4.4: what both ArcadeDB 26.10 and Neo4j 5 speak.
VERSIONS = bytes([0, 3, 4, 5]) + bytes([0, 0, 4, 4]) + bytes(8)
HELLO, LOGON, RUN, PULL, GOODBYE = 0x01, 0x6A, 0x10, 0x3F, 0x02
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F
AGENT = "itsm-ontology-probe/1"


class ProbeFailed(Exception):
    """The store did not answer the probe. `kind` says how: 'refused' (nothing listens),
    'timeout' (no answer within the deadline: hung), 'closed' (the connection dropped),
    'refusal' (the store answered with a Bolt FAILURE, e.g. bad credentials)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def _pack(value: Any) -> bytes:
    """PackStream for the few value types the probe sends: str, int, dict."""
    if isinstance(value, bool) or value is None:
        return {None: b"\xc0", True: b"\xc3", False: b"\xc2"}[value]
    if isinstance(value, int):
        if -16 <= value < 128:
            return struct.pack(">b", value)
        return b"\xca" + struct.pack(">i", value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        if len(data) < 16:
            return bytes([0x80 | len(data)]) + data
        if len(data) < 256:
            return b"\xd0" + bytes([len(data)]) + data
        return b"\xd1" + struct.pack(">H", len(data)) + data
    if isinstance(value, dict):
        if len(value) >= 16:
            raise ValueError("the probe sends small maps only")
        return bytes([0xA0 | len(value)]) + b"".join(_pack(k) + _pack(v) for k, v in value.items())
    raise TypeError(f"cannot pack {type(value).__name__}")


def _message(signature: int, *fields: Any) -> bytes:
    body = bytes([0xB0 | len(fields), signature]) + b"".join(_pack(f) for f in fields)
    return struct.pack(">H", len(body)) + body + b"\x00\x00"


@dataclass
class _Connection:
    sock: socket.socket
    version: tuple[int, int]


class BoltProbe:
    def __init__(self, uri: str, auth: tuple[str, str], database: str | None = None):
        parts = urlsplit(uri)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 7687
        self.tls = parts.scheme.endswith(("+s", "+ssc"))
        self.verify = not parts.scheme.endswith("+ssc")
        self.auth, self.database = auth, database
        self._conn: _Connection | None = None

    @property
    def target(self) -> str:
        return f"{self.host}:{self.port}"

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.sock.settimeout(0.2)
                conn.sock.sendall(_message(GOODBYE))
            except OSError:
                pass
            conn.sock.close()

    def check(self, timeout_s: float) -> float:
        """Run `RETURN 1`; the seconds it took, or ProbeFailed. A kept connection that turns out
        closed is replaced once within the same deadline."""
        deadline = time.monotonic() + timeout_s
        started = time.monotonic()
        for attempt in (1, 2):
            fresh = self._conn is None
            try:
                if self._conn is None:
                    self._conn = self._connect(deadline)
                self._query(self._conn, deadline)
                return time.monotonic() - started
            except ProbeFailed as exc:
                self.close()
                if exc.kind == "closed" and not fresh and attempt == 1:
                    continue  # the kept connection went away (e.g. the server restarted): reconnect
                raise
        raise AssertionError("unreachable")

    # -- wire --------------------------------------------------------------------------------

    def _connect(self, deadline: float) -> _Connection:
        try:
            raw = socket.create_connection((self.host, self.port), timeout=max(deadline - time.monotonic(), 0.01))
        except ConnectionRefusedError as exc:
            raise ProbeFailed("refused", f"unreachable: Connection refused ({self.target})") from exc
        except TimeoutError as exc:
            raise ProbeFailed("timeout", f"no TCP connection to {self.target} in time") from exc
        except OSError as exc:
            raise ProbeFailed("refused", f"unreachable: {exc.strerror or exc} ({self.target})") from exc
        sock: socket.socket = raw
        try:
            if self.tls:
                context = ssl.create_default_context()
                if not self.verify:
                    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
                sock = context.wrap_socket(raw, server_hostname=self.host)
            self._send(sock, MAGIC + VERSIONS, deadline)
            answer = self._recv(sock, 4, deadline, what="Bolt handshake")
            major, minor = answer[3], answer[2]
            if major == 0:
                raise ProbeFailed("refusal", f"{self.target} speaks none of the probe's Bolt versions")
            conn = _Connection(sock, (major, minor))
            user, password = self.auth
            credentials = {"scheme": "basic", "principal": user, "credentials": password}
            if (major, minor) >= (5, 1):
                hello: dict[str, Any] = {"user_agent": AGENT}
                if (major, minor) >= (5, 3):
                    hello["bolt_agent"] = {"product": AGENT}
                self._send(sock, _message(HELLO, hello) + _message(LOGON, credentials), deadline)
                self._expect_success(sock, deadline, "HELLO")
                self._expect_success(sock, deadline, "LOGON")
            else:
                self._send(sock, _message(HELLO, {"user_agent": AGENT, **credentials}), deadline)
                self._expect_success(sock, deadline, "HELLO")
            return conn
        except BaseException:
            sock.close()
            raise

    def _query(self, conn: _Connection, deadline: float) -> None:
        extra: dict[str, Any] = {"mode": "r"}
        if self.database:
            extra["db"] = self.database
        self._send(conn.sock, _message(RUN, "RETURN 1 AS ok", {}, extra) + _message(PULL, {"n": -1}), deadline)
        self._expect_success(conn.sock, deadline, "RUN")
        while True:
            signature = self._read_message(conn.sock, deadline, "PULL")
            if signature == RECORD:
                continue
            if signature != SUCCESS:
                raise ProbeFailed("refusal", f"{self.target} refused `RETURN 1` (Bolt message 0x{signature:02X})")
            return

    def _expect_success(self, sock: socket.socket, deadline: float, what: str) -> None:
        signature = self._read_message(sock, deadline, what)
        if signature != SUCCESS:
            raise ProbeFailed("refusal", f"{self.target} refused {what} (Bolt message 0x{signature:02X})")

    def _read_message(self, sock: socket.socket, deadline: float, what: str) -> int:
        """The signature of the next message (its fields are not needed), skipping NOOP chunks."""
        while True:
            body = b""
            while True:
                (size,) = struct.unpack(">H", self._recv(sock, 2, deadline, what=what))
                if size == 0:
                    break
                body += self._recv(sock, size, deadline, what=what)
            if len(body) >= 2:
                return body[1]

    def _send(self, sock: socket.socket, data: bytes, deadline: float) -> None:
        try:
            sock.settimeout(max(deadline - time.monotonic(), 0.01))
            sock.sendall(data)
        except TimeoutError as exc:
            raise ProbeFailed("timeout", f"{self.target} took no data within the probe's deadline") from exc
        except OSError as exc:
            raise ProbeFailed("closed", f"connection to {self.target} lost: {exc.strerror or exc}") from exc

    def _recv(self, sock: socket.socket, size: int, deadline: float, *, what: str) -> bytes:
        data = b""
        while len(data) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProbeFailed("timeout", f"{self.target} did not answer {what} in time")
            try:
                sock.settimeout(left)
                chunk = sock.recv(size - len(data))
            except TimeoutError as exc:
                raise ProbeFailed("timeout", f"{self.target} did not answer {what} in time") from exc
            except OSError as exc:
                raise ProbeFailed("closed", f"connection to {self.target} lost: {exc.strerror or exc}") from exc
            if not chunk:
                raise ProbeFailed("closed", f"{self.target} closed the connection during {what}")
            data += chunk
        return data

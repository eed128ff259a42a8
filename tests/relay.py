"""A tiny TCP relay listening on 127.0.0.1, for cutting and restoring the path to a real store in tests."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from app.graph.store import GraphStore


class Relay:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target_host, self.target_port = target_host, target_port
        self.port = 0
        self._server: socket.socket | None = None
        self._conns: list[socket.socket] = []

    def start(self, port: int = 0) -> int:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(16)
        self._server, self.port = server, server.getsockname()[1]
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()
        return self.port

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection((self.target_host, self.target_port))
            self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def restart(self) -> None:
        """Listen again on the same port: the store is reachable again."""
        self.start(self.port)

    def stop(self) -> None:
        """Refuse new connections and cut the open ones."""
        if self._server:
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            self._server.close()
            self._server = None
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._conns = []


@contextlib.contextmanager
def relayed(store: GraphStore) -> Iterator[tuple[GraphStore, Relay]]:
    """A second connection to the same store, through a relay the test can cut and restore.

    Always plain `bolt://` to the relay (a `neo4j://` routing table would send the driver past
    it); a TLS URI is skipped, since the relay does not terminate TLS."""
    assert store.uri is not None and store.auth is not None
    target = urlsplit(store.uri)
    if target.scheme.endswith(("+s", "+ssc")):
        pytest.skip(f"the relay carries plain Bolt only; the store is reached by {target.scheme}://")
    relay = Relay(target.port or 7687, target.hostname or "127.0.0.1")
    port = relay.start()
    cut = GraphStore.connect(
        f"bolt://127.0.0.1:{port}",
        store.auth,
        store.database,
        store.dialect,
        store.queries,
        timeout_s=5,
        readonly_auth=store.readonly_auth,
    )
    try:
        yield cut, relay
    finally:
        relay.stop()
        cut.close()

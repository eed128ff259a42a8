"""A tiny TCP relay listening on 127.0.0.1, for cutting and restoring the path to a real store in tests."""

from __future__ import annotations

import contextlib
import socket
import threading


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

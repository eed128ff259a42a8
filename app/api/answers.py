"""The headers every answer gets, and the release's answers kept in memory (a pure ASGI middleware).

- `X-Ontology-Release` on every answer: the cached release tag (never waits on the store).
- On a successful `GET /v1/...`: a strong ETag from the body's bytes, and 304 Not Modified when
  the caller already has them. An answer that sets its own ETag (a streamed export) is passed on
  as it streams (or as 304), never read into memory nor kept.
- Between two loads the graph is read-only, so a `GET /v1/...` answer depends on the release and
  the request's path and query string alone: the first 200 answer is kept, under the release it
  was computed for, and served from memory until the release changes (a load here or by another
  process, seen through the release cache). The bytes, and so the ETag, are the ones the service
  computed. An answer is kept only when the release was the same before and after computing it,
  and never when no release is loaded. While the store is known to be down (a probe missed),
  nothing is served from memory: the answer is the 503 the store path gives, as /ready says.
  `/v1/releases/...` (the release history and its kept contents) is never kept. Bounded in
  entries and bytes; `ITSM_ANSWER_CACHE=false`
  turns it off (the bench does, to measure what a request costs the first time).

Written against ASGI directly rather than as `@app.middleware("http")`: no second task and stream
per request. Everything here runs on the event loop's thread, so the cache needs no lock.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.services.release import ReleaseCache

RELEASE_HEADER = "X-Ontology-Release"
_RELEASE = RELEASE_HEADER.lower().encode()
_DROPPED_304 = {b"content-length", b"content-type"}
# Not kept: the release history and its kept contents, which a load without a new release (keeping
# the contents of an older one) or an operator may change.
UNKEPT_PREFIXES = ("/v1/releases",)


def etag_of(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _wanted(scope: Scope) -> set[str]:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return {t.strip().removeprefix("W/") for t in value.decode("latin-1").split(",")}
    return set()


@dataclass(frozen=True)
class Answer:
    headers: list[tuple[bytes, bytes]]  # with the ETag, without the release header
    body: bytes
    etag: str


class AnswerStore:
    """The answers of one release: (path, query string) -> Answer, first in first out past the bounds."""

    def __init__(self, *, max_entries: int = 4096, max_bytes: int = 64 << 20, max_entry_bytes: int = 4 << 20):
        self.max_entries, self.max_bytes, self.max_entry_bytes = max_entries, max_bytes, max_entry_bytes
        self.release: str | None = None
        self.entries: dict[tuple[str, bytes], Answer] = {}
        self.bytes = 0
        self.hits = self.misses = 0

    def get(self, release: str, key: tuple[str, bytes]) -> Answer | None:
        if release != self.release:
            self.release, self.entries, self.bytes = release, {}, 0
        answer = self.entries.get(key)
        if answer is None:
            self.misses += 1
        else:
            self.hits += 1
        return answer

    def put(self, release: str, key: tuple[str, bytes], answer: Answer) -> None:
        if release != self.release or len(answer.body) > self.max_entry_bytes:
            return
        size = len(answer.body)
        while self.entries and (len(self.entries) >= self.max_entries or self.bytes + size > self.max_bytes):
            oldest = next(iter(self.entries))
            self.bytes -= len(self.entries.pop(oldest).body)
        self.entries[key] = answer
        self.bytes += len(answer.body)


class AnswerHeaders:
    def __init__(self, app: ASGIApp, *, cache: bool = True):
        self.app = app
        self.cache = cache
        self.answers = AnswerStore()

    @staticmethod
    def _releases(scope: Scope) -> ReleaseCache | None:
        app = scope.get("app")
        return getattr(app.state, "releases", None) if app is not None else None

    @staticmethod
    def _store_down(scope: Scope) -> bool:
        """While the supervisor knows the store is down, every answer comes from the store (and so
        is the same 503 the rest of the API and /ready give), never from memory."""
        app = scope.get("app")
        store = getattr(app.state, "store", None) if app is not None else None
        return store is not None and store.down_reason is not None

    def _tag(self, scope: Scope) -> str | None:
        releases = self._releases(scope)
        return releases.tag() if releases else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] != "GET" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send_with_release(self, scope, send))
            return
        keep = self.cache and not scope["path"].startswith(UNKEPT_PREFIXES) and not self._store_down(scope)
        release = self._tag(scope) if keep else None
        key = (scope["path"], scope["query_string"])
        if release is not None:
            kept = self.answers.get(release, key)
            if kept is not None:
                await self._send(scope, send, 200, kept.headers, kept.body, kept.etag, release)
                return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] != 200:  # an error or a redirect: passed on as it is
                    start["passthrough"] = True
                    await send_with_release(self, scope, send)(message)
                    return
                own = dict(message.get("headers", [])).get(b"etag")
                if own is not None:  # a streamed answer with its own ETag: neither read nor kept
                    start["passthrough"] = True
                    wanted = _wanted(scope)
                    if own.decode("latin-1") in wanted or "*" in wanted:
                        start["not_modified"] = True
                        headers = [(k, v) for k, v in message["headers"] if k.lower() not in _DROPPED_304]
                        message = {**message, "status": 304, "headers": headers}
                        await send_with_release(self, scope, send)(message)
                        await send({"type": "http.response.body", "body": b""})
                        return
                    await send_with_release(self, scope, send)(message)
                    return
                start.update(message)
                return
            if start.get("not_modified"):
                return  # the body of an answer the caller already holds
            if start.get("passthrough"):
                await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = etag_of(body)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"etag")]
            headers += [(b"content-length", str(len(body)).encode()), (b"etag", etag.encode())]
            now = self._tag(scope)
            if release is not None and now == release:
                self.answers.put(release, key, Answer(headers, body, etag))
            await self._send(scope, send, 200, headers, body, etag, now)

        await self.app(scope, receive, buffered)

    async def _send(
        self,
        scope: Scope,
        send: Send,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        etag: str,
        release: str | None,
    ) -> None:
        wanted = _wanted(scope)
        if etag in wanted or "*" in wanted:
            status, body = 304, b""
            headers = [(k, v) for k, v in headers if k.lower() not in _DROPPED_304]
        if release:
            headers = [*headers, (_RELEASE, release.encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def send_with_release(middleware: AnswerHeaders, scope: Scope, send: Send) -> Send:
    """`send`, with the release header added to the start of the answer."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            tag = middleware._tag(scope)
            if tag:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != _RELEASE]
                message = {**message, "headers": [*headers, (_RELEASE, tag.encode())]}
        await send(message)

    return sending

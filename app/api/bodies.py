"""Request bodies, bounded before any router sees them (an ASGI middleware).

- **Size**: a `Content-Length` over ITSM_MAX_BODY_BYTES is refused at once (413), a chunked body
  as soon as it passes the limit.
- **Time**: the whole body must arrive within ITSM_BODY_TIMEOUT_S of the first byte asked for; a
  half-sent body is answered 408 with `Connection: close`, so the server drops the connection
  instead of holding it open for as long as the client likes.
- **Encoding**: JSON is UTF-8 (RFC 8259): a `charset` other than UTF-8 is 415; bytes that are not
  UTF-8 (Latin-1, UTF-16), nesting deeper than `MAX_DEPTH`, and strings holding a lone surrogate
  (`"\\ud800"`, valid JSON that no store can take) are 422 problems, never a 500 further in.

The body read here is handed on unchanged, so routers parse it as usual.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import PROBLEM_JSON

MAX_DEPTH = 64  # arrays and objects inside each other; no request of this API needs more than 5
_NO_BODY = {"GET", "HEAD", "OPTIONS", "DELETE", "TRACE"}


class BodyRefused(Exception):
    def __init__(self, status: int, title: str, detail: str):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest (iteratively: a deep value must not exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _surrogate_at(value: Any, where: str = "body") -> str | None:
    """Where a string (or key) in a parsed JSON value holds a lone surrogate, if anywhere."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return path
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(item))
        elif isinstance(item, dict):
            for key, child in item.items():
                stack.append((key, f"{path} (a key)"))
                stack.append((child, f"{path}.{key.encode('utf-8', 'replace').decode('utf-8')}"))
    return None


def check_json(body: bytes, content_type: str) -> None:
    """BodyRefused unless `body` is UTF-8 JSON without lone surrogates and not nested too deeply.
    Malformed JSON is left to the router's own validation (a 422 naming the position)."""
    charset = _charset(content_type)
    if charset not in (None, "utf-8", "utf8"):
        raise BodyRefused(415, "Unsupported media type", f"JSON bodies are UTF-8; charset={charset} is not accepted")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyRefused(
            422, "Invalid request body", f"the body is not UTF-8 (byte {exc.start}); send JSON encoded as UTF-8"
        ) from exc
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise BodyRefused(422, "Invalid request body", f"the body nests deeper than {MAX_DEPTH} levels") from exc
    except json.JSONDecodeError:
        return
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise BodyRefused(422, "Invalid request body", f"the body holds an unusable value: {exc}") from exc
    if _depth(value) > MAX_DEPTH:
        raise BodyRefused(422, "Invalid request body", f"the body nests deeper than {MAX_DEPTH} levels")
    where = _surrogate_at(value)
    if where is not None:
        raise BodyRefused(
            422, "Invalid request body", f"{where} holds a lone surrogate (such as \\ud800); send valid Unicode"
        )


class BodyGuard:
    def __init__(self, app: ASGIApp, *, max_bytes: int, timeout_s: float):
        self.app, self.max_bytes, self.timeout_s = app, max_bytes, timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        chunked = "chunked" in (_header(scope, b"transfer-encoding") or "").lower()
        if scope["method"] in _NO_BODY and not chunked and length in (None, "0"):
            await self.app(scope, receive, send)
            return
        try:
            if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
                raise BodyRefused(413, "Request body too large", f"bodies are limited to {self.max_bytes} bytes")
            body = await self._read(receive)
            if body is None:  # the client went away
                return
            content_type = _header(scope, b"content-type") or ""
            if body and _is_json(content_type):
                check_json(body, content_type)
        except BodyRefused as refused:
            await _problem(scope, send, refused)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for a disconnect, as the server would

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout_s
        while True:
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0.001))
            except TimeoutError as exc:
                raise BodyRefused(
                    408, "Request timeout", f"the request body did not arrive within {self.timeout_s:g}s"
                ) from exc
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise BodyRefused(413, "Request body too large", f"bodies are limited to {self.max_bytes} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _problem(scope: Scope, send: Send, refused: BodyRefused) -> None:
    body = json.dumps(
        {
            "type": "about:blank",
            "title": refused.title,
            "status": refused.status,
            "instance": scope.get("path"),
            "detail": refused.detail,
        }
    ).encode("utf-8")
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    if refused.status in (408, 413):  # the rest of the body may still come: do not read it
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})

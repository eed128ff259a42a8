"""The explorer's files without a browser: the committed bundle matches its sources, the routes
serve it, and neither the served HTML nor any bundled file makes the browser fetch from another
host (the browser tests in tests/browser/ check the same at run time, request by request)."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
STATIC = ROOT / "app" / "web" / "static"
PAGES = ["/", "/docs", "/redoc", "/docs/oauth2-redirect"]

# URLs that name things rather than locate them: XML namespaces (the browser never fetches them).
NAMESPACE = re.compile(r"^https?://www\.w3\.org/")
EXTERNAL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'`)<>]*""")
URL_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "data", "background", "manifest"}
# Ways a script or style sheet makes the browser load a URL, written with a literal absolute URL.
LOADING_SINKS = [
    re.compile(r"""\bsrc\s*[:=]\s*\\?["'`](?:https?:)?//"""),
    re.compile(r"""\bsrcset\s*[:=]\s*\\?["'`](?:https?:)?//"""),
    re.compile(r"""url\(\s*\\?["']?(?:https?:)?//"""),
    re.compile(r"""@import\s+(?:url\()?\s*\\?["']?(?:https?:)?//"""),
    re.compile(
        r"""\b(?:fetch|importScripts|Worker|SharedWorker|EventSource|WebSocket|sendBeacon)\(\s*["'`](?:https?:|wss?:)?//"""
    ),
    re.compile(r"""\.open\(\s*["'][A-Za-z]+["']\s*,\s*["'`]https?://"""),
    re.compile(r"""<(?:script|img|iframe|link|source|video|audio)\b[^>]*\b(?:src|href)=\\?["'](?:https?:)?//"""),
]


def inputs_hash() -> str:
    """The recipe of web/build.mjs: sha256 over "path\\0content\\0" of each input, sorted by path."""
    names = sorted(
        [p.relative_to(WEB).as_posix() for p in (WEB / "src").rglob("*") if p.is_file()]
        + ["build.mjs", "package-lock.json"]
    )
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0")
        digest.update((WEB / name).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def test_committed_bundle_matches_its_sources() -> None:
    stamp = json.loads((STATIC / "build.json").read_text())
    assert stamp["inputs_sha256"] == inputs_hash(), "app/web/static is stale: run `make web` and commit it"
    lock = json.loads((WEB / "package-lock.json").read_text())
    for name, version in stamp["versions"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
    assert (STATIC / "index.html").read_bytes() == (WEB / "src" / "index.html").read_bytes()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = tag if tag in ("script", "style") else None
        for name, value in attrs:
            if value and name in URL_ATTRIBUTES:
                self.urls.extend(u.strip().split(" ")[0] for u in value.split(","))
            if value and name == "style":
                self.inline.append(value)

    def handle_data(self, data: str) -> None:
        if self._in:
            self.inline.append(data)


def external_in_html(text: str) -> list[str]:
    parser = _Links()
    parser.feed(text)
    found = [u for u in parser.urls if re.match(r"^(?:[a-z]+:)?//", u, re.I) and not u.startswith(("data:", "blob:"))]
    found += [u for chunk in parser.inline for u in EXTERNAL.findall(chunk) if not NAMESPACE.match(u)]
    return found


@pytest.mark.parametrize("path", PAGES)
def test_served_pages_reference_no_external_url(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert external_in_html(response.text) == []


def test_docs_use_local_assets_and_no_validator(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in docs and "/static/vendor/swagger-ui.css" in docs
    assert '"validatorUrl": null' in docs  # no badge fetched from the public validator
    assert "/static/vendor/redoc.standalone.js" in client.get("/redoc").text
    for asset, kind in [
        ("explorer.js", "javascript"),
        ("explorer.css", "text/css"),
        ("vendor/swagger-ui-bundle.js", "javascript"),
        ("vendor/redoc.standalone.js", "javascript"),
        ("favicon.svg", "image/svg+xml"),
    ]:
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200 and kind in response.headers["content-type"], asset
    home = client.get("/")
    assert 'src="static/explorer.js"' in home.text and home.headers["cache-control"] == "no-cache"


def bundled_files() -> list[Path]:
    return sorted(p for p in STATIC.rglob("*") if p.is_file())


def test_bundled_files_reference_no_external_url() -> None:
    """Our own files carry no URL at all but XML namespaces. The vendored Swagger UI and ReDoc
    bundles mention URLs in messages, docs links and schema identifiers; none may sit where the
    browser would load it (src, url(), @import, fetch, a worker, a tag in a template). License
    notices (*.txt) are not loaded by any page."""
    problems: list[str] = []
    for path in bundled_files():
        if path.suffix == ".txt":
            continue
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(STATIC).as_posix()
        if path.suffix in (".html", ".svg"):
            problems += [f"{name}: {u}" for u in external_in_html(text)]
        if name.startswith("vendor/"):
            problems += [f"{name}: {m.group(0)[:80]}" for sink in LOADING_SINKS for m in sink.finditer(text)]
        else:
            problems += [
                f"{name}: {u}"
                for u in EXTERNAL.findall(text)
                if u.startswith(("http", "//")) and not NAMESPACE.match(u)
            ]
    assert problems == []


def test_the_checks_would_catch_an_external_reference() -> None:
    assert external_in_html('<link rel="stylesheet" href="https://cdn.example.org/x.css">')
    assert external_in_html('<script src="//cdn.example.org/x.js"></script>')
    assert external_in_html("<style>@import url(https://fonts.example.org/f.css);</style>")
    assert not external_in_html('<svg xmlns="http://www.w3.org/2000/svg"></svg><a href="docs">docs</a>')
    samples = [
        'n.createElement("img",{src:"https://cdn.example.org/logo.svg"})',
        'fetch("https://api.example.org/")',
        "background:url(//x.example.org/a.png)",
    ]
    assert all(any(s.search(sample) for s in LOADING_SINKS) for sample in samples)

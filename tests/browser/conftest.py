"""Browser tests: a real headless Chromium (Debian's `chromium` + `chromium-driver`, driven by
Selenium) against the live service on a loopback port.

Every test fails on a console error and on any request to a host other than the service; each
saves screenshots under tests/artifacts/. Without Chromium or its driver the tests skip, saying why.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from app.graph.store import GraphStore
from app.main import create_app
from app.settings import Settings

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
WIDE = (1280, 800)
NARROW = (390, 844)


def _chromium() -> tuple[str, str] | str:
    """(browser, driver) paths, or why they cannot be had."""
    browser = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("CHROMEDRIVER_BIN") or shutil.which("chromedriver")
    if not browser or not driver:
        missing = " and ".join(n for n, p in (("chromium", browser), ("chromedriver", driver)) if not p)
        return f"browser tests need Debian's chromium and chromium-driver ({missing} not found; apt-get install -y chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "browser tests need selenium (pip install -e '.[dev]')"
    return browser, driver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_url(store: GraphStore) -> Iterator[str]:
    """The whole service (explorer, /docs, /v1) served by uvicorn on a loopback port."""
    found = _chromium()
    if isinstance(found, str):
        pytest.skip(found)
    app = create_app(Settings(store="embedded"), store=store)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the service did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def driver(live_url: str) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = _chromium()
    assert not isinstance(found, str)
    browser, chromedriver = found
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for arg in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={WIDE[0]},{WIDE[1]}",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        # Nothing but loopback resolves: a stray request fails at once (and is reported below).
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # An explicit driver path: Selenium Manager never tries to download one.
    chrome = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    chrome.set_page_load_timeout(30)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chrome.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(ARTIFACTS)})
    yield chrome
    chrome.quit()


class Page:
    """One test's view of the browser: open views, wait for text, take screenshots."""

    def __init__(self, driver: Any, base: str, name: str):
        self.driver = driver
        self.base = base
        self.name = name
        self.shots: list[Path] = []

    def open(self, path: str = "/") -> None:
        self.driver.get(self.base + path)
        self.wait_js("return document.readyState === 'complete'")

    def go(self, hash_: str) -> None:
        """Navigate inside the explorer (a hash change, no reload)."""
        self.driver.execute_script("location.hash = arguments[0]", hash_)

    def wait(self, condition: Callable[[Any], Any], timeout: float = 15, what: str = "") -> Any:
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout).until(condition, message=what)

    def wait_js(self, script: str, *args: Any, timeout: float = 15) -> Any:
        return self.wait(lambda d: d.execute_script(script, *args), timeout, script)

    def idle(self) -> None:
        """Until the view has finished loading."""
        self.wait_js("const m = document.getElementById('main'); return m && !m.hasAttribute('aria-busy')")

    def css(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.wait(lambda d: d.find_element(By.CSS_SELECTOR, selector), what=selector)

    def all(self, selector: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        return list(self.driver.find_elements(By.CSS_SELECTOR, selector))

    def text_of(self, selector: str) -> str:
        return str(self.css(selector).text)

    def wait_text(self, selector: str, text: str, timeout: float = 15) -> None:
        self.wait(lambda d: any(text in e.text for e in self.all(selector)), timeout, f"{text!r} in {selector}")

    def resize(self, size: tuple[int, int]) -> None:
        """Make the viewport (not the window) `size`."""
        for _ in range(3):
            inner = self.driver.execute_script("return [window.innerWidth, window.innerHeight]")
            if tuple(inner) == size:
                return
            window = self.driver.get_window_size()
            self.driver.set_window_size(window["width"] + size[0] - inner[0], window["height"] + size[1] - inner[1])
            time.sleep(0.2)

    def screenshot(self, label: str, size: tuple[int, int] = WIDE) -> Path:
        self.resize(size)
        path = ARTIFACTS / f"{self.name}-{label}-{size[0]}x{size[1]}.png"
        self.driver.save_screenshot(str(path))
        self.shots.append(path)
        return path


def _drain(driver: Any) -> tuple[list[str], list[str]]:
    """Console errors and requested URLs since the last call."""
    errors = [f"{e['level']}: {e['message']}" for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return errors, urls


@pytest.fixture
def page(driver: Any, live_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    _drain(driver)
    view = Page(driver, live_url, request.node.name.split("[")[0].removeprefix("test_"))
    view.resize(WIDE)
    yield view
    errors, urls = _drain(driver)
    host = urlsplit(live_url).netloc
    foreign = [u for u in urls if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != host]
    assert not errors, f"console errors: {errors}"
    assert not foreign, f"requests to other hosts: {foreign}"

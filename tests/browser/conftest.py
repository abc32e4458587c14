"""Browser fixtures: the example site built once, served on loopback, and one Chromium.

The server runs in a thread of the test process on 127.0.0.1, so a test can tell the
site's own requests from any that would leave the machine.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from ..conftest import REPO, build_example

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
AXE = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "artifacts" / "screenshots"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@dataclass
class Served:
    """The built example site and the address it is served at."""

    root: Path
    url: str


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    output = build_example(tmp_path_factory.mktemp("example"))
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(output, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def open_page(browser: Browser, width: int, height: int = 900) -> Page:
    """A fresh context: no stored cookie consent, no cache."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=1
    )
    return context.new_page()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, 390, 844)
    yield page
    page.context.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, 1280, 900)
    yield page
    page.context.close()

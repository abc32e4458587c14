"""The news layer's scripts in Chromium: a live blog picks up a new update without a
reload, and the breaking-news banner shows on every page and goes at its end time."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Page, expect

from ..conftest import NOW, SiteMaker
from .conftest import _QuietHandler, open_page

LIVE = """
Coverage of the storm.

## 09:30 Winds pick up

Gusts on the pier.
"""
NEW_UPDATE = "\n## 11:45 Bridge closed\n\nThe harbour bridge is shut.\n"


class _Handler(_QuietHandler):
    """No conditional answers: the test rebuilds within the second a page was served,
    and ``Last-Modified`` has whole seconds."""

    def send_head(self):  # noqa: ANN201 - the stdlib's signature
        del self.headers["If-Modified-Since"]
        return super().send_head()


@pytest.fixture
def news_site(tmp_path) -> Iterator[tuple[SiteMaker, str]]:
    site = SiteMaker(tmp_path / "site")
    site.config({"title": "Test Times", "base_url": "https://test.example", "search": False})
    site.article("world/storm.md", "Storm live", "2026-11-28T09:00:00Z", LIVE, type="live")
    site.article(
        "world/quake.md", "Quake hits the coast", "2026-11-28T11:00:00Z",
        breaking=True, breaking_until="2026-11-28T13:00:00Z",
    )  # fmt: skip
    site.build()
    handler = functools.partial(_Handler, directory=str(site.output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = open_page(browser, 1280, 900)
    yield page
    page.context.close()


def test_live_page_inserts_a_new_update_without_reloading(news_site, page: Page) -> None:
    site, url = news_site
    page.clock.install(time=NOW + timedelta(minutes=1))
    page.goto(f"{url}/world/storm-live/")
    updates = page.locator("[data-live-updates] > article.live-update")
    expect(updates).to_have_count(1)
    page.evaluate("window.sameDocument = true")

    source = site.root / "content/world/storm.md"
    source.write_text(source.read_text() + NEW_UPDATE)
    site.build()
    page.clock.run_for(31_000)  # past the 30 s poll

    expect(updates).to_have_count(2)
    expect(updates.first).to_have_id("update-20261128-1145")
    expect(updates.first).to_contain_text("The harbour bridge is shut.")
    expect(page.locator(".byline .updated time")).to_have_attribute(
        "datetime", "2026-11-28T11:45:00+00:00"
    )
    assert page.evaluate("window.sameDocument") is True  # no reload happened


def test_breaking_banner_shows_everywhere_then_goes_at_its_end(news_site, page: Page) -> None:
    _, url = news_site
    page.clock.install(time=NOW + timedelta(minutes=1))
    page.goto(f"{url}/world/storm-live/")  # an article page: the banner comes from the script
    banner = page.locator("#breaking-banner")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link")).to_have_text("Quake hits the coast")
    expect(banner.get_by_role("link")).to_have_attribute("href", "/world/quake-hits-the-coast/")
    page.clock.run_for(int(timedelta(hours=1, minutes=5).total_seconds() * 1000))
    expect(banner).to_have_count(0)  # 13:00 passed: gone without a rebuild


def test_home_page_banner_needs_no_script(news_site, browser: Browser) -> None:
    _, url = news_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{url}/")
    expect(page.locator("#breaking-banner a")).to_have_text("Quake hits the coast")
    context.close()

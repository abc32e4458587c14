"""A real browser on ``newsgen serve``: an open page reloads after an edit, and shows errors."""

from __future__ import annotations

from playwright import sync_api as playwright

from tests.conftest import SiteMaker
from tests.serve.helpers import running

TIMEOUT_MS = 20_000  # the session's Chromium is the ``browser`` fixture of conftest.py


def test_an_open_article_reloads_with_its_new_title(site: SiteMaker, browser) -> None:
    site.article(
        "news/ferry.md", "Ferry returns", "2025-03-02 09:00", "The ferry is back.", slug="ferry"
    )
    site.article("news/budget.md", "Budget passes", "2025-03-03 09:00", "Councillors agreed.")
    with running(site.root) as server:
        page = browser.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{server.url}/news/ferry/")
        heading = page.locator("main h1")
        playwright.expect(heading).to_have_text("Ferry returns")
        page.evaluate("window.__stillTheSamePage = true")

        site.article(
            "news/ferry.md", "Ferry returns for summer", "2025-03-02 09:00", "Back.", slug="ferry"
        )
        playwright.expect(heading).to_have_text("Ferry returns for summer", timeout=TIMEOUT_MS)
        assert page.evaluate("window.__stillTheSamePage === undefined")  # it was reloaded
        page.close()


def test_an_error_overlay_appears_and_clears(site: SiteMaker, browser) -> None:
    site.article(
        "news/ferry.md", "Ferry returns", "2025-03-02 09:00", "The ferry is back.", slug="ferry"
    )
    with running(site.root) as server:
        page = browser.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{server.url}/news/ferry/")
        overlay = page.locator("#newsgen-error-overlay")
        playwright.expect(overlay).to_have_count(0)

        site.write(
            "content/news/ferry.md",
            "---\ntitle: Ferry returns\ndate: 2025-03-02\ntags: [a\n---\nBody\n",
        )
        playwright.expect(overlay).to_contain_text("content/news/ferry.md:5: invalid YAML")
        playwright.expect(page.locator("main h1")).to_have_text("Ferry returns")

        site.article("news/ferry.md", "Ferry is fixed", "2025-03-02 09:00", "Back.", slug="ferry")
        playwright.expect(page.locator("main h1")).to_have_text("Ferry is fixed")
        playwright.expect(overlay).to_have_count(0)
        page.close()

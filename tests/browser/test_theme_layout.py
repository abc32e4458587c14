"""The default theme at phone and desktop widths, seen in Chromium."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from .conftest import AXE, SCREENSHOTS, Served, open_page

ARTICLE = "/politics/council-passes-budget/"
PAGES = {"home": "/", "article": ARTICLE, "section": "/politics/", "search": "/search/?q=budget"}


def _overflow(page: Page) -> int:
    """How far the page is wider than the viewport, in CSS pixels."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _box(page: Page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_fit_the_screen_and_are_photographed(
    served: Served, browser: Browser, width: int
) -> None:
    page = open_page(browser, width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for name, path in PAGES.items():
            page.goto(served.url + path)
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            page.wait_for_load_state("networkidle")
            page.evaluate("window.scrollTo(0, 0)")
            assert _overflow(page) <= 0, f"{path} scrolls sideways at {width}px"
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
    finally:
        page.context.close()


def test_sidebar_beside_article_on_desktop(desktop: Page, served: Served) -> None:
    desktop.goto(served.url + ARTICLE)
    body, sidebar = _box(desktop, ".article-body"), _box(desktop, ".sidebar")
    assert sidebar["x"] >= body["x"] + body["width"]
    assert sidebar["y"] < body["y"] + body["height"]
    assert desktop.locator(".site-menu").is_visible()
    assert not desktop.locator(".menu-toggle").is_visible()


def test_sidebar_after_article_and_menu_toggles_on_phone(phone: Page, served: Served) -> None:
    phone.goto(served.url + ARTICLE)
    body, sidebar = _box(phone, ".article-body"), _box(phone, ".sidebar")
    assert sidebar["y"] >= body["y"] + body["height"]
    menu, toggle = phone.locator(".site-menu"), phone.locator(".menu-toggle")
    assert not menu.is_visible()
    toggle.click()
    assert menu.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    phone.locator(".site-menu a", has_text="Science").click()
    phone.wait_for_url(lambda url: urlsplit(url).path == "/science/")


def test_article_shows_what_a_news_page_has(desktop: Page, served: Served) -> None:
    desktop.goto(served.url + ARTICLE)
    header = desktop.locator(".article-header")
    assert "Port Alder council passes budget" in header.locator("h1").inner_text()
    assert "Updated" in header.inner_text()
    assert desktop.locator(".article-body .dateline").inner_text().startswith("PORT ALDER")
    byline = header.locator(".byline a[rel=author]").first
    assert byline.inner_text() == "Tomas Reyes"
    lead = desktop.locator(".lead-image img")
    assert lead.get_attribute("width") and lead.get_attribute("height")
    caption = desktop.locator(".lead-image figcaption")
    assert caption.locator(".credit").text_content() == "Illustration by The Harbour Ledger"
    assert "nine hours of debate" in caption.inner_text()
    recent = desktop.locator(".sidebar .recent-post").first
    assert recent.locator(".read-more").inner_text() == "Read More"
    assert recent.locator("time").is_visible()
    byline.click()
    assert desktop.locator("h1").inner_text() == "Tomas Reyes"


def test_cookie_notice_is_remembered_across_pages(phone: Page, served: Served) -> None:
    phone.goto(served.url + ARTICLE)
    notice = phone.locator("#cookie-notice")
    assert notice.is_visible()
    assert "This website uses cookies." in notice.inner_text()
    assert notice.get_by_role("link").get_attribute("href") == "/privacy-policy/"
    assert _covered_text_while_scrolling(phone) == []
    notice.get_by_role("button", name="Accept").click()
    assert not notice.is_visible()
    phone.goto(served.url + "/")
    assert not phone.locator("#cookie-notice").is_visible()
    phone.goto(served.url + "/world/")
    assert not phone.locator("#cookie-notice").is_visible()


def _covered_text_while_scrolling(page: Page) -> list[str]:
    """Article text the notice overlaps at any scroll position, top to bottom."""
    return page.evaluate(
        """async () => {
        const notice = document.getElementById('cookie-notice');
        const texts = [...document.querySelectorAll('.article-body > *')];
        const covered = new Set();
        for (let y = 0; y <= document.documentElement.scrollHeight; y += innerHeight / 2) {
            scrollTo(0, y);
            await new Promise(r => requestAnimationFrame(r));
            const n = notice.getBoundingClientRect();
            for (const t of texts) {
                const r = t.getBoundingClientRect();
                if (r.bottom > n.top && r.top < n.bottom && r.bottom > 0 && r.top < innerHeight)
                    covered.add(t.textContent.slice(0, 40));
            }
        }
        scrollTo(0, 0);
        return [...covered];
    }"""
    )


def test_search_finds_an_article_by_a_word_of_its_body(desktop: Page, served: Served) -> None:
    desktop.goto(served.url + "/search/")
    desktop.get_by_label("Search the archive").fill("potholes")
    desktop.get_by_role("button", name="Search").click()
    first = desktop.locator(".search-result a").first
    first.wait_for()
    assert first.inner_text() == "Port Alder council passes budget after late-night session"
    assert "1 article found" in desktop.locator("#search-status").inner_text()
    first.click()
    desktop.wait_for_url(lambda url: urlsplit(url).path == ARTICLE)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violations(
    desktop: Page, served: Served, name: str, scheme: str
) -> None:
    desktop.emulate_media(color_scheme=scheme)
    desktop.goto(served.url + PAGES[name])
    desktop.wait_for_load_state("networkidle")
    desktop.add_script_tag(path=str(AXE))
    violations = desktop.evaluate(
        "async () => (await axe.run()).violations.map(v => [v.id, v.impact, v.nodes.length])"
    )
    serious = [v for v in violations if v[1] in ("serious", "critical")]
    assert serious == []


def test_skip_link_and_focus_are_visible(desktop: Page, served: Served) -> None:
    desktop.goto(served.url + ARTICLE)
    desktop.keyboard.press("Tab")
    skip = desktop.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    box = _box(desktop, ".skip-link")
    assert box["x"] >= 0 and box["y"] >= 0
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(lambda url: urlsplit(url).fragment == "main")


def test_no_request_leaves_the_local_server(desktop: Page, served: Served) -> None:
    seen: list[str] = []
    desktop.on("request", lambda request: seen.append(request.url))
    for path in (*PAGES.values(), "/authors/", "/404.html"):
        desktop.goto(served.url + path)
        desktop.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        desktop.wait_for_load_state("networkidle")
    assert any("/pagefind/" in url for url in seen), "the search page did not query its index"
    assert {urlsplit(url).hostname for url in seen} == {"127.0.0.1"}

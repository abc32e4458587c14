"""What keeps old pages current without rebuilding them, seen in Chromium: the Recent
Posts a script swaps in, and search across every month's index bundle."""

from __future__ import annotations

import json

import lxml.html
import pytest
from playwright.sync_api import Browser, Page

from .conftest import Served

OLD_ARTICLE = "/culture/jazz-week-review/"  # August 2026


def _sidebar(page: Page) -> list[str]:
    return page.locator(".sidebar .recent-post h3 a").all_inner_texts()


def _as_built(served: Served, url: str) -> list[str]:
    built = lxml.html.fromstring((served.root / url.strip("/") / "index.html").read_bytes())
    return [a.text for a in built.findall(".//aside//h3/a")]


def _newest(served: Served, leave_out: str) -> list[str]:
    fragment = json.loads((served.root / "recent-posts.json").read_text())
    links = lxml.html.fromstring(fragment["html"]).findall(".//h3/a")
    return [a.text for a in links if a.get("href") != leave_out][:6]


def test_an_old_page_shows_the_newest_stories_once_loaded(desktop: Page, served: Served) -> None:
    as_built = _as_built(served, OLD_ARTICLE)
    newest = _newest(served, OLD_ARTICLE)
    assert as_built and newest and as_built != newest  # built with the stories before it
    desktop.goto(served.url + OLD_ARTICLE)
    desktop.wait_for_load_state("networkidle")
    assert _sidebar(desktop) == newest
    read_more = desktop.locator(".sidebar .recent-post .read-more").first
    assert read_more.get_attribute("href") == desktop.locator(
        ".sidebar .recent-post h3 a"
    ).first.get_attribute("href")


def test_a_story_never_lists_itself_among_the_newest(desktop: Page, served: Served) -> None:
    fragment = json.loads((served.root / "recent-posts.json").read_text())
    newest_url = lxml.html.fromstring(fragment["html"]).find(".//h3/a").get("href")
    desktop.goto(served.url + newest_url)
    desktop.wait_for_load_state("networkidle")
    shown = desktop.locator(".sidebar .recent-post h3 a")
    assert newest_url not in [shown.nth(i).get_attribute("href") for i in range(shown.count())]
    assert shown.count() == 6


def test_without_script_the_built_list_stays_and_its_links_work(
    browser: Browser, served: Served
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served.url + OLD_ARTICLE)
        links = page.locator(".sidebar .recent-post h3 a")
        assert links.all_inner_texts() == _as_built(served, OLD_ARTICLE) != []
        target = links.first.get_attribute("href")
        links.first.click()
        page.wait_for_url(served.url + target)
        assert page.locator("h1").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("word", "title"),
    [
        ("heatwaves", "Study links summer heatwaves to rise in hospital admissions"),  # 2026-08
        ("container", "Container volumes at Port Alder hit record as new cranes come online"),
    ],
)
def test_search_finds_stories_of_an_old_month_and_of_the_newest(
    desktop: Page, served: Served, word: str, title: str
) -> None:
    bundles = {p.name for p in (served.root / "pagefind").iterdir() if p.is_dir()}
    assert {"2026-08", "2026-11"} <= bundles
    desktop.goto(served.url + "/search/")
    desktop.get_by_label("Search the archive").fill(word)
    desktop.get_by_role("button", name="Search").click()
    desktop.locator(".search-result a").first.wait_for()
    assert title in desktop.locator(".search-result h2 a").all_inner_texts()

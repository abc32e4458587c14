"""The example site's photo story in Chromium: the file fetched for the lead image fits
the screen, and no image moves the page while it loads."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from .conftest import Served, open_page

STORY = "/business/container-volumes-record/"
_IMAGE_FILE = re.compile(r"\.(avif|webp|jpe?g|png|svg|gif)$")


def _boxes(page: Page) -> list[tuple[str, float, float]]:
    """(src attribute, width, height) of every image box on the page, in order."""
    return page.evaluate(
        """() => [...document.images].map(img => {
            const box = img.getBoundingClientRect();
            return [img.getAttribute('src'), box.width, box.height];
        })"""
    )


@pytest.mark.parametrize(("width", "expected"), [(390, 400), (1280, 1200)])
def test_the_lead_photo_is_fetched_at_the_size_the_screen_needs(
    served: Served, browser: Browser, width: int, expected: int
) -> None:
    page = open_page(browser, width)
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(served.url + STORY, wait_until="load")
    lead = page.locator(".lead-image img")
    current = lead.evaluate("img => img.currentSrc")
    shown = lead.evaluate("img => img.getBoundingClientRect().width")
    assert f".{expected}x" in current and current.endswith(".avif")
    assert expected >= shown  # sharp: at least a pixel of file per pixel of screen
    photos = [url for url in fetched if "/images/harbour-dawn" in url]
    assert photos == [current]  # one file, not the original nor a second size
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_images_take_their_final_space_before_they_load(
    served: Served, browser: Browser, width: int
) -> None:
    """Laid out while every image request is still unanswered, each image already has
    the box it has once loaded: nothing below it moves when it arrives."""
    waiting = open_page(browser, width)
    waiting.route(_IMAGE_FILE, lambda route: None)  # never answered: still loading
    waiting.goto(served.url + STORY, wait_until="domcontentloaded")
    before = _boxes(waiting)
    waiting.context.close()
    loaded = open_page(browser, width)
    loaded.goto(served.url + STORY, wait_until="load")
    after = _boxes(loaded)
    shifts = loaded.evaluate(
        """() => new Promise(resolve => new PerformanceObserver((list, observer) => {
            resolve(list.getEntries().flatMap(shift => shift.sources.map(
                source => source.node && source.node.nodeName)));
        }).observe({type: 'layout-shift', buffered: true}) || setTimeout(() => resolve([]), 500))"""
    )
    loaded.context.close()
    assert len(before) == len(after) >= 3
    assert all(height > 0 for _, _, height in before)  # sized by their attributes alone
    for (src, width_before, height_before), (_, width_after, height_after) in zip(
        before, after, strict=True
    ):
        assert abs(width_before - width_after) < 1 and abs(height_before - height_after) < 1, src
    assert "IMG" not in shifts and "PICTURE" not in shifts

"""Reading a built listing the way a reader does: page after page through its links."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lxml.html

from .links import resolve


@dataclass(frozen=True)
class ListingPage:
    url: str
    articles: tuple[str, ...]  # URLs of the articles listed, in order
    head_prev: str | None
    head_next: str | None
    numbered: tuple[str, ...]  # URLs the pagination navigation links to


def page_tree(output: Path, url: str) -> lxml.html.HtmlElement:
    path = resolve(output, url)
    assert path is not None, f"{url} does not resolve"
    return lxml.html.fromstring(path.read_bytes())


def listed_articles(tree: lxml.html.HtmlElement) -> tuple[str, ...]:
    """The article cards of a listing: headline links of ``article`` elements in main."""
    return tuple(tree.xpath("//main//article//*[self::h2 or self::h3]/a/@href"))


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def read_listing(output: Path, url: str) -> list[ListingPage]:
    """Every page of the listing at ``url``, following ``rel="next"`` from the head.

    Checks on the way what holds for every listing: each page resolves, ``rel=prev``
    points back, the navigation links the first, last and neighbouring pages and no page
    outside the listing, and no page is empty unless the listing has only one.
    """
    pages: list[ListingPage] = []
    next_url: str | None = url
    while next_url is not None:
        assert len(pages) < 1000, f"{url}: rel=next goes round in circles"
        tree = page_tree(output, next_url)
        page = ListingPage(
            url=next_url,
            articles=listed_articles(tree),
            head_prev=_first(tree.xpath("//head/link[@rel='prev']/@href")),
            head_next=_first(tree.xpath("//head/link[@rel='next']/@href")),
            numbered=tuple(tree.xpath("//nav[contains(@class, 'pagination')]//a/@href")),
        )
        expected_prev = pages[-1].url if pages else None
        assert page.head_prev == expected_prev, f"{next_url}: rel=prev is {page.head_prev}"
        pages.append(page)
        next_url = page.head_next
    urls = [p.url for p in pages]
    total = len(pages)
    for position, page in enumerate(pages):
        # the front page, then numbered pages counted from the oldest (page 1 is last)
        expected = url if position == 0 else f"{url.rstrip('/')}/page/{total - position}/"
        assert page.url == expected, f"page {position + 1} of {url} is at {page.url}"
        neighbours = {urls[0], urls[-1], *urls[max(0, position - 1) : position + 2]} - {page.url}
        missing = neighbours - set(page.numbered)
        assert not missing, f"{page.url} does not link to {missing}"
        for link in page.numbered:
            assert link in urls, f"{page.url} links to {link}, not a page of {url}"
        if len(pages) > 1:
            assert page.articles, f"{page.url} is an empty page"
    return pages


def all_articles(pages: list[ListingPage]) -> list[str]:
    return [url for page in pages for url in page.articles]

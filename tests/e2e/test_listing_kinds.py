"""A new kind of listing added through the table of listing kinds alone: a page per
newsroom desk (a front-matter field), with its index, pagination and feeds."""

from __future__ import annotations

from collections.abc import Iterator

import feedparser
import lxml.etree
import pytest

from newsgen.errors import BuildFailed
from newsgen.sources import urls
from newsgen.sources.config import load_config
from newsgen.sources.kinds import IndexPage, Listing, ListingKind, Stories
from newsgen.sources.listing_kinds import LISTING_KINDS

from ..links import resolve
from ..listings import all_articles, page_tree, read_listing

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
DESKS = {"metro": ["Metro"] * 7, "sport": ["Sports Desk"] * 2}


def by_desk(stories: Stories) -> Iterator[Listing]:
    """Stories by the ``desk:`` of their front matter, desks by slug."""
    groups: dict[str, tuple[str, list]] = {}
    for article in stories.articles:
        name = article.extra.get("desk")
        if isinstance(name, str) and urls.slugify(name):
            groups.setdefault(urls.slugify(name), (name, []))[1].append(article)
    for key in sorted(groups):
        name, articles = groups[key]
        yield Listing(key, name, stories.url("desk", desk=key), tuple(articles))


DESK = ListingKind(
    "desk", by_desk, "/desks/{desk}/", frozenset({"desk"}), frozenset({"desk"}),
    template="desk.html", heading="Desk: {title}",
    description="Reporting from the {title} desk of {site}", feeds=True,
    feed_option="per_desk", source="desk '{key}'",
    index=IndexPage("desks", "/desks/", "Desks", "desks.html"), subject_as="desk",
)  # fmt: skip


@pytest.fixture
def desk_site(site, monkeypatch):
    monkeypatch.setitem(LISTING_KINDS, "desk", DESK)
    site.config({
        "title": "Test Times", "base_url": "https://test.example", "timezone": "UTC",
        "per_page": 3, "permalinks": {"desk": "/newsroom/{desk}/"},
        "feeds": {"per_desk": True},
    })  # fmt: skip
    day = 1
    for key, names in DESKS.items():
        for number, name in enumerate(names):
            section = ("world", "business")[number % 2]
            site.article(
                f"{section}/{key}-{number}.md", f"{name} story {number}",
                f"2026-10-{day:02d}T09:00:00Z", desk=name,
            )  # fmt: skip
            day += 1
    site.article("world/no-desk.md", "A story of no desk", "2026-10-20T09:00:00Z")
    site.write(
        "templates/desk.html",
        '{% extends "listing.html" %}\n{% block intro %}\n'
        '<p class="desk-intro">Filed by the {{ desk.title }} desk.</p>\n{% endblock %}\n',
    )
    site.write(
        "templates/desks.html",
        '{% extends "base.html" %}\n{% block content %}\n<ul class="desks">\n'
        '{% for desk in desks %}<li><a href="{{ desk.url }}">{{ desk.title }}</a> '
        "({{ desk.articles | length }})</li>{% endfor %}\n</ul>\n{% endblock %}\n",
    )
    return site


def _desk_stories(key: str) -> list[str]:
    """The URLs of a desk's stories, newest first."""
    names = DESKS[key]
    return [
        f"/{('world', 'business')[n % 2]}/{urls.slugify(f'{names[n]} story {n}')}/"
        for n in reversed(range(len(names)))
    ]


def test_a_desk_listing_pages_through_its_stories(desk_site):
    desk_site.build()
    output = desk_site.output
    pages = read_listing(output, "/newsroom/metro/")
    assert all_articles(pages) == _desk_stories("metro")
    assert len(pages) == 2  # 7 stories, 3 a page: the front page and page 1
    assert all_articles(read_listing(output, "/newsroom/sports-desk/")) == _desk_stories("sport")

    front = page_tree(output, "/newsroom/metro/")
    assert front.findtext(".//main//h1") == "Desk: Metro"
    assert front.findtext(".//title") == "Metro | Test Times"
    assert front.findtext(".//p[@class='desk-intro']") == "Filed by the Metro desk."
    description = front.xpath("//meta[@name='description']/@content")
    assert description == ["Reporting from the Metro desk of Test Times"]
    crumbs = front.xpath("//nav[@class='breadcrumbs']//li")
    assert [c.text_content() for c in crumbs] == ["Home", "Desks", "Metro"]
    assert resolve(output, crumbs[1].xpath("a/@href")[0]) == output / "desks/index.html"
    older = page_tree(output, pages[1].url)
    assert older.findtext(".//title") == "Metro | Test Times (page 1)"

    index = page_tree(output, "/desks/")
    desks = [(a.get("href"), a.text) for a in index.xpath("//ul[@class='desks']/li/a")]
    assert desks == [("/newsroom/metro/", "Metro"), ("/newsroom/sports-desk/", "Sports Desk")]

    def locs(part: str) -> list[str]:
        sitemap = lxml.etree.parse(str(output / part))
        return sitemap.xpath("//s:loc/text()", namespaces={"s": SITEMAP_NS})

    assert "https://test.example/newsroom/metro/" in locs("sitemap-pages.xml")
    # a numbered page goes with its newest story, in that month's part (October 2026)
    assert "https://test.example/sitemap-2026-10.xml" in locs("sitemap.xml")
    assert "https://test.example/newsroom/metro/page/1/" in locs("sitemap-2026-10.xml")
    assert "https://test.example/newsroom/metro/page/1/" not in locs("sitemap-pages.xml")


def test_a_desk_has_feeds_when_its_option_is_on(desk_site):
    desk_site.build()
    output = desk_site.output
    links = page_tree(output, "/newsroom/metro/").xpath(
        "//head/link[@rel='alternate'][@type='application/rss+xml']/@href"
    )
    assert links == [
        "https://test.example/feed.xml",
        "https://test.example/newsroom/metro/feed.xml",
    ]
    feed = feedparser.parse((output / "newsroom/metro/feed.xml").read_bytes())
    assert feed.feed.title == "Test Times: Metro"
    expected = [f"https://test.example{url}" for url in _desk_stories("metro")]
    assert [entry.link for entry in feed.entries] == expected
    assert (output / "newsroom/metro/atom.xml").is_file()
    assert (output / "newsroom/metro/feed.json").is_file()

    desk_site.config({"title": "Test Times", "base_url": "https://test.example"})
    desk_site.build()
    assert not (output / "desks/metro/feed.xml").exists()
    assert (output / "desks/metro/index.html").is_file()  # the default permalink now
    assert not (output / "newsroom").exists()
    head = page_tree(output, "/desks/metro/").xpath("//head/link[@rel='alternate']/@href")
    assert all("/desks/" not in url for url in head)


def test_a_desk_permalink_is_checked_like_the_others(desk_site):
    desk_site.config({"permalinks": {"desk": "/newsroom/"}, "feeds": {"per_desk": "yes"}})
    with pytest.raises(BuildFailed) as failed:
        load_config(desk_site.root)
    messages = [str(error) for error in failed.value.errors]
    assert any("permalink desk '/newsroom/': must contain {desk}" in m for m in messages)
    assert any("'feeds.per_desk' must be true or false, not 'yes'" in m for m in messages)

"""``model/site.py``: which articles are published, related and recent ones, archives, authors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from newsgen.model.site import Site, assemble_site
from newsgen.sources.authors import author_typo
from newsgen.sources.config import SiteConfig
from newsgen.sources.models import Article, Author

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def _article(number: int, section: str = "world", tags: tuple[str, ...] = (), **fields) -> Article:
    fields.setdefault("date", NOW - timedelta(days=number))
    url = f"/{section}/story-{number}/"
    return Article(
        source_path=f"content/{section}/story-{number}.md",
        digest=str(number),
        teaser_digest=f"teaser-{number}",
        title=f"Story {number}",
        slug=f"story-{number}",
        section=section,
        url=url,
        output_path=url.lstrip("/") + "index.html",
        body_html="<p>Text.</p>",
        excerpt="Text.",
        word_count=1,
        reading_minutes=1,
        tags=tags,
        **fields,
    )


def _site(articles, authors=(), **config) -> Site:
    return assemble_site(SiteConfig(root=Path("/site"), **config), articles, (), authors, now=NOW)


def test_related_prefers_shared_tags_then_section_then_newer_and_excludes_the_article():
    articles = [
        _article(0, "world", ("Ferries", "Budget")),
        _article(1, "world"),
        _article(2, "business", ("Ferries",)),
        _article(3, "business", ("Ferries", "Budget")),
        _article(4, "culture"),
        _article(5, "world", ("Budget",)),
    ]
    site = _site(articles)
    related = site.related(site.articles[0], 3)
    assert [a.slug for a in related] == ["story-3", "story-5", "story-2"]
    assert [a.slug for a in site.related(site.articles[0], 10)] == [
        "story-3", "story-5", "story-2", "story-1"
    ]  # fmt: skip
    assert site.related(site.articles[4], 3) == ()


def test_related_is_the_same_whatever_order_the_articles_come_in():
    articles = [
        _article(n, ("world", "business")[n % 2], (f"T{n % 3}",), date=NOW - timedelta(days=n // 4))
        for n in range(40)
    ]
    first = _site(articles)
    second = _site(list(reversed(articles)))
    for position, article in enumerate(first.articles):
        chosen = [a.url for a in first.related(article, 3)]
        assert chosen == [a.url for a in second.related(article, 3)]
        # only stories published before it, so a new story never changes an older page
        assert all(first.positions[url] > position for url in chosen)
        older = [
            a
            for a in first.articles[position + 1 :]
            if a.section == article.section or set(a.tags) & set(article.tags)
        ]
        assert len(chosen) == min(3, len(older))


def test_recent_is_newest_first_and_leaves_out_the_given_article():
    site = _site([_article(n) for n in (3, 0, 2, 1)])
    assert [a.slug for a in site.recent(2)] == ["story-0", "story-1"]
    assert [a.slug for a in site.recent(2, exclude="/world/story-0/")] == ["story-1", "story-2"]
    assert [a.slug for a in site.recent(10, exclude="/world/story-2/")] == [
        "story-0", "story-1", "story-3"
    ]  # fmt: skip


def test_drafts_and_future_articles_are_not_published():
    site = _site([_article(1), _article(2, draft=True), _article(3, date=NOW + timedelta(hours=1))])
    assert [a.slug for a in site.articles] == ["story-1"]
    assert list(site.listings["tag"]) == []


def test_archives_use_the_site_time_zone():
    late = _article(1, date=datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc))
    site = _site([late, _article(2, date=datetime(2025, 12, 5, tzinfo=timezone.utc))],
                 timezone="Europe/Rome")  # fmt: skip
    assert [(y.key, y.title) for y in site.listings["year"]] == [("2026", "2026"), ("2025", "2025")]
    assert [(m.key, m.parent, m.title) for m in site.listings["month"]] == [
        ("2026-04", "2026", "April 2026"),
        ("2025-12", "2025", "December 2025"),
    ]
    assert site.listings["month"][0].url == "/2026/04/"


def test_sections_follow_the_configuration_and_unconfigured_ones_come_after():
    from newsgen.sources.config import ConfiguredSection as Section

    config = {"sections": (Section("world", "World"), Section("arts", "Arts"))}
    site = _site([_article(1, "zoo"), _article(2, "world"), _article(3, "opinion")], **config)
    assert [(s.key, len(s.articles)) for s in site.sections] == [
        ("world", 1), ("arts", 0), ("opinion", 1), ("zoo", 1)
    ]  # fmt: skip
    assert site.section("opinion").title == "Opinion"


def test_authors_by_key_display_name_or_undescribed_name():
    nadia = Author("nadia-okafor", "Nadia Okafor", "/authors/nadia-okafor/", bio="Reporter.")
    articles = [
        _article(1, author_names=("nadia-okafor",)),
        _article(2, author_names=("Nadia Okafor", "Jo Guest")),
    ]
    site = _site(articles, authors=(nadia,))
    authors = site.listings["author"]
    assert [(a.key, len(a.articles), a.subject.described) for a in authors] == [
        ("jo-guest", 1, False), ("nadia-okafor", 2, True)
    ]  # fmt: skip
    assert authors[0].url == "/authors/jo-guest/"


def test_author_typo_only_for_key_like_names_close_to_a_key():
    keys = ("nadia-okafor", "tomas-reyes")
    assert author_typo("nadia-okafr", keys) == "nadia-okafor"
    assert author_typo("nadia-okafor", keys) is None
    assert author_typo("Nadia Okafr", keys) is None  # a display name, not a key
    assert author_typo("jo-guest", keys) is None

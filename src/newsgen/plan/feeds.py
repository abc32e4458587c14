"""RSS 2.0, Atom and JSON Feed 1.1 for each feed scope (see feed_scopes.py).

Every scope gets the three formats beside its listing (``/world/`` -> ``/world/feed.xml``,
``/world/atom.xml``, ``/world/feed.json``). Feeds are planned as ``PageSpec``s whose deps are
the digests of the entries they show, so they are rendered again only when an entry changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any
from urllib.parse import urljoin

from ..model.site import Site, tag_names
from ..sources import liveblog, urls
from ..sources.dates import w3c
from ..sources.models import Article
from .contexts import Context, DocumentContext, FeedContext
from .feed_scopes import FORMATS, FeedScope, feed_scopes, feed_url
from .pagespec import PageSpec
from .specs import plain_spec

_NO_STORIES = datetime(1970, 1, 1, tzinfo=timezone.utc)  # the date of a site's empty feeds
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


@dataclass(frozen=True)
class FeedEntry:
    id: str
    url: str
    title: str
    published: datetime
    updated: datetime
    summary: str
    content_html: str
    authors: tuple[tuple[str, str], ...]  # (name, absolute URL)
    tags: tuple[str, ...]
    image: str

    @property
    def published_rfc822(self) -> str:
        return format_datetime(self.published)


@dataclass(frozen=True)
class FeedView:
    """What the feed templates show; every URL absolute."""

    title: str
    description: str
    language: str
    home_url: str
    self_url: str
    updated: datetime
    publisher: str
    entries: tuple[FeedEntry, ...]

    @property
    def updated_rfc822(self) -> str:
        return format_datetime(self.updated)


def plan_feeds(site: Site) -> Iterator[PageSpec]:
    """Three specs (RSS, Atom, JSON Feed) per scope."""
    for scope in feed_scopes(site):
        entries = tuple(scope.articles[: site.config.feeds.entries])
        full = site.config.feeds.full_content
        shown = (a.digest if full else a.teaser_digest for a in entries)
        names = (tag_names(site.article_tags[a.url]) for a in entries)
        bylines = (site.bylines[site.article_authors[a.url]] for a in entries)
        deps = (scope.title, *shown, *names, *bylines, *_empty_feed_deps(site, entries))
        for _, name, _, template in FORMATS:
            url = feed_url(scope.home_url, name)
            view = feed_view(site, scope, url, entries)
            context: Context = FeedContext(feed=view)
            if name.endswith(".json"):
                context = DocumentContext(document=json_feed(view))
            yield plain_spec(site, url, template, context, deps, scope.source)


def _empty_feed_deps(site: Site, entries: tuple[Article, ...]) -> tuple[str, ...]:
    # An empty feed is dated by the site's newest story, which then is part of what it shows.
    return () if entries else (_empty_feed_date(site).isoformat(),)


def _empty_feed_date(site: Site) -> datetime:
    """The date of a feed with no entry: the site's last change, not the build's moment,
    so that a feed is not rewritten (and uploaded again) by every build."""
    return site.last_modified or _NO_STORIES


def feed_view(site: Site, scope: FeedScope, url: str, entries: tuple[Article, ...]) -> FeedView:
    config = site.config
    base = config.base_url
    full = config.feeds.full_content
    items = []
    for article in entries:
        link = urls.absolute(base, article.url)
        items.append(
            FeedEntry(
                id=link,
                url=link,
                title=article.title,
                published=article.date,
                updated=article.modified,
                summary=article.excerpt,
                content_html=absolute_links(feed_body(article), base) if full else "",
                authors=tuple(
                    (a.name, urls.absolute(base, a.url)) for a in site.article_authors[article.url]
                ),
                tags=tuple(t.name for t in site.article_tags[article.url]),
                image=urljoin(link, article.image.src) if article.image else "",
            )
        )
    updated = max(a.modified for a in entries) if entries else _empty_feed_date(site)
    return FeedView(
        title=scope.title,
        description=config.description or config.title,
        language=config.language,
        home_url=urls.absolute(base, scope.home_url),
        self_url=urls.absolute(base, url),
        updated=updated,
        publisher=config.publisher.name or config.title,
        entries=tuple(items),
    )


def feed_body(article: Article) -> str:
    """What a full-content feed carries: never the subscribers' part; a live blog whole."""
    if article.subscribers_only:
        return article.free_html
    if article.live_updates:
        return liveblog.as_html(article.body_html, article.live_updates)
    return article.body_html


def absolute_links(html: str, base_url: str) -> str:
    """Root-relative ``href``/``src`` made absolute: feed readers have no page to resolve them."""
    base = base_url.rstrip("/")
    html = _ROOT_RELATIVE.sub(lambda m: m.group(1) + base + "/", html)
    return _SRCSET.sub(lambda m: m.group(1) + _absolute_srcset(m.group(2), base) + '"', html)


def _absolute_srcset(srcset: str, base: str) -> str:
    """Each root-relative candidate of a ``srcset`` made absolute."""
    candidates = (c.strip() for c in srcset.split(","))
    return ", ".join(
        base + c if c.startswith("/") and not c.startswith("//") else c for c in candidates
    )


def json_feed(view: FeedView) -> dict[str, Any]:
    """The JSON Feed 1.1 document of ``view``."""
    items = []
    for entry in view.entries:
        item: dict[str, Any] = {"id": entry.id, "url": entry.url, "title": entry.title}
        if entry.content_html:
            item["content_html"] = entry.content_html
        else:
            item["content_text"] = entry.summary
        item["summary"] = entry.summary
        if entry.image:
            item["image"] = entry.image
        item["date_published"] = w3c(entry.published)
        item["date_modified"] = w3c(entry.updated)
        if entry.authors:
            item["authors"] = [{"name": name, "url": url} for name, url in entry.authors]
        if entry.tags:
            item["tags"] = list(entry.tags)
        items.append(item)
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": view.title,
        "home_page_url": view.home_url,
        "feed_url": view.self_url,
        "description": view.description,
        "language": view.language,
        "authors": [{"name": view.publisher}],
        "items": items,
    }

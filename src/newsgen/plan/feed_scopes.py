"""Which feeds there are: the site's, and those of each listing whose kind has feeds
(each section, and by config each tag and author: see sources/listing_kinds.py); where
each lives, and the ``<link rel="alternate">`` of a page to them. The feeds themselves
are planned in feeds.py."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..model.site import Site
from ..sources import urls
from ..sources.kinds import Listing, ListingKind
from ..sources.listing_kinds import LISTING_KINDS
from ..sources.models import Article
from .contexts import ArticleContext, Context, FeedLink, ListingContext

# (kind, file name, MIME type, template)
FORMATS = (
    ("RSS", "feed.xml", "application/rss+xml", "feeds/rss.xml"),
    ("Atom", "atom.xml", "application/atom+xml", "feeds/atom.xml"),
    ("JSON Feed", "feed.json", "application/feed+json", "feeds/feed.json"),
)


@dataclass(frozen=True)
class FeedScope:
    """One stream of articles with a listing page: the site, a section, a tag, an author."""

    title: str
    home_url: str
    articles: Sequence[Article]
    source: str


def feed_url(home_url: str, filename: str) -> str:
    """Where a scope's feed lives: beside its listing page."""
    base = home_url if home_url.endswith("/") else home_url.removesuffix(".html") + "/"
    return base + filename


def feed_links(site: Site, scope: FeedScope | None = None) -> tuple[FeedLink, ...]:
    """The site's feeds, then those of ``scope`` (a section, tag or author) when given."""
    config = site.config
    if scope is None or scope.home_url == "/":
        return _links(config.base_url, config.title, "/")
    return _links(config.base_url, config.title, "/") + _links(
        config.base_url, scope.title, scope.home_url
    )


@lru_cache(maxsize=4096)
def _links(base_url: str, title: str, home_url: str) -> tuple[FeedLink, ...]:
    """The links to one scope's feeds; kept, as every page of a section links the same
    (head metadata is held for every page planned)."""
    return tuple(
        FeedLink(mime, f"{title} ({kind})", urls.absolute(base_url, feed_url(home_url, name)))
        for kind, name, mime, _ in FORMATS
    )


def scope_for(site: Site, context: Context) -> FeedScope | None:
    """The feed scope of a listing or article page, if it has one: an article's is its
    section's."""
    if isinstance(context, ArticleContext):
        return listing_scope(site, LISTING_KINDS["section"], context.section)
    if isinstance(context, ListingContext):
        return listing_scope(site, LISTING_KINDS[context.kind], context.group)
    return None


def listing_scope(site: Site, kind: ListingKind, listing: Listing) -> FeedScope | None:
    """The feeds of ``listing``, when its kind has feeds and the site's config turns
    them on."""
    config = site.config
    if not kind.feeds or (kind.feed_option and kind.feed_option not in config.feeds.switched_on):
        return None
    title = kind.words(kind.feed_title, listing, config.title, config.description)
    source = kind.words(kind.feed_source, listing, config.title, config.description)
    return FeedScope(title, listing.url, listing.articles, source)


def feed_scopes(site: Site) -> Iterator[FeedScope]:
    """Every scope that gets feeds under the site's config, in the table's order."""
    for name, kind in LISTING_KINDS.items():
        for listing in site.listings[name]:
            scope = listing_scope(site, kind, listing)
            if scope is not None:
                yield scope

"""What each kind of page is rendered with: one frozen dataclass per kind of output.

A template receives a context's fields as its variables (``article``, ``listing``…; see
templates/README.md), beside ``site`` and, on full pages, ``meta``, ``masthead`` and
``sidebar``. ``Context.variables`` is that mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, NamedTuple

from ..model.breaking import BreakingItem
from ..model.site import Site
from ..sources import urls
from ..sources.kinds import Listing
from ..sources.models import Article, Author, Page, Tag
from .pagination import ListingPage

Breadcrumbs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FeedLink:
    """A ``<link rel="alternate">`` to one feed."""

    type: str
    title: str
    url: str


@dataclass(frozen=True)
class PageMeta:
    """The ``meta`` variable of every HTML page (worked out by metadata.py when the page
    is planned); every URL absolute."""

    title: str
    description: str
    canonical: str
    og_type: str  # "article" or "website"
    image: str
    image_alt: str
    published: datetime | None
    modified: datetime | None  # also the page's sitemap ``lastmod``
    section: str
    tags: tuple[str, ...]
    author_urls: tuple[str, ...]
    feeds: tuple[FeedLink, ...]
    json_ld: tuple[dict[str, Any], ...]
    indexable: bool
    # (absolute URL, width, height) of each share crop, widest shape first; or the
    # image as given, with its size when known
    images: tuple[tuple[str, int | None, int | None], ...] = ()


@dataclass(frozen=True, kw_only=True)
class Context:
    """The base of every context: ``breadcrumbs`` are (title, url) pairs, the last (the
    page itself) with an empty URL."""

    breadcrumbs: Breadcrumbs = ()

    @property
    def current_section(self) -> str:
        """The key of the menu item the masthead marks as current, or ''."""
        return ""

    def variables(self) -> dict[str, Any]:
        """The template variables: each field by its name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, kw_only=True)
class ArticleContext(Context):
    """A story's page, or its private preview (``preview``)."""

    article: Article
    scheduled: bool
    authors: tuple[Author, ...]
    tags: tuple[Tag, ...]
    section: Listing
    related: tuple[Article, ...]
    preview: bool = False

    @property
    def current_section(self) -> str:
        return self.section.key

    @classmethod
    def of(
        cls, site: Site, article: Article, section: Listing, related: tuple[Article, ...] = ()
    ) -> ArticleContext:
        """The context of ``article``'s page (``related`` chosen by the caller)."""
        return cls(
            article=article,
            scheduled=article.date > site.build_time,  # shown only by builds with --future
            authors=site.article_authors[article.url],
            tags=site.article_tags[article.url],
            section=section,
            related=related,
            breadcrumbs=(("Home", "/"), (section.title, section.url), (article.title, "")),
        )


@dataclass(frozen=True, kw_only=True)
class PageContext(Context):
    """A standalone page (about, privacy…)."""

    page: Page


@dataclass(frozen=True, kw_only=True)
class ListingContext(Context):
    """One page of a listing of any kind (see kinds.py): ``kind`` is the kind's name,
    ``group`` the listing, ``listing`` the page of it. The texts come from the kind's
    row. The listing's subject and child listings are also given under the names the
    kind chooses (``tag``, ``months``), see ``variables``."""

    kind: str
    group: Listing
    title: str
    page_title: str  # the <title>, before " (page n)"
    heading: str
    heading_hidden: bool
    lead: bool  # the front page draws its newest story as the lead
    listing: ListingPage[Article]
    authors_of: Mapping[str, tuple[Author, ...]]
    subject: Any
    children: tuple[Listing, ...] = ()
    breaking: tuple[BreakingItem, ...] = ()  # the front page only: banners showing
    menu: bool = False  # the kind's listings are the masthead's menu items
    names: tuple[tuple[str, str], ...] = ()  # (variable, field) aliases of the kind

    @property
    def current_section(self) -> str:
        return self.group.key if self.menu else ""

    def variables(self) -> dict[str, Any]:
        values = super().variables()
        del values["names"], values["menu"]  # how to render, not what
        values.update((name, getattr(self, attribute)) for name, attribute in self.names)
        return values


@dataclass(frozen=True, kw_only=True)
class IndexContext(Context):
    """The page listing every listing of a kind (the tag index); its template gets them
    under ``name`` (``tags``, ``authors``)."""

    name: str
    listings: tuple[Listing, ...]

    def variables(self) -> dict[str, Any]:
        return {**super().variables(), self.name: self.listings}


@dataclass(frozen=True, kw_only=True)
class SearchContext(Context):
    bundles: tuple[str, ...]  # the URL of each Pagefind bundle, newest first


@dataclass(frozen=True, kw_only=True)
class NotFoundContext(Context):
    """The 404 page: nothing but the site."""


@dataclass(frozen=True, kw_only=True)
class ExpiredContext(Context):
    """The notice at the URL of a story past its ``expires``."""

    expired_on: datetime
    section: Listing

    @property
    def current_section(self) -> str:
        return self.section.key


@dataclass(frozen=True, kw_only=True)
class RedirectContext(Context):
    target: str  # absolute


# Outputs that are not pages: feeds, sitemaps, robots.txt, JSON documents.


@dataclass(frozen=True, kw_only=True)
class FeedContext(Context):
    feed: Any  # a feeds.FeedView


@dataclass(frozen=True, kw_only=True)
class DocumentContext(Context):
    """A JSON document (JSON Feed, ``breaking.json``), written with ``json_script``."""

    document: Mapping[str, Any]


class SitemapEntry(NamedTuple):
    """One URL of a sitemap. The address and the date are made when they are asked for,
    as a part is written. A named tuple: a part lists up to 50,000 of them."""

    url: str  # site-absolute (or absolute)
    modified: str  # ``datetime.isoformat``, "" for none
    base_url: str = ""

    @property
    def loc(self) -> str:
        """The absolute address."""
        return urls.absolute(self.base_url, self.url)

    @property
    def lastmod(self) -> datetime | None:
        return datetime.fromisoformat(self.modified) if self.modified else None


@dataclass(frozen=True, kw_only=True)
class SitemapIndexContext(Context):
    parts: tuple[SitemapEntry, ...]


@dataclass(frozen=True, kw_only=True)
class SitemapContext(Context):
    """One part of the sitemap. Its template gets its ``entries`` (``SitemapEntry``),
    made of its ``pages`` (anything with a ``url`` and a ``lastmod`` text: the planned
    outputs) when it is rendered: a build plans every part of an archive's sitemap, and
    renders the few that changed."""

    pages: tuple[Any, ...]
    base_url: str

    def variables(self) -> dict[str, Any]:
        base_url = self.base_url
        entries = tuple(SitemapEntry(page.url, page.lastmod, base_url) for page in self.pages)
        return {"entries": entries}


@dataclass(frozen=True, kw_only=True)
class NewsSitemapContext(Context):
    entries: tuple[Any, ...]  # sitemaps.NewsEntry
    publication: str
    language: str


@dataclass(frozen=True, kw_only=True)
class RobotsContext(Context):
    sitemaps: tuple[str, ...]  # absolute URLs


@dataclass(frozen=True, kw_only=True)
class RedirectRulesContext(Context):
    rules: tuple[str, ...]  # "/old /new 301"


@dataclass(frozen=True, kw_only=True)
class RecentPostsContext(Context):
    recent_posts: tuple[Article, ...]
    fragment: bool = True

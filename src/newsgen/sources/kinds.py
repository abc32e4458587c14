"""Listing kinds as data: one row per kind of listing page (the front page, sections,
tags, authors, year and month archives).

A row says how the site's stories are grouped into listings (its ``group`` function),
where each listing lives (its permalink key and default pattern), whether it has
feeds and which ``feeds:`` option turns them on, the wording of its titles and
descriptions, and its template. Configuration, site assembly, planning, feeds, head
metadata and the templates all read this table, so a new kind of listing is one row
and one grouping function (plus a template if it needs its own).

Wordings are ``str.format`` patterns over ``{title}`` (the listing's), ``{site}`` (the
site's title) and ``{site_description}``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, overload
from zoneinfo import ZoneInfo

from . import urls
from .models import Article, Author, Tag


class Picked(Sequence[Article]):
    """The stories at ``positions`` (ascending) of the archive's ``articles``, as a
    read-only sequence: what a listing of a built-in kind holds. Making a tuple of a
    listing's stories would reach every one of them (a reference counted in each
    story's object), which at 100,000 stories, over every kind, costs about a third
    of a second per build; most listings are only counted and paged."""

    __slots__ = ("_articles", "_positions")

    def __init__(self, articles: tuple[Article, ...], positions: tuple[int, ...]) -> None:
        self._articles = articles
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> Article: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Article, ...]: ...

    def __getitem__(self, index: int | slice) -> Article | tuple[Article, ...]:
        if isinstance(index, slice):
            return tuple(map(self._articles.__getitem__, self._positions[index]))
        return self._articles[self._positions[index]]

    def __iter__(self) -> Iterator[Article]:
        return map(self._articles.__getitem__, self._positions)

    def __eq__(self, other: object) -> bool:  # (so, as Python has it, not hashable)
        if isinstance(other, Picked | tuple):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Picked({len(self)} articles)"


@dataclass(frozen=True)
class Listing:
    """One listing of a kind: the World section, the tag "Elections", March 2026.

    ``subject`` is what the listing is about (a ``Tag``, an ``Author``), for templates;
    ``description``, when given, replaces the kind's (an author's bio); ``parent`` is
    the key of the listing of the parent kind this one sits under (a month's year).
    ``positions``, when the grouping function knows them, are the indexes of
    ``articles`` in ``Stories.articles``: planning then finds each story's place in
    the archive without looking it up (see ``Stories.listing``)."""

    key: str
    title: str
    url: str
    articles: Sequence[Article]  # a tuple, or the ``Picked`` stories of the archive
    subject: Any = None
    description: str = ""
    parent: str = ""
    positions: tuple[int, ...] = ()


@dataclass(frozen=True)
class Stories:
    """What a grouping function is given: the published stories, newest first, with
    their resolved authors and tags, and the settings listings are made with."""

    articles: tuple[Article, ...]
    authors_of: Mapping[str, tuple[Author, ...]]  # article URL -> its authors
    tags_of: Mapping[str, tuple[Tag, ...]]  # article URL -> its tags
    authors: Mapping[str, Author]  # every author known, described or only named, by key
    section_keys: tuple[str, ...]  # the configured sections, in menu order
    section_title: Callable[[str], str]
    permalinks: Mapping[str, str]
    timezone: ZoneInfo
    site_title: str

    # the authors and tags of each story of ``articles``, by position (``authors_of`` and
    # ``tags_of`` by URL): a pass over the archive by position looks nothing up
    authors_at: Sequence[tuple[Author, ...]]
    tags_at: Sequence[tuple[Tag, ...]]
    # (year, month) of each story's date in ``timezone``, by position: what the year
    # and month archives, the sitemaps and the search bundles file stories by
    months: Sequence[tuple[int, int]]
    sections_at: Sequence[str]  # the section of each story, by position

    @cached_property
    def numbers(self) -> tuple[int, ...]:
        """The positions of ``articles``: grouping functions number stories with these,
        so the listings' positions share one int object per story (an int made by
        ``enumerate`` for each listing would cost 28 bytes per story and listing)."""
        return tuple(range(len(self.articles)))

    @cached_property
    def by_month(self) -> dict[tuple[int, int], list[int]]:
        """The positions of the stories of each (year, month), newest month first: worked
        out once for the year and the month archives. A month is looked up where it
        differs from the story before's (a tuple hashes its items on every look-up)."""
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        current: tuple[int, int] | None = None
        found: list[int] = []
        for position, month in zip(self.numbers, self.months, strict=True):
            if month != current:
                current, found = month, groups[month]
            found.append(position)
        return {month: groups[month] for month in sorted(groups, reverse=True)}

    def url(self, kind: str, **fields: str) -> str:
        """The URL of a listing of ``kind`` under the site's permalink pattern."""
        return urls.expand(self.permalinks[kind], **fields)

    def listing(
        self, key: str, title: str, url: str, positions: Sequence[int], **more: Any
    ) -> Listing:
        """A listing of the stories at ``positions`` (ascending) of ``articles``."""
        chosen = tuple(positions)
        return Listing(key, title, url, Picked(self.articles, chosen), positions=chosen, **more)


@dataclass(frozen=True)
class IndexPage:
    """A page listing every listing of a kind (the tag index); its template receives
    them under ``key``, which is also its permalink key."""

    key: str
    permalink: str
    title: str
    template: str


@dataclass(frozen=True)
class ListingKind:
    """One kind of listing page. ``permalink`` empty: the kind has one fixed URL (the
    front page). ``feed_option``: the ``feeds:`` option (true/false) that turns its
    feeds on; empty: feeds whenever ``feeds`` is true. ``parent``: the kind its
    listings sit under (breadcrumbs, plan order); its listings reach the parent's
    template as ``children`` (and under ``children_as``). ``subject_as`` names the
    listing's subject for templates (``tag``). ``lead``: the front of each listing
    draws its newest story large. ``menu``: its listings are the masthead's menu.
    ``front_page``: the site's front page (breaking banner, WebSite JSON-LD)."""

    name: str
    group: Callable[[Stories], Iterable[Listing]]
    permalink: str = ""
    fields: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    template: str = "listing.html"
    meta_title: str = "{title}"
    page_title: str = "{title} | {site}"
    heading: str = "{title}"
    heading_hidden: bool = False
    description: str = "{title}: the latest from {site}"
    feeds: bool = False
    feed_option: str = ""
    feed_title: str = "{site}: {title}"
    source: str = "listing '{key}'"
    feed_source: str = "feed '{key}'"
    index: IndexPage | None = None
    parent: str = ""
    subject_as: str = ""
    children_as: str = ""
    trail: bool = True
    lead: bool = False
    menu: bool = False
    front_page: bool = False

    def words(self, pattern: str, listing: Listing, site: str, site_description: str) -> str:
        """One of the kind's wordings for ``listing``."""
        values = {"title": listing.title, "site": site, "site_description": site_description}
        return pattern.format(key=listing.key, **values)

"""``Site``: the immutable graph of everything published, and the queries templates need."""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from types import MappingProxyType

from ..sources import urls
from ..sources.config import SiteConfig
from ..sources.models import Article, Author, Page, Tag
from .timeline import as_of, is_expired

# Related articles are chosen among the articles published just before the story in
# each shared tag and in the section: this keeps the choice cheap on archives of 100,000
# stories, and a story's page never changes because a newer one was published.
_RELATED_POOL = 12
_RANK_MASK = (1 << 40) - 1
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    url: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class TagListing:
    tag: Tag
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class AuthorListing:
    author: Author
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class MonthListing:
    year: int
    month: int
    url: str
    articles: tuple[Article, ...]

    @property
    def title(self) -> str:
        return f"{_MONTHS[self.month - 1]} {self.year}"


@dataclass(frozen=True)
class YearListing:
    year: int
    url: str
    articles: tuple[Article, ...]
    months: tuple[MonthListing, ...]


@dataclass(frozen=True)
class Site:
    """Published articles newest first, pages, and every index over them."""

    config: SiteConfig
    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    sections: tuple[Section, ...]
    tags: tuple[TagListing, ...]
    authors: tuple[AuthorListing, ...]
    years: tuple[YearListing, ...]
    article_authors: Mapping[str, tuple[Author, ...]]
    article_tags: Mapping[str, tuple[Tag, ...]]
    related_pools: Mapping[str, tuple[int, ...]]
    positions: Mapping[str, int]  # article URL -> its index in ``articles``
    build_time: datetime
    expired: tuple[Article, ...] = ()  # past their ``expires``: a notice at their URL
    previews: tuple[Article, ...] = ()  # drafts and scheduled stories at private URLs

    def recent(self, count: int, start: int = 0, exclude: str = "") -> tuple[Article, ...]:
        """The ``count`` newest articles from index ``start`` on (the stories published
        up to a moment), leaving out the one at URL ``exclude``."""
        chosen = [a for a in self.articles[start : start + count + 1] if a.url != exclude]
        return tuple(chosen[:count])

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def related(self, article: Article, count: int) -> tuple[Article, ...]:
        """Earlier articles sharing the most tags (then the section), newer first.

        Candidates are the articles published just before ``article`` in each shared
        tag and in its section; they are handled by their position in ``articles``
        (newest first), which is also the tie-break, so the choice is deterministic.
        """
        rank = self.positions[article.url]
        pools = self.related_pools

        def before(key: str) -> tuple[int, ...]:
            members = pools[key]
            start = bisect_right(members, rank)
            return members[start : start + _RELATED_POOL]

        shared = [before(f"tag:{tag.slug}") for tag in self.article_tags.get(article.url, ())]
        scores = Counter(chain(*shared, *shared, before(f"section:{article.section}")))
        # best first: the highest score, then the newest (lowest position); one int each
        best = heapq.nsmallest(count, [(-score << 40) | other for other, score in scores.items()])
        return tuple(self.articles[key & _RANK_MASK] for key in best)


def is_published(article: Article, now: datetime, drafts: bool, future: bool) -> bool:
    """Whether the build shows ``article``: drafts and later dates only when asked for."""
    return (drafts or not article.draft) and (future or article.date <= now)


def left_out(
    articles: Sequence[Article], now: datetime, drafts: bool, future: bool
) -> dict[str, int]:
    """How many drafts and scheduled (future-dated) articles the build leaves out."""
    counts = {"drafts_left_out": 0, "scheduled_left_out": 0}
    for article in articles:
        if article.draft and not drafts:
            counts["drafts_left_out"] += 1
        elif article.date > now and not future:
            counts["scheduled_left_out"] += 1
    return counts


def assemble_site(
    config: SiteConfig,
    articles: Sequence[Article],
    pages: Sequence[Page],
    described_authors: Sequence[Author],
    *,
    now: datetime,
    drafts: bool = False,
    future: bool = False,
    previews: Sequence[Article] = (),
) -> Site:
    """Choose what is published, resolve authors, and index everything.

    ``previews`` (from previews.py) get authors and tags, but no place in any index.
    """
    shown = [as_of(a, now) for a in articles if is_published(a, now, drafts, future)]
    published = [a for a in shown if not is_expired(a, now)]
    expired = sorted((a for a in shown if is_expired(a, now)), key=lambda a: a.url)
    previews = [as_of(a, now) for a in previews]
    published.sort(key=lambda a: (a.date, a.slug, a.source_path), reverse=True)
    ordered = tuple(published)

    resolver = _AuthorResolver(config, described_authors)
    article_authors = {
        article.url: tuple(dict.fromkeys(resolver.resolve(n) for n in article.author_names))
        for article in (*ordered, *previews)
    }

    tag_names: dict[str, Tag] = {}
    article_tags: dict[str, tuple[Tag, ...]] = {}
    by_tag: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        tags = []
        for name in article.tags:
            slug = urls.slugify(name)
            if not slug:
                continue
            if slug not in tag_names:
                url = urls.expand(config.permalinks["tag"], tag=slug)
                tag_names[slug] = Tag(name, slug, url)
            if tag_names[slug] not in tags:
                tags.append(tag_names[slug])
                by_tag[slug].append(article)
        article_tags[article.url] = tuple(tags)
    for preview in previews:  # the tag pages they will have once published
        own: dict[str, Tag] = {}
        for name in preview.tags:
            slug = urls.slugify(name)
            if slug and slug not in own:
                url = urls.expand(config.permalinks["tag"], tag=slug)
                own[slug] = tag_names.get(slug) or Tag(name, slug, url)
        article_tags[preview.url] = tuple(own.values())

    by_section: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        by_section[article.section].append(article)
    section_keys = [s.key for s in config.sections]
    section_keys += sorted(k for k in by_section if k not in section_keys)
    sections = tuple(
        Section(
            key,
            config.section_title(key),
            urls.expand(config.permalinks["section"], section=key),
            tuple(by_section.get(key, ())),
        )
        for key in section_keys
    )

    by_author: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        for author in article_authors[article.url]:
            by_author[author.key].append(article)
    authors = tuple(
        AuthorListing(resolver.known[key], tuple(by_author[key]))
        for key in sorted(resolver.known)
        if resolver.known[key].described or by_author[key]
    )

    tag_listings = tuple(TagListing(tag_names[s], tuple(by_tag[s])) for s in sorted(tag_names))
    return Site(
        config=config,
        articles=ordered,
        pages=tuple(sorted(pages, key=lambda p: (p.title.lower(), p.url))),
        sections=sections,
        tags=tag_listings,
        authors=authors,
        years=_archives(config, ordered),
        article_authors=MappingProxyType(article_authors),
        article_tags=MappingProxyType(article_tags),
        related_pools=_related_pools(ordered, tag_listings, sections),
        positions=MappingProxyType({a.url: i for i, a in enumerate(ordered)}),
        build_time=now,
        expired=tuple(expired),
        previews=tuple(previews),
    )


def _related_pools(
    ordered: Sequence[Article], tags: Sequence[TagListing], sections: Sequence[Section]
) -> Mapping[str, tuple[int, ...]]:
    """For each tag and section, the positions of its articles in ``ordered`` (ascending)."""
    rank = {id(article): position for position, article in enumerate(ordered)}
    pools = {f"tag:{t.tag.slug}": t.articles for t in tags}
    pools.update({f"section:{s.key}": s.articles for s in sections})
    return MappingProxyType(
        {key: tuple(rank[id(a)] for a in articles) for key, articles in pools.items()}
    )


def _archives(config: SiteConfig, ordered: Sequence[Article]) -> tuple[YearListing, ...]:
    zone = config.tz
    by_month: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in ordered:
        local = article.date.astimezone(zone)
        by_month[(local.year, local.month)].append(article)
    years = []
    for year in sorted({y for y, _ in by_month}, reverse=True):
        months = tuple(
            MonthListing(
                year,
                month,
                urls.expand(config.permalinks["month"], year=f"{year:04d}", month=f"{month:02d}"),
                tuple(by_month[(year, month)]),
            )
            for (y, month) in sorted(by_month, reverse=True)
            if y == year
        )
        articles = tuple(a for m in months for a in m.articles)
        url = urls.expand(config.permalinks["year"], year=f"{year:04d}")
        years.append(YearListing(year, url, articles, months))
    return tuple(years)


class _AuthorResolver:
    """Front matter names an author by key or display name; others get a plain page."""

    def __init__(self, config: SiteConfig, described: Sequence[Author]) -> None:
        self.config = config
        self.known: dict[str, Author] = {a.key: a for a in described}
        self.by_name = {a.name.casefold(): a for a in described}

    def resolve(self, name: str) -> Author:
        if name in self.known:
            return self.known[name]
        if name.casefold() in self.by_name:
            return self.by_name[name.casefold()]
        key = urls.slugify(name)
        if key not in self.known:
            url = urls.expand(self.config.permalinks["author"], author=key)
            self.known[key] = Author(key=key, name=name, url=url, described=False)
        return self.known[key]

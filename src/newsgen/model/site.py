"""``Site``: the immutable graph of everything published, and the queries templates need."""

from __future__ import annotations

import hashlib
import heapq
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from itertools import chain, compress
from operator import add, attrgetter
from types import MappingProxyType
from typing import get_args

from ..sources import urls
from ..sources.compat.bundles import is_bundle
from ..sources.config import SiteConfig
from ..sources.kinds import Listing, Stories
from ..sources.listing_kinds import LISTING_KINDS
from ..sources.models import Article, Author, Page, Tag
from .timeline import as_of, is_expired

# Related articles are chosen among the articles published just before the story in
# each shared tag and in the section: this keeps the choice cheap on archives of 100,000
# stories, and a story's page never changes because a newer one was published.
_RELATED_POOL = 12
_RANK_MASK = (1 << 40) - 1


@dataclass(frozen=True)
class Site:
    """Published articles newest first, pages, and every index over them."""

    config: SiteConfig
    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    listings: Mapping[str, tuple[Listing, ...]]  # listing kind -> its listings, in plan order
    article_authors: Mapping[str, tuple[Author, ...]]
    article_tags: Mapping[str, tuple[Tag, ...]]
    related_pools: Mapping[str, tuple[int, ...]]
    positions: Mapping[str, int]  # article URL -> its index in ``articles``
    build_time: datetime
    expired: tuple[Article, ...] = ()  # past their ``expires``: a notice at their URL
    previews: tuple[Article, ...] = ()  # drafts and scheduled stories at private URLs
    months: tuple[str, ...] = ()  # ``YYYY-MM`` of each article, by position (dates.month_key)
    # what a teaser of each article shows, by position: its ``teaser_digest`` and its
    # byline's (``bylines``); what listings and the archive chain are keyed by
    # (plan/specs.py), read off the articles with the rest of the model
    teasers: tuple[str, ...] = ()
    # the latest change readers see of any article (``Article.modified``), which several
    # pages and feeds are dated by
    last_modified: datetime | None = None
    # the ``digest`` of each article, by position (the article groups' keys, planner.py)
    digests: tuple[str, ...] = ()
    breaking: tuple[Article, ...] = ()  # the articles breaking at the build's "now"
    aliased: tuple[Article, ...] = ()  # the articles with ``aliases`` (redirects.py)
    bundled: tuple[Article, ...] = ()  # the page bundles' articles (compat/bundles.py)
    # the ``output_path`` of each article, by position (its search bundle: search_shards.py)
    output_paths: tuple[str, ...] = ()
    # (position, names of its tags) of each article that shows a tag under another
    # spelling than its own (a tag is named as its newest story spells it), ascending:
    # its page shows names its source does not hold (the article groups' keys)
    respelled: tuple[tuple[int, str], ...] = ()
    # each byline (a story's authors as resolved) -> a digest of everything a page may
    # show of it (names, addresses, biographies, pictures): what the pages showing it
    # depend on, rather than the whole authors' file, which a new reporter would change
    # for every page of the archive; worked out once per byline, not per page
    bylines: Mapping[tuple[Author, ...], str] = field(default_factory=dict)

    def recent(self, count: int, start: int = 0, exclude: str = "") -> tuple[Article, ...]:
        """The ``count`` newest articles from index ``start`` on (the stories published
        up to a moment), leaving out the one at URL ``exclude``."""
        chosen = [a for a in self.articles[start : start + count + 1] if a.url != exclude]
        return tuple(chosen[:count])

    @property
    def sections(self) -> tuple[Listing, ...]:
        """The section listings, in menu order."""
        return self.listings["section"]

    def section(self, key: str) -> Listing:
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


def blocks_from_oldest(count: int, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the blocks of ``size`` positions of ``count`` stories (newest
    first), counted from the oldest, newest block first: a publish changes the newest
    block only, and the blocks below keep their stories (planner.py, lint.py)."""
    top = 0
    while top < count:
        end = count - ((count - top - 1) // size) * size  # past its oldest
        yield top, end
        top = end


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
    expired: list[Article] = []
    # each published story's sort key and what the indexes need of it, read while it is
    # chosen: the archive's articles lie scattered in memory, and reaching one costs
    # more than reading several of its fields, so each is reached once
    facts: list[_Facts] = []
    zone = config.tz
    for article in articles:
        if is_published(article, now, drafts, future):
            article = as_of(article, now)
            if is_expired(article, now):
                expired.append(article)
            else:
                facts.append(_facts_of(article, zone))
    expired.sort(key=attrgetter("url"))
    previews = [as_of(a, now) for a in previews]
    # newest first; the keys are unique (the source path), so the rest never decides
    ranks = sorted(range(len(facts)), key=facts.__getitem__, reverse=True)
    # the facts by kind, each a tuple by position (made at once, not story by story)
    columns = zip(*map(facts.__getitem__, ranks), strict=True) if ranks else [()] * _FACTS
    (
        _, _, sources_at, urls_at, names_at, tag_names_at, teasers_at, digests, sections,
        month_keys, modified_at, paths, breaking_at, aliases_at, ordered,
    ) = columns  # fmt: skip
    months, month_names = _months(month_keys)

    resolver = _AuthorResolver(config, described_authors)
    tagger = _Tagger(config.permalinks["tag"])
    bylines = list(map(resolver.byline, names_at))
    authors_at = [byline for byline, _ in bylines]
    teasers = list(map(add, teasers_at, [shown for _, shown in bylines]))
    tags_at, respelled_at = tagger.tags_of(tag_names_at)
    respelled = [(position, tags_at[position]) for position in respelled_at]
    breaking = list(compress(ordered, breaking_at))
    aliased = list(compress(ordered, aliases_at))
    bundled = list(compress(ordered, map(is_bundle, sources_at)))
    last_modified = max(modified_at, default=None)  # the first latest
    article_authors = dict(zip(urls_at, authors_at, strict=True))
    article_tags = dict(zip(urls_at, tags_at, strict=True))
    for preview in previews:  # the tag pages they will have once published
        article_authors[preview.url] = resolver.byline(preview.author_names)[0]
        article_tags[preview.url] = tagger.preview_tags(preview.tags)

    stories = Stories(
        articles=ordered,
        authors_of=article_authors,
        tags_of=article_tags,
        authors=resolver.known,
        section_keys=tuple(s.key for s in config.sections),
        section_title=config.section_title,
        permalinks=config.permalinks,
        timezone=config.tz,
        site_title=config.title,
        authors_at=authors_at,
        tags_at=tags_at,
        months=months,
        sections_at=sections,
    )
    listings = {name: tuple(kind.group(stories)) for name, kind in LISTING_KINDS.items()}
    positions = MappingProxyType(dict(zip(urls_at, range(len(urls_at)), strict=True)))
    return Site(
        config=config,
        articles=ordered,
        pages=tuple(sorted(pages, key=lambda p: (p.title.lower(), p.url))),
        listings=MappingProxyType(listings),
        article_authors=MappingProxyType(article_authors),
        article_tags=MappingProxyType(article_tags),
        related_pools=_related_pools(positions, listings["tag"], listings["section"]),
        positions=positions,
        build_time=now,
        expired=tuple(expired),
        previews=tuple(previews),
        months=month_names,
        teasers=tuple(teasers),
        last_modified=last_modified,
        digests=tuple(digests),
        breaking=tuple(breaking),
        aliased=tuple(aliased),
        bundled=tuple(bundled),
        output_paths=tuple(paths),
        respelled=tuple((rank, tag_names(tags)) for rank, tags in respelled),
        bylines=MappingProxyType(dict(resolver.digests())),
    )


def tag_names(tags: Sequence[Tag]) -> str:
    """The names of ``tags`` as a page shows them, in one string (what pages depend on)."""
    return "\0".join(tag.name for tag in tags)


def _months(keys: Sequence[int]) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...]]:
    """(year, month) and ``YYYY-MM`` of each story, from its key (year * 100 + month):
    one tuple and one string per month, shared by its stories. Looked up by the key, an
    int, which hashes at once: a tuple hashes its items on every look-up (0.1 s for the
    months of 100,000 stories)."""
    pairs = {key: divmod(key, 100) for key in set(keys)}
    names = {key: f"{year:04d}-{month:02d}" for key, (year, month) in pairs.items()}
    return tuple(map(pairs.__getitem__, keys)), tuple(map(names.__getitem__, keys))


# what ``_facts_of`` reads of a story, in this order
_Facts = tuple[
    datetime, str, str, str, tuple[str, ...], tuple[str, ...], str, str, str,
    int, datetime, str, bool, tuple[str, ...], Article,
]  # fmt: skip
_FACTS = len(get_args(_Facts))  # the kinds of fact


def _facts_of(article: Article, zone: tzinfo) -> _Facts:
    """What the indexes need of a story: its sort key (date, slug, source path), URL,
    author names, tag names, teaser digest, digest, section, year * 100 + month in
    ``zone`` (``_months``), last change, output path, whether breaking, aliases, and the
    story."""
    local = article.date.astimezone(zone)
    return (
        article.date,
        article.slug,
        article.source_path,
        article.url,
        article.author_names,
        article.tags,
        article.teaser_digest,
        article.digest,
        article.section,
        local.year * 100 + local.month,
        _modified(article),
        article.output_path,
        article.breaking,
        article.aliases,
        article,
    )


def _modified(article: Article) -> datetime:
    """``article.modified``, without working it out for a story never changed."""
    if article.updated is None and article.last_update is None and not article.corrections:
        return article.date
    return article.modified


def listing_positions(positions: Mapping[str, int], listing: Listing) -> tuple[int, ...]:
    """The positions in the site's articles of ``listing``'s stories (ascending): as the
    grouping function gave them, or looked up by URL for one that did not."""
    if len(listing.positions) == len(listing.articles):
        return listing.positions
    return tuple(positions[article.url] for article in listing.articles)


def _related_pools(
    positions: Mapping[str, int], tags: Sequence[Listing], sections: Sequence[Listing]
) -> Mapping[str, tuple[int, ...]]:
    """For each tag and section, the positions of its articles in ``ordered`` (ascending)."""
    pools = {f"tag:{t.key}": listing_positions(positions, t) for t in tags}
    pools.update({f"section:{s.key}": listing_positions(positions, s) for s in sections})
    return MappingProxyType(pools)


class _AuthorResolver:
    """Front matter names an author by key or display name; others get a plain page."""

    def __init__(self, config: SiteConfig, described: Sequence[Author]) -> None:
        self.config = config
        self.known: dict[str, Author] = {a.key: a for a in described}
        self.by_name = {a.name.casefold(): a for a in described}
        self._bylines: dict[tuple[str, ...], tuple[tuple[Author, ...], str]] = {}

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

    def byline(self, names: tuple[str, ...]) -> tuple[tuple[Author, ...], str]:
        """The authors of a story, each once, and their digest (``Site.bylines``);
        resolved once per list of names, as a newsroom's stories share a few bylines."""
        found = self._bylines.get(names)
        if found is None:
            authors = tuple(dict.fromkeys(self.resolve(n) for n in names))
            shown = hashlib.blake2b(repr(authors).encode(), digest_size=8).hexdigest()
            found = self._bylines[names] = (authors, shown)
        return found

    def digests(self) -> Iterator[tuple[tuple[Author, ...], str]]:
        """Each byline resolved so far, with its digest."""
        return iter(self._bylines.values())


class _Tagger:
    """One ``Tag`` per slug, the first name seen giving its name; a name is slugified
    once for the whole archive (slugify is slow, and tags recur)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.by_slug: dict[str, Tag] = {}
        self._slugs: dict[str, str] = {}

    def slug(self, name: str) -> str:
        slug = self._slugs.get(name)
        if slug is None:
            slug = self._slugs[name] = urls.slugify(name)
        return slug

    def tags_of(
        self, stories: Iterable[tuple[str, ...]]
    ) -> tuple[list[tuple[Tag, ...]], list[int]]:
        """The tags of each published story (its tag names; newest first), one per slug
        in the order of its names; and the positions of the stories that name one of
        their tags otherwise than it is named (by the newest story naming it)."""
        by_slug, slugs, pattern = self.by_slug, self._slugs, self.pattern
        found: list[tuple[Tag, ...]] = []
        respelled: list[int] = []
        for position, names in enumerate(stories):
            tags: dict[str, Tag] = {}
            for name in names:
                slug = slugs.get(name)
                if slug is None:
                    slug = slugs[name] = urls.slugify(name)
                if not slug or slug in tags:
                    continue
                tag = by_slug.get(slug)
                if tag is None:
                    tag = by_slug[slug] = Tag(name, slug, urls.expand(pattern, tag=slug))
                elif tag.name != name and (not respelled or respelled[-1] != position):
                    respelled.append(position)
                tags[slug] = tag
            found.append(tuple(tags.values()))
        return found, respelled

    def preview_tags(self, names: tuple[str, ...]) -> tuple[Tag, ...]:
        """A preview's tags: those of published stories, or the tags it will make."""
        own: dict[str, Tag] = {}
        for name in names:
            slug = self.slug(name)
            if slug and slug not in own:
                url = urls.expand(self.pattern, tag=slug)
                own[slug] = self.by_slug.get(slug) or Tag(name, slug, url)
        return tuple(own.values())

"""The listings of every kind in the table of listing kinds (sources/listing_kinds.py):
each listing in groups of pages (its front page, blocks of its numbered pages) keyed by
their stories' teasers and the archive below each page; and the index page of each kind
that has one (tags, authors)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from operator import itemgetter
from typing import TypeVar

from ..model.breaking import breaking_deps, breaking_items
from ..model.site import Site, listing_positions
from ..sources.kinds import Listing, ListingKind
from ..sources.listing_kinds import LISTING_KINDS
from .contexts import Breadcrumbs, IndexContext, ListingContext
from .newsplan import with_banner
from .pagespec import PageSpec
from .pagination import WINDOW, listing_page, newest_positions, numbered_pages
from .specs import PageGroup, group_key, make_spec, newest_key, sidebar_as_of

T = TypeVar("T")


def listing_groups(site: Site, chain: Sequence[str], global_digest: str) -> Iterator[PageGroup]:
    """One group per listing of each kind in the table (listing_kinds.py), in its order;
    the listings of a kind with a ``parent`` come after each of the parent's."""
    digest = global_digest + newest_key(site)
    for name, kind in LISTING_KINDS.items():
        if kind.parent:
            continue
        for listing in site.listings[name]:
            yield from _listing_groups(site, chain, digest, kind, listing)
            for child_kind, child in _children(site, name, listing):
                yield from _listing_groups(site, chain, digest, child_kind, child)


def _children(site: Site, name: str, listing: Listing) -> Iterator[tuple[ListingKind, Listing]]:
    """The listings (of kinds whose parent is kind ``name``) under ``listing``."""
    for child_name, kind in LISTING_KINDS.items():
        if kind.parent == name:
            for child in site.listings[child_name]:
                if child.parent == listing.key:
                    yield kind, child


def _trail(site: Site, kind: ListingKind, listing: Listing) -> Breadcrumbs:
    """Home, the kind's index page, the parent listing, the listing itself."""
    if not kind.trail:
        return ()
    crumbs = [("Home", "/")]
    if kind.index:
        crumbs.append((kind.index.title, site.config.permalinks[kind.index.key]))
    if kind.parent:
        parent = next(p for p in site.listings[kind.parent] if p.key == listing.parent)
        crumbs.append((parent.title, parent.url))
    return (*crumbs, (listing.title, ""))


def plan_indexes(site: Site) -> Iterator[PageSpec]:
    """The index page of each kind that has one (all tags, all authors)."""
    for name, kind in LISTING_KINDS.items():
        if kind.index is None:
            continue
        listings = site.listings[name]
        deps = tuple(f"{item.key}:{item.subject!r}:{len(item.articles)}" for item in listings)
        crumbs = (("Home", "/"), (kind.index.title, ""))
        context = IndexContext(name=kind.index.key, listings=listings, breadcrumbs=crumbs)
        url = site.config.permalinks[kind.index.key]
        yield make_spec(site, url, kind.index.template, context, deps, f"{name} index")


# Numbered pages per group of a listing's older pages (``_listing_groups``); tests lower it.
PAGE_BLOCK = 64


def _listing_groups(
    site: Site, chain: Sequence[str], global_digest: str, kind: ListingKind, listing: Listing
) -> Iterator[PageGroup]:
    """A listing as groups: its front page, and its numbered pages in blocks of
    ``PAGE_BLOCK`` counted from page 1. A numbered page keeps its stories once full
    (pagination.py), so a publish plans the front page again and, when one more page
    fills, the newest block or two, not the listing's every page (the home page's are
    the archive's). The inputs are, for each page, the archive from its newest story
    down (``chain``: the teasers of its Recent Posts and of its own stories, which are
    all at or below its newest in the archive, and of every story that could join it,
    so a changed teaser replans the blocks from its page up), the front page's teasers,
    and how many numbered pages there are as far as a page's links see them: the front
    page, all; a block's pages, up to ``WINDOW`` past its newest. A block's key holds no
    teaser of its own: the chain holds them, and joining and digesting the teasers of
    every listing's every story (some 840,000 at 100,000 articles) took a tenth of a
    second of each publish."""
    config = site.config
    per_page = config.per_page
    articles = listing.articles
    positions = listing_positions(site.positions, listing)
    source = kind.words(kind.source, listing, config.title, config.description)
    children = tuple(child for _, child in _children(site, kind.name, listing))
    # what else its front page shows: its child listings (a year's months) and their sizes
    extra_deps = tuple(f"{child.key}:{len(child.articles)}" for child in children)
    numbered = numbered_pages(len(articles), per_page)
    on_front = len(articles) - numbered * per_page
    # the archive below the front page, then below numbered pages ``numbered`` down to 1
    below = _picked(chain, _picked(positions, newest_positions(len(articles), per_page)))
    # the listing's subject (an author's name, biography, picture...) shows on every page
    common = (global_digest, kind.name, listing.url, listing.title, source, repr(listing.subject))
    teasers = _picked(site.teasers, positions[:on_front])
    banner = breaking_deps(breaking_items(site)) if kind.front_page else ()
    front_key = group_key(*common, str(numbered), *extra_deps, *banner, *teasers, "|", *below[:1])
    make = partial(_listing, site, kind, listing, children, source, extra_deps)
    yield PageGroup(front_key, partial(make, 0, 0))
    for first in range(1 + (numbered - 1) // PAGE_BLOCK * PAGE_BLOCK, 0, -PAGE_BLOCK):
        last = min(first + PAGE_BLOCK - 1, numbered)
        seen = str(min(numbered, last + WINDOW + 1))
        below_pages = below[_numbered_slice(numbered, first, last)]
        key = group_key(*common, seen, "|", *below_pages)
        yield PageGroup(key, partial(make, first, last))


def _numbered_slice(numbered: int, first: int, last: int) -> slice:
    """Where numbered pages ``last`` down to ``first`` sit in a sequence that holds the
    front page, then page ``numbered`` down to 1 (``newest_positions``)."""
    return slice(1 + numbered - last, 2 + numbered - first)


def _picked(values: Sequence[T], positions: Sequence[int]) -> tuple[T, ...]:
    """``values`` at ``positions``, picked in one call (a listing may hold the archive)."""
    if len(positions) < 2:
        return tuple(values[position] for position in positions)
    return itemgetter(*positions)(values)


def _listing(
    site: Site,
    kind: ListingKind,
    group: Listing,
    children: tuple[Listing, ...],
    source: str,
    extra_deps: tuple[str, ...],
    first: int,
    last: int,
) -> list[PageSpec]:
    """The pages numbered ``first`` to ``last`` of one listing, newest first: 0 is its
    front page (with the breaking-news banner, for a kind that has one). Only they are
    made (``listing_page``): the home listing of an archive has 10,000 pages, which took
    0.2 s of every publish to make. ``extra_deps`` is what else its front page shows."""
    config = site.config
    base_url = group.url
    names = ((kind.subject_as, "subject"), (kind.children_as, "children"))
    page_title = kind.words(kind.page_title, group, config.title, config.description)
    heading = kind.words(kind.heading, group, config.title, config.description)
    front = first == 0
    numbers = [0] if front else range(last, first - 1, -1)
    specs = []
    for number in numbers:
        page = listing_page(group.articles, config.per_page, base_url, number)
        crumbs = _trail(site, kind, group)
        if not page.front:  # the home page has no trail of its own; its older pages have one
            title = crumbs[-1][0] if crumbs else "Home"
            crumbs = (*crumbs[:-1], (title, base_url), (f"Page {page.number}", ""))
        context = ListingContext(
            kind=kind.name,
            group=group,
            title=group.title,
            heading_hidden=kind.heading_hidden,
            lead=kind.lead,
            listing=page,
            authors_of=site.article_authors,
            subject=group if group.subject is None else group.subject,
            children=children,
            menu=kind.menu,
            names=tuple((name, field) for name, field in names if name),
            breadcrumbs=crumbs,
            page_title=page_title,
            heading=heading,
        )
        deps = (
            page.prev_url or "",
            page.next_url or "",
            f"gap={page.gap}",
            *(url for _, url in page.links),
            *(extra_deps if page.front else ()),
            *(a.teaser_digest for a in page.items),
            *(site.bylines[site.article_authors[a.url]] for a in page.items),
        )
        sidebar = sidebar_as_of(site, page.items[0] if page.items else None)
        specs.append(make_spec(site, page.url, kind.template, context, deps, source, sidebar))
    if front and kind.front_page:
        specs = [with_banner(site, specs[0])]
    return specs

"""The listings: home, sections, tags, authors, years and months, each a group of
paginated pages keyed by its stories' teasers and the archive below each page; and the
tag and author indexes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from ..model.breaking import breaking_deps, breaking_items
from ..model.site import Site
from ..sources.models import Article
from .newsplan import with_banner
from .pagespec import PageSpec
from .pagination import newest_positions, paginate
from .specs import PageGroup, group_key, make_spec, newest_key, sidebar_as_of

Breadcrumbs = tuple[tuple[str, str], ...]


def listing_groups(site: Site, chain: Sequence[str], global_digest: str) -> Iterator[PageGroup]:
    """One group per listing (home, sections, tags, authors, years, months)."""
    permalinks = site.config.permalinks
    group = partial(_listing_group, chain, global_digest + newest_key(site), site)
    home = group("/", "home", site.config.title, site.articles, (), "home page")
    banner = breaking_deps(breaking_items(site))  # the front page carries the banner

    def home_pages() -> list[PageSpec]:
        return [with_banner(site, s) if s.url == "/" else s for s in home.make()]

    yield PageGroup(group_key(home.key, *banner), home_pages)
    for section in site.sections:
        crumbs = (("Home", "/"), (section.title, ""))
        yield group(
            section.url, "section", section.title, section.articles, crumbs,
            f"section listing '{section.key}'", section=section,
        )  # fmt: skip
    for listing in site.tags:
        tag = listing.tag
        crumbs = (("Home", "/"), ("Tags", permalinks["tags"]), (tag.name, ""))
        yield group(
            tag.url, "tag", tag.name, listing.articles, crumbs,
            f"tag listing '{tag.name}'", tag=tag,
        )  # fmt: skip
    for listing in site.authors:
        author = listing.author
        crumbs = (("Home", "/"), ("Authors", permalinks["authors"]), (author.name, ""))
        yield group(
            author.url, "author", author.name, listing.articles, crumbs,
            f"author page '{author.key}'", author=author,
        )  # fmt: skip
    for year in site.years:
        crumbs = (("Home", "/"), (str(year.year), ""))
        yield group(
            year.url, "year", str(year.year), year.articles, crumbs,
            f"archive {year.year}", months=year.months,
            extra_deps=tuple(f"{m.month}:{len(m.articles)}" for m in year.months),
        )  # fmt: skip
        for month in year.months:
            title = month.title
            crumbs = (("Home", "/"), (str(year.year), year.url), (title, ""))
            yield group(
                month.url, "month", title, month.articles, crumbs,
                f"archive {month.year}-{month.month:02d}",
            )  # fmt: skip


def plan_indexes(site: Site) -> Iterator[PageSpec]:
    permalinks = site.config.permalinks
    tag_deps = tuple(f"{t.tag.slug}:{len(t.articles)}" for t in site.tags)
    yield make_spec(
        site, permalinks["tags"], "tags.html",
        {"tags": site.tags, "breadcrumbs": (("Home", "/"), ("Tags", ""))}, tag_deps, "tag index",
    )  # fmt: skip
    author_deps = tuple(f"{a.author.key}:{len(a.articles)}" for a in site.authors)
    yield make_spec(
        site, permalinks["authors"], "authors.html",
        {"authors": site.authors, "breadcrumbs": (("Home", "/"), ("Authors", ""))},
        author_deps, "author index",
    )  # fmt: skip


def _listing_group(
    chain: Sequence[str],
    global_digest: str,
    site: Site,
    base_url: str,
    kind: str,
    title: str,
    articles: Sequence[Article],
    breadcrumbs: Breadcrumbs,
    source: str,
    extra_deps: tuple[str, ...] = (),
    **extra: Any,
) -> PageGroup:
    """A listing as a group: its inputs are its stories' teasers and, for each page's
    Recent Posts, the archive from that page's newest story down."""
    below = [
        chain[site.positions[articles[i].url]]
        for i in newest_positions(len(articles), site.config.per_page)
    ]
    key = group_key(
        global_digest, kind, base_url, title, source, *extra_deps,
        *(a.teaser_digest for a in articles), "|", *below,
    )  # fmt: skip

    def make() -> list[PageSpec]:
        return list(
            _listing(
                site, base_url, kind, title, articles, breadcrumbs, source, extra_deps, **extra
            )
        )

    return PageGroup(key, make)


def _listing(
    site: Site,
    base_url: str,
    kind: str,
    title: str,
    articles: Sequence[Article],
    breadcrumbs: Breadcrumbs,
    source: str,
    extra_deps: tuple[str, ...] = (),
    **extra: Any,
) -> Iterator[PageSpec]:
    """The pages of one listing; ``extra_deps`` is what else its front page shows (a
    year's months)."""
    for page in paginate(articles, site.config.per_page, base_url):
        crumbs = breadcrumbs
        if not page.front:  # the home page has no trail of its own; its older pages have one
            last = crumbs[-1][0] if crumbs else "Home"
            crumbs = (*crumbs[:-1], (last, base_url), (f"Page {page.number}", ""))
        context = {
            "kind": kind,
            "title": title,
            "listing": page,
            "breadcrumbs": crumbs,
            "authors_of": site.article_authors,
            **extra,
        }
        deps = (
            page.prev_url or "",
            page.next_url or "",
            f"gap={page.gap}",
            *(url for _, url in page.links),
            *(extra_deps if page.front else ()),
            *(a.teaser_digest for a in page.items),
        )
        sidebar = sidebar_as_of(site, page.items[0] if page.items else None)
        yield make_spec(site, page.url, "listing.html", context, deps, source, sidebar)

"""The table of listing kinds (see kinds.py) and their grouping functions.

The order of the table is the order listings are planned in, which is also their order
in ``sitemap-pages.xml``; a kind with a ``parent`` is planned after each of its parent's
listings (each year, then its months).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from .kinds import IndexPage, Listing, ListingKind, Stories
from .models import Tag

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip


def front_page(stories: Stories) -> Iterator[Listing]:
    """The site's front page: every story."""
    yield Listing("", stories.site_title, "/", stories.articles, positions=stories.numbers)


def by_section(stories: Stories) -> Iterator[Listing]:
    """The configured sections in menu order (also empty ones), then the others by key."""
    groups: dict[str, list[int]] = defaultdict(list)
    for position, section in zip(stories.numbers, stories.sections_at, strict=True):
        groups[section].append(position)
    keys = [*stories.section_keys, *sorted(k for k in groups if k not in stories.section_keys)]
    for key in keys:
        url = stories.url("section", section=key)
        yield stories.listing(key, stories.section_title(key), url, groups.get(key, ()))


def by_tag(stories: Stories) -> Iterator[Listing]:
    """One listing per tag slug, by slug."""
    groups: dict[str, list[int]] = defaultdict(list)
    tags: dict[str, Tag] = {}
    for position, article_tags in zip(stories.numbers, stories.tags_at, strict=True):
        for tag in article_tags:
            tags.setdefault(tag.slug, tag)
            groups[tag.slug].append(position)
    for slug in sorted(groups):
        tag = tags[slug]
        yield stories.listing(slug, tag.name, tag.url, groups[slug], subject=tag)


def by_author(stories: Stories) -> Iterator[Listing]:
    """One listing per author with stories, and per described author, by key."""
    groups: dict[str, list[int]] = defaultdict(list)
    for position, authors in zip(stories.numbers, stories.authors_at, strict=True):
        for author in authors:
            groups[author.key].append(position)
    for key in sorted(stories.authors):
        author = stories.authors[key]
        if author.described or groups[key]:
            yield stories.listing(
                key, author.name, author.url, groups[key], subject=author, description=author.bio
            )


def by_year(stories: Stories) -> Iterator[Listing]:
    groups: dict[int, list[int]] = defaultdict(list)
    for (year, _), positions in stories.by_month.items():
        groups[year] += positions
    for year, positions in groups.items():
        url = stories.url("year", year=f"{year:04d}")
        yield stories.listing(f"{year:04d}", str(year), url, positions)


def by_month(stories: Stories) -> Iterator[Listing]:
    for (year, month), positions in stories.by_month.items():
        url = stories.url("month", year=f"{year:04d}", month=f"{month:02d}")
        title = f"{_MONTHS[month - 1]} {year}"
        yield stories.listing(
            f"{year:04d}-{month:02d}", title, url, positions, parent=f"{year:04d}"
        )


def _field(*names: str) -> frozenset[str]:
    return frozenset(names)


# Kind name -> row; the name is also the kind's permalink key and its template's ``kind``.
LISTING_KINDS: dict[str, ListingKind] = {
    kind.name: kind
    for kind in (
        ListingKind(
            "home", front_page, meta_title="{site}", page_title="{site}",
            heading="{site}: latest news", heading_hidden=True,
            description="{site_description}", feeds=True, feed_title="{site}",
            source="home page", feed_source="site feed", trail=False, lead=True,
            front_page=True,
        ),
        ListingKind(
            "section", by_section, "/{section}/", _field("section"), _field("section"),
            feeds=True, source="section listing '{key}'", subject_as="section", lead=True,
            menu=True,
        ),
        ListingKind(
            "tag", by_tag, "/tags/{tag}/", _field("tag"), _field("tag"),
            heading="Tagged: {title}", feeds=True, feed_option="per_tag",
            source="tag listing '{title}'", feed_source="feed '{title}'",
            index=IndexPage("tags", "/tags/", "Tags", "tags.html"), subject_as="tag",
        ),
        ListingKind(
            "author", by_author, "/authors/{author}/", _field("author"), _field("author"),
            template="author.html", feeds=True, feed_option="per_author",
            source="author page '{key}'",
            index=IndexPage("authors", "/authors/", "Authors", "authors.html"),
            subject_as="author",
        ),
        ListingKind(
            "year", by_year, "/{year}/", _field("year"), _field("year"),
            template="year.html", source="archive {key}", children_as="months",
        ),
        ListingKind(
            "month", by_month, "/{year}/{month}/", _field("year", "month"),
            _field("year", "month"), source="archive {key}", parent="year",
        ),
    )
}  # fmt: skip

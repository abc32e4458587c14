"""What every planned page is built from: the ``PageSpec`` factory with its Recent Posts
dependencies, and the digests that key groups of pages in the planning memo."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import NamedTuple

from ..model.site import Site
from ..sources import urls
from ..sources.models import Article
from .contexts import Context
from .metadata import page_meta
from .pagespec import NEWEST, PageSpec, Sidebar


class PageGroup(NamedTuple):
    """Pages planned together; ``key`` digests everything they are made from. A named
    tuple: a build makes one per article of the archive, and a tuple is made several
    times faster than a frozen dataclass."""

    key: str
    make: Callable[[], list[PageSpec]]


def archive_chain(site: Site) -> list[str]:
    """For each position in ``site.articles`` (newest first), a digest of the teasers of
    the article there and of every older one; the last entry stands for none."""
    teasers = site.teasers
    chain = [""] * (len(teasers) + 1)
    for position in range(len(teasers) - 1, -1, -1):
        text = chain[position + 1] + teasers[position]
        chain[position] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return chain


def group_key(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()


def newest_key(site: Site) -> str:
    """With ``recent_posts_baked``, every page shows the newest stories."""
    if not site.config.recent_posts_baked:
        return ""
    return "".join(a.teaser_digest for a in site.recent(site.config.recent_posts + 1))


def sidebar_deps(site: Site, sidebar: Sidebar) -> tuple[str, ...]:
    start, exclude = sidebar
    return tuple(a.teaser_digest for a in site.recent(site.config.recent_posts, start, exclude))


def sidebar_as_of(site: Site, newest_shown: Article | None, own: bool = False) -> Sidebar:
    """The Recent Posts of a page whose newest story is ``newest_shown``: the stories
    published up to it (before it, for the story's ``own`` page). With
    ``recent_posts_baked``, the newest stories on every page instead."""
    if newest_shown is None:
        return NEWEST
    if site.config.recent_posts_baked:
        return (0, newest_shown.url if own else "")
    return (site.positions[newest_shown.url] + (1 if own else 0), "")


def make_spec(
    site: Site,
    url: str,
    template: str,
    context: Context,
    deps: Iterable[str],
    source: str,
    sidebar: Sidebar | None = NEWEST,
) -> PageSpec:
    """A spec; a full page (one with a sidebar) gets its head metadata here, once."""
    shown = sidebar_deps(site, sidebar) if sidebar is not None else ()
    meta = page_meta(site, url, template, context) if sidebar is not None else None
    return PageSpec(
        url=url,
        output_path=urls.output_path(url),
        template=template,
        context=context,
        deps=(*deps, "|", *shown),
        source=source,
        sidebar=sidebar,
        meta=meta,
    )


def plain_spec(
    site: Site, url: str, template: str, context: Context, deps: Iterable[str], source: str
) -> PageSpec:
    """A spec for an output without a sidebar (feeds, sitemaps, redirects, fragments)."""
    return make_spec(site, url, template, context, deps, source, sidebar=None)

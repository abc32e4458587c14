"""Knowing, before planning, when a rebuild touches only some articles' own pages.

Every page but an article's own shows other articles only as teasers (title, excerpt,
date, URL…). When nothing site-wide changed and every published article keeps its
place and its teaser, the only pages whose inputs changed are the pages of articles
whose bodies changed: those are planned, the rest of the plan is known to be the
last build's. This keeps a one-article edit on a large archive from planning every
listing again; the full plan runs whenever anything else changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .breaking import breaking_deps, breaking_items
from .models import Article
from .site import Site
from .sitemaps import news_articles


@dataclass(frozen=True)
class BuildRecord:
    """What one output folder was last built from."""

    signature: str
    article_digests: dict[str, str]  # url -> digest


def site_signature(site: Site, global_digest: str) -> str:
    """A digest of everything any page shows except article bodies."""
    digest = hashlib.sha256(global_digest.encode())
    now = site.build_time
    for article in site.articles:
        digest.update(f"{article.url}\0{article.teaser_digest}\0{article.date > now}\n".encode())
    for page in site.pages:
        digest.update(f"{page.url}\0{page.digest}\n".encode())
    for other in (*site.expired, *site.previews):  # pages outside every listing
        digest.update(f"{other.url}\0{other.digest}\n".encode())
    digest.update(repr([a.url for a in news_articles(site)]).encode())
    digest.update(repr(breaking_deps(breaking_items(site))).encode())
    return digest.hexdigest()


def record_build(site: Site, signature: str) -> BuildRecord:
    """What the next build compares itself with: ``signature`` and each article's digest."""
    return BuildRecord(signature, {a.url: a.digest for a in site.articles})


def changed_articles(
    site: Site, signature: str, previous: BuildRecord | None, first_only: bool = False
) -> list[Article] | None:
    """The articles whose own pages need planning, or None when the whole site does.

    ``first_only``: the changed articles even when more changed than their pages (a
    preview shows the edited story first and the rest of the site a moment later).
    """
    if previous is None or site.config.feeds.full_content:
        return None
    if previous.signature != signature and not first_only:
        return None
    known = previous.article_digests
    return [a for a in site.articles if known.get(a.url) != a.digest]

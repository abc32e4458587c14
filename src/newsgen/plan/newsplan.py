"""The pages of the news layer: ``/breaking.json`` and the banner on the front page,
notices at the URLs of expired stories, and the private preview pages of drafts and
scheduled stories.

Preview pages are reachable only by their URL: no listing, feed, sitemap, search
index, Recent Posts or related list is made from ``site.previews``, their template
is not indexable (``noindex``, left out of sitemaps) and leaves the body unmarked for
Pagefind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

from ..model.breaking import BREAKING_URL, breaking_deps, breaking_document, breaking_items
from ..model.site import Site, tag_names
from ..sources import urls
from ..sources.kinds import Listing
from ..sources.models import Article
from .contexts import ArticleContext, DocumentContext, ExpiredContext, ListingContext
from .pagespec import PageSpec
from .specs import make_spec, plain_spec


def plan_news_pages(site: Site) -> Iterator[PageSpec]:
    items = breaking_items(site)
    document = DocumentContext(document=breaking_document(items))
    yield plain_spec(
        site, BREAKING_URL, "breaking.json", document, breaking_deps(items), "breaking news"
    )
    for article in site.expired:
        yield _expired_page(site, article)
    for article in site.previews:
        yield _preview_page(site, article)


def with_banner(site: Site, spec: PageSpec) -> PageSpec:
    """``spec`` (the front page) with the breaking-news banner, for readers without script."""
    items = breaking_items(site)
    assert isinstance(spec.context, ListingContext)
    context = replace(spec.context, breaking=items)
    return replace(spec, context=context, deps=(*breaking_deps(items), *spec.deps))


def _section_of(site: Site, article: Article) -> Listing:
    """The story's section, also when no published story has made it yet (a preview)."""
    try:
        return site.section(article.section)
    except KeyError:
        url = urls.expand(site.config.permalinks["section"], section=article.section)
        return Listing(article.section, site.config.section_title(article.section), url, ())


def _expired_page(site: Site, article: Article) -> PageSpec:
    """A notice that the story is gone; it shows nothing of the story (a legal takedown
    must not leave its headline behind)."""
    section = _section_of(site, article)
    assert article.expires is not None
    context = ExpiredContext(
        expired_on=article.expires,
        section=section,
        breadcrumbs=(("Home", "/"), (section.title, section.url), ("No longer available", "")),
    )
    deps = (f"expired {article.expires.isoformat()}",)
    sidebar = _sidebar_as_of(site, article.date)
    return make_spec(site, article.url, "expired.html", context, deps, article.source_path, sidebar)


def _preview_page(site: Site, article: Article) -> PageSpec:
    section = _section_of(site, article)
    context = replace(ArticleContext.of(site, article, section), preview=True)
    deps = (
        article.digest,
        f"scheduled={context.scheduled}",
        tag_names(context.tags),
        site.bylines[context.authors],
    )
    sidebar = _sidebar_as_of(site, article.date)
    return make_spec(site, article.url, "preview.html", context, deps, article.source_path, sidebar)


def _sidebar_as_of(site: Site, moment: datetime) -> tuple[int, str]:
    """The Recent Posts of a story outside the listings: those published up to its date,
    so that its page, like every story's, is not rewritten by each publish (see
    plan.sidebar_as_of); the newest ones when the site bakes those in everywhere."""
    if site.config.recent_posts_baked:
        return (0, "")
    articles = site.articles
    return (next((i for i, a in enumerate(articles) if a.date <= moment), len(articles)), "")

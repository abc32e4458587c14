"""Head metadata of every HTML page for ``_meta.html``, worked out once per page when it
is planned (``PageSpec.meta``): description, canonical URL, Open Graph, Twitter card,
feed links and JSON-LD (schema.org).

JSON-LD blocks are plain dicts; the template writes them through ``json_script``, which
keeps any title or summary inside its ``<script>`` element and valid JSON.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from ..model.site import Site
from ..sources import urls
from ..sources.dates import w3c
from ..sources.listing_kinds import LISTING_KINDS
from ..sources.models import Image
from .contexts import (
    ArticleContext,
    Context,
    ExpiredContext,
    FeedLink,
    ListingContext,
    NotFoundContext,
    PageContext,
    PageMeta,
)
from .feed_scopes import feed_links, scope_for
from .storyld import story_json_ld

_SCHEMA = "https://schema.org"
# Shipped by the default theme; the publisher's logo when none is configured.
_FALLBACK_LOGO = "/favicon.svg"
# Pages that exist for visitors, not for search engines.
_NOT_INDEXED = frozenset({"404.html", "search.html", "expired.html", "preview.html"})


def page_meta(site: Site, url: str, template: str, context: Context) -> PageMeta:
    """The metadata of the page at ``url`` rendered from ``template`` with ``context``."""
    config = site.config
    canonical = urls.absolute(config.base_url, url)
    crumbs = _breadcrumbs(site, canonical, context.breadcrumbs)
    feeds = feed_links(site, scope_for(site, context))
    if isinstance(context, ArticleContext):
        return _article_meta(site, canonical, template, context, crumbs, feeds)
    title, description, modified = _page_summary(site, context)
    json_ld = crumbs
    if isinstance(context, ListingContext) and context.listing.front:
        if LISTING_KINDS[context.kind].front_page:
            json_ld = (_website(site), _organization(site))
    return PageMeta(
        title=title,
        description=description,
        canonical=canonical,
        og_type="website",
        image="",
        image_alt="",
        published=None,
        modified=modified,
        section="",
        tags=(),
        author_urls=(),
        feeds=feeds,
        json_ld=json_ld,
        indexable=is_indexable(template),
    )


def is_indexable(template: str) -> bool:
    return template not in _NOT_INDEXED


def _page_summary(site: Site, context: Context) -> tuple[str, str, datetime | None]:
    """Title, description and last change of a page other than an article."""
    config = site.config
    if isinstance(context, PageContext):
        page = context.page
        return page.title, page.summary or config.description, None
    if isinstance(context, ListingContext):
        kind, group = LISTING_KINDS[context.kind], context.group
        modified = max((a.modified for a in context.listing.items), default=None)
        title = kind.words(kind.meta_title, group, config.title, config.description)
        description = group.description or kind.words(
            kind.description, group, config.title, config.description
        )
        return title, description, modified
    if isinstance(context, NotFoundContext):
        return "Page not found", config.description, None
    if isinstance(context, ExpiredContext):
        return "No longer available", config.description, None
    crumbs = context.breadcrumbs
    title = crumbs[-1][0] if crumbs else config.title
    return title, config.description, site.last_modified


def _article_meta(
    site: Site,
    canonical: str,
    template: str,
    context: ArticleContext,
    crumbs: tuple[dict[str, Any], ...],
    feeds: tuple[FeedLink, ...],
) -> PageMeta:
    config = site.config
    article = context.article
    section = context.section
    authors = context.authors
    tags = tuple(tag.name for tag in context.tags)
    images = _share_images(canonical, article.image)
    image = images[0][0] if images else ""
    author_urls = tuple(urls.absolute(config.base_url, a.url) for a in authors)
    news: dict[str, Any] = {
        "@context": _SCHEMA,
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.excerpt,
        "datePublished": w3c(article.date),
        "dateModified": w3c(article.modified),
        "author": [
            {"@type": "Person", "name": a.name, "url": u}
            for a, u in zip(authors, author_urls, strict=True)
        ],
        "publisher": _organization(site, context=False),
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "articleSection": section.title,
        "keywords": list(tags),
        "inLanguage": config.language,
    }
    if images:
        news["image"] = [
            {"@type": "ImageObject", "url": url, "width": w, "height": h} if w else url
            for url, w, h in images
        ]
    news.update(story_json_ld(article, canonical))
    return PageMeta(
        title=article.title,
        description=article.excerpt,
        canonical=canonical,
        og_type="article",
        image=image,
        image_alt=article.image.alt if article.image else "",
        published=article.date,
        modified=article.modified,
        section=section.title,
        tags=tags,
        author_urls=author_urls,
        feeds=feeds,
        json_ld=(news, *crumbs),
        indexable=is_indexable(template),
        images=images,
    )


def _share_images(
    canonical: str, image: Image | None
) -> tuple[tuple[str, int | None, int | None], ...]:
    """The crops made for sharing (see images/crops.py), or the image as it is."""
    if image is None:
        return ()
    if image.rendition and image.rendition.share:
        return tuple((urljoin(canonical, v.url), v.width, v.height) for v in image.rendition.share)
    return ((urljoin(canonical, image.src), image.width, image.height),)


def _breadcrumbs(
    site: Site, canonical: str, crumbs: tuple[tuple[str, str], ...]
) -> tuple[dict[str, Any], ...]:
    """A ``BreadcrumbList`` of the page's trail (the last step is the page itself)."""
    if not crumbs:
        return ()
    base = site.config.base_url
    items = [
        _list_item(position, name, urls.absolute(base, url))
        if url
        else _list_item.__wrapped__(position, name, canonical)  # the page's own: not shared
        for position, (name, url) in enumerate(crumbs, 1)
    ]
    return ({"@context": _SCHEMA, "@type": "BreadcrumbList", "itemListElement": items},)


# Blocks that many pages share (the publisher, the first steps of a trail) are made once:
# head metadata is held for every page planned. They are never changed once made.


@lru_cache(maxsize=4096)
def _list_item(position: int, name: str, item: str) -> dict[str, Any]:
    return {"@type": "ListItem", "position": position, "name": name, "item": item}


def _website(site: Site) -> dict[str, Any]:
    config = site.config
    website: dict[str, Any] = {
        "@context": _SCHEMA,
        "@type": "WebSite",
        "name": config.title,
        "url": urls.absolute(config.base_url, "/"),
        "inLanguage": config.language,
    }
    if config.description:
        website["description"] = config.description
    return website


def _organization(site: Site, context: bool = True) -> dict[str, Any]:
    """The publisher; a top-level block carries ``@context``, a nested one does not."""
    config = site.config
    publisher = config.publisher
    name = publisher.name or config.title
    return _publisher(config.base_url, name, publisher.url, publisher.logo, context)


@lru_cache(maxsize=64)
def _publisher(base_url: str, name: str, url: str, logo: str, context: bool) -> dict[str, Any]:
    home = urls.absolute(base_url, "/")
    organization: dict[str, Any] = {"@context": _SCHEMA} if context else {}
    organization.update(
        {
            "@type": "Organization",
            "name": name,
            "url": urljoin(home, url) if url else home,
            "logo": {"@type": "ImageObject", "url": urljoin(home, logo or _FALLBACK_LOGO)},
        }
    )
    return organization

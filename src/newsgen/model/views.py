"""Small, immutable view objects handed to templates instead of internal state."""

from __future__ import annotations

from dataclasses import dataclass

from ..sources import urls
from ..sources.config import Publisher
from ..sources.models import Page
from .site import Site

RECENT_POSTS_URL = "/recent-posts.json"


@dataclass(frozen=True)
class MenuItem:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class SiteView:
    """What every template may know about the site as a whole (the ``site`` variable)."""

    title: str
    description: str
    base_url: str
    language: str
    menu: tuple[MenuItem, ...]
    pages: tuple[Page, ...]
    publisher: Publisher
    cookie_notice: bool
    privacy_url: str | None
    search: bool
    search_url: str
    tags_url: str
    authors_url: str
    recent_posts: int
    recent_posts_url: str  # the always-current Recent Posts fragment; "" when baked in


def site_view(site: Site) -> SiteView:
    config = site.config
    privacy = next((p.url for p in site.pages if p.slug.startswith("privacy")), None)
    return SiteView(
        title=config.title,
        description=config.description,
        base_url=config.base_url,
        language=config.language,
        menu=tuple(MenuItem(s.key, s.title, s.url) for s in site.sections),
        pages=site.pages,
        publisher=config.publisher,
        cookie_notice=config.cookie_notice,
        privacy_url=privacy,
        search=config.search,
        search_url=urls.SEARCH_URL,
        tags_url=config.permalinks["tags"],
        authors_url=config.permalinks["authors"],
        recent_posts=config.recent_posts,
        recent_posts_url="" if config.recent_posts_baked else RECENT_POSTS_URL,
    )

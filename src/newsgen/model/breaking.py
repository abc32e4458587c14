"""The breaking-news banner: which stories have one, and ``/breaking.json``.

The banner is not baked into every page, which would rewrite the whole site each
time a story breaks or stops breaking. Every build writes one small file,
``/breaking.json``, that ``js/breaking.js`` fetches on each page and shows until the
``until`` time it holds, so the banner also goes away without a build. The home
page, which changes on every publish anyway, carries the banner in its HTML for
readers without script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..sources.dates import w3c
from .site import Site

BREAKING_URL = "/breaking.json"


@dataclass(frozen=True)
class BreakingItem:
    title: str
    url: str  # site-absolute
    until: datetime


def breaking_items(site: Site) -> tuple[BreakingItem, ...]:
    """The published stories whose banner shows at the build's "now", newest first."""
    return tuple(
        BreakingItem(article.title, article.url, article.breaking_until)
        for article in site.breaking
        if article.breaking_until is not None
    )


def breaking_document(items: tuple[BreakingItem, ...]) -> dict[str, Any]:
    """The content of ``/breaking.json``: ``{"breaking": [{title, url, until}…]}``."""
    return {
        "breaking": [
            {"title": item.title, "url": item.url, "until": w3c(item.until)} for item in items
        ]
    }


def breaking_deps(items: tuple[BreakingItem, ...]) -> tuple[str, ...]:
    """What a page showing the banner depends on."""
    return tuple(f"breaking {item.url} {item.title} {w3c(item.until)}" for item in items)

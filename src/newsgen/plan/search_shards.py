"""Which search bundle each story is indexed in: one per month of stories (see
``output/search.py`` for why), under ``/pagefind/<month>/``."""

from __future__ import annotations

from collections.abc import Iterable

from ..sources.config import SiteConfig
from ..sources.dates import month_key
from ..sources.models import Article

SEARCH_DIR = "pagefind"


def shard_of(config: SiteConfig, article: Article) -> str:
    """The bundle an article is indexed in: its month in the site's time zone."""
    return month_key(article.date, config.tz)


def shard_keys(config: SiteConfig, articles: Iterable[Article]) -> tuple[str, ...]:
    """The shards of ``articles`` (newest first in, newest first out)."""
    return tuple(dict.fromkeys(shard_of(config, a) for a in articles))

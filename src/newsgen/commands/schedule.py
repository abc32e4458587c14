"""``newsgen next``: when the site at a folder would next change without an edit."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..errors import BuildFailed
from ..model.schedule import next_change
from ..output.cache import BuildCache
from ..plugins import activated
from ..sources.authors import load_authors
from ..sources.config import load_config
from ..sources.content import read_contents


def next_change_of_site(root: Path, now: datetime, drafts: bool = False) -> datetime | None:
    """``next_change`` of the site at ``root``, read as ``newsgen build`` reads it."""
    with activated(load_config(root)) as (config, plugins):
        cache = BuildCache(config.cache_dir, config.state_key)
        authors, errors, _ = load_authors(config)
        contents = read_contents(config, cache, tuple(a.key for a in authors))
        articles, hook_errors = plugins.read_articles(contents.articles)
    if errors or contents.errors or hook_errors:
        raise BuildFailed([*errors, *contents.errors, *hook_errors])
    return next_change(articles, now, drafts)

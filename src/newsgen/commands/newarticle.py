"""``newsgen new``: the file of a new article, with its front matter filled in."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import yaml

from ..errors import NewsgenError
from ..sources import urls
from ..sources.config import SiteConfig


def new_article(
    config: SiteConfig,
    headline: str,
    section: str = "",
    author: str = "",
    now: datetime | None = None,
) -> Path:
    """Write ``content/SECTION/SLUG.md`` for ``headline`` and return its path.

    The date is ``now`` in the site's time zone; the section defaults to the first
    of the configuration. The article is a draft until its ``draft`` line is removed
    or set to false, so that an unfinished story is never published by accident.
    """
    headline = headline.strip()
    slug = urls.slugify(headline)
    if not slug:
        raise NewsgenError("the headline needs letters or digits to make the file name")
    section_key = urls.slugify(section) if section else ""
    if not section_key:
        if not config.sections:
            raise NewsgenError("the site configures no sections: name one with --section")
        section_key = config.sections[0].key
    path = config.content_dir / section_key / f"{slug}.md"
    if path.exists():
        raise NewsgenError(f"{path} already exists: choose another headline")
    moment = (now or datetime.now(timezone.utc)).astimezone(config.tz).replace(microsecond=0)
    meta: dict[str, object] = {"title": headline, "date": moment}
    if author:
        meta["author"] = author
    meta.update({"tags": [], "summary": "", "draft": True})
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\nWrite the story here.\n", encoding="utf-8")
    return path

"""Which items of a WordPress export become stories, and where each goes: its slug,
URL and source file, and its front matter (title, date, author, section, tags)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote

from ..sources import urls
from ..sources.markup import single_spaced
from .wp_report import ImportReport
from .wxr import Item, Term

_WP_DATE = "%Y-%m-%d %H:%M:%S"
_TAGS = re.compile(r"<[^>]+>")
# WordPress statuses: what becomes of an item with each
_STATUS = {"publish": "published", "future": "scheduled", "draft": "draft", "pending": "draft"}
_SKIPPED_STATUS = {"private": "private", "trash": "trash", "auto-draft": "auto-draft",
                   "inherit": "revision"}  # fmt: skip


@dataclass
class Story:
    """An item to import: where it goes and what its front matter says."""

    item: Item
    kind: str  # "article" or "page"
    state: str  # "published", "scheduled" or "draft"
    slug: str
    section: str
    url: str
    path: str  # relative to the site folder
    front: dict[str, Any]
    aliases: list[str] = field(default_factory=list)


class StoryPlan:
    """Every imported item's story, by item id, and the sections the stories use."""

    def __init__(self, items: Sequence[Item], terms: Sequence[Term], report: ImportReport) -> None:
        self.report = report
        self.categories = {
            urls.slugify(unquote(t.slug) or t.name): html.unescape(t.name)
            for t in terms
            if t.kind == "category"
        }
        self.category_ids = {t.term_id: t.slug for t in terms if t.kind == "category" and t.term_id}
        self.stories: dict[int, Story] = {}
        self._plan_stories(items)

    def _plan_stories(self, items: Sequence[Item]) -> None:
        taken: set[str] = set()
        sections_used: dict[str, str] = {}
        reserved = {"tags", "authors", "search", "uploads", "uncategorized"}
        reserved |= set(self.categories)
        for item in items:
            self.report.comments += item.comments
            state = self._state(item)
            if state is None:
                continue
            story = self._story(item, state, sections_used)
            attempt = 1
            while story.url in taken or (story.kind == "page" and story.slug in reserved):
                suffix = f"-{item.post_id}" + (f"-{attempt}" if attempt > 1 else "")
                story = self._story(item, state, sections_used, suffix)
                attempt += 1
            taken.add(story.url)
            self.stories[item.post_id] = story
            if story.kind == "page":
                self.report.pages += 1
            else:
                self.report.posts += 1
            self.report.drafts += state == "draft"
            self.report.scheduled += state == "scheduled"
        self.sections = sections_used  # section key -> title
        self.report.sections = len(
            {s.section for s in self.stories.values() if s.kind == "article"}
        )

    def _state(self, item: Item) -> str | None:
        """What becomes of an item: None (skipped and counted) or its state."""
        if item.post_type == "attachment":
            return None
        if item.post_type == "nav_menu_item":
            self.report.skipped["navigation menu items"] += 1
            return None
        if item.post_type not in ("post", "page"):
            self.report.skipped[f"items of type '{item.post_type}'"] += 1
            return None
        if item.status in _SKIPPED_STATUS:
            self.report.skipped[f"{_SKIPPED_STATUS[item.status]} {item.post_type}s"] += 1
            return None
        if item.status not in _STATUS:
            self.report.skipped[f"{item.post_type}s with status '{item.status}'"] += 1
            return None
        if item.password:
            self.report.skipped[f"password-protected {item.post_type}s"] += 1
            return None
        return _STATUS[item.status]

    def _story(self, item: Item, state: str, sections: dict[str, str], suffix: str = "") -> Story:
        title = html.unescape(item.title).strip() or f"Untitled {item.post_type} {item.post_id}"
        name = urls.slugify(html.unescape(unquote(item.post_name)))
        slug = (name or urls.slugify(title) or f"{item.post_type}-{item.post_id}") + suffix
        front: dict[str, Any] = {"title": title}
        if item.post_type == "page":
            url = urls.expand("/{slug}/", slug=slug)
            path = f"content/pages/{slug}.md"
            kind, section = "page", ""
        else:
            section, tags = self._section_and_tags(item)
            sections.setdefault(
                section, self.categories.get(section, section.replace("-", " ").title())
            )
            front["date"] = _date(item)
            if item.creator:
                front["author"] = urls.slugify(item.creator) or item.creator
            front["section"] = section
            if tags:
                front["tags"] = tags
            url = urls.expand("/{section}/{slug}/", section=section, slug=slug)
            path = f"content/{section}/{slug}.md"
            kind = "article"
        summary = plain_text(item.excerpt)
        if summary:
            front["summary"] = summary
        front["slug"] = slug
        if state == "draft":
            front["draft"] = True
        return Story(item, kind, state, slug, section, url, path, front)

    def _section_and_tags(self, item: Item) -> tuple[str, list[str]]:
        """The primary category (Yoast's choice, else the first) as the section; the
        other categories and the tags as tags."""
        categories = [t for t in item.terms if t.kind == "category"]
        primary = self.category_ids.get(item.meta.get("_yoast_wpseo_primary_category", ""), "")
        slugs = [unquote(t.slug) or t.name for t in categories]
        chosen = (
            primary
            if primary in [t.slug for t in categories]
            else (categories[0].slug if categories else "")
        )
        section = urls.slugify(unquote(chosen) or (slugs[0] if slugs else "")) or "uncategorized"
        tags = [
            html.unescape(t.name)
            for t in categories
            if urls.slugify(unquote(t.slug) or t.name) != section
        ]
        tags += [html.unescape(t.name) for t in item.terms if t.kind == "tag"]
        return section, list(dict.fromkeys(t for t in tags if urls.slugify(t)))


def plain_text(text: str) -> str:
    return single_spaced(html.unescape(_TAGS.sub(" ", text)))


def _parse__date(text: str) -> datetime | None:
    try:
        parsed = datetime.strptime(text.strip(), _WP_DATE)
    except ValueError:
        return None
    return parsed if parsed.year > 1 else None


def _date(item: Item) -> str:
    """The publication date as WordPress shows it, with its UTC offset when known."""
    local = _parse__date(item.post_date) or _parse__date(item.post_modified)
    gmt = _parse__date(item.post_date_gmt)
    if local is None:
        return (gmt or datetime(1970, 1, 1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    if gmt is None:
        return local.strftime("%Y-%m-%d %H:%M:%S")
    minutes = round((local - gmt).total_seconds() / 60)
    if abs(minutes) > 14 * 60:  # not an offset: trust the local time alone
        return local.strftime("%Y-%m-%d %H:%M:%S")
    sign = "+" if minutes >= 0 else "-"
    offset = timedelta(minutes=abs(minutes))
    hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + f"{sign}{hours:02d}:{rest:02d}"

"""The text files an import writes: the site's configuration and data files, and each
story's source with its body converted (render_shortcodes, paragraphs, links
rewritten, then Markdown where it converts faithfully, else HTML)."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..sources import urls
from .html_markdown import BodyWriter
from .links import rewrite_urls
from .wp_plan import ImportPlan
from .wp_shortcodes import MediaItem, ShortcodeReport, render_shortcodes
from .wp_stories import Story
from .wpautop import paragraphs
from .wxr import Item, WpAuthor


@dataclass(frozen=True)
class ConvertedStory:
    """One story's source file, and what its conversion found."""

    path: str
    text: str
    markdown: bool
    unknown: Counter[str]
    missing: list[str]


def site_files(plan: ImportPlan) -> dict[str, str]:
    """Every text file but the story sources (written in the second pass)."""
    channel = plan.structure.channel
    config: dict[str, Any] = {"title": html.unescape(channel.title) or "Imported site"}
    if channel.description:
        config["description"] = html.unescape(channel.description)
    home = urlsplit(channel.base_blog_url or channel.link)
    if home.scheme in ("http", "https") and home.netloc:  # the new site is at the root
        config["base_url"] = f"{home.scheme}://{home.netloc}"
    if channel.language:
        config["language"] = channel.language
    config["timezone"] = "UTC"
    config["sections"] = [
        {"key": key, "title": plan.sections[key]}
        for key in sorted(plan.sections, key=lambda k: (plan.sections[k].lower(), k))
    ]
    files = {"newsgen.yaml": _yaml(config)}
    author_names = {a.login: _display_name(a) for a in plan.structure.authors}
    used = sorted({s.front["author"] for s in plan.stories.values() if "author" in s.front})
    logins = {urls.slugify(login) or login: login for login in author_names}
    authors = {key: {"name": author_names.get(logins.get(key, ""), "") or key} for key in used}
    plan.report.authors = len(authors)
    if authors:
        files["data/authors.yaml"] = _yaml(authors)
    if plan.redirects.listed:
        header = "# Old URLs of the WordPress site and where they lead now.\n"
        files["data/redirects.yaml"] = header + _yaml(dict(sorted(plan.redirects.listed.items())))
    return files


def convert_story(plan: ImportPlan, story: Story, item: Item, writer: BodyWriter) -> ConvertedStory:
    """The Markdown source of one story, body converted; changes nothing here, so
    stories can be converted in other processes."""
    found = ShortcodeReport()
    children = plan.children.get(item.post_id, ())
    body = render_shortcodes(item.content, plan.media, children, found)
    body = rewrite_urls(paragraphs(body), plan.new_link)
    text, is_markdown = writer.write(body)
    front = dict(story.front)
    image = _lead_image(plan.media, item, found.missing)
    if image:
        front = _insert_before(front, "slug", "image", image)
    if story.aliases:
        front["aliases"] = story.aliases
    source = f"---\n{_yaml(front)}---\n{text}"
    return ConvertedStory(story.path, source, is_markdown, found.unknown, found.missing)


def _lead_image(
    media_items: Mapping[int, MediaItem], item: Item, missing: list[str]
) -> dict[str, str] | None:
    ident = item.meta.get("_thumbnail_id", "").strip()
    if not ident.isdigit() or int(ident) <= 0:
        return None
    media = media_items.get(int(ident))
    if media is None:
        missing.append(f"featured image {ident} of item {item.post_id} (not in the export)")
        return None
    image = {"src": media.url}
    if media.alt:
        image["alt"] = media.alt
    if media.caption:
        image["caption"] = media.caption
    return image


def _display_name(author: WpAuthor) -> str:
    full = f"{author.first_name} {author.last_name}".strip()
    return html.unescape(author.display_name or full or author.login)


def _yaml(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=10_000)


def _insert_before(mapping: dict[str, Any], before: str, key: str, value: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for existing, item in mapping.items():
        if existing == before:
            result[key] = value
        result[existing] = item
    result.setdefault(key, value)
    return result

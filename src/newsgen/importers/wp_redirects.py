"""Where each old URL of the WordPress site leads on the new one: a story's old
addresses become its aliases; attachment pages, archives and the feed are listed in
``data/redirects.yaml``. An old URL the new site has a page at is left alone."""

from __future__ import annotations

import html
from collections.abc import Mapping
from urllib.parse import unquote

from ..sources import urls
from .links import OldSite
from .wp_report import ImportReport
from .wp_shortcodes import MediaItem
from .wp_stories import Story
from .wxr import Item


class RedirectPlan:
    """The old URLs of an import and where they lead; a story's own are added to its
    ``aliases``."""

    def __init__(
        self,
        stories: Mapping[int, Story],
        attachments: Mapping[int, Item],
        media: Mapping[int, MediaItem],
        old: OldSite,
        home: str,
        report: ImportReport,
    ) -> None:
        self.stories = stories
        self.attachments = attachments
        self.media = media
        self.old = old
        self.home = home
        self.report = report
        self.new_urls = self._new_urls()
        self.old_urls: dict[str, str] = {}  # old key -> new URL
        self.listed: dict[str, str] = {}  # data/redirects.yaml
        self._plan_redirects()

    def _plan_redirects(self) -> None:
        """Every old URL of an imported story leads to its new one: the story's link and
        guid, ``?p=``/``?page_id=``, and the pages of the attachments it holds."""
        for ident in sorted(self.stories):
            story = self.stories[ident]
            item = story.item
            keys = [self.old.key(item.link), self.old.key(item.guid), f"{self.home}?p={ident}"]
            if story.kind == "page":
                keys.append(f"{self.home}?page_id={ident}")
            self._claim(story, keys)
        for ident in sorted(self.attachments):
            attachment = self.attachments[ident]
            keys = [self.old.key(attachment.link), f"{self.home}?attachment_id={ident}"]
            parent = self.stories.get(attachment.post_parent)
            if parent is not None:
                self._claim(parent, keys)
            else:
                target = self.media[ident].url
                for key in filter(None, keys):
                    if target.startswith("/") and key not in self.old_urls:
                        self.old_urls[key] = target
                        self.listed[key] = target
        self._archive_redirects()
        self.report.redirects = len(self.old_urls) - sum(k == v for k, v in self.old_urls.items())

    def _claim(self, story: Story, keys: list[str | None]) -> None:
        for key in keys:
            if not key or key in self.old_urls:
                continue
            if key == story.url:  # the same URL as before: links to it stay as they are
                self.old_urls[key] = story.url
                continue
            if key in self.new_urls:
                self.report.shadowed.append(key)
                continue
            self.old_urls[key] = story.url
            story.aliases.append(key)

    def _new_urls(self) -> set[str]:
        """URLs the imported site has pages at: an old URL among them is not redirected."""
        known = {s.url for s in self.stories.values()} | {"/", "/tags/", "/authors/", "/search/"}
        known |= {f"/{s.section}/" for s in self.stories.values() if s.kind == "article"}
        for story in self.stories.values():
            date = story.front.get("date", "")[:7]
            if story.kind == "article" and len(date) == 7:
                known |= {f"/{date[:4]}/", f"/{date[:4]}/{date[5:7]}/"}
        return known

    def _archive_redirects(self) -> None:
        """Category, tag and author archives and the feed, to their newsgen pages."""
        published = [s for s in self.stories.values() if s.kind == "article" and s.state != "draft"]
        base = self.home
        targets: dict[str, str] = {}
        sections = {story.section for story in published}
        for story in published:
            for term in story.item.terms:
                slug = urls.slugify(unquote(term.slug) or term.name)
                tag_url = urls.expand("/tags/{tag}/", tag=urls.slugify(html.unescape(term.name)))
                old_slug = unquote(term.slug) or slug
                if term.kind == "category":
                    new = f"/{slug}/" if slug in sections else tag_url
                    targets.setdefault(f"{base}category/{old_slug}/", new)
                elif term.kind == "tag":
                    targets.setdefault(f"{base}tag/{old_slug}/", tag_url)
            author = story.front.get("author")
            if author:
                targets[f"{base}author/{author}/"] = urls.expand(
                    "/authors/{author}/", author=author
                )
        if published:
            targets[f"{base}feed/"] = "/feed.xml"
        for old, new in sorted(targets.items()):
            if old not in self.old_urls and old not in self.new_urls:
                self.old_urls[old] = new
                self.listed[old] = new

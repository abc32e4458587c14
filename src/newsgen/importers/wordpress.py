"""``newsgen import wordpress``: a WordPress export (WXR) made into a newsgen site.

The export is read twice as a stream (wxr.py): first its structure (authors, terms,
every item's id, type, status, URLs and the uploads it uses), from which every
story's new place and URL is decided and every target file checked; then the bodies,
converted one at a time and written. A malformed export fails in the first pass,
before anything is written; an existing file is replaced only with ``--force``.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml

from ..errors import ContentError, NewsgenError
from ..sources import urls
from ..sources.parallel import chunked, fork_map
from .html_markdown import BodyWriter
from .links import URL_IN_TEXT, OldSite, rewrite_urls
from .wp_shortcodes import MediaItem, ShortcodeReport, render_shortcodes
from .wpautop import paragraphs
from .wxr import Channel, Item, Term, WpAuthor, read_export

UPLOADS_URL = "/uploads/"
_WP_DATE = "%Y-%m-%d %H:%M:%S"
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
# WordPress statuses: what becomes of an item with each
_STATUS = {"publish": "published", "future": "scheduled", "draft": "draft", "pending": "draft"}
_SKIPPED_STATUS = {"private": "private", "trash": "trash", "auto-draft": "auto-draft",
                   "inherit": "revision"}  # fmt: skip


@dataclass
class ImportReport:
    """What an import did, by kind, for the summary printed at the end."""

    posts: int = 0
    pages: int = 0
    drafts: int = 0
    scheduled: int = 0
    authors: int = 0
    sections: int = 0
    attachments: int = 0
    files_copied: int = 0
    markdown_bodies: int = 0
    html_bodies: int = 0
    redirects: int = 0
    comments: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    unknown_shortcodes: Counter[str] = field(default_factory=Counter)
    missing: list[str] = field(default_factory=list)
    shadowed: list[str] = field(default_factory=list)
    uploads_given: bool = True

    def lines(self) -> list[str]:
        """The summary, one line per fact; the same import always gives the same lines."""
        out = [
            f"imported {self.posts} posts ({self.scheduled} scheduled) and {self.pages} pages; "
            f"{self.drafts} of them drafts",
            f"{self.authors} authors, {self.sections} sections, {self.attachments} attachments, "
            f"{self.files_copied} files copied",
            f"bodies: {self.markdown_bodies} as Markdown, {self.html_bodies} kept as HTML",
            f"{self.redirects} old URLs redirected",
        ]
        for reason, count in sorted(self.skipped.items()):
            out.append(f"skipped {count} {reason}")
        if self.comments:
            out.append(f"skipped {self.comments} comments (newsgen has none)")
        for name, count in sorted(self.unknown_shortcodes.items()):
            out.append(f"unknown shortcode [{name}] kept as text {count} time(s)")
        if not self.uploads_given:
            out.append("no --uploads given: files were not copied and keep their old URLs")
        for missing in self.missing:
            out.append(f"missing: {missing}")
        for old in self.shadowed:
            out.append(f"not redirected: {old} (a new page has that URL)")
        return out


@dataclass(frozen=True)
class _Converted:
    """One story's source file, and what its conversion found."""

    path: str
    text: str
    markdown: bool
    unknown: Counter[str]
    missing: list[str]


@dataclass
class _Story:
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


def import_wordpress(
    export: Path, site: Path, uploads: Path | None = None, force: bool = False
) -> ImportReport:
    """Import ``export`` into the site folder ``site``; see the module's docstring."""
    shown = str(export)
    if not export.is_file():
        raise NewsgenError(f"{export}: no such export file")
    if uploads is not None and not uploads.is_dir():
        raise NewsgenError(f"{uploads}: no such uploads folder")
    report = ImportReport(uploads_given=uploads is not None)
    structure = _Structure.read(export, shown, report)
    plan = _Plan(structure, uploads, report)
    files = plan.files()
    existing = sorted(p for p in [*files, *plan.copies] if (site / p).exists())
    if existing and not force:
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise NewsgenError(
            f"{site}: {', '.join(existing[:5])}{more} already exist; use --force to replace them"
        )
    for relative, text in files.items():
        _write(site / relative, text)
    for relative, source in plan.copies.items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    report.files_copied = len(plan.copies)
    jobs = (os.cpu_count() or 1) if len(plan.stories) >= PARALLEL_THRESHOLD else 1
    batch: list[Item] = []
    for record in read_export(export, shown):
        if isinstance(record, Item) and record.post_id in plan.stories:
            batch.append(record)
            if len(batch) == BATCH:
                _convert(plan, batch, site, jobs)
                batch = []
    _convert(plan, batch, site, jobs)
    return report


# Bodies are converted in processes, a batch at a time (memory stays bounded), when an
# export has enough stories for that to pay.
BATCH = 400
PARALLEL_THRESHOLD = 200


def _convert(plan: _Plan, items: list[Item], site: Path, jobs: int) -> None:
    """Convert and write ``items``; the report is added to in file order."""
    writers: list[BodyWriter] = []  # one per process, made on first use there

    def convert_chunk(chunk: Sequence[Item]) -> list[_Converted]:
        if not writers:
            writers.append(BodyWriter())
        return [plan.convert(plan.stories[item.post_id], item, writers[0]) for item in chunk]

    chunks = chunked(items, jobs * 2)
    done: dict[int, list[_Converted]] = {}
    for index, converted in fork_map(convert_chunk, chunks, jobs):
        done[index] = converted
    report = plan.report
    for index in range(len(chunks)):
        for result in done[index]:
            _write(site / result.path, result.text)
            report.markdown_bodies += result.markdown
            report.html_bodies += not result.markdown
            report.unknown_shortcodes.update(result.unknown)
            report.missing += result.missing


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


@dataclass
class _Structure:
    """The first pass: everything but the bodies."""

    channel: Channel
    authors: list[WpAuthor]
    terms: list[Term]
    items: list[Item]
    uploads_used: dict[int, list[str]]  # item id -> upload URLs its body names

    @classmethod
    def read(cls, export: Path, shown: str, report: ImportReport) -> _Structure:
        authors: list[WpAuthor] = []
        terms: list[Term] = []
        items: list[Item] = []
        used: dict[int, list[str]] = {}
        channel = Channel()
        for record in read_export(export, shown):
            if isinstance(record, Item):
                used[record.post_id] = URL_IN_TEXT.findall(record.content)
                items.append(replace(record, content=""))  # bodies are read again later
            elif isinstance(record, WpAuthor):
                authors.append(record)
            elif isinstance(record, Term):
                terms.append(record)
            else:
                channel = record
        if not channel.version and not items and not authors:
            raise ContentError(shown, "not a WordPress export: no wp:wxr_version and no items", 1)
        return cls(channel, authors, terms, items, used)


class _Plan:
    """Where every story, author, section and file goes, decided before writing."""

    def __init__(self, structure: _Structure, uploads: Path | None, report: ImportReport) -> None:
        self.structure = structure
        self.report = report
        self.uploads = uploads
        channel = structure.channel
        self.old = OldSite(channel.link, channel.base_site_url, channel.base_blog_url)
        home = self.old.key(channel.base_blog_url or channel.link or "/") or "/"
        self.home = home if home.endswith("/") else home + "/"  # where WordPress answered
        self.categories = {
            urls.slugify(unquote(t.slug) or t.name): html.unescape(t.name)
            for t in structure.terms
            if t.kind == "category"
        }
        self.category_ids = {
            t.term_id: t.slug for t in structure.terms if t.kind == "category" and t.term_id
        }
        self.author_names = {a.login: _display_name(a) for a in structure.authors}
        self.attachments = {i.post_id: i for i in structure.items if i.post_type == "attachment"}
        ordered = sorted(self.attachments.values(), key=lambda a: (a.menu_order, a.post_id))
        self.children: dict[int, tuple[int, ...]] = {}  # post id -> its attachments, in order
        for attachment in ordered:
            siblings = self.children.get(attachment.post_parent, ())
            self.children[attachment.post_parent] = (*siblings, attachment.post_id)
        report.attachments = len(self.attachments)
        self.copies: dict[str, Path] = {}  # site-relative target -> file in --uploads
        self._plan_uploads()
        self.media = {ident: self._media(item) for ident, item in self.attachments.items()}
        self.stories: dict[int, _Story] = {}
        self._plan_stories()
        self.new_urls = self._new_urls()
        self.old_urls: dict[str, str] = {}  # old key -> new URL
        self.listed: dict[str, str] = {}  # data/redirects.yaml
        self._plan_redirects()

    # -- uploads ---------------------------------------------------------------------

    def _plan_uploads(self) -> None:
        wanted: dict[str, str] = {}  # upload path -> who uses it
        for item in self.structure.items:
            if item.post_type == "attachment" and item.attachment_url:
                relative = self.old.upload(item.attachment_url)
                if relative:
                    wanted.setdefault(relative, f"attachment {item.post_id}")
            for url in self.structure.uploads_used.get(item.post_id, ()):
                relative = self.old.upload(url)
                if relative:
                    wanted.setdefault(relative, f"item {item.post_id}")
        if self.uploads is None:
            return
        for relative, user in sorted(wanted.items()):
            source = self.uploads / relative
            if source.is_file():
                self.copies["static" + UPLOADS_URL + relative] = source
            else:
                self.report.missing.append(f"wp-content/uploads/{relative} (used by {user})")

    def new_upload_url(self, url: str) -> str | None:
        relative = self.old.upload(url)
        if relative and ("static" + UPLOADS_URL + relative) in self.copies:
            return UPLOADS_URL + quote(relative, safe="/")
        return None

    def _media(self, item: Item) -> MediaItem:
        url = self.new_upload_url(item.attachment_url) or item.attachment_url
        alt = item.meta.get("_wp_attachment_image_alt", "")
        return MediaItem(url, alt, _plain(item.excerpt))

    # -- stories ---------------------------------------------------------------------

    def _plan_stories(self) -> None:
        taken: set[str] = set()
        sections_used: dict[str, str] = {}
        reserved = {"tags", "authors", "search", "uploads", "uncategorized"}
        reserved |= set(self.categories)
        for item in self.structure.items:
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
        self.sections = sections_used
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

    def _story(self, item: Item, state: str, sections: dict[str, str], suffix: str = "") -> _Story:
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
        summary = _plain(item.excerpt)
        if summary:
            front["summary"] = summary
        front["slug"] = slug
        if state == "draft":
            front["draft"] = True
        return _Story(item, kind, state, slug, section, url, path, front)

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

    # -- old URLs --------------------------------------------------------------------

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

    def _claim(self, story: _Story, keys: list[str | None]) -> None:
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

    def new_link(self, url: str) -> str | None:
        """The new URL for a link in a body, if it pointed at the old site."""
        upload = self.new_upload_url(url)
        if upload:
            return upload
        key = self.old.key(url)
        return self.old_urls.get(key) if key else None

    # -- writing ---------------------------------------------------------------------

    def files(self) -> dict[str, str]:
        """Every text file but the story sources (written in the second pass)."""
        channel = self.structure.channel
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
            {"key": key, "title": self.sections[key]}
            for key in sorted(self.sections, key=lambda k: (self.sections[k].lower(), k))
        ]
        files = {"newsgen.yaml": _yaml(config)}
        used = sorted({s.front["author"] for s in self.stories.values() if "author" in s.front})
        logins = {urls.slugify(login) or login: login for login in self.author_names}
        authors = {
            key: {"name": self.author_names.get(logins.get(key, ""), "") or key} for key in used
        }
        self.report.authors = len(authors)
        if authors:
            files["data/authors.yaml"] = _yaml(authors)
        if self.listed:
            header = "# Old URLs of the WordPress site and where they lead now.\n"
            files["data/redirects.yaml"] = header + _yaml(dict(sorted(self.listed.items())))
        return files

    def convert(self, story: _Story, item: Item, writer: BodyWriter) -> _Converted:
        """The Markdown source of one story, body converted; changes nothing here, so
        stories can be converted in other processes."""
        found = ShortcodeReport()
        children = self.children.get(item.post_id, ())
        body = render_shortcodes(item.content, self.media, children, found)
        body = rewrite_urls(paragraphs(body), self.new_link)
        text, is_markdown = writer.write(body)
        front = dict(story.front)
        image = self._lead_image(item, found.missing)
        if image:
            front = _insert_before(front, "slug", "image", image)
        if story.aliases:
            front["aliases"] = story.aliases
        source = f"---\n{_yaml(front)}---\n{text}"
        return _Converted(story.path, source, is_markdown, found.unknown, found.missing)

    def _lead_image(self, item: Item, missing: list[str]) -> dict[str, str] | None:
        ident = item.meta.get("_thumbnail_id", "").strip()
        if not ident.isdigit() or int(ident) <= 0:
            return None
        media = self.media.get(int(ident))
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


def _plain(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", text))).strip()


def _parse_wp_date(text: str) -> datetime | None:
    try:
        parsed = datetime.strptime(text.strip(), _WP_DATE)
    except ValueError:
        return None
    return parsed if parsed.year > 1 else None


def _date(item: Item) -> str:
    """The publication date as WordPress shows it, with its UTC offset when known."""
    local = _parse_wp_date(item.post_date) or _parse_wp_date(item.post_modified)
    gmt = _parse_wp_date(item.post_date_gmt)
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

"""The first pass of an import: the export's structure read, and from it where every
story, upload and old URL goes, decided before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from ..errors import ContentError
from .links import URL_IN_TEXT, OldSite
from .wp_redirects import RedirectPlan
from .wp_report import ImportReport
from .wp_shortcodes import MediaItem
from .wp_stories import StoryPlan, plain_text
from .wxr import Channel, Item, Term, WpAuthor, read_export

UPLOADS_URL = "/uploads/"


@dataclass
class ExportStructure:
    """The first pass: everything but the bodies."""

    channel: Channel
    authors: list[WpAuthor]
    terms: list[Term]
    items: list[Item]
    uploads_used: dict[int, list[str]]  # item id -> upload URLs its body names

    @classmethod
    def read(cls, export: Path, shown: str, report: ImportReport) -> ExportStructure:
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


class ImportPlan:
    """Where every story, author, section and file goes, decided before writing."""

    def __init__(
        self, structure: ExportStructure, uploads: Path | None, report: ImportReport
    ) -> None:
        self.structure = structure
        self.report = report
        self.uploads = uploads
        channel = structure.channel
        self.old = OldSite(channel.link, channel.base_site_url, channel.base_blog_url)
        home = self.old.key(channel.base_blog_url or channel.link or "/") or "/"
        self.home = home if home.endswith("/") else home + "/"  # where WordPress answered
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
        planned = StoryPlan(structure.items, structure.terms, report)
        self.stories = planned.stories
        self.sections = planned.sections  # section key -> title
        self.redirects = RedirectPlan(
            self.stories, self.attachments, self.media, self.old, self.home, report
        )

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
        return MediaItem(url, alt, plain_text(item.excerpt))

    def new_link(self, url: str) -> str | None:
        """The new URL for a link in a body, if it pointed at the old site."""
        upload = self.new_upload_url(url)
        if upload:
            return upload
        key = self.old.key(url)
        return self.redirects.old_urls.get(key) if key else None

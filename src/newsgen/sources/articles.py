"""Turning one parsed source into an ``Article`` or a ``Page``: front matter read into
typed fields, every problem collected with its line."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from typing import Any

from ..errors import ContentError
from . import urls
from .additions import convert_fields
from .aliases import aliases_of
from .authors import author_typo
from .compat import bundles, filenames
from .compat.permalinks import FIELDS as PERMALINK_FIELDS
from .compat.permalinks import front_matter_url
from .config import SiteConfig
from .dates import parse_date
from .markup import excerpt, reading_minutes
from .models import Article, Correction, Image, Page
from .parsed import ParsedDocument
from .storyfields import NEWS_FIELDS, TEASER_FIELDS, read_story_fields
from .yamlload import key_line

KNOWN_FIELDS = frozenset(
    {
        "title", "date", "updated", "author", "authors", "section", "category",
        "categories", "tags", "summary", "dateline", "image", "slug", "draft", "corrections",
    }
) | NEWS_FIELDS  # fmt: skip


class ContentErrors(Exception):
    """Several problems in one source, all of which are reported."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(errors)
        self.errors = errors


class _Fields:
    """Typed access to front matter, collecting every problem with its line."""

    def __init__(self, document: ParsedDocument, defaults: dict[str, Any] | None = None) -> None:
        self.document = document
        self.meta = {**defaults, **document.meta} if defaults else document.meta
        self.errors: list[ContentError] = []

    def fail(self, key: str, message: str) -> None:
        line = key_line(self.document.yaml_text, key, first_line=2)
        self.errors.append(ContentError(self.document.source_path, message, line or 1))

    def text(self, key: str, required: bool = False) -> str:
        value = self.meta.get(key)
        if value is None:
            if required:
                self.fail(key, f"missing required field '{key}'")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"'{key}' must be text, not {_kind(value)}")
            return ""
        text = str(value).strip()
        if required and not text:
            self.fail(key, f"'{key}' must not be empty")
        return text

    def date(self, key: str, config: SiteConfig, required: bool = False) -> datetime | None:
        value = self.meta.get(key)
        if value is None:
            if required:
                self.fail(key, f"missing required field '{key}'")
            return None
        try:
            return parse_date(value, config.tz)
        except ValueError as exc:
            self.fail(key, f"'{key}': {exc}")
            return None

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value is None:
            return ()
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return (str(value).strip(),) if str(value).strip() else ()
        if isinstance(value, list) and all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
        ):
            return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
        self.fail(key, f"'{key}' must be a name or a list of names, not {_kind(value)}")
        return ()

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false, not {value!r}")
            return False
        return value

    def image(self) -> Image | None:
        value = self.meta.get("image")
        images = self.meta.get("images")  # Hugo's list; the first is the lead image
        if value is None and isinstance(images, list) and images and isinstance(images[0], str):
            value = images[0]
        if value is None:
            return None
        if isinstance(value, str):
            return Image(src=value, line=key_line(self.document.yaml_text, "image", first_line=2))
        if not isinstance(value, dict) or not isinstance(value.get("src"), str):
            self.fail("image", "'image' must be a path or a mapping with src, alt, caption, credit")
            return None
        sizes = {}
        for dimension in ("width", "height"):
            size = value.get(dimension)
            if size is not None and (isinstance(size, bool) or not isinstance(size, int)):
                self.fail("image", f"image {dimension} must be a whole number of pixels")
                size = None
            sizes[dimension] = size
        unknown = set(value) - {"src", "alt", "caption", "credit", "width", "height", "focus"}
        if unknown:
            self.fail("image", f"unknown image field(s): {', '.join(sorted(map(str, unknown)))}")
        focus = value.get("focus")
        if focus is not None:
            if not (
                isinstance(focus, list) and len(focus) == 2 and all(_is_fraction(v) for v in focus)
            ):
                self.fail(
                    "image", "image focus must be [x, y], each from 0 to 1 (0.5 is the middle)"
                )
                focus = None
            else:
                focus = (float(focus[0]), float(focus[1]))
        return Image(
            src=value["src"],
            alt=str(value.get("alt") or ""),
            caption=str(value.get("caption") or ""),
            credit=str(value.get("credit") or ""),
            focus=focus,
            line=key_line(self.document.yaml_text, "image", first_line=2),
            **sizes,
        )

    def corrections(self, config: SiteConfig) -> tuple[Correction, ...]:
        value = self.meta.get("corrections")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail("corrections", "'corrections' must be a list of {date, text} entries")
            return ()
        found = []
        for entry in value:
            if not (
                isinstance(entry, dict) and "date" in entry and isinstance(entry.get("text"), str)
            ):
                self.fail("corrections", "each correction needs a date and a text")
                continue
            try:
                found.append(Correction(parse_date(entry["date"], config.tz), entry["text"]))
            except ValueError as exc:
                self.fail("corrections", f"correction date: {exc}")
        return tuple(sorted(found, key=lambda c: (c.date, c.text)))

    def raise_if_failed(self) -> None:
        if self.errors:
            raise ContentErrors(self.errors)


def make_article(
    document: ParsedDocument,
    config: SiteConfig,
    parts: tuple[str, ...],
    author_keys: tuple[str, ...] = (),
) -> Article:
    """Validate front matter and combine it with the rendered body and site settings."""
    fields = _Fields(document, filenames.name_defaults(parts))
    title = fields.text("title", required=True)
    date = fields.date("date", config, required=True)
    updated = fields.date("updated", config)
    named = [(key, name) for key in ("author", "authors") for name in fields.strings(key)]
    names = tuple(name for _, name in named)
    for key, name in named:
        typo = author_typo(name, author_keys)
        if typo:
            fields.fail(key, f"unknown author {name!r} (did you mean {typo!r}?)")
        elif not urls.slugify(name):
            fields.fail(key, f"author {name!r} has no letters or digits for a page address")
    section = _section(fields, parts)
    tags = fields.strings("tags")
    summary = fields.text("summary") or fields.text("excerpt") or fields.text("description")
    dateline = fields.text("dateline")
    slug = urls.slugify(fields.text("slug") or title)
    if title and not slug:
        fields.fail("title", "the title gives an empty slug; add a 'slug' field")
    image = fields.image()
    draft = fields.flag("draft")
    corrections = fields.corrections(config)
    news = read_story_fields(fields, config, date, document.body_html)
    plugged = convert_fields(fields.meta, config.additions.fields, fields.fail)
    fields.raise_if_failed()
    assert date is not None
    # The date fields are the site's local date, the same one the archives file it under.
    local = date.astimezone(config.tz)
    values = urls.article_fields(section, slug, local)
    url = urls.expand(config.permalinks["article"], **values)
    url = _own_url(fields, {**values, "title": slug, "categories": section}) or url
    aliases = _aliases(fields, url)
    body_html, free_html = news["body_html"], news["free_html"]
    if filenames.is_bundle(parts):
        body_html = bundles.resolve_body(body_html, url)
        free_html = bundles.resolve_body(free_html, url) if free_html else ""
        if image is not None:
            image = replace(image, src=bundles.resolve(image.src, url))
    fields.raise_if_failed()
    own_text = news["excerpt_text"]
    text = summary or (document.text_start if own_text is None else own_text)
    shown = {  # what teasers (cards, sidebars, feed entries) may show of the article
        "source_path": document.source_path,
        "title": title,
        "slug": slug,
        "date": date,
        "section": section,
        "url": url,
        "excerpt": excerpt(text, config.excerpt_length),
        "author_names": tuple(dict.fromkeys(names)),
        "updated": updated if updated and updated > date else None,
        "tags": tags,
        "summary": summary,
        "dateline": dateline,
        "image": image,
        "draft": draft,
        "corrections": corrections,
        **{key: news[key] for key in TEASER_FIELDS},
        "aliases": aliases,
    }
    extra = {**_extra(document.meta), **plugged}
    teaser = repr((sorted(shown.items()), sorted(extra.items(), key=lambda item: item[0])))
    return Article(
        **shown,
        digest=_identity(document),
        teaser_digest=hashlib.sha256(teaser.encode()).hexdigest(),
        output_path=urls.output_path(url),
        body_html=body_html,
        free_html=free_html,
        live_updates=news["live_updates"],
        word_count=document.word_count,
        reading_minutes=reading_minutes(document.word_count),
        extra=extra,
    )


def make_page(document: ParsedDocument, config: SiteConfig, parts: tuple[str, ...]) -> Page:
    fields = _Fields(document, filenames.name_defaults(parts))
    title = fields.text("title", required=True)
    slug = urls.slugify(fields.text("slug") or title)
    summary = fields.text("summary")
    url = urls.expand(config.permalinks["page"], slug=slug)
    url = _own_url(fields, {"slug": slug, "title": slug}) or url
    aliases = _aliases(fields, url)
    plugged = convert_fields(fields.meta, config.additions.fields, fields.fail)
    fields.raise_if_failed()
    body_html = document.body_html
    if filenames.is_bundle(parts):
        body_html = bundles.resolve_body(body_html, url)
    return Page(
        source_path=document.source_path,
        digest=_identity(document),
        title=title,
        slug=slug,
        url=url,
        output_path=urls.output_path(url),
        body_html=body_html,
        summary=summary,
        aliases=aliases,
        extra={**_extra(document.meta), **plugged},
    )


def _section(fields: _Fields, parts: tuple[str, ...]) -> str:
    given = fields.text("section")
    if not given:
        categories = fields.strings("category") or fields.strings("categories")
        given = categories[0] if categories else ""
    folders = filenames.section_folders(parts)
    if not given and folders:
        given = folders[0]
    if not given and filenames.in_posts_folder(parts):
        given = filenames.DEFAULT_POSTS_SECTION
    if not given:
        fields.fail("title", "no section: put the file in a section folder or add 'section'")
    return urls.slugify(given)


def _own_url(fields: _Fields, values: dict[str, str]) -> str:
    """The URL front matter gives (``permalink:`` or ``url:``), if it gives one."""
    for key in PERMALINK_FIELDS:
        pattern = fields.text(key)
        if pattern:
            url, problem = front_matter_url(pattern, values)
            if problem:
                fields.fail(key, f"'{key}': {problem}")
            return url
    return ""


def _aliases(fields: _Fields, url: str) -> tuple[str, ...]:
    found, problems = aliases_of(fields.meta, url)
    for key, problem in problems:
        fields.fail(key, problem)
    return tuple(found)


def _identity(document: ParsedDocument) -> str:
    """What a page showing this source depends on: its bytes and where it lives
    (a file moved to another section keeps its bytes but not its URL)."""
    return hashlib.sha256(f"{document.source_path}\0{document.digest}".encode()).hexdigest()


def _extra(meta: dict[str, Any]) -> dict[str, Any]:
    """Front matter fields newsgen does not know, kept for templates (not to be changed)."""
    return {k: v for k, v in meta.items() if k not in KNOWN_FIELDS}


def _is_fraction(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def _kind(value: object) -> str:
    names: dict[type, str] = {list: "a list", dict: "a mapping", bool: "true/false"}
    return names.get(type(value), type(value).__name__)

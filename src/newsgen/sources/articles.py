"""Turning one parsed source into an ``Article`` or a ``Page``: front matter read into
typed fields, every problem collected with its line."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..errors import ContentError
from . import urls
from .aliases import ALIAS_FIELDS, aliases_of
from .articlefields import ARTICLE_FIELDS, PAGE_FIELDS, registered_fields
from .authors import author_typo
from .bodylinks import plain_links
from .compat import bundles, filenames
from .compat.permalinks import FIELDS as PERMALINK_FIELDS
from .compat.permalinks import front_matter_url
from .config import SiteConfig
from .markup import excerpt, reading_minutes
from .models import Article, Image, Page
from .parsed import ParsedDocument
from .storyfields import STORY_FIELDS, read_story_fields
from .yamlload import key_line, path_line


class ContentErrors(Exception):
    """Several problems in one source, all of which are reported."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(errors)
        self.errors = errors


class _FrontMatter:
    """Front matter read with the table of fields (articlefields.py), its defaults from
    the file's name, collecting every problem with its line."""

    def __init__(
        self,
        document: ParsedDocument,
        parts: tuple[str, ...],
        config: SiteConfig,
        only: Sequence[str] | None = None,
    ) -> None:
        self.document = document
        self.meta = {**filenames.name_defaults(parts), **document.meta}
        self.errors: list[ContentError] = []
        self.values, problems = ARTICLE_FIELDS.read(self.meta, config.tz, only)
        for path, message in problems:
            line = path_line(document.yaml_text, path, first_line=2)
            self.errors.append(ContentError(document.source_path, message, line or 1))

    def line(self, key: str) -> int | None:
        return key_line(self.document.yaml_text, key, first_line=2)

    def fail(self, key: str, message: str) -> None:
        self.errors.append(ContentError(self.document.source_path, message, self.line(key) or 1))

    def lead_image(self) -> Image | None:
        """``image``, or the first of Hugo's ``images``."""
        image: Image | None = self.values["image"]
        if image is None and self.values["images"]:
            image = Image(src=self.values["images"][0])
        return None if image is None else replace(image, line=self.line("image"))

    def extra(self) -> dict[str, Any]:
        """Keys the table does not describe, as written (kept for templates), and the
        values of registered fields."""
        unknown = {k: v for k, v in self.document.meta.items() if k not in ARTICLE_FIELDS}
        return {**unknown, **{s.name: self.values[s.name] for s in registered_fields()}}

    def teaser_digest(self, derived: dict[str, Any]) -> str:
        """What cards show of the story: the fields the table marks ``teaser``, what is
        ``derived`` from the body and the source's place, and the unknown keys (a
        template may show any)."""
        shown = [(spec.name, self.values[spec.name]) for spec in ARTICLE_FIELDS if spec.teaser]
        unknown = sorted(
            ((str(k), v) for k, v in self.document.meta.items() if k not in ARTICLE_FIELDS),
            key=lambda item: item[0],
        )
        return hashlib.sha256(repr((shown, sorted(derived.items()), unknown)).encode()).hexdigest()

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
    front = _FrontMatter(document, parts, config)
    values = front.values
    title, date, updated = values["title"], values["date"], values["updated"]
    named = [(key, name) for key in ("author", "authors") for name in values[key]]
    names = tuple(name for _, name in named)
    for key, name in named:
        typo = author_typo(name, author_keys)
        if typo:
            front.fail(key, f"unknown author {name!r} (did you mean {typo!r}?)")
        elif not urls.slugify(name):
            front.fail(key, f"author {name!r} has no letters or digits for a page address")
    section = _section(front, parts)
    summary = values["summary"] or values["excerpt"] or values["description"]
    slug = urls.slugify(values["slug"] or title)
    if title and not slug:
        front.fail("title", "the title gives an empty slug; add a 'slug' field")
    image = front.lead_image()
    news = read_story_fields(front, date, document.body_html, config.tz)
    front.raise_if_failed()
    assert date is not None
    # The date fields are the site's local date, the same one the archives file it under.
    local = date.astimezone(config.tz)
    fields = urls.article_fields(section, slug, local)
    url = urls.expand(config.permalinks["article"], **fields)
    url = _own_url(front, {**fields, "title": slug, "categories": section}) or url
    aliases = _aliases(front, url)
    body_html, free_html = news["body_html"], news["free_html"]
    if filenames.is_bundle(parts):
        body_html = bundles.resolve_body(body_html, url)
        free_html = bundles.resolve_body(free_html, url) if free_html else ""
        if image is not None:
            image = replace(image, src=bundles.resolve(image.src, url))
    front.raise_if_failed()
    own_text = news["excerpt_text"]
    text = summary or (document.text_start if own_text is None else own_text)
    derived = {  # what cards show that is not a field: from the body and the source's place
        "source_path": document.source_path,
        "url": url,
        "excerpt": excerpt(text, config.excerpt_length),
        "last_update": news["last_update"],
    }
    return Article(
        **derived,
        title=title,
        slug=slug,
        date=date,
        section=section,
        author_names=tuple(dict.fromkeys(names)),
        updated=updated if updated and updated > date else None,
        tags=values["tags"],
        summary=summary,
        dateline=values["dateline"],
        image=image,
        draft=values["draft"],
        corrections=values["corrections"],
        **{key: news[key] for key in STORY_FIELDS},
        aliases=aliases,
        digest=_identity(document),
        teaser_digest=front.teaser_digest(derived),
        output_path=urls.output_path(url),
        body_html=body_html,
        free_html=free_html,
        live_updates=news["live_updates"],
        links=plain_links(body_html, bool(news["live_updates"])),
        word_count=document.word_count,
        reading_minutes=reading_minutes(document.word_count),
        extra=front.extra(),
    )


def make_page(document: ParsedDocument, config: SiteConfig, parts: tuple[str, ...]) -> Page:
    only = (*PAGE_FIELDS, *(spec.name for spec in registered_fields()))
    front = _FrontMatter(document, parts, config, only)
    title = front.values["title"]
    slug = urls.slugify(front.values["slug"] or title)
    url = urls.expand(config.permalinks["page"], slug=slug)
    url = _own_url(front, {"slug": slug, "title": slug}) or url
    aliases = _aliases(front, url)
    front.raise_if_failed()
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
        summary=front.values["summary"],
        aliases=aliases,
        extra=front.extra(),
    )


def _section(front: _FrontMatter, parts: tuple[str, ...]) -> str:
    given = front.values["section"]
    if not given:
        categories = front.values["category"] or front.values["categories"]
        given = categories[0] if categories else ""
    folders = filenames.section_folders(parts)
    if not given and folders:
        given = folders[0]
    if not given and filenames.in_posts_folder(parts):
        given = filenames.DEFAULT_POSTS_SECTION
    if not given:
        front.fail("title", "no section: put the file in a section folder or add 'section'")
    return urls.slugify(given)


def _own_url(front: _FrontMatter, values: dict[str, str]) -> str:
    """The URL front matter gives (``permalink:`` or ``url:``), if it gives one."""
    for key in PERMALINK_FIELDS:
        pattern = front.values[key]
        if pattern:
            url, problem = front_matter_url(pattern, values)
            if problem:
                front.fail(key, f"'{key}': {problem}")
            return url
    return ""


def _aliases(front: _FrontMatter, url: str) -> tuple[str, ...]:
    given = {key: list(front.values[key]) for key in ALIAS_FIELDS}
    found, problems = aliases_of(given, url)
    for key, problem in problems:
        front.fail(key, problem)
    return tuple(found)


def _identity(document: ParsedDocument) -> str:
    """What a page showing this source depends on: its bytes and where it lives
    (a file moved to another section keeps its bytes but not its URL)."""
    return hashlib.sha256(f"{document.source_path}\0{document.digest}".encode()).hexdigest()

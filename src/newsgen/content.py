"""Finding sources under ``content/`` and turning each into an ``Article`` or a ``Page``."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import paywall, urls
from .articlefields import ARTICLE_FIELDS, PAGE_FIELDS, registered_fields
from .cache import BuildCache, Kept, ParsedDocument
from .compat import bundles, filenames
from .compat.more import split_more
from .compat.permalinks import FIELDS as PERMALINK_FIELDS
from .compat.permalinks import front_matter_url
from .compat.preprocess import preprocess
from .compat.refs import resolve_references
from .config import SiteConfig
from .errors import ContentError, decode_utf8
from .frontmatter import split_front_matter
from .images.references import mark_image_lines
from .markup import MarkdownRenderer, add_dateline, excerpt, plain_text, reading_minutes
from .models import Article, Image, Page
from .parallel import chunked, fork_map
from .redirects import ALIAS_FIELDS, aliases_of
from .site import author_typo
from .site_files import walk_files
from .storyfields import STORY_FIELDS, read_story_fields
from .yamlload import key_line

SOURCE_SUFFIXES = (".md", ".markdown")
PAGES_FOLDER = "pages"
_TEXT_START_LENGTH = 600
# Folders whose name starts with "_" are skipped, except Jekyll's folder of posts.
_READ_FOLDERS = frozenset({filenames.POSTS_FOLDER})
log = logging.getLogger("newsgen")


@dataclass(frozen=True)
class Contents:
    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    errors: tuple[ContentError, ...]
    sources: frozenset[tuple[str, str]]  # (source path, digest) of every readable source


def discover_sources(
    content_dir: Path, errors: list[ContentError] | None = None
) -> Iterator[tuple[str, ...]]:
    """The path parts, below ``content_dir``, of every Markdown file there, in a stable
    order; hidden and ``_``-prefixed files and folders are skipped (but ``_posts``).
    Plain strings: an archive has many. Links leaving the site and names that are not
    UTF-8 go to ``errors``."""
    found = errors if errors is not None else []
    wanted = lambda name: name.endswith(SOURCE_SUFFIXES)  # noqa: E731
    yield from walk_files(
        content_dir, content_dir.parent, found, True, wanted, hidden_kept=_READ_FOLDERS
    )


def read_contents(
    config: SiteConfig, cache: BuildCache, author_keys: tuple[str, ...] = (), jobs: int = 1
) -> Contents:
    """Parse every source (reusing the cache for unchanged ones) and build the models.

    Sources whose bytes the cache has not seen are parsed in ``jobs`` processes.
    """
    found: list[tuple[str, tuple[str, ...], str]] = []
    unparsed: list[tuple[str, bytes]] = []
    stats: dict[str, os.stat_result] = {}
    errors: list[ContentError] = []
    content = config.content_dir
    prefix = content.relative_to(config.root).as_posix() + "/"
    # an article is a function of its source, the settings, the described authors and
    # the fields read (a plugin may register one while the state is open: newsgen serve)
    layout = (config.digest, author_keys, ARTICLE_FIELDS.layout())
    article_key = hashlib.sha256(repr(layout).encode()).hexdigest()
    kept: dict[str, Kept] = {}
    documents: dict[str, ParsedDocument] = {}
    for parts in discover_sources(content, errors):
        source_path = prefix + "/".join(parts)
        path = os.path.join(content, *parts)
        stat = stats[source_path] = os.stat(path)
        digest = cache.digest_for(source_path, stat)
        data = None
        if digest is None:
            with open(path, "rb") as handle:
                data = handle.read()
            digest = hashlib.sha256(data).hexdigest()
        found.append((source_path, parts, digest))
        article = cache.article(source_path, digest, article_key)
        if article is not None:  # kept from an earlier build: no parse needed
            kept[source_path] = article
            continue
        document = cache.document(source_path, digest)
        if document is not None:
            documents[source_path] = document
            continue
        if data is None:
            with open(path, "rb") as handle:
                data = handle.read()
        unparsed.append((source_path, data))

    parsed = _parse_all(unparsed, jobs)
    articles: list[Article] = []
    pages: list[Page] = []
    live: set[tuple[str, str]] = set()
    for source_path, parts, digest in found:
        if source_path in kept:
            article, warnings = kept[source_path]
            _log_warnings(warnings)
            cache.remember_source(source_path, digest, stats[source_path])
            live.add((source_path, digest))
            articles.append(article)
            continue
        result = documents.get(source_path) or parsed[source_path]
        if isinstance(result, ContentError):
            errors.append(result)
            continue
        cache.remember_source(source_path, digest, stats[source_path])
        if source_path in parsed:
            cache.remember_document(result)
        live.add((source_path, digest))
        _log_warnings(result.warnings)
        try:
            if _is_page(parts, result.meta):
                pages.append(make_page(result, config, parts))
            else:
                article = make_article(result, config, parts, author_keys)
                cache.remember_article(article, digest, article_key, result.warnings)
                articles.append(article)
        except ContentErrors as many:
            errors.extend(many.errors)
    everything = [*articles, *pages]
    articles, link_errors = resolve_references(articles, everything, prefix)
    pages, page_link_errors = resolve_references(pages, everything, prefix)
    errors += link_errors + page_link_errors
    return Contents(tuple(articles), tuple(pages), tuple(errors), frozenset(live))


def _log_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        log.warning("%s", warning)


def _is_page(parts: tuple[str, ...], meta: dict[str, Any]) -> bool:
    """A standalone page: under ``content/pages/``, or a Jekyll page (``layout: page``)."""
    return (parts[0] == PAGES_FOLDER and len(parts) > 1) or meta.get("layout") == "page"


# Below this many sources, starting processes costs more than parsing in one.
PARALLEL_PARSE_THRESHOLD = 100


def _parse_all(
    sources: list[tuple[str, bytes]], jobs: int
) -> dict[str, ParsedDocument | ContentError]:
    if len(sources) < PARALLEL_PARSE_THRESHOLD:
        jobs = 1
    renderers: list[MarkdownRenderer] = []  # one per process, made on first use there

    def parse_chunk(chunk: Sequence[tuple[str, bytes]]) -> list[ParsedDocument | ContentError]:
        if not renderers:
            renderers.append(MarkdownRenderer())
        results: list[ParsedDocument | ContentError] = []
        for source_path, data in chunk:
            try:
                results.append(parse_document(source_path, data, renderers[0]))
            except ContentError as error:
                results.append(error)
        return results

    parsed: dict[str, ParsedDocument | ContentError] = {}
    chunks = chunked(sources, jobs * 4)
    for index, results in fork_map(parse_chunk, chunks, jobs):
        for (source_path, _), result in zip(chunks[index], results, strict=True):
            parsed[source_path] = result
    return parsed


class ContentErrors(Exception):
    """Several problems in one source, all of which are reported."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(errors)
        self.errors = errors


def parse_document(source_path: str, data: bytes, renderer: MarkdownRenderer) -> ParsedDocument:
    """Decode, split and render one source; the expensive, cacheable part."""
    text = decode_utf8(data, source_path).replace("\r\n", "\n")
    front = split_front_matter(text, source_path)
    body, warnings = preprocess(front.body, source_path, front.body_line, front.meta)
    rendered = mark_image_lines(renderer.render(body), body, front.body_line)
    body_html, before_more = split_more(rendered)
    words = plain_text(body_html)
    # excerpts start at the top, stop at <!--more-->, and never show paid text
    start = plain_text(paywall.free_part(body_html if before_more is None else before_more))
    dateline = front.meta.get("dateline")
    if isinstance(dateline, str) and dateline.strip():
        body_html = add_dateline(body_html, dateline.strip())
    return ParsedDocument(
        source_path=source_path,
        digest=hashlib.sha256(data).hexdigest(),
        meta=front.meta,
        yaml_text=front.yaml_text,
        body_html=body_html,
        text_start=start[:_TEXT_START_LENGTH],
        word_count=len(words.split()),
        warnings=tuple(warnings),
    )


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
        for key, message in problems:
            self.fail(key, message)

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

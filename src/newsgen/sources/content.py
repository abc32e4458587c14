"""Finding sources under ``content/`` and turning each into an ``Article`` or a ``Page``."""

from __future__ import annotations

import hashlib
import logging
import threading
import traceback
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import ContentError, decode_utf8
from . import paywall
from .articlefields import ARTICLE_FIELDS
from .articles import ContentErrors, make_article, make_page
from .compat import filenames
from .compat.more import split_more
from .compat.preprocess import preprocess
from .compat.refs import resolve_references
from .config import SiteConfig
from .filestats import StatKey, file_stat
from .frontmatter import split_front_matter
from .images.references import mark_image_lines
from .markup import MarkdownRenderer, add_dateline, plain_text
from .markup_settings import MarkdownSettings
from .models import Article, Page
from .parallel import InChild, chunked, fork_map
from .parsed import Kept, ParsedDocument, SourceMemo
from .site_files import walk_files

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
    sources: Mapping[str, str]  # source path -> digest, of every readable source
    # the sources the build state may hold a row of that are not among ``sources`` (the
    # listed ones unread, those gone): None if not known, then every row is looked at
    unread: tuple[str, ...] | None = None


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


# A source as a ``SourceListing`` gives it: its path below ``content/`` (POSIX), its
# stat and the digest of its bytes the state remembers for that stat (None: none).
ListedSource = tuple[str, StatKey, str | None]


def is_source(relative: str) -> bool:
    """Whether ``discover_sources`` reads the file at ``relative`` (below ``content/``, a
    POSIX path) of a folder without links: a Markdown file, none of whose folders is
    hidden or ``_``-prefixed (but ``_posts``) nor itself."""
    if not relative.endswith(SOURCE_SUFFIXES):
        return False
    if not relative.startswith((".", "_")) and "/." not in relative and "/_" not in relative:
        return True  # nearly every source: no name to look at
    *folders, name = relative.split("/")
    hidden = [part for part in folders if part.startswith((".", "_"))]
    return not name.startswith((".", "_")) and _READ_FOLDERS.issuperset(hidden)


@dataclass(frozen=True)
class SourceListing:
    """Every source under ``content/`` in the order ``discover_sources`` finds them, with
    its stat and remembered digest (``ListedSource``): what the walk of a site's inputs,
    in a second process, hands over (output/standing.py), so that the build does not
    walk ``content/`` again (0.15 s at 100,000 sources). A few strings and an array: as
    many tuples took 0.1 s to pickle, and 0.04 s to read back."""

    paths: str  # NUL-separated
    stats: array[int]  # the mtime (ns) and size of each, in turn
    digests: str  # NUL-separated; empty for none
    gone: str = ""  # the state's sources no longer there, as it names them, NUL-separated

    @classmethod
    def of(cls, sources: Iterable[ListedSource], gone: Iterable[str] = ()) -> SourceListing:
        paths, stats, digests = [], array("q"), []
        for path, stat, digest in sources:
            paths.append(path)
            stats.extend(stat)
            digests.append(digest or "")
        return cls("\0".join(paths), stats, "\0".join(digests), "\0".join(gone))

    def gone_sources(self) -> list[str]:
        return self.gone.split("\0") if self.gone else []

    def __iter__(self) -> Iterator[ListedSource]:
        if not self.paths:
            return iter(())
        numbers = iter(self.stats)
        digests = (digest or None for digest in self.digests.split("\0"))
        pairs = zip(numbers, numbers, strict=True)
        return zip(self.paths.split("\0"), pairs, digests, strict=True)


def _discovered(
    content_dir: Path, cache: SourceMemo, prefix: str, errors: list[ContentError]
) -> Iterator[ListedSource]:
    """The sources of a build that did not list them ahead (``SourceListing``)."""
    folder = f"{content_dir}/"
    for parts in discover_sources(content_dir, errors):
        relative = "/".join(parts)
        stat: StatKey = file_stat(folder + relative)
        yield relative, stat, cache.digest_for(prefix + relative, stat)


def read_contents(
    config: SiteConfig,
    cache: SourceMemo,
    author_keys: tuple[str, ...] = (),
    jobs: int = 1,
    listed: SourceListing | None = None,
) -> Contents:
    """Parse every source (reusing the cache for unchanged ones) and build the models.

    Sources whose bytes the cache has not seen are parsed in ``jobs`` processes.
    ``listed``: every source with its stat and remembered digest (``SourceListing``), if
    this build listed them already.
    """
    unparsed: list[tuple[str, bytes]] = []
    stats: dict[str, StatKey] = {}
    errors: list[ContentError] = []
    content = config.content_dir
    prefix = content.relative_to(config.root).as_posix() + "/"
    key = article_key(config, author_keys)
    kept: dict[str, Kept] = {}
    documents: dict[str, ParsedDocument] = {}
    sources: list[tuple[str, str, StatKey, str, bytes | None]] = []
    fresh: list[tuple[str, bytes]] = []  # sources whose bytes the state has not seen
    folder = f"{content}/"  # POSIX paths: a build forks its workers (parallel.py)
    found = _discovered(content, cache, prefix, errors) if listed is None else listed
    for relative, stat, digest in found:
        source_path = prefix + relative
        path = folder + relative
        data = None
        if digest is None:
            with open(path, "rb") as handle:
                data = handle.read()
            digest = hashlib.sha256(data).hexdigest()
            fresh.append((source_path, data))
        sources.append((source_path, path, stat, digest, data))
    model = partial(_model, config, len(prefix), author_keys)
    early = _parse_early(fresh, len(sources), jobs, config.markdown, model)
    for source_path, path, stat, digest, data in sources:
        stored = cache.article(source_path, digest, key)
        if stored is not None:  # kept from an earlier build: no parse needed
            kept[source_path] = stored
            if data is not None:  # else its stat is the one remembered: its row stays
                cache.remember_source(source_path, digest, stat)
            continue
        stats[source_path] = stat  # remembered once its source reads without error
        document = cache.document(source_path, digest)
        if document is not None:
            documents[source_path] = document
            continue
        if data is None:
            with open(path, "rb") as handle:
                data = handle.read()
        unparsed.append((source_path, data))

    parsed = early.result() if early else {}
    rest = [source for source in unparsed if source[0] not in parsed]
    parsed.update(_parse_all(rest, jobs, config.markdown, model))
    articles: list[Article] = []
    pages: list[Page] = []
    live: dict[str, str] = {}
    for source_path, _, _, digest, _ in sources:
        known = kept.get(source_path)
        if known is not None:
            article, warnings = known
            if warnings:
                _log_warnings(warnings)
            live[source_path] = digest
            articles.append(article)
            continue
        document = documents.get(source_path)
        result = (document, model(source_path, document)) if document else parsed[source_path]
        if isinstance(result, ContentError):
            errors.append(result)
            continue
        document, made = result
        cache.remember_source(source_path, digest, stats[source_path])
        if source_path in parsed:
            cache.remember_document(document)
        live[source_path] = digest
        _log_warnings(document.warnings)
        if isinstance(made, Page):
            pages.append(made)
        elif isinstance(made, Article):
            cache.remember_article(made, digest, key, document.warnings)
            articles.append(made)
        else:
            errors.extend(made)
    everything: list[Article | Page] = [*articles, *pages]
    articles, link_errors = resolve_references(articles, everything, prefix)
    pages, page_link_errors = resolve_references(pages, everything, prefix)
    errors += link_errors + page_link_errors
    unread = None
    if listed is not None:  # the sources listed but not read, and those gone
        unread = (*listed.gone_sources(), *(s[0] for s in sources if s[0] not in live))
    return Contents(tuple(articles), tuple(pages), tuple(errors), live, unread)


def article_key(config: SiteConfig, author_keys: tuple[str, ...]) -> str:
    """What the articles kept by the state are made with: an article is a function of
    its source, the settings, the described authors and the fields read (a plugin may
    register one while the state is open: newsgen serve)."""
    layout = (config.digest, author_keys, ARTICLE_FIELDS.layout())
    return hashlib.sha256(repr(layout).encode()).hexdigest()


def _log_warnings(warnings: Sequence[str]) -> None:
    for warning in warnings:
        log.warning("%s", warning)


# What a parsed source makes: its article or page, or the problems of its front matter.
Model = Article | Page | list[ContentError]
# A source as parsed: the document and its model, or why it could not be parsed.
Parsed = tuple[ParsedDocument, Model] | ContentError


def _model(
    config: SiteConfig, cut: int, author_keys: tuple[str, ...], source_path: str,
    document: ParsedDocument,
) -> Model:  # fmt: skip
    """The article or page ``document`` makes (``cut``: where the source's path below
    ``content/`` starts). Made where the source is parsed: in a cold build the parsing
    processes make them, which this one did alone after them (0.8 s at 10,000 stories)."""
    parts = tuple(source_path[cut:].split("/"))
    try:
        if _is_page(parts, document.meta):
            return make_page(document, config, parts)
        return make_article(document, config, parts, author_keys)
    except ContentErrors as many:
        return many.errors


def _is_page(parts: tuple[str, ...], meta: dict[str, Any]) -> bool:
    """A standalone page: under ``content/pages/``, or a Jekyll page (``layout: page``)."""
    return (parts[0] == PAGES_FOLDER and len(parts) > 1) or meta.get("layout") == "page"


# Below this many sources, starting processes costs more than parsing in one.
PARALLEL_PARSE_THRESHOLD = 100


# Above this many sources a forked copy of the build is not worth its memory (below).
EARLY_PARSE_LIMIT = 20_000


def _parse_early(
    sources: list[tuple[str, bytes]],
    archive: int,
    jobs: int,
    settings: MarkdownSettings,
    model: Callable[[str, ParsedDocument], Model],
) -> InChild[dict[str, Parsed]] | None:
    """A few sources whose bytes are new (an edit, a publish), parsed in a second
    process while this one restores the kept articles (cache.py), which at 10,000
    articles takes about as long as starting Python-Markdown and parsing them. Many are
    left to ``_parse_all``; so are those of an ``archive`` of more than
    ``EARLY_PARSE_LIMIT`` sources: the copy holds the build's memory as its own while it
    parses (at 100,000 articles it took a publish's summed memory from 0.77 GiB to 1.15
    GiB), and the restore then takes a second or more, beside which the parse is small.
    Nor from a process running other threads (``newsgen serve``): a lock one of them held
    at the fork (an import under way, say) would stay held in the child, which imports
    and parses."""
    if not sources or len(sources) >= PARALLEL_PARSE_THRESHOLD or jobs <= 1:
        return None
    if archive > EARLY_PARSE_LIMIT or threading.active_count() > 1:
        return None
    return InChild(partial(_parse_all, sources, 1, settings, model))


def _parse_all(
    sources: list[tuple[str, bytes]],
    jobs: int,
    settings: MarkdownSettings,
    model: Callable[[str, ParsedDocument], Model],
) -> dict[str, Parsed]:
    """Each source parsed and ``model``-ed, in ``jobs`` processes."""
    if len(sources) < PARALLEL_PARSE_THRESHOLD:
        jobs = 1
    renderers: list[MarkdownRenderer] = []  # one per process, made on first use there

    def parse_chunk(chunk: Sequence[tuple[str, bytes]]) -> list[Parsed]:
        if not renderers:
            renderers.append(MarkdownRenderer(*settings.arguments()))
        results: list[Parsed] = []
        for source_path, data in chunk:
            try:
                document = parse_document(source_path, data, renderers[0])
            except ContentError as error:
                results.append(error)
                continue
            results.append((document, model(source_path, document)))
        return results

    parsed: dict[str, Parsed] = {}
    chunks = chunked(sources, jobs * 4)
    for index, results in fork_map(parse_chunk, chunks, jobs):
        for (source_path, _), result in zip(chunks[index], results, strict=True):
            parsed[source_path] = result
    return parsed


def parse_document(source_path: str, data: bytes, renderer: MarkdownRenderer) -> ParsedDocument:
    """Decode, split and render one source; the expensive, cacheable part."""
    text = decode_utf8(data, source_path).replace("\r\n", "\n")
    front = split_front_matter(text, source_path)
    body, warnings = preprocess(front.body, source_path, front.body_line, front.meta)
    try:
        html = renderer.render(body)
    except Exception as exc:  # an added extension's bug, or a text it cannot handle
        raise ContentError(
            source_path, f"Markdown could not be converted: {_failure(exc)}"
        ) from None
    rendered = mark_image_lines(html, body, front.body_line)
    body_html, before_more = split_more(rendered)
    words = plain_text(body_html)
    # excerpts start at the top, stop at <!--more-->, and never show paid text
    free = paywall.free_part(body_html if before_more is None else before_more)
    start = words if free is body_html else plain_text(free)  # most stories: the whole
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


def _failure(exc: BaseException) -> str:
    """What went wrong and where: the innermost frame of the traceback, which for an
    extension a plugin or the site added is the extension's own code."""
    frames = list(traceback.walk_tb(exc.__traceback__))
    where = f" (at {frames[-1][0].f_code.co_filename}:{frames[-1][1]})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"

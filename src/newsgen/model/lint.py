"""Mistakes that do not stop a build but that readers would see: misspelt front matter
keys, authors and sections nobody configured, comma-separated tags, and links and
images that lead nowhere. Each is a ``ContentError`` naming ``path:line``, returned as
a warning (``newsgen build --strict`` makes them errors).

The stories are checked in blocks counted from the oldest, as their pages are planned.
What a block's checks find that holds whatever files the build writes (front matter,
tags, sections, authors) is kept with the block's key, with the stories of the block
whose links or picture lead into the site: a build checks those again, against its own
outputs, and the other stories of a block it has seen not at all. A publish at
100,000 articles thus checks one block of stories, not the archive (0.35 s)."""

from __future__ import annotations

import difflib
import hashlib
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import ContentError
from ..sources import urls
from ..sources.articlefields import ARTICLE_FIELDS
from ..sources.authors import AUTHORS_FILE
from ..sources.bodylinks import body_links, unpack_links, web_only
from ..sources.config import CONFIG_NAME, SiteConfig
from ..sources.models import Article, Page
from .site import Site, blocks_from_oldest

_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)
_NOT_PLAIN = re.compile(r"[?#%]|/\.")  # what a path needs joining or decoding for
_SOURCE_SUFFIXES = (".md", ".markdown")
_WEB = ("http://", "https://")  # most links of an archive: told apart without _EXTERNAL


# Stories per block of the checks (``site_warnings``), counted from the oldest; tests lower it.
WARNING_BLOCK = 256

# What the checks of a block of stories found that holds whatever files the build
# writes, as (path, message, line) of each warning, and the offsets in the block of the
# stories whose links or picture lead into the site (checked again by every build).
BlockFindings = tuple[tuple[tuple[str, str, int | None], ...], tuple[int, ...]]


@dataclass(frozen=True)
class Warnings:
    found: list[ContentError]  # sorted by file, line and message
    memo: dict[str, BlockFindings]  # each block's key -> its findings, for the next build


def site_warnings(
    site: Site,
    outputs: Iterable[str],
    site_digest: str = "",
    memo: Mapping[str, BlockFindings] | None = None,
) -> Warnings:
    """Every warning about ``site``; ``outputs`` are the paths, relative to the output
    folder, of every file the build writes (pages, feeds, static files). ``memo``: the
    findings of the blocks of stories the last build checked, by key, a digest of
    ``site_digest`` (which holds the settings, the authors' file and the tables of front
    matter fields), of the authors described and of the block's stories' digests."""
    lines = _SourceLines(site.config.root)
    targets = _Targets(site, outputs)
    checks = _StoryChecks(site, lines)
    found: list[ContentError] = []
    kept: dict[str, BlockFindings] = {}
    known = memo or {}
    articles = site.articles
    known_authors = repr(checks.described)  # None: no authors' file (its text may be "")
    for top, end in blocks_from_oldest(len(articles), WARNING_BLOCK):
        digests = "\0".join((site_digest, known_authors, *site.digests[top:end]))
        key = hashlib.blake2b(digests.encode(), digest_size=20).hexdigest()
        findings = known.get(key) or checks.block(articles[top:end], targets)
        kept[key] = findings
        found += (ContentError(path, message, line) for path, message, line in findings[0])
        for offset in findings[1]:
            if offset < end - top:
                found += _links_of(articles[top + offset], targets, lines)
    for page in site.pages:
        found += _front_matter_keys(page, lines)
        found += _body_links(page, targets, lines)
    found += _site_files(site, targets, lines)
    return Warnings(sorted(found, key=lambda w: (w.path, w.line or 0, w.message)), kept)


class _StoryChecks:
    """The checks of a story that do not depend on the files the build writes."""

    def __init__(self, site: Site, lines: _SourceLines) -> None:
        self.site = site
        self.lines = lines
        self.described = (
            sorted(listing.key for listing in site.listings["author"] if listing.subject.described)
            if (site.config.root / AUTHORS_FILE).is_file()
            else None  # a site that describes no authors shows their names only
        )
        self.configured = [section.key for section in site.config.sections]
        self.sections = frozenset(self.configured)
        self._clean_bylines: dict[int, bool] = {}  # id of a byline -> all described

    def undescribed(self, article: Article) -> bool:
        """Whether a story has an author not described: worked out once per byline (the
        resolved authors of a story are shared by the stories of the same byline), for
        the stories of the blocks checked, not for the archive."""
        byline = self.site.article_authors.get(article.url, ())
        clean = self._clean_bylines.get(id(byline))
        if clean is None:
            clean = self._clean_bylines[id(byline)] = all(a.described for a in byline)
        return not clean

    def block(self, articles: Sequence[Article], targets: _Targets) -> BlockFindings:
        """The findings of a block of stories (the checks most stories pass are not
        entered), without those of their links and picture: which stories need those."""
        found: list[ContentError] = []
        linking = []
        lines, described, sections = self.lines, self.described, self.sections
        for offset, article in enumerate(articles):
            if article.extra:
                found += _front_matter_keys(article, lines)
            if article.tags and "," in "".join(article.tags):
                found += _tags(article, lines)
            if sections and article.section not in sections:
                found += _section(article, self.configured, lines)
            if described is not None and self.undescribed(article):
                found += _authors(self.site, article, described, lines)
            if article.image is not None or not targets.all_elsewhere(article):
                linking.append(offset)
        return tuple((w.path, w.message, w.line) for w in found), tuple(linking)


def _links_of(article: Article, targets: _Targets, lines: _SourceLines) -> list[ContentError]:
    """The warnings of a story's picture and of the links of its body."""
    found = list(_image(article, targets, lines)) if article.image is not None else []
    if not targets.all_elsewhere(article):
        found += _body_links(article, targets, lines)
    return found


class _SourceLines:
    """Finds the line of a key or a text in a source file, read only when a warning needs it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.texts: dict[str, list[str]] = {}

    def _lines(self, path: str) -> list[str]:
        if path not in self.texts:
            try:
                text = (self.root / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            self.texts[path] = text.splitlines()
        return self.texts[path]

    def key(self, path: str, *keys: str) -> int | None:
        """The line of the first of ``keys`` standing at the start of a line."""
        for key in keys:
            for number, line in enumerate(self._lines(path), 1):
                if line.startswith(f"{key}:"):
                    return number
        return None

    def text(self, path: str, needle: str) -> int | None:
        for number, line in enumerate(self._lines(path), 1):
            if needle in line:
                return number
        return None


class _Targets:
    """What an internal URL of the site may lead to."""

    def __init__(self, site: Site, outputs: Iterable[str]) -> None:
        self._outputs: Iterable[str] | set[str] = outputs
        self.base = site.config.base_url.rstrip("/")
        self._base_folder = self.base + "/"
        self._site = site
        self._sources: dict[str, str] | None = None
        self._pages: list[str] | None = None
        # links are compared as written ("&amp;"), which tells nothing of a base with "&"
        self._plain_base = "&" not in self.base

    @property
    def outputs(self) -> set[str]:
        """The paths of the files the build writes, gathered when a link first needs
        them (not on a build whose stories' links all lead elsewhere)."""
        if not isinstance(self._outputs, set):
            self._outputs = set(self._outputs)
        return self._outputs

    @property
    def sources(self) -> dict[str, str]:
        """The URL of each article and page by its source file, made when a link that
        leads nowhere first needs it (rarely: not on every build of the archive)."""
        if self._sources is None:
            site = self._site
            self._sources = {a.source_path: a.url for a in site.articles}
            self._sources.update((p.source_path, p.url) for p in site.pages)
        return self._sources

    def all_elsewhere(self, article: Article) -> bool:
        """Whether every link of ``article`` (known without its body) plainly leads to
        another site, as most links of an archive do: ``_body_links`` then finds
        nothing, and a build need not enter it for each story."""
        links = article.links
        if links is None or not self._plain_base or not web_only(links):
            return False
        base = self.base
        if not base or base not in links:  # no URL of the site's own
            return True
        return not any(url.startswith(base) for _, url in unpack_links(links))

    def internal_path(self, url: str, page_url: str) -> str | None:
        """The site-absolute path ``url`` (as written on the page at ``page_url``) leads
        to, or None for a link that leaves the site or stays on the page."""
        if self.base and (url == self.base or url.startswith(self._base_folder)):
            url = url[len(self.base) :] or "/"
        elif url.startswith(_WEB):  # another site
            return None
        if not url or _EXTERNAL.match(url):
            return None
        if url.startswith("/") and not _NOT_PLAIN.search(url):
            return url  # the usual case, without the cost of joining
        return unquote(urlsplit(urljoin(page_url, url)).path)

    def exists(self, path: str) -> bool:
        return urls.output_path(path) in self.outputs or (
            not path.endswith("/") and f"{path.lstrip('/')}/index.html" in self.outputs
        )

    def source_url(self, link: str, page: Article | Page) -> str | None:
        """The URL of the article or page whose Markdown file ``link`` (as written on
        ``page``) names, relative to that page's source or to the site."""
        path = unquote(urlsplit(link).path)
        if not path.endswith(_SOURCE_SUFFIXES):
            return None
        beside = posixpath.normpath(posixpath.join(posixpath.dirname(page.source_path), path))
        for candidate in (beside, path.lstrip("/"), "content/" + path.lstrip("/")):
            if candidate in self.sources:
                return self.sources[candidate]
        return None

    def closest_page(self, path: str) -> str | None:
        if self._pages is None:
            self._pages = sorted(
                "/" + p[: -len("index.html")] for p in self.outputs if p.endswith("index.html")
            )
        close = difflib.get_close_matches(path, self._pages, n=1, cutoff=0.75)
        return close[0] if close else None


def _front_matter_keys(item: Article | Page, lines: _SourceLines) -> Iterator[ContentError]:
    known = ARTICLE_FIELDS.names
    for key in item.extra:
        if key in known:  # a registered field
            continue
        lowered = str(key).lower()
        hint = lowered if lowered in known else None
        if hint is None:
            close = difflib.get_close_matches(lowered, sorted(known), n=1, cutoff=0.8)
            hint = close[0] if close else None
        if hint is not None:
            yield ContentError(
                item.source_path,
                f"unknown front matter key {key!r} (did you mean {hint!r}?); it is ignored",
                lines.key(item.source_path, str(key)),
            )


def _tags(article: Article, lines: _SourceLines) -> Iterator[ContentError]:
    for tag in article.tags:
        if "," in tag:
            names = ", ".join(part.strip() for part in tag.split(",") if part.strip())
            yield ContentError(
                article.source_path,
                f"'tags: {tag}' is one tag named {tag!r}; for several tags write a list: "
                f"tags: [{names}]",
                lines.key(article.source_path, "tags"),
            )


def _section(
    article: Article, configured: list[str], lines: _SourceLines
) -> Iterator[ContentError]:
    """``article``'s section, not among the ``configured`` ones."""
    close = difflib.get_close_matches(article.section, configured, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    yield ContentError(
        article.source_path,
        f"section {article.section!r} is not among the sections of {CONFIG_NAME} "
        f"({hint}it is added to the menu; add it to 'sections' if it is meant)",
        lines.key(article.source_path, "section", "category", "categories"),
    )


def _authors(
    site: Site, article: Article, described: list[str], lines: _SourceLines
) -> Iterator[ContentError]:
    for author in site.article_authors.get(article.url, ()):
        if author.described:
            continue
        close = difflib.get_close_matches(author.key, described, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        yield ContentError(
            article.source_path,
            f"author {author.name!r} is not described in {AUTHORS_FILE.as_posix()}{hint}",
            lines.key(article.source_path, "author", "authors"),
        )


def _image(article: Article, targets: _Targets, lines: _SourceLines) -> Iterator[ContentError]:
    assert article.image is not None
    src = article.image.src
    line = lines.key(article.source_path, "image")
    path = targets.internal_path(src, "/")
    if path is None:
        return
    if not src.startswith("/") and not src.startswith(targets.base or "//"):
        yield ContentError(
            article.source_path,
            f"image {src!r} is a relative path; start it with '/' (listings show it too)",
            line,
        )
    elif not targets.exists(path):
        yield ContentError(article.source_path, f"image {src!r} is not a file of the site", line)


def _body_links(
    item: Article | Page, targets: _Targets, lines: _SourceLines
) -> Iterator[ContentError]:
    links = getattr(item, "links", None)
    for tag, url in body_links(item.body_html) if links is None else unpack_links(links):
        url = url.replace("&amp;", "&")
        path = targets.internal_path(url, item.url)
        if path is None or targets.exists(path):
            continue
        line = lines.text(item.source_path, url)
        if tag.lower() == "img":
            yield ContentError(item.source_path, f"image {url!r} is not a file of the site", line)
            continue
        source_url = targets.source_url(url, item)
        if source_url:
            hint = f"link to the article's address {source_url!r} instead"
        else:
            close = targets.closest_page(path)
            hint = f"did you mean {close!r}?" if close else "no page has that address"
        yield ContentError(item.source_path, f"link to {url!r} leads nowhere ({hint})", line)


def _site_files(site: Site, targets: _Targets, lines: _SourceLines) -> Iterator[ContentError]:
    """The address in ``newsgen.yaml``, and pictures it and ``data/authors.yaml`` name."""
    if site.config.base_url == SiteConfig.base_url:
        yield ContentError(
            CONFIG_NAME,
            f"base_url is not set, so feeds, sitemaps and social cards point at "
            f"{SiteConfig.base_url}; set it to the address the site is served at",
            lines.key(CONFIG_NAME, "base_url"),
        )
    logo = site.config.publisher.logo
    path = targets.internal_path(logo, "/") if logo else None
    if path is not None and not targets.exists(path):
        yield ContentError(
            CONFIG_NAME,
            f"publisher logo {logo!r} is not a file of the site",
            lines.text(CONFIG_NAME, logo),
        )
    authors_file = AUTHORS_FILE.as_posix()
    for listing in site.listings["author"]:
        avatar = listing.subject.avatar
        path = targets.internal_path(avatar, "/") if avatar else None
        if path is not None and not targets.exists(path):
            yield ContentError(
                authors_file,
                f"author {listing.key!r}: avatar {avatar!r} is not a file of the site",
                lines.text(authors_file, avatar),
            )

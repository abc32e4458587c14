"""The image step of a build: find every image the site uses, plan its derivatives,
give stories their final image markup, then make and stage the files.

``prepare_images`` runs before the site is assembled (it reads headers, never pixels);
``PreparedImages.start`` makes the missing derivatives in worker processes while the
pages render, and ``DerivativeJob.finish`` stages what the output folder lacks.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from ...errors import ContentError
from ...render.picture import SIZES, image_markup
from ...render.staging import staged_path
from ...sources.compat.bundles import bundle_files
from ...sources.config import SiteConfig
from ...sources.images.probe import ImageProblem, MissingImage
from ...sources.images.references import BodyImage, rewrite_images
from ...sources.images.rendition import Rendition
from ...sources.models import Article, Author, Image, LiveUpdate, Page
from ...sources.parallel import can_fork
from ...sources.theme import example_static_dirs, static_dirs
from ...sources.yamlload import key_line
from ..staleness import Manifest, is_current
from .crops import SHARE_WIDTH
from .derivatives import Derivative, plan_image
from .process import check_decodes, make_derivatives
from .store import ImageStore

log = logging.getLogger(__name__)

# Attributes of a Markdown image the generated markup sets itself.
_MANAGED = frozenset({"src", "alt", "srcset", "sizes", "decoding"})
_AUTHORS_FILE = "data/authors.yaml"


@dataclass(frozen=True)
class _Use:
    """Where a source references an image, for messages."""

    source_path: str
    line: int | None
    src: str

    def error(self, message: str) -> ContentError:
        return ContentError(self.source_path, f"image {self.src!r}: {message}", self.line)


@dataclass
class ImageOutput:
    """What the image step adds to the output: files staged, every file it publishes
    with its fingerprint (the derivative's key), problems."""

    staged: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)


@dataclass
class PreparedImages:
    """The site's content with final image markup, and the files that go with it."""

    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    authors: tuple[Author, ...]
    errors: list[ContentError]
    warnings: list[ContentError]  # images without alt text, too small to share
    digest: str  # of everything image markup on every page depends on
    store: ImageStore
    # output path -> (its fingerprint: the derivative's key, its file in the store)
    published: dict[str, tuple[str, str]]
    # source file -> (its displayed width, its derivatives still to make)
    work: dict[Path, tuple[int, list[Derivative]]]
    uses: dict[Path, list[_Use]]  # every reference to each source file

    def start(self, jobs: int) -> DerivativeJob:
        return DerivativeJob(self, jobs)


def prepare_images(
    config: SiteConfig,
    articles: Sequence[Article],
    pages: Sequence[Page],
    authors: Sequence[Author],
    authors_text: str = "",
    cache_folder: Path | None = None,
) -> PreparedImages:
    """Resolve and plan every image of the site; see the module docstring."""
    resolver = _Resolver(config, ImageStore(cache_folder), [*articles, *pages])
    for name in config.images.unavailable_formats():
        log.warning("images: this Pillow cannot write %s; it is left out", name)
    new_articles = tuple(resolver.article(article) for article in articles)
    new_pages = tuple(resolver.page(page) for page in pages)
    new_authors = tuple(resolver.author(author, authors_text) for author in authors)
    if resolver.errors:  # the build stops here: report damaged files with the rest
        resolver.check_pending()
    avatars = [a.avatar_image.rendition for a in new_authors if a.avatar_image]
    digest = hashlib.sha256(repr((config.images.key(), avatars)).encode()).hexdigest()
    return PreparedImages(
        articles=new_articles,
        pages=new_pages,
        authors=new_authors,
        errors=resolver.errors,
        warnings=resolver.warnings,
        digest=digest,
        store=resolver.store,
        published=resolver.published,
        work=resolver.work,
        uses=resolver.uses,
    )


class _Resolver:
    """Finds the file behind each image reference and plans what it publishes."""

    def __init__(
        self, config: SiteConfig, store: ImageStore, items: Sequence[Article | Page]
    ) -> None:
        self.config = config
        self.store = store
        self.statics = [folder.resolve() for folder in static_dirs(config)]
        # the theme's example pictures, which only the example site publishes
        self.skipped = [folder.resolve() for folder in example_static_dirs(config)]
        self.items = items
        self._bundled: dict[str, Path] | None = None  # page-bundle files, found on demand
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []
        self.published: dict[str, tuple[str, str]] = {}
        self.work: dict[Path, tuple[int, list[Derivative]]] = {}
        self.uses: dict[Path, list[_Use]] = {}
        self._planned: dict[tuple, Rendition] = {}
        self._failed: dict[Path, str] = {}
        self._missing: set[_Use] = set()

    def article(self, article: Article) -> Article:
        lead = article.image
        if lead is not None:
            use = _Use(article.source_path, lead.line, lead.src)
            rendition = self.resolve(use, article.url, share=True, focus=lead.focus)
            self.check_alt(use, lead.alt)
            if rendition is not None:
                lead = _with_rendition(lead, rendition)
                self._check_share_size(use, rendition)
        path, url = article.source_path, article.url
        body = self.body(path, url, article.body_html, lead is None)
        free = self.body(path, url, article.free_html, lead is None, warn=False)
        updates = tuple(self.update(path, url, update) for update in article.live_updates)
        if (lead, body, free, updates) == (
            article.image,
            article.body_html,
            article.free_html,
            article.live_updates,
        ):
            return article
        images = hashlib.sha256(repr((lead, body, free, updates)).encode()).hexdigest()
        return replace(
            article,
            image=lead,
            body_html=body,
            free_html=free,
            live_updates=updates,
            digest=_combine(article.digest, images),
            teaser_digest=_combine(article.teaser_digest, repr(lead)),
        )

    def update(self, source_path: str, page_url: str, update: LiveUpdate) -> LiveUpdate:
        """A live blog's update, whose images are also in the body (warned about there)."""
        body = self.body(source_path, page_url, update.body_html, False, warn=False)
        return update if body == update.body_html else replace(update, body_html=body)

    def page(self, page: Page) -> Page:
        body = self.body(page.source_path, page.url, page.body_html, True)
        if body == page.body_html:
            return page
        return replace(page, body_html=body, digest=_combine(page.digest, body))

    def author(self, author: Author, authors_text: str) -> Author:
        if not author.avatar:
            return author
        src = author.avatar if "/" in author.avatar else "/" + author.avatar
        use = _Use(_AUTHORS_FILE, _avatar_line(authors_text, author.key), author.avatar)
        rendition = self.resolve(use, "/", avatar=True)
        if rendition is None:
            return author
        image = Image(src=src, width=rendition.width, height=rendition.height, rendition=rendition)
        return replace(author, avatar_image=image)

    def body(
        self, source_path: str, page_url: str, body_html: str, first_on_top: bool, warn: bool = True
    ) -> str:
        """``body_html`` with each image in its final markup; the first one is fetched
        at once when the story has no lead image (it is then at the top of the page)."""

        def markup(image: BodyImage, index: int) -> str:
            use = _Use(source_path, image.line, image.src)
            rendition = self.resolve(use, page_url) if image.src else None
            if warn:
                self.check_alt(use, image.alt)
            if rendition is None:
                rendition = Rendition(image.src, None, None)
            own = image.attributes
            extra = {k: v for k, v in own.items() if k not in _MANAGED and _safe_name(k)}
            lazy = not (first_on_top and index == 0) and own.get("loading") != "eager"
            extra.pop("loading", None)
            given = (extra.pop("width", ""), extra.pop("height", ""))
            size = (int(given[0]), int(given[1])) if all(v.isdigit() for v in given) else None
            return image_markup(
                rendition, image.alt, SIZES["body"], lazy=lazy, attributes=extra, size=size
            )

        return rewrite_images(body_html, markup)

    def resolve(
        self,
        use: _Use,
        page_url: str,
        *,
        share: bool = False,
        avatar: bool = False,
        focus: tuple[float, float] | None = None,
    ) -> Rendition | None:
        """The rendition of the image ``use`` references from the page at ``page_url``;
        None for a remote or missing one (the build warns about the latter). A problem
        with the file is recorded as an error of ``use``."""
        try:
            located = self._locate(use, page_url)
        except MissingImage:
            self._missing.add(use)
            return None
        except ImageProblem as problem:
            self.errors.append(use.error(str(problem)))
            return None
        if located is None:
            return None
        path, url = located
        self.uses.setdefault(path, []).append(use)
        if path in self._failed:
            self.errors.append(use.error(self._failed[path]))
            return None
        try:
            digest, info = self.store.info(path)
        except MissingImage:
            self._missing.add(use)
            return None
        except ImageProblem as problem:
            self._failed[path] = str(problem)
            self.errors.append(use.error(str(problem)))
            return None
        key = (url, digest, share, avatar, focus)
        if key not in self._planned:
            plan = plan_image(
                url, digest, info, self.config.images, share=share, avatar=avatar, focus=focus
            )
            self._planned[key] = plan.rendition
            for derivative in plan.derivatives:
                self.published[derivative.output_path] = (derivative.key, derivative.file_name)
                if not self.store.has(derivative.file_name):
                    entry = self.work.setdefault(path, (info.width or 0, []))
                    if derivative not in entry[1]:
                        entry[1].append(derivative)
        return self._planned[key]

    def check_alt(self, use: _Use, alt: str) -> None:
        """Warn about an image without alt text (a missing file has its own warning)."""
        if not alt and use not in self._missing:
            self.warn(use, "has no alt text; describe it for readers who cannot see it")

    def warn(self, use: _Use, message: str) -> None:
        self.warnings.append(
            ContentError(use.source_path, f"image {use.src!r} {message}", use.line)
        )

    def check_pending(self) -> None:
        """Decode, coarsely, each image whose derivatives are still to make, so that a
        truncated file is reported now rather than by the next build."""
        for path in self.work:
            problem = check_decodes(path)
            if problem:
                self.errors.extend(use.error(problem) for use in self.uses[path])

    def _locate(self, use: _Use, page_url: str) -> tuple[Path, str] | None:
        """The file an image reference on the page at ``page_url`` names, and its URL
        path as published; None for a remote image. The file is in ``static/`` or in a
        page bundle (``story/index.md`` with its pictures beside it)."""
        parts = urlsplit(use.src)
        if parts.scheme or parts.netloc:
            return None
        if not parts.path or parts.path.endswith("/"):
            raise ImageProblem("not a file address")
        path = unquote(urlsplit(urljoin(page_url, parts.path)).path)
        relative = path.lstrip("/")
        for folder in self.statics:
            candidate = (folder / relative).resolve()
            if (
                candidate.is_relative_to(folder)
                and not any(candidate.is_relative_to(skipped) for skipped in self.skipped)
                and candidate.is_file()
            ):
                return candidate, quote(path)
        if self._bundled is None:
            self._bundled = bundle_files(self.config, self.items, {})
        if relative in self._bundled:
            return self._bundled[relative], quote(path)
        raise MissingImage("no such file in static/ or in the story's bundle")

    def _check_share_size(self, use: _Use, rendition: Rendition) -> None:
        if rendition.share and rendition.share[0].width < SHARE_WIDTH:
            self.warn(
                use,
                f"is {rendition.width} px wide; share previews (Google Discover) want "
                f"at least {SHARE_WIDTH} px",
            )


class DerivativeJob:
    """Derivatives being made, in worker processes when there are several sources."""

    def __init__(self, prepared: PreparedImages, jobs: int) -> None:
        self.prepared = prepared
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[Path, Future[str | None]] = {}
        work = prepared.work
        if work:
            prepared.store.files.mkdir(parents=True, exist_ok=True)
        if jobs > 1 and len(work) > 1 and can_fork():
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(min(jobs, len(work)), mp_context=context)
            for path, (width, derivatives) in work.items():
                self._futures[path] = self._pool.submit(
                    make_derivatives, str(path), width, derivatives, str(prepared.store.files)
                )

    def cancel(self) -> None:
        """Stop the workers (the build failed): nothing made so far is lost but temporary files."""
        self._stop()
        self.prepared.store.discard_temporary()

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def finish(self, output_dir: Path, staging_dir: Path, manifest: Manifest) -> ImageOutput:
        """Wait for the derivatives, stage those the output lacks (``manifest`` says
        what it holds, as for pages), and return them with every file the images publish."""
        prepared = self.prepared
        store = prepared.store
        result = ImageOutput()
        for path, (width, derivatives) in prepared.work.items():
            future = self._futures.get(path)
            if future is not None:
                problem = future.result()
            else:
                problem = make_derivatives(str(path), width, derivatives, str(store.files))
            if problem:
                result.errors.extend(use.error(problem) for use in prepared.uses[path])
        self._stop()
        if result.errors:
            return result
        for relative, (identity, name) in sorted(prepared.published.items()):
            result.outputs[relative] = identity
            if not is_current(relative, identity, manifest, output_dir):
                _publish(store.path(name), staged_path(staging_dir, relative))
                result.staged.append(relative)
        store.keep_only(
            {name for _, name in prepared.published.values()},
            {str(path) for path in prepared.uses},
        )
        store.save()
        return result


def _publish(source: Path, target: Path) -> None:
    """A made file is hard-linked into staging (no copy of megabytes) where it can be."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _with_rendition(image: Image, rendition: Rendition) -> Image:
    width, height = image.width, image.height
    if not (width and height):
        width, height = rendition.width, rendition.height
    return replace(image, rendition=rendition, width=width, height=height)


def _combine(digest: str, extra: str) -> str:
    return hashlib.sha256(f"{digest}\0{extra}".encode()).hexdigest()


def _avatar_line(text: str, key: str) -> int | None:
    start = key_line(text, key)
    if start is None:
        return None
    for number, line in enumerate(text.splitlines()[start:], start + 1):
        if line.strip().startswith("avatar:"):
            return number
        if line and not line[0].isspace():
            break
    return start


def _safe_name(name: str) -> bool:
    return name.replace("-", "").replace("_", "").replace(":", "").isalnum()

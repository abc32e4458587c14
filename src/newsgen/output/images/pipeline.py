"""The image step of a build: find every image the site uses, plan its derivatives,
give stories their final image markup, then make and stage the files.

``prepare_images`` runs before the site is assembled (it reads headers, never pixels);
``PreparedImages.start`` makes the missing derivatives in worker processes while the
pages render, and ``DerivativeJob.finish`` stages what the output folder lacks.
Finding the file behind each reference and planning its derivatives is resolve.py's job.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ContentError
from ...render.staging import staged_path
from ...sources.config import SiteConfig
from ...sources.models import Article, Author, Page
from ...sources.parallel import can_fork
from ..staleness import Manifest, is_current
from .derivatives import Derivative
from .process import make_derivatives
from .resolve import ImageResolver, ImageUse
from .store import ImageStore

log = logging.getLogger(__name__)


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
    uses: dict[Path, list[ImageUse]]  # every reference to each source file

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
    resolver = ImageResolver(config, ImageStore(cache_folder), [*articles, *pages])
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

"""Image references resolved: the file behind each image a story, page or author
names (in ``static/`` or a page bundle), its derivatives planned, and the final
image markup given to bodies; problems are collected as errors and warnings."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from ...errors import ContentError, cause
from ...render.picture import SIZES, image_markup
from ...sources.compat.bundles import bundle_files
from ...sources.config import SiteConfig
from ...sources.images.probe import ImageProblem, MissingImage
from ...sources.images.references import BodyImage, rewrite_images
from ...sources.images.rendition import Rendition
from ...sources.models import Article, Author, Image, LiveUpdate, Page
from ...sources.theme import example_static_dirs, static_dirs
from ...sources.yamlload import key_line
from .crops import SHARE_WIDTH
from .derivatives import Derivative, plan_image
from .process import check_decodes
from .store import ImageStore

# Attributes of a Markdown image the generated markup sets itself.
_MANAGED = frozenset({"src", "alt", "srcset", "sizes", "decoding"})
_AUTHORS_FILE = "data/authors.yaml"


@dataclass(frozen=True)
class ImageUse:
    """Where a source references an image, for messages."""

    source_path: str
    line: int | None
    src: str

    def error(self, message: str) -> ContentError:
        return ContentError(self.source_path, f"image {self.src!r}: {message}", self.line)


class ImageResolver:
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
        self.uses: dict[Path, list[ImageUse]] = {}
        self._planned: dict[tuple, Rendition] = {}
        self._failed: dict[Path, str] = {}
        self._missing: set[ImageUse] = set()

    def article(self, article: Article) -> Article:
        lead = article.image
        if lead is not None:
            use = ImageUse(article.source_path, lead.line, lead.src)
            rendition = self.resolve(use, article.url, share=True, focus=lead.focus)
            self.check_alt(use, lead.alt)
            if rendition is not None:
                lead = _with_rendition(lead, rendition)
                self._check_share_size(use, rendition)
        if article.links is not None:  # a body without images: nothing to rewrite or read
            if lead == article.image:
                return article
            return article.evolve(
                image=lead,
                digest=_combine(article.digest, repr(lead)),
                teaser_digest=_combine(article.teaser_digest, repr(lead)),
            )
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
        use = ImageUse(_AUTHORS_FILE, _avatar_line(authors_text, author.key), author.avatar)
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
            use = ImageUse(source_path, image.line, image.src)
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
        use: ImageUse,
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

    def check_alt(self, use: ImageUse, alt: str) -> None:
        """Warn about an image without alt text (a missing file has its own warning)."""
        if not alt and use not in self._missing:
            self.warn(use, "has no alt text; describe it for readers who cannot see it")

    def warn(self, use: ImageUse, message: str) -> None:
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

    def _locate(self, use: ImageUse, page_url: str) -> tuple[Path, str] | None:
        """The file an image reference on the page at ``page_url`` names, and its URL
        path as published; None for a remote image. The file is in ``static/`` or in a
        page bundle (``story/index.md`` with its pictures beside it)."""
        parts = urlsplit(use.src)
        if parts.scheme or parts.netloc:
            return None
        if not parts.path or parts.path.endswith("/"):
            raise ImageProblem("not a file address")
        path = unquote(urlsplit(urljoin(page_url, parts.path)).path)
        if "\0" in path:  # no file system has such a name; Python refuses to look it up
            raise ImageProblem("not a file address: it holds a NUL character")
        relative = path.lstrip("/")
        for folder in self.statics:
            try:
                candidate = (folder / relative).resolve()
                found = (
                    candidate.is_relative_to(folder)
                    and not any(candidate.is_relative_to(skipped) for skipped in self.skipped)
                    and candidate.is_file()
                )
            except OSError as error:  # a name too long for the file system, say
                raise ImageProblem(f"cannot be looked up: {cause(error)}") from None
            if found:
                return candidate, quote(path)
        if self._bundled is None:
            self._bundled = bundle_files(self.config, self.items, {})
        if relative in self._bundled:
            return self._bundled[relative], quote(path)
        raise MissingImage("no such file in static/ or in the story's bundle")

    def _check_share_size(self, use: ImageUse, rendition: Rendition) -> None:
        if rendition.share and rendition.share[0].width < SHARE_WIDTH:
            self.warn(
                use,
                f"is {rendition.width} px wide; share previews (Google Discover) want "
                f"at least {SHARE_WIDTH} px",
            )


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

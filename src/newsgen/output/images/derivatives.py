"""Which files to make from one image: widths x formats, never enlarged, named by content.

A derivative's name carries a key made from the source's digest and every setting that
shapes its bytes, so a file of that name never needs making twice and a changed image
or setting publishes under a new name (no stale copy can linger in a browser cache).
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from urllib.parse import quote, unquote

from ...sources.images.probe import ImageInfo
from ...sources.images.rendition import Rendition, Variant
from ...sources.images.settings import ImageSettings
from .crops import SHARE_RATIOS, Box, crop_box, share_size

# Raised when the processing changes what a derivative holds for the same settings.
PROCESS_VERSION = 1
AVATAR_WIDTHS = (96, 192)  # shown at 48-96 CSS px; 192 covers 96 on a 2x screen
MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
SUFFIX = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif"}


@dataclass(frozen=True)
class Derivative:
    """One file to make: ``box`` of the displayed source scaled to ``width`` x ``height``."""

    key: str
    url: str  # site-absolute, URL-quoted
    width: int
    height: int
    format: str  # jpeg, png, webp, avif
    quality: int
    box: Box | None  # None: the whole image

    @property
    def file_name(self) -> str:
        """The name of its file in the derivative store."""
        return f"{self.key}.{SUFFIX[self.format]}"

    @property
    def output_path(self) -> str:
        return unquote(self.url.lstrip("/"))

    def variant(self) -> Variant:
        return Variant(self.url, self.width, self.height, MIME[self.format])


@dataclass(frozen=True)
class ImagePlan:
    rendition: Rendition
    derivatives: tuple[Derivative, ...]


def plan_image(
    url: str,
    digest: str,
    info: ImageInfo,
    settings: ImageSettings,
    *,
    share: bool = False,
    avatar: bool = False,
    focus: tuple[float, float] | None = None,
) -> ImagePlan:
    """The rendition of the image published at ``url`` and the derivatives it needs:
    responsive widths (square ones for an avatar) and, with ``share``, the share crops."""
    if not (settings.enabled and info.resizable and info.width and info.height):
        return ImagePlan(Rendition(url, info.width, info.height), ())
    # graphics stay lossless; photos (and formats older browsers lack) fall back to JPEG
    fallback = "png" if info.alpha or url.lower().endswith(".png") else "jpeg"
    formats = (*settings.modern_formats(), fallback)
    made: list[Derivative] = []

    def add(width: int, height: int, fmt: str, box: Box | None) -> Derivative:
        quality = settings.quality.get(fmt, 100)
        parts = (PROCESS_VERSION, digest, box, width, height, fmt, quality)
        key = hashlib.sha256(repr(parts).encode()).hexdigest()[:12]
        derivative = Derivative(
            key, _derived_url(url, width, height, key, fmt), width, height, fmt, quality, box
        )
        made.append(derivative)
        return derivative

    box: Box | None
    if avatar:
        box = crop_box(info.width, info.height, (1, 1), focus)
        side = box[2] - box[0]
        sizes = [(w, w) for w in _widths(side, AVATAR_WIDTHS)]
        shown_width = shown_height = side
    else:
        box = None
        sizes = [
            (w, max(1, round(w * info.height / info.width)))
            for w in _widths(info.width, settings.widths)
        ]
        shown_width, shown_height = info.width, info.height
    by_format = {fmt: tuple(add(w, h, fmt, box).variant() for w, h in sizes) for fmt in formats}
    shares: list[Variant] = []
    if share:
        for ratio in SHARE_RATIOS:
            crop = crop_box(info.width, info.height, ratio, focus)
            shares.append(add(*share_size(crop), fallback, crop).variant())
    rendition = Rendition(
        src=url,
        width=shown_width,
        height=shown_height,
        sources=tuple((MIME[fmt], by_format[fmt]) for fmt in formats[:-1]),
        fallback=by_format[fallback],
        share=tuple(shares),
    )
    return ImagePlan(rendition, tuple(made))


def _widths(available: int, wanted: tuple[int, ...]) -> list[int]:
    """The configured widths below the image's own, and its own width when it is
    narrower than the largest (so its full detail is offered, never more)."""
    widths = [w for w in wanted if w < available]
    if available <= max(wanted):
        widths.append(available)
    return widths


def _derived_url(url: str, width: int, height: int, key: str, fmt: str) -> str:
    """``/images/harbour.jpg`` -> ``/images/harbour.800x533.1a2b3c4d5e6f.webp``."""
    folder, name = posixpath.split(url)
    stem = posixpath.splitext(name)[0]
    return f"{folder}/{stem}.{width}x{height}.{key}.{quote(SUFFIX[fmt])}"

"""What the markup of one image needs: its size and the files made from it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """One published file of an image; ``url`` is site-absolute."""

    url: str
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Rendition:
    """An image as published. ``width``/``height`` are its displayed (EXIF-rotated) size.

    ``sources`` are the modern formats, best first, each with its widths; ``fallback``
    the JPEG or PNG widths every browser reads. Pass-through images (SVG, GIF, remote,
    or any when images are disabled) have neither and are shown from ``src``.
    """

    src: str
    width: int | None
    height: int | None
    sources: tuple[tuple[str, tuple[Variant, ...]], ...] = ()
    fallback: tuple[Variant, ...] = ()
    share: tuple[Variant, ...] = ()  # 16:9, 4:3, 1:1 crops for og:image and JSON-LD
    square: tuple[Variant, ...] = ()  # 1:1 crops for avatars

    @property
    def responsive(self) -> bool:
        return bool(self.fallback)

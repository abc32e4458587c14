"""Reading what an image is without decoding it: kind, displayed size, transparency.

A file Pillow cannot identify, one too large to decode safely (a decompression bomb)
and a missing file are ``ImageProblem``s, reported against the stories using them.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

# Resized into derivatives; everything else (SVG, GIF, icons) is published as it is.
RASTER_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".avif", ".tif", ".tiff"})
# EXIF orientations that swap width and height.
_TRANSPOSED = frozenset({5, 6, 7, 8})
_SVG_ROOT = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE)
_SVG_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


class ImageProblem(Exception):
    """Why an image cannot be used, worded for the story's author."""


class MissingImage(ImageProblem):
    """No file at the image's address: a warning of the build (see lint.py), not an error."""


@dataclass(frozen=True)
class ImageInfo:
    """``width``/``height`` as displayed (after EXIF rotation); None when unknown."""

    width: int | None
    height: int | None
    resizable: bool  # a still raster image newsgen makes derivatives of
    alpha: bool = False


def probe(path: Path) -> ImageInfo:
    """What ``path`` holds, from its header only."""
    if not path.is_file():
        raise MissingImage("file not found")
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return _svg_info(path)
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                animated = getattr(image, "n_frames", 1) > 1
                orientation = image.getexif().get(0x0112, 1) if suffix in RASTER_SUFFIXES else 1
                alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
                    "transparency" in image.info
                )
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(
            f"too many pixels to decode safely (limit {Image.MAX_IMAGE_PIXELS:,}); "
            "is it a decompression bomb?"
        ) from None
    except UnidentifiedImageError:
        raise ImageProblem("not an image newsgen can read (unknown or damaged format)") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(f"cannot be read: {exc}") from None
    if orientation in _TRANSPOSED:
        width, height = height, width
    resizable = suffix in RASTER_SUFFIXES and not animated
    return ImageInfo(width, height, resizable, alpha)


def _svg_info(path: Path) -> ImageInfo:
    """An SVG's size from its root's width and height, or its viewBox."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    root = _SVG_ROOT.search(head)
    if root is None:
        return ImageInfo(None, None, False)
    from .references import parse_attributes

    attributes = parse_attributes(root.group(0).decode("utf-8", "replace"))
    width, height = (_svg_length(attributes.get(name, "")) for name in ("width", "height"))
    if not (width and height):
        box = attributes.get("viewbox", "").replace(",", " ").split()
        try:
            width, height = round(float(box[2])), round(float(box[3]))
        except (IndexError, ValueError):
            return ImageInfo(None, None, False)
    return ImageInfo(width, height, False) if width and height else ImageInfo(None, None, False)


def _svg_length(value: str) -> int | None:
    match = _SVG_LENGTH.match(value)
    return round(float(match.group(1))) if match else None

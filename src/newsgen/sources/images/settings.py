"""The ``images:`` settings of ``newsgen.yaml``: which derivatives to make and how."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

MODERN_FORMATS = ("avif", "webp")  # offered in this order, before the JPEG/PNG fallback
QUALITY_KEYS = ("jpeg", "webp", "avif")
DEFAULT_WIDTHS = (200, 400, 800, 1200, 1600)
DEFAULT_QUALITY = {"jpeg": 82, "webp": 80, "avif": 60}
_WIDTH_RANGE = (16, 8192)


@lru_cache(maxsize=1)
def available_formats() -> frozenset[str]:
    """The modern formats the installed Pillow can write."""
    from PIL import features

    return frozenset(name for name in MODERN_FORMATS if features.check(name))


@dataclass(frozen=True)
class ImageSettings:
    """``enabled: false`` publishes images as they are, with only their size read."""

    enabled: bool = True
    widths: tuple[int, ...] = DEFAULT_WIDTHS
    formats: tuple[str, ...] | None = None  # None: every modern format available
    quality: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_QUALITY))

    def modern_formats(self) -> tuple[str, ...]:
        """The configured modern formats this Pillow can write, best first."""
        available = available_formats()
        wanted = MODERN_FORMATS if self.formats is None else self.formats
        return tuple(name for name in MODERN_FORMATS if name in wanted and name in available)

    def unavailable_formats(self) -> tuple[str, ...]:
        """Formats asked for by name that this Pillow cannot write (they are skipped)."""
        return tuple(name for name in self.formats or () if name not in available_formats())

    def key(self) -> str:
        """What the markup of every image depends on, for page fingerprints."""
        return repr(
            (self.enabled, self.widths, self.modern_formats(), sorted(self.quality.items()))
        )


Fail = Callable[[str], None]


def parse_image_settings(raw: Any, fail: Fail) -> ImageSettings:
    """``images:`` from ``newsgen.yaml``, every problem passed to ``fail``."""
    if not isinstance(raw, dict):
        fail("images must be a mapping with enabled, widths, formats, quality")
        return ImageSettings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "enabled":
            if isinstance(value, bool):
                values["enabled"] = value
            else:
                fail("images.enabled must be true or false")
        elif key == "widths":
            widths = _widths(value)
            if widths is None:
                low, high = _WIDTH_RANGE
                fail(f"images.widths must be a list of whole numbers from {low} to {high}")
            else:
                values["widths"] = widths
        elif key == "formats":
            if not isinstance(value, list) or not all(v in MODERN_FORMATS for v in value):
                fail(f"images.formats must be a list of {' and '.join(MODERN_FORMATS)} (or [])")
            else:
                values["formats"] = tuple(value)
        elif key == "quality":
            quality = _quality(value)
            if quality is None:
                fail("images.quality must be 1-100, or a mapping of jpeg, webp, avif to 1-100")
            else:
                values["quality"] = quality
        else:
            fail(f"unknown images field {key!r} (known: enabled, widths, formats, quality)")
    return ImageSettings(**values)


def _widths(value: Any) -> tuple[int, ...] | None:
    low, high = _WIDTH_RANGE
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high for v in value):
        return None
    return tuple(sorted(set(value)))


def _is_quality(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100


def _quality(value: Any) -> dict[str, int] | None:
    if _is_quality(value):
        return dict.fromkeys(QUALITY_KEYS, value)
    if isinstance(value, dict) and all(
        k in QUALITY_KEYS and _is_quality(v) for k, v in value.items()
    ):
        return {**DEFAULT_QUALITY, **value}
    return None

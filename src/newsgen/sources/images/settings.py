"""The ``images:`` settings of ``newsgen.yaml``: which derivatives to make and how."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..fields import FLAG, Converter, FieldSpec, FieldTable, Invalid, ReadContext

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


def _widths(value: Any, context: ReadContext) -> tuple[int, ...]:
    low, high = _WIDTH_RANGE
    if not isinstance(value, list) or not value:
        raise Invalid
    if not all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high for v in value):
        raise Invalid
    return tuple(sorted(set(value)))


def _formats(value: Any, context: ReadContext) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(v in MODERN_FORMATS for v in value):
        raise Invalid
    return tuple(value)


def _is_quality(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100


def _quality(value: Any, context: ReadContext) -> dict[str, int]:
    if _is_quality(value):
        return dict.fromkeys(QUALITY_KEYS, value)
    if isinstance(value, dict) and all(
        k in QUALITY_KEYS and _is_quality(v) for k, v in value.items()
    ):
        return {**DEFAULT_QUALITY, **value}
    raise Invalid


IMAGE_SETTING_FIELDS = FieldTable(
    [
        FieldSpec("enabled", FLAG, default=True),  # false: images published as they are
        FieldSpec(
            "widths",
            Converter("a list of whole numbers from {} to {}".format(*_WIDTH_RANGE), _widths),
            default=DEFAULT_WIDTHS,
        ),
        # absent: every modern format this Pillow writes
        FieldSpec(
            "formats", Converter(f"a list of {' and '.join(MODERN_FORMATS)} (or [])", _formats)
        ),
        FieldSpec(
            "quality",
            Converter("1-100, or a mapping of jpeg, webp, avif to 1-100", _quality),
            default=DEFAULT_QUALITY,
        ),
    ]
)

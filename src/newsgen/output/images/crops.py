"""Crop boxes for share images and avatars, kept around a focal point."""

from __future__ import annotations

Box = tuple[int, int, int, int]  # left, upper, right, lower in displayed pixels

# The shapes Google News and Discover ask for, in the order they are listed.
SHARE_RATIOS: tuple[tuple[int, int], ...] = ((16, 9), (4, 3), (1, 1))
SHARE_WIDTH = 1200  # Discover shows large previews only for images at least this wide
CENTRE = (0.5, 0.5)


def crop_box(
    width: int, height: int, ratio: tuple[int, int], focus: tuple[float, float] | None = None
) -> Box:
    """The largest ``ratio`` box inside ``width`` x ``height``, as centred on ``focus``
    (fractions of the image, default the middle) as the image's edges allow."""
    across, down = ratio
    if width * down <= height * across:  # the image is taller than the shape: full width
        box_width, box_height = width, max(1, width * down // across)
    else:
        box_width, box_height = max(1, height * across // down), height
    x, y = focus or CENTRE
    left = _clamp(round(x * width - box_width / 2), 0, width - box_width)
    upper = _clamp(round(y * height - box_height / 2), 0, height - box_height)
    return (left, upper, left + box_width, upper + box_height)


def share_size(box: Box) -> tuple[int, int]:
    """The published size of a share crop: ``SHARE_WIDTH`` wide, or the crop's own
    width when it is narrower (images are never enlarged)."""
    box_width, box_height = box[2] - box[0], box[3] - box[1]
    width = min(SHARE_WIDTH, box_width)
    return width, max(1, round(width * box_height / box_width))


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))

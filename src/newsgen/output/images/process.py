"""Making the derivatives of one source image with Pillow (run in worker processes).

The source is decoded once, at the smallest scale the largest derivative allows (JPEG
decoders can skip detail while decoding), turned upright from its EXIF orientation,
and every derivative is cut and scaled from that. Published files keep the colour
profile and the credit and copyright, nothing else: no GPS position, no camera serial.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ...sources.images.probe import ImageProblem
from .derivatives import Derivative

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

# EXIF tags a derivative keeps: who made the picture and who owns it.
_ARTIST, _COPYRIGHT = 0x013B, 0x8298
# IPTC fields read when EXIF has none: by-line, credit, copyright notice.
_IPTC_BYLINE, _IPTC_CREDIT, _IPTC_COPYRIGHT = (2, 80), (2, 110), (2, 116)
_AVIF_SPEED = 8  # libavif's 0 (slowest) - 10; 8 costs a fifth of the default for ~10% bytes
_RESAMPLE_GAP = 3.0  # shrink by whole factors first, then resample: fast and still sharp


def make_derivatives(
    source: str, shown_width: int, derivatives: Sequence[Derivative], store: str
) -> str | None:
    """Write each of ``derivatives`` of the image at ``source`` (``shown_width`` wide
    once upright) into the folder ``store``; return None, or why the image is unusable."""
    try:
        _make(Path(source), shown_width, derivatives, Path(store))
    except ImageProblem as problem:
        return str(problem)
    return None


def check_decodes(source: Path) -> str | None:
    """Why the image at ``source`` cannot be decoded, or None; quick, at a small scale."""
    try:
        with _opened(source) as image:
            if image.format == "JPEG":
                image.draft(image.mode, (image.width // 8, image.height // 8))
            image.load()
    except ImageProblem as problem:
        return str(problem)
    return None


@contextmanager
def _opened(source: Path) -> Iterator[PILImage]:
    """The image at ``source``, opened lazily, every Pillow failure an ``ImageProblem``."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(
            "too many pixels to decode safely; is it a decompression bomb?"
        ) from None
    except UnidentifiedImageError:
        raise ImageProblem("not an image newsgen can read (unknown or damaged format)") from None
    except (OSError, ValueError, SyntaxError) as exc:
        reason = "the file is truncated" if "truncated" in str(exc) else f"cannot be decoded: {exc}"
        raise ImageProblem(reason) from None


def _make(source: Path, shown_width: int, derivatives: Sequence[Derivative], store: Path) -> None:
    from PIL import Image, ImageOps

    with _opened(source) as image:
        _draft(image, shown_width, derivatives)
        image.load()
        upright = ImageOps.exif_transpose(image)
        icc = image.info.get("icc_profile")
        credits = _credits(image)
    if upright.mode == "CMYK":
        upright, icc = upright.convert("RGB"), None  # the CMYK profile would not fit RGB
    alpha = upright.mode in ("RGBA", "LA", "PA", "P") and (
        upright.mode != "P" or "transparency" in upright.info
    )
    upright = upright.convert("RGBA" if alpha else "RGB")
    scale = upright.width / shown_width  # below 1 when the decoder skipped detail
    for derivative in derivatives:
        target = store / derivative.file_name
        if target.exists():
            continue
        picture = upright
        if derivative.box is not None:
            picture = picture.crop(tuple(round(v * scale) for v in derivative.box))
        if picture.size != (derivative.width, derivative.height):
            picture = picture.resize(
                (derivative.width, derivative.height), Image.Resampling.LANCZOS,
                reducing_gap=_RESAMPLE_GAP,
            )  # fmt: skip
        _save(picture, derivative, target, icc, credits)


def _draft(image, shown_width: int, derivatives: Sequence[Derivative]) -> None:  # noqa: ANN001
    """Ask the JPEG decoder for the smallest scale still at least as detailed as the
    most demanding derivative needs."""
    if image.format != "JPEG" or not derivatives:
        return
    need = max(d.width / ((d.box[2] - d.box[0]) if d.box else shown_width) for d in derivatives)
    width, height = image.size
    image.draft(image.mode, (math.ceil(width * need), math.ceil(height * need)))


def _credits(image) -> dict[int, str]:  # noqa: ANN001 - a PIL image
    """The artist and copyright from EXIF, or else from IPTC."""
    from PIL import IptcImagePlugin

    exif = image.getexif()
    found = {tag: str(exif[tag]).strip() for tag in (_ARTIST, _COPYRIGHT) if exif.get(tag)}
    if len(found) < 2 and image.format in ("JPEG", "TIFF"):
        iptc = IptcImagePlugin.getiptcinfo(image) or {}

        def field(key: tuple[int, int]) -> str:
            value = iptc.get(key)
            if isinstance(value, list):
                value = value[0] if value else b""
            return value.decode("utf-8", "replace").strip() if isinstance(value, bytes) else ""

        artist = field(_IPTC_BYLINE) or field(_IPTC_CREDIT)
        if artist and _ARTIST not in found:
            found[_ARTIST] = artist
        if field(_IPTC_COPYRIGHT) and _COPYRIGHT not in found:
            found[_COPYRIGHT] = field(_IPTC_COPYRIGHT)
    return found


def _save(
    picture, derivative: Derivative, target: Path, icc: bytes | None, credits: dict[int, str]
) -> None:  # noqa: ANN001
    from PIL import Image

    exif = Image.Exif()
    for tag, value in sorted(credits.items()):
        exif[tag] = value
    options: dict[str, object] = {"exif": exif.tobytes()} if credits else {}
    if icc:
        options["icc_profile"] = icc
    fmt = derivative.format
    if fmt == "jpeg":
        options.update(quality=derivative.quality, progressive=True, optimize=True)
    elif fmt == "webp":
        options.update(quality=derivative.quality, method=4)
    elif fmt == "avif":
        options.update(quality=derivative.quality, speed=_AVIF_SPEED)
    else:
        options.update(optimize=False, compress_level=6)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    picture.save(temporary, format=fmt.upper(), **options)
    os.replace(temporary, target)

"""``<picture>`` and ``<img>`` markup: every candidate file, ``sizes`` that match the
theme's layout, width and height (nothing moves while loading), and loading hints."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from ..sources.images.rendition import Rendition, Variant
from ..sources.models import Author, Image

# How wide each kind of image is drawn by the default theme (css/site.css): the page
# is one column up to 60rem, else content beside a 19rem sidebar within 76rem.
SIZES: Mapping[str, str] = {
    "lead": "(max-width: 60rem) calc(100vw - 2rem), calc(min(100vw, 76rem) - 24rem)",
    "body": "(max-width: 60rem) min(40rem, calc(100vw - 2rem)), "
    "min(40rem, calc(min(100vw, 76rem) - 24rem))",
    "card-lead": "(max-width: 60rem) calc(100vw - 2rem), 31rem",
    "card": "(max-width: 34rem) calc(100vw - 2rem), (max-width: 60rem) calc(50vw - 2rem), 18rem",
    "sidebar": "5.5rem",
}
# Shown before the reader scrolls: fetched first, never lazily.
EAGER_ROLES = frozenset({"lead", "card-lead"})


def picture(image: Image | None, role: str, css_class: str = "", search_meta: str = "") -> Markup:
    """The markup of ``image`` drawn as ``role`` (a key of ``SIZES``); "" for no image.
    ``search_meta``: the ``<img>``'s ``data-pagefind-meta`` (a story's lead image names
    itself its search result's image)."""
    if image is None:
        return Markup("")
    eager = role in EAGER_ROLES
    attributes: dict[str, str | None] = {"class": css_class or None}
    if image.focus and role in ("card", "card-lead", "sidebar"):
        x, y = image.focus
        attributes["style"] = f"object-position: {x * 100:g}% {y * 100:g}%"
    if eager:
        attributes["fetchpriority"] = "high"
    if search_meta:
        attributes["data-pagefind-meta"] = search_meta
    return image_markup(
        image.rendition or Rendition(image.src, image.width, image.height),
        image.alt,
        SIZES[role],
        lazy=not eager,
        attributes=attributes,
        size=(image.width, image.height) if image.width and image.height else None,
    )


def avatar(author: Author, size: int, lazy: bool = True) -> Markup:
    """An author's avatar, ``size`` CSS pixels square; "" when the author has none."""
    if not author.avatar:
        return Markup("")
    image = author.avatar_image
    rendition = (
        image.rendition if image and image.rendition else Rendition(author.avatar, None, None)
    )
    return image_markup(rendition, "", f"{size}px", lazy=lazy, size=(size, size))


def image_markup(
    rendition: Rendition,
    alt: str,
    sizes: str,
    *,
    lazy: bool,
    attributes: Mapping[str, str | None] | None = None,
    size: tuple[int, int] | None = None,
) -> Markup:
    """An ``<img>`` (in a ``<picture>`` when there are derivatives). ``size`` overrides
    the image's own width and height attributes; ``attributes`` are added to the ``<img>``."""
    width, height = size or (rendition.width, rendition.height)
    img: dict[str, str | None] = {"src": rendition.src, "alt": alt}
    if rendition.responsive:
        img["src"] = _middle(rendition.fallback).url
        img["srcset"] = _srcset(rendition.fallback)
        img["sizes"] = sizes
    if width and height:
        img["width"], img["height"] = str(width), str(height)
    if lazy:
        img["loading"] = "lazy"
    img["decoding"] = "async"
    img.update(attributes or {})
    tag = Markup("<img{}>").format(_attributes(img))
    if not rendition.sources:
        return tag
    sources = Markup("").join(
        Markup('<source type="{}" srcset="{}" sizes="{}">').format(mime, _srcset(v), sizes)
        for mime, v in rendition.sources
    )
    return Markup("<picture>{}{}</picture>").format(sources, tag)


def _srcset(variants: tuple[Variant, ...]) -> str:
    return ", ".join(f"{v.url} {v.width}w" for v in variants)


def _middle(variants: tuple[Variant, ...]) -> Variant:
    """The ``src`` for browsers that read no ``srcset``: the widest up to 800 px."""
    fitting = [v for v in variants if v.width <= 800]
    return fitting[-1] if fitting else variants[0]


def _attributes(values: Mapping[str, str | None]) -> Markup:
    return Markup("").join(
        Markup(' {}="{}"').format(Markup(name), value)
        for name, value in values.items()
        if value is not None
    )

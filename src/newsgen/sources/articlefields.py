"""The front matter of stories and pages, as one table (see fields.py).

Every key newsgen reads from front matter is a row here: what it takes, whether it is
required, and whether cards show it. Keys the table does not describe are kept for
templates (``article.extra``). ``register_article_field`` adds a row: its value, read
and checked like any other, is in ``article.extra[name]`` (and ``page.extra[name]``).
"""

from __future__ import annotations

from typing import Any

from .fields import (
    DATE,
    FLAG,
    NAMES,
    TEXT,
    Converter,
    FieldSpec,
    FieldTable,
    Invalid,
    ReadContext,
    choice,
    shown,
    whole,
)
from .models import STORY_TYPES, Correction, Image

ACCESS_VALUES = ("free", "subscribers")


def _fraction(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def _focus(value: Any, context: ReadContext) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2 and all(map(_fraction, value))):
        raise Invalid
    return (float(value[0]), float(value[1]))


FOCUS = Converter("[x, y], each from 0 to 1 (0.5 is the middle)", _focus, "focus")
IMAGE_FIELDS = FieldTable(
    [
        FieldSpec("src", TEXT, required=True, default=""),
        FieldSpec("alt", TEXT, default=""),
        FieldSpec("caption", TEXT, default=""),
        FieldSpec("credit", TEXT, default=""),
        FieldSpec("width", whole()),  # in pixels
        FieldSpec("height", whole()),  # in pixels
        FieldSpec("focus", FOCUS),  # the point crops keep
    ]
)


def _image(value: Any, context: ReadContext) -> Image | None:
    if isinstance(value, str):
        return Image(src=value)
    if not isinstance(value, dict):
        raise Invalid
    values, problems = IMAGE_FIELDS.read(value, context.tz, prefix=context.name + ".")
    context.problems_below(problems)
    return None if problems else Image(**values)


def _paths(value: Any, context: ReadContext) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise Invalid
    return tuple(items)


CORRECTION_FIELDS = FieldTable(
    [FieldSpec("date", DATE, required=True), FieldSpec("text", TEXT, required=True, default="")]
)


def _corrections(value: Any, context: ReadContext) -> tuple[Correction, ...]:
    if not isinstance(value, list):
        raise Invalid
    found = []
    for index, entry in enumerate(value):
        name = f"{context.name}[{index + 1}]"
        if not isinstance(entry, dict):
            message = f"'{name}' must be a mapping with date and text, not {shown(entry)}"
            context.problem(message, (index,))
            continue
        values, problems = CORRECTION_FIELDS.read(entry, context.tz, prefix=name + ".")
        context.problems_below(problems, index)
        if not problems:
            found.append(Correction(values["date"], values["text"]))
    return tuple(sorted(found, key=lambda c: (c.date, c.text)))


IMAGE = Converter(
    "a path or a mapping with src, alt, caption, credit, width, height, focus", _image, "image"
)
PATHS = Converter("a path or a list of paths", _paths, "paths")
CORRECTIONS = Converter("a list of {date, text} entries", _corrections, "corrections")

ARTICLE_FIELDS = FieldTable(
    [
        FieldSpec("title", TEXT, required=True, default="", teaser=True),
        FieldSpec("date", DATE, required=True, teaser=True),  # when it was published
        FieldSpec("updated", DATE, teaser=True),
        FieldSpec("author", NAMES, default=(), teaser=True),
        FieldSpec("authors", NAMES, default=(), teaser=True),
        FieldSpec("section", TEXT, default="", teaser=True),
        FieldSpec("category", NAMES, default=(), teaser=True),  # Jekyll's section
        FieldSpec("categories", NAMES, default=(), teaser=True),  # the first is the section
        FieldSpec("tags", NAMES, default=(), teaser=True),
        FieldSpec("summary", TEXT, default="", teaser=True),
        FieldSpec("excerpt", TEXT, default="", teaser=True),  # the summary, Jekyll's name
        FieldSpec("description", TEXT, default="", teaser=True),  # the summary, Hugo's
        FieldSpec("dateline", TEXT, default="", teaser=True),
        FieldSpec("image", IMAGE, teaser=True),
        FieldSpec("images", PATHS, default=(), teaser=True),  # Hugo's; the first leads
        FieldSpec("slug", TEXT, default="", teaser=True),
        FieldSpec("draft", FLAG, default=False, teaser=True),
        FieldSpec("corrections", CORRECTIONS, default=(), teaser=True),
        FieldSpec("permalink", TEXT, default="", teaser=True),  # Jekyll's own URL
        FieldSpec("url", TEXT, default="", teaser=True),  # Hugo's own URL
        FieldSpec("aliases", PATHS, default=(), teaser=True),  # old URLs (Hugo)
        FieldSpec("redirect_from", PATHS, default=(), teaser=True),  # old URLs (Jekyll)
        # the news layer (storyfields.py)
        FieldSpec("type", choice(STORY_TYPES), default="", teaser=True),
        FieldSpec("access", choice(ACCESS_VALUES, empty="free"), default="", teaser=True),
        FieldSpec("live_until", DATE, teaser=True),
        FieldSpec("breaking", FLAG, default=False, teaser=True),
        FieldSpec("breaking_until", DATE, teaser=True),
        FieldSpec("expires", DATE, teaser=True),
    ],
    open=True,
)
# What a standalone page reads of the table (with every registered field).
PAGE_FIELDS = ("title", "slug", "summary", "permalink", "url", "aliases", "redirect_from")
_BUILT_IN = ARTICLE_FIELDS.names
_registered: dict[str, FieldSpec] = {}


def register_article_field(spec: FieldSpec) -> None:
    """Add a front matter field (for stories and pages): its value, read with
    ``spec.convert`` (``spec.default`` when absent), is ``extra[spec.name]`` of each
    article and page; problems are reported at their line like any field's. With
    ``teaser=True``, pages listing a story are made again when it changes. Registering
    the same spec again does nothing; the build state is keyed on every registered field.
    """
    if _registered.get(spec.name) == spec:
        return
    if spec.name in ARTICLE_FIELDS:
        raise ValueError(f"the front matter field {spec.name!r} is already described")
    ARTICLE_FIELDS.add(spec)
    _registered[spec.name] = spec


def unregister_article_field(name: str) -> None:
    """Remove a field ``register_article_field`` added (a plugin no longer used)."""
    if name in _BUILT_IN or name not in _registered:
        raise ValueError(f"{name!r} is not a registered front matter field")
    del _registered[name]
    ARTICLE_FIELDS.remove(name)


def registered_fields() -> tuple[FieldSpec, ...]:
    """The fields added by ``register_article_field``, in the order they were added."""
    return tuple(_registered.values())

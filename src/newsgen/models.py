"""The site's content as frozen dataclasses: what templates and stages share.

They keep a ``__dict__`` (no ``slots``): the parse cache unpickles tens of thousands
of them per build, and slotted dataclasses restore much more slowly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .images.rendition import Rendition


@dataclass(frozen=True)
class Image:
    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    width: int | None = None
    height: int | None = None
    focus: tuple[float, float] | None = None  # the point crops keep, as fractions (x, y)
    rendition: Rendition | None = None  # set by the image step of the build
    line: int | None = field(default=None, compare=False)  # of the reference, for messages


@dataclass(frozen=True)
class Correction:
    date: datetime
    text: str


@dataclass(frozen=True)
class Author:
    key: str
    name: str
    url: str
    bio: str = ""
    avatar: str = ""
    links: tuple[tuple[str, str], ...] = ()
    described: bool = True
    avatar_image: Image | None = None  # the avatar as published, set by the image step


@dataclass(frozen=True)
class Article:
    """One published story. ``url`` is site-absolute; ``output_path`` is relative to the output.

    ``digest`` identifies the source's bytes and path: pages that show the article
    list it among their dependencies. ``teaser_digest`` covers everything but the
    body: what pages showing the article as a teaser (cards, Recent Posts, feed
    entries without full content) depend on.
    """

    source_path: str
    digest: str
    teaser_digest: str
    title: str
    slug: str
    date: datetime
    section: str
    url: str
    output_path: str
    body_html: str
    excerpt: str
    word_count: int
    reading_minutes: int
    author_names: tuple[str, ...] = ()
    updated: datetime | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    dateline: str = ""
    image: Image | None = None
    draft: bool = False
    corrections: tuple[Correction, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)  # read-only

    @property
    def modified(self) -> datetime:
        return self.updated or self.date


@dataclass(frozen=True)
class Page:
    """A standalone page (About, Contact…), outside listings and feeds."""

    source_path: str
    digest: str
    title: str
    slug: str
    url: str
    output_path: str
    body_html: str
    summary: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)  # read-only


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    url: str

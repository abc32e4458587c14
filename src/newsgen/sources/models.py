"""The site's content as frozen dataclasses: what templates and stages share.

They keep a ``__dict__`` (no ``slots``): the parse cache unpickles tens of thousands
of them per build, and slotted dataclasses restore much more slowly. What an
``Article`` carries in its ``__dict__`` is kept small instead: a field left at its
default is not stored (the class attribute dataclasses set answers for it), and the
strings that recur across the archive are shared when an article is restored.

An article kept by the build state (``packed``, ``unpacked``) comes back without its
body, which is read when something first asks for ``body_html`` (see
``Article.__getattr__`` and cache.py): a build that renders a few pages does not hold
the archive's text in memory. Build-wide passes use ``links`` instead of the body.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime, timedelta, timezone
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from .images.rendition import Rendition

# where a kept article holds the reader of its body (see ``Article.__getattr__``)
_BODY_READER = "_body_reader"

# ``type:`` values and their labels; schema.org types are in storyld.py
STORY_TYPES = {
    "report": "Report",
    "opinion": "Opinion",
    "analysis": "Analysis",
    "review": "Review",
    "sponsored": "Sponsored",
    "live": "Live",
}


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
class LiveUpdate:
    """One entry of a live blog: a level-2 heading that starts with a time, and what follows."""

    anchor: str  # the element id, for links to this update
    time: datetime
    title: str  # plain text
    title_html: str
    body_html: str
    text: str  # the body as plain text


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
    # Fields an article commonly sets come first: CPython shares one table of attribute
    # names among a class's instances for its first 30 names, and an instance that sets
    # only names of that table keeps a ``__dict__`` of a third of the size, which counts
    # in an archive of 100,000 restored articles.
    author_names: tuple[str, ...] = ()
    updated: datetime | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    dateline: str = ""
    image: Image | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)  # read-only
    # (tag, URL) of each link and image of the body, for checks over the whole site,
    # packed in one string (bodylinks.py); None when the build rewrites the body
    # (reference tokens, images), which it then reads
    links: str | None = None
    # what reads the body of an article kept without it (``with_body_reader``)
    _body_reader: Callable[[], str] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    draft: bool = False
    corrections: tuple[Correction, ...] = ()
    # the news layer (see storyfields.py, liveblog.py, paywall.py, timeline.py)
    story_type: str = ""  # "" (a plain news article) or one of STORY_TYPES
    live_until: datetime | None = None
    live_updates: tuple[LiveUpdate, ...] = ()  # newest first
    last_update: datetime | None = None
    live: bool = False  # a live blog still being updated at the build's "now"
    breaking_until: datetime | None = None  # set when the story is breaking news
    breaking: bool = False  # its banner shows at the build's "now"
    expires: datetime | None = None
    subscribers_only: bool = False
    free_html: str = ""  # what feeds may carry of a subscribers' story: the part before the paywall
    aliases: tuple[str, ...] = ()  # old paths redirected here (see redirects.py)

    def __getattr__(self, name: str) -> Any:
        """The body of an article the build state kept apart, read on first use."""
        reader = self._body_reader
        if name != "body_html" or reader is None:
            raise AttributeError(name)
        body = reader()
        object.__setattr__(self, "body_html", body)
        return body

    def __getstate__(self) -> dict[str, Any]:
        """The instance's fields without those at their default: an archive of 100,000
        stories holds most of them (dates, flags, empty tuples) unset, and a smaller
        ``__dict__`` is both what a restored article costs and what it takes to read."""
        state = {
            name: value for name, value in self.__dict__.items() if not _is_default(name, value)
        }
        if state.get("summary") == state.get("excerpt"):  # pickled once, restored shared
            state["summary"] = state["excerpt"]
        return state

    def evolve(self, **changes: Any) -> Article:
        """``dataclasses.replace`` that leaves a body not read yet unread."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise TypeError(f"not fields of Article: {sorted(unknown)}")
        new = copy.copy(self)
        for name, value in changes.items():
            object.__setattr__(new, name, value)
        return new

    @property
    def modified(self) -> datetime:
        """The last change readers see: ``updated``, the latest correction or live update."""
        later = [self.updated, self.last_update, *(c.date for c in self.corrections)]
        return max((self.date, *(moment for moment in later if moment)))

    @property
    def type_label(self) -> str:
        """What cards and pages call the story ("Opinion", "Sponsored"…); "" for news."""
        if self.story_type == "live" and not self.live:
            return "Live blog"
        return STORY_TYPES.get(self.story_type, "")


# the class attributes (field defaults) an article's state may leave out
_DEFAULTS = {f.name: f.default for f in fields(Article) if f.default is not MISSING}


def _is_default(name: str, value: object) -> bool:
    default = _DEFAULTS.get(name, MISSING)
    return value is default or (type(value) is type(default) and value == default)


def with_body_reader(article: Article, reader: Callable[[], str]) -> Article:
    """``article`` without its body, which ``reader`` gives when it is first asked for."""
    article.__dict__.pop("body_html", None)
    object.__setattr__(article, _BODY_READER, reader)
    return article


def packed(article: Article) -> tuple[str, tuple[Any, ...]]:
    """What the build state stores of a kept article: the names of its fields not at
    their default (``__getstate__``), joined by NULs, and their values, without its
    body and its source path (the row's key); ``unpacked`` makes the article again.

    Plain values rather than a pickled ``Article``, so that the state can store them with
    ``marshal`` (output/staterows.py), which reads an archive's rows several times faster than the
    unpickler makes objects field by field: each date is stored as numbers and its zone
    (``plain_date``), and every date in one zone shares one time zone object. The names
    are one string, which an archive's articles share a few of: one string to read per
    row, and one look-up to find what to do with its fields (``_layout``)."""
    state = article.__getstate__()
    for name in _KEPT_APART:
        state.pop(name, None)
    for name in _DATES.intersection(state):  # set: not at their default, None
        state[name] = plain_date(state[name])
    for name in _SHARED.intersection(state):  # marshal reads them back interned
        state[name] = _shared(state[name])
    return "\0".join(state), tuple(state.values())


def unpacked(
    source_path: str, names: str, values: tuple[Any, ...], interned: bool = False
) -> Article:
    """The article of the source at ``source_path`` that ``packed`` gave ``names`` and
    ``values`` for, without its body.

    The strings that recur across an archive are interned (``packed`` interns them;
    ``interned``: they were read back so, as marshal does), so the articles restored
    together share one string per section, author and tag key. Paths are not: each is a
    story's own, and interning the archive's as they were read took a tenth of a second
    at 100,000 articles (the source path is not stored with the rest). The
    fields are set in their stored order, the order of the class's fields (the source
    path first): the object's ``__dict__`` then keeps CPython's shared table of
    attribute names."""
    layout = _LAYOUTS.get(names)
    if layout is None:
        layout = _LAYOUTS[names] = _layout(names)
    article = _new(Article)
    state = article.__dict__
    state["source_path"] = source_path
    state.update(zip(layout[0], values, strict=True))
    for name in layout[1]:
        state[name] = date_from_plain(state[name])
    if not interned:
        for name in layout[2]:
            state[name] = _shared(state[name])
    return article


def _shared(value: Any) -> Any:
    """A string interned, or a tuple of them (a story's tags) with its strings interned."""
    if type(value) is str:
        return _intern(value)
    return tuple(_intern(v) if type(v) is str else v for v in value)


PlainDate = tuple[int, int, int, int, int, int, int, int, int | str]


def plain_date(moment: datetime) -> PlainDate | datetime:
    """A date as numbers and its zone: the seconds of a fixed offset, or the key of an
    IANA zone (``ZoneInfo``); a date in another kind of zone (a named offset, say) as it
    is. ``date_from_plain`` makes it again."""
    zone = moment.tzinfo
    numbers = (
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
        moment.microsecond, moment.fold,
    )  # fmt: skip
    if type(zone) is timezone:
        seconds = int(zone.utcoffset(None).total_seconds())
        if zone.tzname(None) == _zone(seconds).tzname(None):  # not a named offset
            return (*numbers, seconds)
    elif type(zone) is ZoneInfo and zone.key and _named_zone(zone.key) is zone:
        return (*numbers, zone.key)
    return moment


def date_from_plain(value: PlainDate | datetime) -> datetime:
    """The date ``plain_date`` gave ``value`` for: every date in one zone shares it."""
    if isinstance(value, datetime):
        return value
    year, month, day, hour, minute, second, microsecond, fold, zone = value
    tzinfo = _zone(zone) if type(zone) is int else _named_zone(str(zone))
    moment = datetime(year, month, day, hour, minute, second, microsecond, tzinfo)
    return moment.replace(fold=1) if fold else moment


_Layout = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _layout(names: str) -> _Layout:
    """The field names ``packed`` joined, those among them that are dates, and those
    whose strings ``unpacked`` shares."""
    split = tuple(map(_intern, names.split("\0"))) if names else ()
    dates = tuple(name for name in split if name in _DATES)
    return split, dates, tuple(name for name in split if name in _SHARED)


_new = object.__new__
_intern = sys.intern
_DATES = frozenset(f.name for f in fields(Article) if str(f.type).startswith("datetime"))
_SHARED = frozenset(("section", "author_names", "tags"))
_KEPT_APART = ("source_path", "body_html", _BODY_READER)  # not in what ``packed`` gives
_LAYOUTS: dict[str, _Layout] = {}


@cache
def _zone(seconds: int) -> timezone:
    return timezone(timedelta(seconds=seconds))


@cache
def _named_zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


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
    aliases: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)  # read-only


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    url: str

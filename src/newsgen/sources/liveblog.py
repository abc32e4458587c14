"""Live blogs: the updates of a ``type: live`` story, read from its rendered body.

An update is a top-level level-2 heading that starts with a time, ``## 14:05 Title``
(on the story's own date, in the site's time zone) or ``## 2026-11-28 14:05 Title``,
and everything up to the next such heading. What comes before the first update is
the introduction. Updates are returned newest first, each with a stable anchor made
from its time, so a link to one keeps working as the blog grows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from markupsafe import escape

from .markup import plain_text
from .models import LiveUpdate

_HEADING = re.compile(r"^<h2(?:\s[^>]*)?>(.*)</h2>$", re.M)
_STAMP = re.compile(
    r"^(?:(?P<day>\d{4}-\d{2}-\d{2})[ T])?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?!\d)"
    r"\s*[-–—:|]?\s*"
)


@dataclass(frozen=True)
class LiveBlog:
    intro_html: str
    updates: tuple[LiveUpdate, ...]  # newest first


class BadUpdateTime(ValueError):
    """A heading that starts like a time but is not one (``## 25:70 …``)."""


def parse_live_blog(body_html: str, story_date: datetime, zone: tzinfo) -> LiveBlog:
    """Split ``body_html`` into the introduction and the timed updates.

    ``story_date`` gives the day of updates whose heading names only a time.
    Raises ``BadUpdateTime`` naming the heading whose time cannot be read.
    """
    day = story_date.astimezone(zone).date()
    found: list[tuple[int, int, datetime, str]] = []  # (start, end, time, inner html)
    for heading in _HEADING.finditer(body_html):
        inner = heading.group(1)
        stamp = _STAMP.match(plain_text(inner))
        if stamp is None:
            continue
        found.append((heading.start(), heading.end(), _moment(stamp, day, zone, inner), inner))
    if not found:
        return LiveBlog(body_html, ())
    updates = []
    used: set[str] = set()
    for index, (_, end, moment, inner) in enumerate(found):
        stop = found[index + 1][0] if index + 1 < len(found) else len(body_html)
        body = body_html[end:stop].strip("\n")
        title = _STAMP.sub("", plain_text(inner), count=1).strip()
        updates.append(
            LiveUpdate(
                anchor=_anchor(moment.astimezone(zone), used),
                time=moment,
                title=title,
                title_html=_title_html(inner, title),
                body_html=body,
                text=plain_text(body),
            )
        )
    ordered = sorted(updates, key=lambda update: update.time, reverse=True)  # stable on ties
    return LiveBlog(body_html[: found[0][0]].strip("\n"), tuple(ordered))


def _moment(stamp: re.Match[str], day: date, zone: tzinfo, inner: str) -> datetime:
    try:
        when = date.fromisoformat(stamp["day"]) if stamp["day"] else day
        clock = time(int(stamp["hour"]), int(stamp["minute"]))
    except ValueError:
        raise BadUpdateTime(
            f"live update heading {plain_text(inner)!r} has no valid time"
        ) from None
    return datetime.combine(when, clock, tzinfo=zone)


def _title_html(inner: str, title: str) -> str:
    """The heading's HTML without its time, keeping inline markup when the time is plain text."""
    stamp = _STAMP.match(inner)
    if stamp is not None and "<" not in inner[: stamp.end()]:
        return inner[stamp.end() :].strip()
    return str(escape(title))


def _anchor(local: datetime, used: set[str]) -> str:
    base = f"update-{local:%Y%m%d-%H%M}"
    anchor, number = base, 2
    while anchor in used:
        anchor, number = f"{base}-{number}", number + 1
    used.add(anchor)
    return anchor


def as_html(intro_html: str, updates: tuple[LiveUpdate, ...]) -> str:
    """The whole blog as one HTML fragment, newest update first (for full-content feeds)."""
    parts = [intro_html] if intro_html else []
    for update in updates:
        title = f" {update.title_html}" if update.title_html else ""
        parts.append(f'<h2 id="{update.anchor}">{update.time:%H:%M}{title}</h2>')
        parts.append(update.body_html)
    return "\n".join(parts)

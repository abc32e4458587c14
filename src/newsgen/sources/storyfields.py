"""The news front matter of a story: ``type``, ``live_until``, ``breaking``,
``breaking_until``, ``expires`` and ``access``, checked and applied to its body.

``read_story_fields`` returns the ``Article`` fields they give, including the body as
the page shows it (a live blog's introduction; a subscribers' story with its paid part
wrapped). Problems are recorded on the front matter reader, like every other field's.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from typing import Any, Protocol

from . import paywall
from .config import SiteConfig
from .liveblog import BadUpdateTime, parse_live_blog
from .markup import plain_text
from .models import STORY_TYPES

NEWS_FIELDS = frozenset({"type", "live_until", "breaking", "breaking_until", "expires", "access"})
ACCESS_VALUES = ("free", "subscribers")
# The fields below that teasers (cards, feed entries) may show; the others come from the body.
TEASER_FIELDS = (
    "story_type", "live_until", "last_update", "breaking_until", "expires", "subscribers_only",
)  # fmt: skip


class FrontMatter(Protocol):
    """What ``content._Fields`` offers: typed reads that record problems with their line."""

    meta: dict[str, Any]

    def fail(self, key: str, message: str) -> None: ...
    def text(self, key: str, required: bool = False) -> str: ...
    def date(self, key: str, config: SiteConfig, required: bool = False) -> datetime | None: ...
    def flag(self, key: str) -> bool: ...


def read_story_fields(
    fields: FrontMatter, config: SiteConfig, date: datetime | None, body_html: str
) -> dict[str, Any]:
    """The news layer's ``Article`` fields, plus ``body_html`` as the page shows it and
    ``excerpt_text``, what the excerpt is cut from when there is no summary."""
    story_type = _choice(fields, "type", tuple(STORY_TYPES))
    access = _choice(fields, "access", ACCESS_VALUES)
    live_until = _after(fields, "live_until", config, date)
    breaking = fields.flag("breaking")
    breaking_until = _after(fields, "breaking_until", config, date)
    expires = _after(fields, "expires", config, date)
    if live_until and story_type != "live":
        fields.fail("live_until", "'live_until' is for live blogs: add 'type: live'")
    if breaking and breaking_until is None and "breaking_until" not in fields.meta:
        fields.fail("breaking", "'breaking: true' needs 'breaking_until', when the banner ends")
    if breaking_until and not breaking:
        fields.fail("breaking_until", "'breaking_until' needs 'breaking: true'")
    values: dict[str, Any] = {
        "story_type": story_type,
        "live_until": live_until,
        "breaking_until": breaking_until if breaking else None,
        "expires": expires,
        "subscribers_only": access == "subscribers",
        "body_html": body_html,
        "free_html": "",
        "live_updates": (),
        "last_update": None,
        "excerpt_text": None,  # None: the start of the body's text, as for any story
    }
    if story_type == "live" and date is not None:
        try:
            blog = parse_live_blog(body_html, date, config.tz)
        except BadUpdateTime as exc:
            fields.fail("type", str(exc))
        else:
            values["body_html"] = blog.intro_html
            values["live_updates"] = blog.updates
            values["last_update"] = blog.updates[0].time if blog.updates else None
            intro = plain_text(blog.intro_html)
            values["excerpt_text"] = intro or (blog.updates[0].text if blog.updates else "")
    if access == "subscribers":
        values["body_html"], values["free_html"] = paywall.wrap(values["body_html"])
        if not values["free_html"]:  # all of it is for subscribers: no excerpt from it
            values["excerpt_text"] = ""
    return values


def _choice(fields: FrontMatter, key: str, allowed: tuple[str, ...]) -> str:
    value = fields.text(key)
    if value and value not in allowed:
        close = difflib.get_close_matches(value, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        fields.fail(key, f"'{key}' must be one of {', '.join(allowed)}, not {value!r}{hint}")
        return ""
    return "" if value == "free" else value


def _after(
    fields: FrontMatter, key: str, config: SiteConfig, date: datetime | None
) -> datetime | None:
    moment = fields.date(key, config)
    if moment is not None and date is not None and moment <= date:
        fields.fail(key, f"'{key}' must be after the story's date")
        return None
    return moment

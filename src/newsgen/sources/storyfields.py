"""The news front matter of a story: ``type``, ``live_until``, ``breaking``,
``breaking_until``, ``expires`` and ``access``, checked and applied to its body.

The table of fields (articlefields.py) reads each; ``read_story_fields`` checks them
together and returns the ``Article`` fields they give, including the body as the page
shows it (a live blog's introduction; a subscribers' story with its paid part wrapped).
Problems are recorded on the front matter reader, like every other field's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any, Protocol

from . import paywall
from .liveblog import BadUpdateTime, parse_live_blog
from .markup import plain_text

# The ``Article`` fields read here (besides the body) and what they come from.
STORY_FIELDS = ("story_type", "live_until", "breaking_until", "expires", "subscribers_only")


class ReadFrontMatter(Protocol):
    """What ``articles._FrontMatter`` offers: the front matter as written (``meta``), its
    fields as the table read them (``values``), and problems recorded with their line."""

    meta: dict[str, Any]

    @property
    def values(self) -> Mapping[str, Any]: ...

    def fail(self, key: str, message: str) -> None: ...


def read_story_fields(
    front: ReadFrontMatter, date: datetime | None, body_html: str, tz: tzinfo
) -> dict[str, Any]:
    """The news layer's ``Article`` fields, plus ``body_html`` as the page shows it and
    ``excerpt_text``, what the excerpt is cut from when there is no summary."""
    story_type, access = front.values["type"], front.values["access"]
    live_until = _after(front, "live_until", date)
    breaking = front.values["breaking"]
    breaking_until = _after(front, "breaking_until", date)
    expires = _after(front, "expires", date)
    if live_until and story_type != "live":
        front.fail("live_until", "'live_until' is for live blogs: add 'type: live'")
    if breaking and breaking_until is None and "breaking_until" not in front.meta:
        front.fail("breaking", "'breaking: true' needs 'breaking_until', when the banner ends")
    if breaking_until and not breaking:
        front.fail("breaking_until", "'breaking_until' needs 'breaking: true'")
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
            blog = parse_live_blog(body_html, date, tz)
        except BadUpdateTime as exc:
            front.fail("type", str(exc))
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


def _after(front: ReadFrontMatter, key: str, date: datetime | None) -> datetime | None:
    moment: datetime | None = front.values[key]
    if moment is not None and date is not None and moment <= date:
        front.fail(key, f"'{key}' must be after the story's date")
        return None
    return moment

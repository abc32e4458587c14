"""The links and images of a rendered body, as checks over the whole site need them.

An article's links are worked out once, when it is made, and kept with it (``links``),
so a build checking every link of the archive (lint.py) does not read every body.
They are kept packed in one string (``plain_links``; ``unpack_links`` reads it back):
the build state restores every story of the archive on each build, and a dozen links a
story held as pairs of strings would be a million small objects to restore at 100,000
stories, about a third of the time an article takes to read back.
"""

from __future__ import annotations

import re

from .compat.refs import REFERENCE_PREFIX
from .images.references import has_images

_LINK = re.compile(r"<(a|img)\b[^>]*?\s(?:href|src)=\"([^\"]*)\"", re.IGNORECASE)

Links = tuple[tuple[str, str], ...]  # (tag, URL as written), each once, in body order
# NUL ends each tag and each URL: HTML text never holds one (parsers replace it)
_END = "\0"


def body_links(body_html: str) -> Links:
    """Each link (``a``) and image (``img``) of ``body_html``, once, in order."""
    return tuple(dict.fromkeys(_LINK.findall(body_html)))


def plain_links(body_html: str, has_updates: bool) -> str | None:
    """The links of a body the build leaves as it is, packed; None for one it rewrites
    (reference tokens, images, or a live blog's updates, which may hold images)."""
    if has_updates or REFERENCE_PREFIX in body_html or has_images(body_html):
        return None
    return "".join(f"{tag}{_END}{url}{_END}" for tag, url in body_links(body_html))


# packed links whose URLs all start with http:// or https://, matched whole
_WEB_ONLY = re.compile(r"(?:[^\0]*\0https?://[^\0]*\0)*")


def web_only(packed: str) -> bool:
    """Whether every URL ``plain_links`` packed starts with http:// or https://, told in
    one pass over the string (checks over the archive ask it of every story)."""
    return _WEB_ONLY.fullmatch(packed) is not None


def unpack_links(packed: str) -> Links:
    """The (tag, URL) pairs that ``plain_links`` packed."""
    parts = packed.split(_END)  # the last part is the empty text after the last NUL
    return tuple(zip(parts[0:-1:2], parts[1:-1:2], strict=True))

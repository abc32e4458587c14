"""The links and images of a rendered body, as checks over the whole site need them.

An article's links are worked out once, when it is made, and kept with it (``links``),
so a build checking every link of the archive (lint.py) does not read every body.
"""

from __future__ import annotations

import re

from .compat.refs import REFERENCE_PREFIX
from .images.references import has_images

_LINK = re.compile(r"<(a|img)\b[^>]*?\s(?:href|src)=\"([^\"]*)\"", re.IGNORECASE)

Links = tuple[tuple[str, str], ...]  # (tag, URL as written), each once, in body order


def body_links(body_html: str) -> Links:
    """Each link (``a``) and image (``img``) of ``body_html``, once, in order."""
    return tuple(dict.fromkeys(_LINK.findall(body_html)))


def plain_links(body_html: str, has_updates: bool) -> Links | None:
    """The links of a body the build leaves as it is; None for one it rewrites (reference
    tokens, images, or a live blog's updates, which may hold images)."""
    if has_updates or REFERENCE_PREFIX in body_html or has_images(body_html):
        return None
    return body_links(body_html)

"""The ``<!--more-->`` separator of WordPress, Hugo and Jekyll: the excerpt ends there,
and the comment itself is taken out of the page."""

from __future__ import annotations

import re

# WordPress also allows "<!--more Read the rest-->"; the label is not shown by newsgen.
_MORE = re.compile(r"<!--\s*more\b[^>]*?-->\n?", re.I)


def split_more(body_html: str) -> tuple[str, str | None]:
    """The rendered body without separators, and the HTML before the first one (None
    when there is none). A paragraph it cuts in two is closed in the excerpt's HTML,
    which is only read for its words."""
    match = _MORE.search(body_html)
    if match is None:
        return body_html, None
    return _MORE.sub("", body_html), body_html[: match.start()]

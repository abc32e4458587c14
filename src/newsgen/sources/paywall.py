"""Subscribers' stories: the body after a ``<!-- paywall -->`` line wrapped for the theme.

The split is made on the rendered HTML, where Markdown keeps an HTML comment on a line
of its own as a top-level block: the free part and the wrapped part are then both
well-formed, and footnotes or heading ids stay numbered across the whole story.
"""

from __future__ import annotations

import re

# The element holding the subscribers' part; JSON-LD names it in ``cssSelector``.
PAYWALL_CLASS = "paywall-content"
PAYWALL_SELECTOR = f".{PAYWALL_CLASS}"
_MARKER = re.compile(r"^<!--\s*paywall\s*-->\s*$", re.M | re.I)


def split(body_html: str) -> tuple[str, str] | None:
    """(free part, subscribers' part) at the first ``<!-- paywall -->`` line, or None."""
    found = _MARKER.search(body_html)
    if found is None:
        return None
    return body_html[: found.start()].rstrip("\n"), body_html[found.end() :].strip("\n")


def wrap(body_html: str) -> tuple[str, str]:
    """The body with its subscribers' part wrapped, and the free part alone.

    Without a marker the whole body is for subscribers and the free part is empty.
    """
    parts = split(body_html)
    free, paid = parts if parts is not None else ("", body_html.strip("\n"))
    wrapped = f'<div class="{PAYWALL_CLASS}" data-paywall>\n{paid}\n</div>'
    return (f"{free}\n{wrapped}" if free else wrapped), free


def free_part(body_html: str) -> str:
    """What precedes the paywall marker (the whole body when there is none)."""
    parts = split(body_html)
    return body_html if parts is None else parts[0]

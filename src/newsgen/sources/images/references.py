"""Where a story uses images: its lead image and the ``<img>`` elements of its body.

Parsing (cached per source) tags every body ``<img>`` with the Markdown line it came
from, so an image problem found later in the build names ``path:line``; the image step
of each build reads those tags and replaces the elements with their final markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

LINE_ATTRIBUTE = "data-newsgen-line"
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", re.DOTALL
)


@dataclass(frozen=True)
class BodyImage:
    """One ``<img>`` of a rendered body: its attributes (unescaped) and source line."""

    attributes: dict[str, str]
    line: int | None

    @property
    def src(self) -> str:
        return self.attributes.get("src", "")

    @property
    def alt(self) -> str:
        return self.attributes.get("alt", "")


def parse_attributes(tag: str) -> dict[str, str]:
    """The attributes of one start tag, values unescaped; the first of a repeated name wins."""
    inner = tag[tag.index(" ") + 1 : -1] if " " in tag else ""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(inner.rstrip("/")):
        name = match.group(1).lower()
        value = next((g for g in match.groups()[1:] if g is not None), "")
        found.setdefault(name, html.unescape(value))
    return found


def mark_image_lines(body_html: str, body_text: str, first_line: int) -> str:
    """Tag every ``<img>`` with the line of ``body_text`` (which starts on file line
    ``first_line``) that references its ``src``; images appear in source order."""
    position = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal position
        src = parse_attributes(match.group(0)).get("src", "")
        found = body_text.find(src, position) if src else -1
        if found < 0 and src:
            found = body_text.find(src)
        if found < 0:
            return match.group(0)
        position = found + len(src)
        line = first_line + body_text.count("\n", 0, found)
        return f'<img {LINE_ATTRIBUTE}="{line}"{match.group(0)[4:]}'

    return _IMG.sub(mark, body_html) if has_images(body_html) else body_html


def rewrite_images(body_html: str, replace: Callable[[BodyImage, int], str]) -> str:
    """``body_html`` with each ``<img>`` replaced by ``replace(image, index)``."""
    if not has_images(body_html):
        return body_html
    count = 0

    def substitute(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return replace(_body_image(match.group(0)), count - 1)

    return _IMG.sub(substitute, body_html)


def has_images(body_html: str) -> bool:
    return _IMG.search(body_html) is not None


def _body_image(tag: str) -> BodyImage:
    attributes = parse_attributes(tag)
    line = attributes.pop(LINE_ATTRIBUTE, "")
    return BodyImage(attributes, int(line) if line.isdigit() else None)

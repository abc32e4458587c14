"""Smart punctuation on rendered HTML: curly quotes, dashes and ellipses.

Python-Markdown's ``smarty`` extension does this with inline patterns and costs about
as much as the rest of the conversion together; a single pass over the finished
HTML's text gives the same typography for a fraction of that, which matters on a
cold build of a large archive. Text inside ``code``, ``pre``, ``kbd``, ``samp``,
``script``, ``style``, ``math`` and tag attributes is left alone.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"(<[^>]*>)")
_VERBATIM = re.compile(r"<(/?)(code|pre|kbd|samp|script|style|math)\b", re.I)
_OPENING_CONTEXT = set(" \t\n\r([{\u2014\u2013-/\u00a0")
_QUICK = re.compile(r"[\"'.-]")


def smarten(html: str) -> str:
    """Replace straight punctuation in the text of ``html`` with typographic forms."""
    parts = _TAG.split(html)
    depth = 0
    previous = " "  # the character before the current text, across tags
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            match = _VERBATIM.match(part)
            if match:
                depth += -1 if match.group(1) else 1
                depth = max(depth, 0)
            elif part.startswith(("<p", "<li", "<h", "<td", "<th", "<br", "<blockquote", "<div")):
                previous = " "
            continue
        if not part:
            continue
        if depth == 0 and _QUICK.search(part):
            part = _smarten_text(part, previous)
            parts[index] = part
        previous = part[-1]
    return "".join(parts)


def _smarten_text(text: str, previous: str) -> str:
    text = text.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
    if '"' not in text and "'" not in text:
        return text
    out = []
    before = previous
    length = len(text)
    for position, char in enumerate(text):
        if char == '"':
            char = "\u201c" if before in _OPENING_CONTEXT else "\u201d"
        elif char == "'":
            after = text[position + 1] if position + 1 < length else " "
            if before.isalnum():
                char = "\u2019"  # apostrophe or closing quote
            elif before in _OPENING_CONTEXT and after.isdigit():
                char = "\u2019"  # a year cut short: '90s
            elif before in _OPENING_CONTEXT:
                char = "\u2018"
            else:
                char = "\u2019"
        out.append(char)
        before = char
    return "".join(out)

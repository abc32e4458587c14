"""What Pagefind is handed of an article page: the page cut down to what it reads.

Pagefind parses a whole page to index the element marked ``data-pagefind-body``; the
masthead, the menus, the Recent Posts and the scripts around it cost it a fifth of its
time over an archive for nothing. A page whose every ``data-pagefind-*`` attribute is on
or inside that element, and whose title and image are given there explicitly (so
Pagefind takes none from elsewhere on the page), indexes the same when Pagefind reads
only its ``<html>`` tag, its ``<title>`` and that element: the bundle is byte for byte
the one the whole page gives (``tests/e2e/test_search_input.py``). Any other page is
handed over whole.
"""

from __future__ import annotations

import re

_BODY = b"data-pagefind-body"
_ATTRIBUTE = b"data-pagefind-"
_META = re.compile(rb'data-pagefind-meta="([^"]*)"')
_HTML_TAG = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(rb"<title>.*?</title>", re.IGNORECASE | re.DOTALL)
_TAG_NAME = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)")
# what may hide a tag from the count of nested elements: raw text and comments
_OPAQUE = re.compile(rb"<(?:script|style|textarea|template|!--)", re.IGNORECASE)


def search_copy(page: bytes) -> bytes | None:
    """``page`` cut down to what Pagefind reads of it, or None when it cannot be cut
    without changing what Pagefind indexes (then it is indexed whole)."""
    marker = page.find(_BODY)
    if marker < 0 or page.find(_BODY, marker + 1) >= 0:
        return None
    start = page.rfind(b"<", 0, marker)
    name = _TAG_NAME.match(page, start)
    if name is None:
        return None
    end = _element_end(page, start, name.group(1))
    if end is None:
        return None
    body = page[start:end]
    if _OPAQUE.search(body):
        return None
    # every attribute Pagefind reads is in the element, with the title and image set there
    if page.count(_ATTRIBUTE) != body.count(_ATTRIBUTE):
        return None
    keys = {
        meta.split(b":", 1)[0].split(b"[", 1)[0].strip()
        for found in _META.findall(body)
        for meta in found.split(b",")
    }
    html, title = _HTML_TAG.search(page), _TITLE.search(page)
    if not {b"title", b"image"} <= keys or html is None:
        return None
    head = b'<head><meta charset="utf-8">' + (title.group(0) if title else b"") + b"</head>"
    return b"<!DOCTYPE html>" + html.group(0) + head + b"<body>" + body + b"</body></html>"


def _element_end(page: bytes, start: int, name: bytes) -> int | None:
    """Where the element opening at ``start`` ends, past its closing tag, counting the
    elements of the same name nested in it; None if it is not closed. (A tag inside a
    script or a comment would be miscounted: such an element is not cut, see above.)"""
    opening = re.compile(rb"<(/?)" + re.escape(name) + rb"(?=[\s/>])[^>]*>", re.IGNORECASE)
    depth = 0
    for tag in opening.finditer(page, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None

"""Old URLs a story or page answers to: ``aliases:`` (Hugo) and ``redirect_from:`` (Jekyll)
in front matter, normalized to site-absolute, percent-encoded paths."""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

ALIAS_FIELDS = ("aliases", "redirect_from")
URL_SAFE = "/%:@!$&'()*+,;=-._~"


def normalize_alias(alias: str, page_url: str) -> tuple[str, str]:
    """An alias as a site-absolute, percent-encoded path (with its query), and a problem.

    A full URL counts for its path; a relative path is relative to the folder holding
    the page's own (Hugo's rule); a path without extension is a folder.
    """
    text = alias.strip()
    if not text:
        return "", "an alias must not be empty"
    parts = urlsplit(text)
    path = parts.path if parts.scheme in ("http", "https") else text.split("?", 1)[0]
    query = parts.query if parts.scheme in ("http", "https") or "?" in text else ""
    if not path.startswith("/"):
        parent = posixpath.dirname(page_url.rstrip("/"))
        path = posixpath.join(parent or "/", path)
    path = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    decoded = unquote(path)
    if any(ord(character) < 0x20 or character == "\x7f" for character in decoded):
        return "", "an alias must not hold control characters, written or percent-encoded"
    encoded = quote(decoded, safe=URL_SAFE)
    return encoded + (f"?{query}" if query else ""), ""


def aliases_of(meta: dict[str, Any], page_url: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The normalized aliases in front matter, and (field, problem) for bad ones."""
    found: list[str] = []
    problems: list[tuple[str, str]] = []
    for field in ALIAS_FIELDS:
        value = meta.get(field)
        if value is None:
            continue
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            problems.append((field, f"'{field}' must be a path or a list of paths"))
            continue
        for alias in values:
            path, problem = normalize_alias(alias, page_url)
            if problem:
                problems.append((field, problem))
            elif path not in found:
                found.append(path)
    return found, problems

"""URLs of the old WordPress site: recognising them, and where they lead now.

An old URL is one on the export's site (``http`` or ``https``, with or without
``www.``) or a root-relative path. It is known by its path, or by the query WordPress
answers for any post (``?p=12``, ``?page_id=3``, ``?attachment_id=40``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlsplit

UPLOADS = "/wp-content/uploads/"
_ID_QUERIES = ("p", "page_id", "attachment_id")
_ATTRIBUTE = re.compile(r"""(\s(?:href|src|poster)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_SRCSET = re.compile(r"""(\ssrcset\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
URL_IN_TEXT = re.compile(r"""(?:https?:)?//[^\s"'<>\[\]()]+|/wp-content/uploads/[^\s"'<>\[\]()]+""")


class OldSite:
    """The hosts the export's URLs live on."""

    def __init__(self, *site_urls: str) -> None:
        self.hosts = {
            _host(urlsplit(url).netloc)
            for url in site_urls
            if url.startswith(("http://", "https://"))
        }

    def path(self, url: str) -> tuple[str, str] | None:
        """Decoded path and query of an old-site URL, or None for another site's."""
        parts = urlsplit(url.strip())
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        if parts.netloc and _host(parts.netloc) not in self.hosts:
            return None
        if not parts.netloc and not parts.path.startswith("/"):
            return None
        return unquote(parts.path) or "/", parts.query

    def key(self, url: str) -> str | None:
        """How an old URL is known: ``/?p=12`` (under the folder WordPress was installed
        in) for an id query, else its folder path."""
        found = self.path(url)
        if found is None:
            return None
        path, query = found
        values = parse_qs(query)
        for name in _ID_QUERIES:
            if values.get(name, [""])[0].isdigit():
                folder = path.removesuffix("index.php")
                folder = folder if folder.endswith("/") else folder + "/"
                return f"{folder}?{name}={int(values[name][0])}"
        if UPLOADS in path:
            return None
        path = posixpath.normpath(path) if path != "/" else "/"
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            path += "/"
        return path

    def upload(self, url: str) -> str | None:
        """The file's path below ``wp-content/uploads`` for an old upload URL."""
        found = self.path(url)
        if found is None or UPLOADS not in found[0]:
            return None
        relative = posixpath.normpath(found[0].split(UPLOADS, 1)[1])
        if relative.startswith(("..", "/")) or relative == ".":
            return None
        return relative


def rewrite_urls(html: str, new_url: Callable[[str], str | None]) -> str:
    """``href``, ``src``, ``poster`` and ``srcset`` URLs replaced where ``new_url`` knows
    a replacement (a fragment is kept)."""

    def one(url: str) -> str:
        base, hash_, fragment = url.partition("#")
        found = new_url(base)
        return url if found is None else found + (hash_ + fragment if fragment else "")

    html = _ATTRIBUTE.sub(lambda m: f"{m.group(1)}{m.group(2)}{one(m.group(3))}{m.group(2)}", html)

    def srcset(match: re.Match[str]) -> str:
        items = []
        for item in match.group(3).split(","):
            if not item.strip():
                continue
            url, *size = item.strip().split(None, 1)
            items.append(" ".join([one(url), *size]))
        return f"{match.group(1)}{match.group(2)}{', '.join(items)}{match.group(2)}"

    return _SRCSET.sub(srcset, html)


def _host(netloc: str) -> str:
    return netloc.lower().rsplit("@", 1)[-1].split(":", 1)[0].removeprefix("www.")

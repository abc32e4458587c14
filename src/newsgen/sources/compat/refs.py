"""Links to other sources (Hugo's ``ref``/``relref``, Jekyll's ``post_url``/``link``).

A source is parsed alone, so such a link is first written as a token naming the
target and the line; once every source is read, ``resolve_references`` replaces each
token with the target's URL, or reports ``path:line`` when it names no source.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar
from urllib.parse import quote, unquote

from ...errors import ContentError
from ..models import Article, Page
from .filenames import BUNDLE_NAMES, POSTS_FOLDER

REFERENCE_PREFIX = "newsgen-ref:"
_TOKEN = re.compile(r"newsgen-ref:(\w+):(\d+):([A-Za-z0-9%._~/-]*):")
Item = TypeVar("Item", Article, Page)


def reference_token(kind: str, line: int, target: str) -> str:
    """A URL-safe stand-in for the URL of ``target``, resolved after all sources are read."""
    return f"{REFERENCE_PREFIX}{kind}:{line}:{quote(target.strip(), safe='/')}:"  # ":" ends it


class _Index:
    """Sources findable by path below ``content/``, with or without suffix, by file
    name, by bundle folder, and (for ``post_url``) by ``_posts`` file name."""

    def __init__(self, items: Sequence[Article | Page], content_prefix: str) -> None:
        self.names: dict[str, list[str]] = defaultdict(list)
        self.urls: dict[str, str] = {}
        for item in items:
            relative = item.source_path.removeprefix(content_prefix)
            self.urls[relative] = item.url
            stem = os.path.splitext(relative)[0]
            keys = {relative, stem, os.path.basename(relative), os.path.basename(stem)}
            folder, name = os.path.split(relative)
            if name in BUNDLE_NAMES and folder:
                keys |= {folder, os.path.basename(folder)}
            for key in keys:
                if relative not in self.names[key]:
                    self.names[key].append(relative)

    def find(self, kind: str, target: str, source: str) -> tuple[str | None, str]:
        """The URL of ``target`` and, when it cannot be found, why."""
        path = target.strip().strip("/")
        if kind == "link":
            path = path.removeprefix(POSTS_FOLDER + "/")
        candidates = list(self.names.get(path, ()))
        if not candidates and kind in ("ref", "relref"):  # relative to the current page
            candidates = list(self.names.get(os.path.normpath(os.path.join(source, path)), ()))
        if kind == "post_url":
            candidates = [c for c in candidates if POSTS_FOLDER in c.split("/")] or candidates
        if len(candidates) == 1:
            return self.urls[candidates[0]], ""
        if not candidates:
            return None, "names no article or page"
        return None, "is ambiguous: " + ", ".join(sorted(candidates))


def resolve_references(
    items: Sequence[Item], index_over: Sequence[Article | Page], content_prefix: str
) -> tuple[list[Item], list[ContentError]]:
    """``items`` with every reference token replaced by its target's URL.

    An item whose links were resolved gets a digest that also covers the URLs it
    now shows, so its page is rendered again when a target moves.
    """
    index: _Index | None = None
    resolved: list[Item] = []
    errors: list[ContentError] = []
    for item in items:
        if getattr(item, "links", None) is not None or REFERENCE_PREFIX not in item.body_html:
            resolved.append(item)
            continue
        index = index or _Index(index_over, content_prefix)
        resolver = _Resolver(item, index, content_prefix)
        body = _TOKEN.sub(resolver.substitute, item.body_html)
        errors += resolver.errors
        digest = hashlib.sha256("\0".join([item.digest, *resolver.shown]).encode()).hexdigest()
        resolved.append(replace(item, body_html=body, digest=digest))
    return resolved, errors


class _Resolver:
    """Replaces the tokens of one source, keeping the URLs shown and the problems met."""

    def __init__(self, item: Article | Page, index: _Index, content_prefix: str) -> None:
        self.item = item
        self.index = index
        self.folder = os.path.dirname(item.source_path.removeprefix(content_prefix))
        self.shown: list[str] = []
        self.errors: list[ContentError] = []

    def substitute(self, match: re.Match[str]) -> str:
        kind, line = match.group(1), int(match.group(2))
        target, _, anchor = unquote(match.group(3)).partition("#")
        url, problem = self.index.find(kind, target, self.folder) if target else (self.item.url, "")
        if url is None:
            message = f"{kind} {target!r} {problem}"
            self.errors.append(ContentError(self.item.source_path, message, line))
            return "#"
        url += f"#{anchor}" if anchor else ""
        self.shown.append(url)
        return url

"""Reading ``data/authors.yaml``: the newsroom's described authors."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import ContentError, read_utf8
from . import urls
from .config import SiteConfig
from .models import Author
from .site_files import link_problem
from .yamlload import key_line, load_yaml

AUTHORS_FILE = Path("data") / "authors.yaml"
_FIELDS = {"name", "bio", "avatar", "links"}


def load_authors(config: SiteConfig) -> tuple[tuple[Author, ...], list[ContentError], str]:
    """The authors described by the site, the problems in the file, and its digest text."""
    path = config.root / AUTHORS_FILE
    shown = AUTHORS_FILE.as_posix()
    problem = link_problem(path, os.path.realpath(config.root))
    if problem:
        return (), [ContentError(shown, problem)], ""
    if not path.exists():
        return (), [], ""
    try:
        text = read_utf8(path, shown)
        raw = load_yaml(text, shown, unique_keys=True) or {}
    except ContentError as error:
        return (), [error], ""
    if not isinstance(raw, dict):
        return (), [ContentError(shown, "authors.yaml must map author keys to details", 1)], text
    authors, errors = [], []
    slugs: dict[str, object] = {}  # page slug -> the key that has it
    for key, details in raw.items():
        line = key_line(text, str(key)) or 1

        def fail(message: str, key: object = key, line: int | None = line) -> None:
            errors.append(ContentError(shown, f"author {key!r}: {message}", line))

        if not isinstance(details, dict):
            fail("must be a mapping with name, bio, avatar, links")
            continue
        unknown = set(details) - _FIELDS
        if unknown:
            fail(f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        name = details.get("name", key)
        links = details.get("links") or {}
        if not isinstance(name, str) or not isinstance(details.get("bio", ""), str):
            fail("name and bio must be text")
            continue
        if not isinstance(links, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in links.items()
        ):
            fail("links must map a label to a URL")
            continue
        slug = urls.slugify(str(key))
        if not slug:
            fail("the key needs a letter or digit, to make its page's URL")
            continue
        if slug in slugs:
            fail(f"has the same page URL as author {slugs[slug]!r}; give one another key")
            continue
        slugs[slug] = key
        authors.append(
            Author(
                key=str(key),
                name=name,
                url=urls.expand(config.permalinks["author"], author=slug),
                bio=details.get("bio", ""),
                avatar=str(details.get("avatar", "")),
                links=tuple(links.items()),
            )
        )
    return tuple(authors), errors, text


# an author key as written in front matter: lower case words joined by - or _
_KEY_LIKE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")


def author_typo(name: str, described_keys: Sequence[str]) -> str | None:
    """The described author key that ``name`` most likely misspells, if it looks like one."""
    if name in described_keys or not _KEY_LIKE.match(name):
        return None
    close = difflib.get_close_matches(name, described_keys, n=1, cutoff=0.75)
    return close[0] if close else None

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
from .fields import LINKS, TEXT, FieldSpec, FieldTable
from .fields import shown as shown_value
from .models import Author
from .site_files import link_problem
from .yamlload import key_line, load_yaml, path_line

AUTHORS_FILE = Path("data") / "authors.yaml"
AUTHOR_FIELDS = FieldTable(
    [
        FieldSpec("name", TEXT, default=""),  # as bylines show it; the key when absent
        FieldSpec("bio", TEXT, default=""),
        FieldSpec("avatar", TEXT, default=""),  # a picture of the site
        FieldSpec("links", LINKS, default=()),  # label: address
    ]
)
_EXPECTED = "a mapping with name, bio, avatar, links"


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
            fail(f"must be {_EXPECTED}, not {shown_value(details)}")
            continue
        values, problems = AUTHOR_FIELDS.read(details)
        for where, message in problems:
            fail(message, line=path_line(text, (key, *where)) or line)
        if problems:
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
                name=values["name"] or str(key),
                url=urls.expand(config.permalinks["author"], author=slug),
                bio=values["bio"],
                avatar=values["avatar"],
                links=values["links"],
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

"""The one place for slugs, permalink patterns and output paths."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from urllib.parse import quote

from slugify import slugify as _slugify

SEARCH_URL = "/search/"  # the search page, when the site has one
# Longer slugs are cut at a word: a file name may not pass 255 bytes, and no reader
# types a URL that long.
SLUG_LENGTH = 100


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """The URL slug of a title, tag or name ("Port Alder's Budget" -> "port-alders-budget")."""
    return _slugify(text, max_length=SLUG_LENGTH, word_boundary=True)


def expand(pattern: str, **fields: str) -> str:
    """Fill a permalink pattern; every field is URL-quoted, so a slug cannot break out."""
    return pattern.format(**{key: quote(value, safe="") for key, value in fields.items()})


def article_fields(section: str, slug: str, date: datetime) -> dict[str, str]:
    return {
        "section": section,
        "slug": slug,
        "year": f"{date.year:04d}",
        "month": f"{date.month:02d}",
        "day": f"{date.day:02d}",
    }


def output_path(url: str) -> str:
    """Where a site-absolute URL lives in the output folder: ``/a/b/`` -> ``a/b/index.html``."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path


def page_url(base: str, number: int) -> str:
    """The URL of numbered page ``number`` (counted from the oldest) of a listing whose
    front page is at ``base``."""
    return f"{base.rstrip('/')}/page/{number}/"


def absolute(base_url: str, url: str) -> str:
    """A site-absolute URL made absolute against the configured base URL."""
    if url.startswith(("http://", "https://", "mailto:")):
        return url
    return base_url.rstrip("/") + url

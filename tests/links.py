"""Following every internal link of a built site."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html


def resolve(output: Path, url: str) -> Path | None:
    """The file a site-absolute URL serves from ``output``, or None when there is none."""
    path = unquote(urlsplit(url).path)
    candidate = output / path.lstrip("/")
    if path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def internal_links(page: Path) -> list[str]:
    """Site-absolute ``href``/``src`` targets of one HTML page."""
    tree = lxml.html.fromstring(page.read_bytes())
    found = []
    for element in tree.iter():
        for attribute in ("href", "src"):
            value = element.get(attribute)
            if value and value.startswith("/") and not value.startswith("//"):
                found.append(value)
    return found


def broken_links(output: Path) -> list[tuple[str, str]]:
    """(page, link) for every internal link in the site that leads nowhere."""
    broken = []
    for page in sorted(output.rglob("*.html")):
        for link in internal_links(page):
            if resolve(output, link) is None:
                broken.append((page.relative_to(output).as_posix(), link))
    return broken

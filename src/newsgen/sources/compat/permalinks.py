"""``permalink:`` (Jekyll) and ``url:`` (Hugo) in front matter: the page's own URL.

A literal path is used as it is (``/about`` is read as ``/about/``, a folder); Jekyll's
placeholders ``:year``, ``:month``, ``:day``, ``:title``, ``:slug`` and ``:categories``
/ ``:section`` are filled from the story.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_PLACEHOLDER = re.compile(r":([a-z_]+)")
FIELDS = ("permalink", "url")


def front_matter_url(pattern: str, values: dict[str, str]) -> tuple[str, str]:
    """The URL ``pattern`` names, and a problem (empty when there is none)."""
    unknown = sorted({name for name in _PLACEHOLDER.findall(pattern) if name not in values})
    if unknown:
        known = ", ".join(":" + name for name in sorted(values))
        return "", f"unknown placeholder :{unknown[0]} (known: {known})"
    path = _PLACEHOLDER.sub(lambda m: quote(values[m.group(1)], safe=""), pattern.strip())
    path = "/" + path.lstrip("/")
    path = re.sub(r"/{2,}", "/", path)
    if any(part in (".", "..") for part in path.split("/")):
        return "", "a permalink may not contain '.' or '..' folders"
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    return quote(path, safe="/%:@!$&'()*+,;=-._~"), ""

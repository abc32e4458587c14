"""Liquid in Jekyll posts: the tags and variables posts use, read as Jekyll would.

``{% post_url %}`` and ``{% link %}`` become links (see refs.py); ``{{ site.baseurl }}``
and ``{{ site.url }}`` are empty (newsgen links are root-relative), ``{{ page.KEY }}``
is the front matter value, ``{{ "/x" | relative_url }}`` is ``/x``. The caller turns
``{% highlight %}`` and ``{% raw %}`` blocks into Markdown and warns about the rest.
"""

from __future__ import annotations

import re
from typing import Any

from .refs import reference_token

_STRING = re.compile(r"""^(?:"([^"]*)"|'([^']*)')$""")
_URL_FILTERS = frozenset({"relative_url", "absolute_url", "prepend: site.baseurl"})


def tag(name: str, argument: str, line: int) -> str | None:
    """The text of the Liquid tag ``{% name argument %}``, or None when unsupported."""
    if name in ("post_url", "link") and argument.strip():
        return reference_token(name, line, argument.strip())
    return None


def output(expression: str, meta: dict[str, Any]) -> str | None:
    """The text of ``{{ expression }}``, or None when unsupported."""
    value, *filters = [part.strip() for part in expression.split("|")]
    if any(f not in _URL_FILTERS for f in filters):
        return None
    if value in ("site.baseurl", "site.url"):
        return ""
    string = _STRING.match(value)
    if string:
        return string.group(1) if string.group(1) is not None else string.group(2)
    if value.startswith("page."):
        found = meta.get(value.removeprefix("page."))
        if isinstance(found, (str, int, float)) and not isinstance(found, bool):
            return str(found)
    return None

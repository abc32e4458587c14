"""``layout:`` in front matter: the template a story or page is rendered with.

Jekyll's and Hugo's usual layouts (``post``, ``page``, ``single``, ``default``) are
what newsgen's ``article.html`` and ``page.html`` already are. Any other layout is the
site's ``templates/<layout>.html`` when it has one; otherwise a warning names the
source and the default template is used.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from ..errors import ContentError
from ..sources.config import SiteConfig
from ..sources.theme import template_dirs

log = logging.getLogger("newsgen")

STANDARD = frozenset({"post", "page", "single", "default", "article", "list"})
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")


def template_for(config: SiteConfig, source: str, extra: Mapping[str, Any], default: str) -> str:
    """The template of a story or page whose unknown front matter is ``extra``."""
    layout = extra.get("layout")
    if layout is None or layout in STANDARD:
        return default
    name = f"{layout}.html"
    if isinstance(layout, str) and _NAME.match(layout):
        if any((folder / name).is_file() for folder in template_dirs(config)):
            return name
    message = f"layout {layout!r} has no template templates/{name}; {default} is used"
    log.warning("%s", ContentError(source, message))
    return default

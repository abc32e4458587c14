"""What a source's place in ``content/`` says when front matter is silent.

Jekyll names posts ``YYYY-MM-DD-slug.md`` and keeps them in ``_posts/`` folders; Hugo
keeps a story and its pictures together in a *page bundle*, ``story/index.md``. The
date and slug come from the name (the folder's, for a bundle), and ``_posts`` is no
section of its own: ``news/_posts/x.md`` is in ``news``.
"""

from __future__ import annotations

import os
import re
from typing import Any

POSTS_FOLDER = "_posts"
DEFAULT_POSTS_SECTION = "posts"  # for ``content/_posts/`` stories without a category
BUNDLE_NAMES = frozenset({"index.md", "index.markdown"})
_DATED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


def is_bundle(parts: tuple[str, ...]) -> bool:
    """``story/index.md``: a page bundle, whose folder holds its resources."""
    return len(parts) > 1 and parts[-1] in BUNDLE_NAMES


def name_defaults(parts: tuple[str, ...]) -> dict[str, Any]:
    """``date`` and ``slug`` told by the file (or bundle folder) name, to be used only
    where front matter does not give them."""
    name = parts[-2] if is_bundle(parts) else os.path.splitext(parts[-1])[0]
    match = _DATED.match(name)
    if match:
        year, month, day, slug = match.groups()
        return {"date": f"{year}-{month}-{day}", "slug": slug}
    return {"slug": name} if is_bundle(parts) else {}


def section_folders(parts: tuple[str, ...]) -> tuple[str, ...]:
    """The folders that may name the section: those above the file, ``_posts`` and the
    bundle folder left out."""
    folders = parts[:-2] if is_bundle(parts) else parts[:-1]
    return tuple(folder for folder in folders if folder != POSTS_FOLDER)


def in_posts_folder(parts: tuple[str, ...]) -> bool:
    return POSTS_FOLDER in parts[:-1]

"""Splitting YAML front matter from a Markdown body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ContentError
from .yamlload import load_yaml

FENCE = "---"


@dataclass(frozen=True)
class FrontMatter:
    meta: dict[str, Any]
    yaml_text: str
    body: str
    body_line: int  # file line on which the body starts


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Separate the ``---`` delimited YAML block from the body and parse it."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise ContentError(path, "missing front matter: the file must start with a '---' line", 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            meta = load_yaml(yaml_text, path, first_line=2) if yaml_text.strip() else {}
            if meta is None:
                meta = {}
            if not isinstance(meta, dict):
                raise ContentError(path, "front matter must be a mapping of keys to values", 2)
            return FrontMatter(meta, yaml_text, body, index + 2)
    raise ContentError(path, "front matter is not closed: add a '---' line after it", 1)

"""YAML reading through libyaml when it is there, with errors mapped to file lines."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import ContentError

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader


def load_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse ``text``; a syntax error names ``path`` and the line in that file.

    ``first_line`` is the file line the text starts on, so front matter errors
    point into the Markdown file rather than into the YAML block.
    """
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or "invalid YAML"
        raise ContentError(path, f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, f"invalid YAML: {exc}", first_line) from None


def key_line(text: str, key: str, first_line: int = 1) -> int | None:
    """The file line where top-level ``key`` stands in a YAML block, if it does."""
    prefix = f"{key}:"
    for number, line in enumerate(text.splitlines()):
        if line.startswith(prefix):
            return first_line + number
    found = _node_line(text, key)  # a quoted or unusual key: ask the parser where it is
    return None if found is None else first_line + found


def _node_line(text: str, key: str) -> int | None:
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if isinstance(node, yaml.MappingNode):
                for key_node, _ in node.value:
                    if str(loader.construct_object(key_node, deep=True)) == key:
                        return key_node.start_mark.line
        finally:
            loader.dispose()
    except (yaml.YAMLError, TypeError, ValueError):
        pass
    return None

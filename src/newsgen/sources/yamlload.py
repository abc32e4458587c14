"""YAML reading through libyaml when it is there, with errors mapped to file lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from ..errors import ContentError

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, with dates YAML cannot construct reported at their line."""

    first_line = 1  # the file line the text starts on

    def construct_timestamp(self, node: yaml.Node) -> Any:
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)
        except ValueError as exc:  # a calendar day that does not exist: 2026-02-30
            raise ConstructorError(
                None, None, f"impossible date {node.value!r} ({exc})", node.start_mark
            ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_timestamp)


class _UniqueKeysLoader(_Loader):
    """Also refuses a key given twice in one mapping, which YAML resolves silently
    (the later value wins)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        first: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                continue
            key = self.construct_object(key_node)
            if key in first:
                raise ConstructorError(
                    None,
                    None,
                    f"the key {key_node.value!r} is given twice (first on line {first[key] + self.first_line}); "
                    "keep one",
                    key_node.start_mark,
                )
            first[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep)


def load_yaml(text: str, path: str, first_line: int = 1, unique_keys: bool = False) -> Any:
    """Parse ``text``; a syntax error names ``path`` and the line in that file.

    ``first_line`` is the file line the text starts on, so front matter errors
    point into the Markdown file rather than into the YAML block. ``unique_keys``
    makes a repeated key an error.
    """
    loader = (_UniqueKeysLoader if unique_keys else _Loader)(text)
    loader.first_line = first_line
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = exc.problem or "invalid YAML"
        hint = _hint(problem, text, mark.line if mark else -1)
        raise ContentError(path, f"invalid YAML: {problem}{hint}", line) from None
    except yaml.YAMLError as exc:
        raise ContentError(path, f"invalid YAML: {exc}", first_line) from None
    finally:
        loader.dispose()


def _hint(problem: str, text: str, index: int) -> str:
    """The usual fix for the usual causes of ``problem`` at line ``index`` of ``text``."""
    lines = text.splitlines()
    line = lines[index] if 0 <= index < len(lines) else ""
    if "\t" in line[: len(line) - len(line.lstrip())]:
        return "; indent with spaces, not tabs"
    if "mapping values" in problem or "cannot start any token" in problem:
        return _quote_hint(line)
    return ""


def _quote_hint(line: str) -> str:
    """The fix for ``title: Budget: what it means`` or ``title: @home``: quote the value."""
    if ":" not in line:
        return ""
    key, value = line.split(":", 1)
    value = value.strip().replace("\\", "\\\\").replace('"', '\\"')
    return f'; put the value in quotes: {key.strip()}: "{value}"'


def key_line(text: str, key: str, first_line: int = 1) -> int | None:
    """The file line where top-level ``key`` stands in a YAML block, if it does."""
    prefix = f"{key}:"
    for number, line in enumerate(text.splitlines()):
        if line.startswith(prefix):
            return first_line + number
    found = _node_line(text, key)  # a quoted or unusual key: ask the parser where it is
    return None if found is None else first_line + found


def path_line(text: str, path: Sequence[object], first_line: int = 1) -> int | None:
    """The file line of what ``path`` (mapping keys and list positions from 0) leads to
    in a YAML block, or of the deepest part of it that is there."""
    if len(path) <= 1:
        return key_line(text, str(path[0]), first_line) if path else None
    line = None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            for part in path:
                if isinstance(node, yaml.MappingNode):
                    pairs = node.value
                    found = [(k, v) for k, v in pairs if _key(loader, k) == str(part)]
                    if not found:
                        break
                    line, node = found[0][0].start_mark.line, found[0][1]
                elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                    if not 0 <= part < len(node.value):
                        break
                    node = node.value[part]
                    line = node.start_mark.line
                else:
                    break
        finally:
            loader.dispose()
    except (yaml.YAMLError, TypeError, ValueError):
        return None
    return None if line is None else first_line + line


def _key(loader: Any, node: yaml.Node) -> str:
    return str(loader.construct_object(node, deep=True))


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

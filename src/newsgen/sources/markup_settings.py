"""The Markdown extensions a site adds to newsgen's own: ``markdown:`` in newsgen.yaml
(any installed Python-Markdown extension, by import name) and those plugins register.

Each named extension is tried once when the configuration is read, so a name that does
not import or a setting the extension does not have is an error at its line in
newsgen.yaml, not a failure in the middle of parsing the archive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import markdown
from markdown.extensions import Extension

from .yamlload import child_lines

MarkdownExtension = str | Extension
FailAt = Callable[[str, int | None], None]  # (message, line in newsgen.yaml or None)
_KEYS = ("extensions", "extension_configs")


@dataclass(frozen=True)
class MarkdownSettings:
    """Extensions beyond newsgen's own, in order, and the settings of any extension
    (newsgen's own included: ``toc: {permalink: true}``)."""

    extensions: tuple[MarkdownExtension, ...] = ()
    configs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def plus(
        self, extensions: tuple[MarkdownExtension, ...], configs: Mapping[str, Mapping[str, Any]]
    ) -> MarkdownSettings:
        merged = {name: dict(values) for name, values in self.configs.items()}
        for name, values in configs.items():
            merged[name] = {**merged.get(name, {}), **values}
        return MarkdownSettings(self.extensions + extensions, merged)

    @property
    def key(self) -> str:
        """What parsed documents depend on, for the build state's key. An extension
        object counts by its class: the plugin that made it counts by its source."""
        names = [
            e if isinstance(e, str) else f"{type(e).__module__}.{type(e).__qualname__}"
            for e in self.extensions
        ]
        settings = sorted((name, repr(sorted(v.items()))) for name, v in self.configs.items())
        return hashlib.sha256(repr((names, settings)).encode()).hexdigest()

    def arguments(
        self, own: list[str], own_configs: Mapping[str, Mapping[str, Any]]
    ) -> tuple[list[MarkdownExtension], dict[str, dict[str, Any]]]:
        """``markdown.Markdown``'s ``extensions`` and ``extension_configs``: newsgen's own
        extensions followed by these (an own one named again is not loaded twice)."""
        known = {_canonical(name) for name in own}
        extensions: list[MarkdownExtension] = list(own)
        for extension in self.extensions:
            if isinstance(extension, str):
                if _canonical(extension) in known:
                    continue
                known.add(_canonical(extension))
            extensions.append(extension)
        configs = {name: dict(values) for name, values in own_configs.items()}
        for name, values in self.configs.items():
            mine = next((n for n in configs if _canonical(n) == _canonical(name)), name)
            configs[mine] = {**configs.get(mine, {}), **values}
        return extensions, configs


def _canonical(name: str) -> str:
    """``footnotes`` and ``markdown.extensions.footnotes`` are one extension."""
    return name if "." in name else f"markdown.extensions.{name}"


def extension_problem(extension: MarkdownExtension, configs: Mapping[str, Any]) -> str | None:
    """Why Python-Markdown cannot load ``extension`` with ``configs``, or None."""
    try:
        if isinstance(extension, str):
            markdown.Markdown(extensions=[extension], extension_configs={extension: configs})
        else:
            markdown.Markdown(extensions=[extension])
    except ImportError as exc:
        return f"cannot be imported ({exc}); is it installed?"
    except KeyError as exc:
        return f"has no setting {exc}"
    except Exception as exc:  # whatever an extension's own code raises
        return f"cannot be loaded: {type(exc).__name__}: {exc}"
    return None


def parse_markdown_settings(raw: Any, text: str, own: list[str], fail: FailAt) -> MarkdownSettings:
    """``markdown:`` of newsgen.yaml: ``extensions`` (import names) and
    ``extension_configs`` (name -> settings), each extension tried once. No value is
    the default: none added."""
    if raw is None:
        return MarkdownSettings()
    if not isinstance(raw, dict):
        fail("markdown must be a mapping with extensions and extension_configs", None)
        return MarkdownSettings()
    key_lines = dict(zip(map(str, raw), child_lines(text, "markdown"), strict=False))
    for key in raw:
        if key not in _KEYS:
            fail(f"unknown markdown field {key!r} (known: {', '.join(_KEYS)})", key_lines.get(key))
    names = raw.get("extensions") or []
    lines = child_lines(text, "markdown", "extensions")
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        fail("markdown.extensions must be a list of extension names", key_lines.get("extensions"))
        names = []
    configs = raw.get("extension_configs") or {}
    if not isinstance(configs, dict):
        line = key_lines.get("extension_configs")
        fail("markdown.extension_configs must map extension names to their settings", line)
        configs = {}
    config_lines = dict(
        zip(map(str, configs), child_lines(text, "markdown", "extension_configs"), strict=False)
    )
    kept: dict[str, dict[str, Any]] = {}
    for name, values in configs.items():
        line = config_lines.get(str(name))
        if not isinstance(values, dict) or not all(isinstance(k, str) for k in values):
            fail(f"markdown.extension_configs.{name} must be a mapping of settings", line)
        elif _canonical(str(name)) not in {_canonical(n) for n in [*own, *names]}:
            fail(f"markdown.extension_configs names {name!r}, which is not an extension in use "
                 "(add it to markdown.extensions)", line)  # fmt: skip
        else:
            kept[str(name)] = values
    for index, name in enumerate(names):
        line = lines[index] if index < len(lines) else None
        settings = next((v for n, v in kept.items() if _canonical(n) == _canonical(name)), {})
        problem = extension_problem(name, settings)
        if problem:
            fail(f"markdown extension {name!r} {problem}", line)
    for name, values in kept.items():
        if not any(_canonical(n) == _canonical(name) for n in names):
            problem = extension_problem(name, values)  # one of newsgen's own, set otherwise
            if problem:
                fail(f"markdown extension {name!r} {problem}", config_lines.get(name))
    return MarkdownSettings(tuple(names), kept)

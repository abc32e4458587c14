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
from typing import TYPE_CHECKING, Any, TypeAlias

from .fields import Converter, Invalid, KeyPath, ReadContext, must_be, unknown_key
from .markup import EXTENSION_CONFIGS, EXTENSIONS

if TYPE_CHECKING:  # Python-Markdown is imported where something is parsed (markup.py)
    from markdown.extensions import Extension

MarkdownExtension: TypeAlias = "str | Extension"
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

    def arguments(self) -> tuple[list[MarkdownExtension], dict[str, dict[str, Any]]]:
        """``markdown.Markdown``'s ``extensions`` and ``extension_configs``: newsgen's own
        extensions followed by these (an own one named again is not loaded twice)."""
        known = {_canonical(name) for name in EXTENSIONS}
        extensions: list[MarkdownExtension] = list(EXTENSIONS)
        for extension in self.extensions:
            if isinstance(extension, str):
                if _canonical(extension) in known:
                    continue
                known.add(_canonical(extension))
            extensions.append(extension)
        configs = {name: dict(values) for name, values in EXTENSION_CONFIGS.items()}
        for name, values in self.configs.items():
            mine = next((n for n in configs if _canonical(n) == _canonical(name)), name)
            configs[mine] = {**configs.get(mine, {}), **values}
        return extensions, configs


def _canonical(name: str) -> str:
    """``footnotes`` and ``markdown.extensions.footnotes`` are one extension."""
    return name if "." in name else f"markdown.extensions.{name}"


def extension_problem(extension: MarkdownExtension, configs: Mapping[str, Any]) -> str | None:
    """Why Python-Markdown cannot load ``extension`` with ``configs``, or None."""
    import markdown

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


def _read(value: Any, context: ReadContext) -> MarkdownSettings:
    if not isinstance(value, dict):
        raise Invalid
    return parse_markdown_settings(value, context.problem)


MARKDOWN = Converter("a mapping with extensions and extension_configs", _read, "markdown")


def parse_markdown_settings(
    raw: dict[Any, Any], fail: Callable[[str, KeyPath], None]
) -> MarkdownSettings:
    """``markdown:`` of newsgen.yaml: ``extensions`` (import names) and
    ``extension_configs`` (name -> settings), each extension tried once; each problem
    goes to ``fail`` with the path to what it is about."""
    for key in raw:
        if key not in _KEYS:
            fail(unknown_key(str(key), _KEYS, "markdown."), (key,))
    names = raw.get("extensions") or []
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        fail(must_be("markdown.extensions", "a list of extension names", names), ("extensions",))
        names = []
    configs = raw.get("extension_configs") or {}
    if not isinstance(configs, dict):
        expected = "a mapping of extension names to their settings"
        fail(must_be("markdown.extension_configs", expected, configs), ("extension_configs",))
        configs = {}
    in_use = {_canonical(n) for n in [*EXTENSIONS, *names]}
    kept: dict[str, dict[str, Any]] = {}
    for name, values in configs.items():
        where = ("extension_configs", name)
        if not isinstance(values, dict) or not all(isinstance(k, str) for k in values):
            fail(
                must_be(f"markdown.extension_configs.{name}", "a mapping of settings", values),
                where,
            )
        elif _canonical(str(name)) not in in_use:
            fail(f"markdown.extension_configs names {name!r}, which is not an extension in use "
                 "(add it to markdown.extensions)", where)  # fmt: skip
        else:
            kept[str(name)] = values
    for index, name in enumerate(names):
        settings = next((v for n, v in kept.items() if _canonical(n) == _canonical(name)), {})
        problem = extension_problem(name, settings)
        if problem:
            fail(f"markdown extension {name!r} {problem}", ("extensions", index))
    for name, values in kept.items():
        if not any(_canonical(n) == _canonical(name) for n in names):
            problem = extension_problem(name, values)  # one of newsgen's own, set otherwise
            if problem:
                fail(f"markdown extension {name!r} {problem}", ("extension_configs", name))
    return MarkdownSettings(tuple(names), kept)

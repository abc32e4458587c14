"""What plugins add to the stages below the build: front matter fields, template filters
and globals, and the digest of the plugins' code.

These are plain values on ``SiteConfig.additions``: newsgen/plugins/ loads the plugins
that ``plugins:`` in newsgen.yaml names, fills them in and runs the events; reading
sources and rendering only look them up here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from .markup_settings import FailAt
from .yamlload import child_lines

FieldConverter = Callable[[Any], Any]  # the YAML value -> the value kept; ValueError: wrong
PLUGINS_FOLDER = "plugins"
ENTRY_POINT_GROUP = "newsgen.plugins"


@dataclass(frozen=True)
class PluginName:
    """A plugin as ``plugins:`` names it, with its line in newsgen.yaml."""

    name: str
    line: int


@dataclass(frozen=True)
class FieldRule:
    """A front matter field a plugin adds: its value, converted, is in ``extra``."""

    name: str
    convert: FieldConverter
    required: bool = False
    plugin: str = ""


@dataclass(frozen=True)
class Additions:
    fields: tuple[FieldRule, ...] = ()
    filters: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    globals: Mapping[str, Any] = field(default_factory=dict)
    digest: str = ""  # of the plugins' code; empty without plugins

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(rule.name for rule in self.fields)


def parse_plugin_names(raw: Any, text: str, root: Path, fail: FailAt) -> tuple[PluginName, ...]:
    """``plugins:`` of newsgen.yaml: names of plugins the site or an installed package
    has, each once (they are loaded when a build starts: see newsgen/plugins/). No value
    is none."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        fail("plugins must be a list of plugin names", None)
        return ()
    lines = child_lines(text, "plugins")
    local = local_plugins(root)
    # looking through every installed package costs tens of milliseconds: only when needed
    installed = (
        installed_plugins() if any(n not in local for n in raw if isinstance(n, str)) else {}
    )
    found: dict[str, PluginName] = {}
    for index, name in enumerate(raw):
        line = lines[index] if index < len(lines) else 0
        if not isinstance(name, str) or not name.strip():
            fail(f"a plugin is named by text, not {name!r}", line or None)
        elif name in found:
            fail(f"plugin {name!r} is named twice (first on line {found[name].line})", line or None)
        elif name not in local and name not in installed:
            fail(unknown_plugin(name, local, installed), line or None)
        else:
            found[name] = PluginName(name, line)
    return tuple(found.values())


def local_plugins(root: Path) -> dict[str, Path]:
    """The site's own plugins: name -> module file in its ``plugins/`` folder."""
    folder = root / PLUGINS_FOLDER
    return {path.stem: path for path in sorted(folder.glob("*.py"))} if folder.is_dir() else {}


def installed_plugins() -> dict[str, EntryPoint]:
    """Plugins installed packages declare: name -> entry point."""
    return {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}


def unknown_plugin(name: str, local: Mapping[str, Path], installed: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(name, sorted({*local, *installed}), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    where = f"no {PLUGINS_FOLDER}/{name}.py and no installed package declares it"
    return f"unknown plugin {name!r}{hint}: {where} (entry point group {ENTRY_POINT_GROUP})"


def convert_fields(
    meta: Mapping[str, Any], rules: tuple[FieldRule, ...], fail: Callable[[str, str], None]
) -> dict[str, Any]:
    """The plugin fields of one source's front matter, converted; a value a converter
    refuses (``ValueError`` or ``TypeError``, whose text says why) is reported with
    ``fail(field, message)``, like any front matter problem."""
    values: dict[str, Any] = {}
    for rule in rules:
        if rule.name not in meta:
            if rule.required:
                fail(rule.name, f"missing required field '{rule.name}'")
            continue
        try:
            values[rule.name] = rule.convert(meta[rule.name])
        except (ValueError, TypeError) as exc:
            fail(rule.name, f"'{rule.name}': {exc}")
        except Exception as exc:  # a bug of the plugin's, reported as such
            fail(
                rule.name,
                f"plugin {rule.plugin!r} failed reading '{rule.name}': {type(exc).__name__}: {exc}",
            )
    return values

"""Plugins as the stages below the build see them: the names ``plugins:`` in newsgen.yaml
gives, where each is found, and what the loaded plugins add to rendering (template
filters and globals) with the digest of their code.

newsgen/plugins/ loads the plugins, fills in ``SiteConfig.additions`` and runs the
events; the front matter fields plugins add are rows of articlefields.py's table.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from .fields import Invalid, ReadContext

PLUGINS_FOLDER = "plugins"
ENTRY_POINT_GROUP = "newsgen.plugins"


@dataclass(frozen=True)
class PluginName:
    """A plugin as ``plugins:`` names it, with its line in newsgen.yaml."""

    name: str
    line: int


@dataclass(frozen=True)
class Additions:
    filters: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    globals: Mapping[str, Any] = field(default_factory=dict)
    digest: str = ""  # of the plugins' code; empty without plugins


def read_plugin_names(value: Any, context: ReadContext) -> tuple[str, ...]:
    """``plugins:``: a list of names, each once (where each is found is checked by
    ``unknown_plugins``, which needs the site's folder)."""
    if not isinstance(value, list):
        raise Invalid
    names: list[str] = []
    for index, name in enumerate(value):
        if not isinstance(name, str) or not name.strip():
            context.problem(f"a plugin is named by text, not {name!r}", (index,))
        elif name in names:
            context.problem(f"plugin {name!r} is named twice", (index,))
        else:
            names.append(name)
    return tuple(names)


def unknown_plugins(names: tuple[str, ...], root: Path) -> list[str]:
    """Why each name the site and the installed packages lack is unknown ("" if known)."""
    local = local_plugins(root)
    # looking through every installed package costs tens of milliseconds: only when needed
    installed = installed_plugins() if any(n not in local for n in names) else {}
    return [
        "" if name in local or name in installed else unknown_plugin(name, local, installed)
        for name in names
    ]


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

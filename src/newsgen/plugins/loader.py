"""Finding and loading the plugins ``plugins:`` in newsgen.yaml names.

A name is a module in the site's ``plugins/`` folder (``house_style`` ->
``plugins/house_style.py``), or else an entry point of the group ``newsgen.plugins``
that an installed package declares (its value a module with ``register``, or the
``register`` function itself). A site's own module is loaded afresh from its file on
every build, so an edited plugin counts at once (also under ``newsgen serve``); it may
import its neighbours in ``plugins/`` relatively (``from . import rules``).

The plugins' digest, part of the build state's key: every file of ``plugins/`` when a
local plugin is used, and each installed plugin's distribution name and version.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import traceback
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

from ..errors import BuildFailed, ContentError, NewsgenError, PluginError
from ..sources.additions import (
    PLUGINS_FOLDER,
    PluginName,
    installed_plugins,
    local_plugins,
    unknown_plugin,
)
from ..sources.config import CONFIG_NAME, SiteConfig
from .api import Registry

# The package a site's own plugins are loaded into (its __path__ is the site's folder).
LOCAL_PACKAGE = "_newsgen_site_plugins"


@dataclass(frozen=True)
class LoadedPlugin:
    """A registered plugin: ``where`` names it in errors (its file, or its package);
    ``files`` are its source files (file name -> as shown), to find where it failed."""

    name: str
    where: str
    files: Mapping[str, str]
    registry: Registry


def load_plugins(config: SiteConfig) -> tuple[tuple[LoadedPlugin, ...], str]:
    """Every plugin of the site, registered, and their digest; every problem at once."""
    if not config.plugins:
        return (), ""
    local = local_plugins(config.root)
    wanted = [ref.name for ref in config.plugins if ref.name not in local]
    installed = installed_plugins() if wanted else {}
    digest = hashlib.sha256()
    if any(ref.name in local for ref in config.plugins):
        digest.update(_folder_digest(config.root / PLUGINS_FOLDER).encode())
        _forget_local_modules()
    loaded: list[LoadedPlugin] = []
    errors: list[NewsgenError] = []
    dont_write = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # no __pycache__ in the site's folder for serve to see
    try:
        for ref in config.plugins:
            try:
                if ref.name in local:
                    plugin = _load_local(ref, local[ref.name], config.root)
                elif ref.name in installed:
                    plugin = _load_installed(ref, installed[ref.name])
                    dist = installed[ref.name].dist
                    version = f"{dist.name}\0{dist.version}" if dist else plugin.where
                    digest.update(f"{ref.name}\0{version}\n".encode())
                else:  # gone since newsgen.yaml was read
                    message = unknown_plugin(ref.name, local, installed)
                    raise ContentError(CONFIG_NAME, message, ref.line)
                loaded.append(plugin)
            except NewsgenError as error:
                errors.append(error)
    finally:
        sys.dont_write_bytecode = dont_write
    errors += _clashes(loaded)
    if errors:
        raise BuildFailed(errors)
    return tuple(loaded), digest.hexdigest()


def _load_local(ref: PluginName, path: Path, root: Path) -> LoadedPlugin:
    shown = path.relative_to(root).as_posix()
    files = {
        str(found): found.relative_to(root).as_posix()
        for found in path.parent.rglob("*.py")
        if "__pycache__" not in found.parts
    }
    package = types.ModuleType(LOCAL_PACKAGE)
    package.__path__ = [str(path.parent)]
    sys.modules[LOCAL_PACKAGE] = package
    spec = importlib.util.spec_from_file_location(f"{LOCAL_PACKAGE}.{ref.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a syntax error, a failed import, anything at module level
        raise _cannot_load(ref, shown, files, exc) from None
    return _registered(ref, shown, files, getattr(module, "register", None))


def _load_installed(ref: PluginName, point: EntryPoint) -> LoadedPlugin:
    shown = f"{point.dist.name} ({point.value})" if point.dist else point.value
    try:
        target = point.load()
    except Exception as exc:
        raise _cannot_load(ref, shown, {}, exc) from None
    register = getattr(target, "register", None) if isinstance(target, types.ModuleType) else target
    file = getattr(sys.modules.get(point.module), "__file__", None)
    return _registered(ref, shown, {file: file} if file else {}, register)


def _registered(
    ref: PluginName, shown: str, files: Mapping[str, str], register: Callable[..., Any] | None
) -> LoadedPlugin:
    if not callable(register):
        message = f"plugin {ref.name!r} ({shown}) has no register(registry) function"
        raise ContentError(CONFIG_NAME, message, ref.line)
    registry = Registry(ref.name)
    plugin = LoadedPlugin(ref.name, shown, files, registry)
    try:
        register(registry)
    except Exception as exc:
        raise plugin_failure(plugin, "register", exc) from None
    return plugin


def _cannot_load(
    ref: PluginName, shown: str, files: Mapping[str, str], exc: Exception
) -> ContentError:
    if isinstance(exc, SyntaxError):
        file = files.get(exc.filename or "", shown)
        where = f"{file}:{exc.lineno}" if exc.lineno else file
        cause = f"SyntaxError: {exc.msg}"
    else:
        file, line = _blame(files, shown, exc)
        where = f"{file}:{line}" if line else file
        cause = f"{type(exc).__name__}: {exc}"
    message = f"plugin {ref.name!r} cannot be loaded: {where}: {cause}"
    return ContentError(CONFIG_NAME, message, ref.line)


def plugin_failure(
    plugin: LoadedPlugin, event: str, exc: BaseException, subject: str = ""
) -> ContentError:
    """A plugin's exception as a problem at the line of its code that raised it."""
    message = f"plugin {plugin.name!r} failed in {event}: {type(exc).__name__}: {exc}"
    file, line = _blame(plugin.files, plugin.where, exc)
    return PluginError(file, message, line, (subject,) if subject else ())


def _blame(files: Mapping[str, str], shown: str, exc: BaseException) -> tuple[str, int | None]:
    """The file (as shown) and line of the innermost frame of ``exc``'s traceback in one
    of ``files``; ``shown`` and no line when there is none."""
    found: tuple[str, int | None] = (shown, None)
    for frame, number in traceback.walk_tb(exc.__traceback__):
        file = files.get(frame.f_code.co_filename)
        if file is not None:
            found = (file, number)
    return found


def _clashes(loaded: list[LoadedPlugin]) -> list[NewsgenError]:
    """Two plugins adding the same field, filter or global."""
    errors: list[NewsgenError] = []
    owners: dict[tuple[str, str], str] = {}
    for plugin in loaded:
        registry = plugin.registry
        names = [
            *(("field", rule.name) for rule in registry.fields),
            *(("filter", name) for name in registry.filters),
            *(("global", name) for name in registry.globals),
        ]
        for kind, name in names:
            first = owners.setdefault((kind, name), plugin.name)
            if first != plugin.name:
                message = f"plugins {first!r} and {plugin.name!r} both add the {kind} {name!r}"
                errors.append(ContentError(CONFIG_NAME, message))
    return errors


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and "__pycache__" not in path.parts and not relative.startswith("."):
            digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _forget_local_modules() -> None:
    """Drop the site plugins of an earlier build from ``sys.modules``: load them afresh."""
    for name in [n for n in sys.modules if n == LOCAL_PACKAGE or n.startswith(LOCAL_PACKAGE + ".")]:
        del sys.modules[name]

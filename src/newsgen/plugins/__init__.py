"""Plugins: Python modules that ``plugins:`` in newsgen.yaml names, adding Markdown
extensions, template filters and globals, front matter fields and event hooks.

A plugin author needs only ``Registry`` (see api.py for the events and their order);
the build uses ``activate`` and ``Plugins``. docs/plugins.md describes it for users.
"""

from ..sources.additions import ENTRY_POINT_GROUP, PLUGINS_FOLDER
from .api import Registry
from .events import Plugins, activate

__all__ = ["ENTRY_POINT_GROUP", "PLUGINS_FOLDER", "Plugins", "Registry", "activate"]

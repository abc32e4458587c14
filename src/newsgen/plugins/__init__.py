"""Plugins: Python modules that ``plugins:`` in newsgen.yaml names, adding Markdown
extensions, template filters and globals, front matter fields and event hooks.

A plugin author needs ``Registry`` and the types its hooks are given (api.py documents
the events and their order); the build uses ``activated`` and ``Plugins``.
docs/plugins.md describes it for users.
"""

from ..sources.additions import ENTRY_POINT_GROUP, PLUGINS_FOLDER
from .api import Article, Changes, PageToRender, Registry, Site, SiteConfig
from .events import Plugins, activated

__all__ = [
    "ENTRY_POINT_GROUP", "PLUGINS_FOLDER", "Article", "Changes", "PageToRender", "Plugins",
    "Registry", "Site", "SiteConfig", "activated",
]  # fmt: skip

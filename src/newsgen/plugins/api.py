"""The registration object a plugin's ``register(registry)`` function is given.

A plugin is a Python module with a function ``register(registry: Registry) -> None``
that calls the methods below; the events are called in this order during a build:

1. ``on_config(config) -> SiteConfig | None``: once, after newsgen.yaml is read and every
   plugin registered; return a changed configuration (``config.with_overrides(...)``)
   or None.
2. ``on_article(article) -> Article | None``: for each article read (drafts and
   scheduled ones too), in source order; return a changed article
   (``dataclasses.replace``) or None.
3. ``on_site(site) -> None``: once, after the site is assembled (published articles,
   sections, tags, authors, archives), before pages are planned.
4. ``on_page(page: PageToRender) -> None``: before each page (or feed, sitemap) whose
   output changed is rendered, possibly in a worker process; add to or change
   ``page.context``, the template's variables.
5. ``on_build(output_dir, changes) -> None``: once, after the output is written
   (also when nothing changed); ``changes.added``/``modified``/``removed`` are paths
   relative to ``output_dir``.

Hooks of several plugins run in the order ``plugins:`` names them. A hook that raises
``newsgen.errors.ContentError(path, message, line)`` reports a problem with the site
(all such problems of a build are reported together); any other exception is reported
as the plugin's failure, naming the plugin, the event and the line of its code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model.site import Site
from ..output.commit import Changes
from ..render.pages import PageToRender
from ..sources.articlefields import ARTICLE_FIELDS, registered_fields
from ..sources.config import SiteConfig
from ..sources.fields import FieldSpec, plain
from ..sources.markup_settings import MarkdownExtension, extension_problem
from ..sources.models import Article

ConfigHook = Callable[[SiteConfig], SiteConfig | None]
ArticleHook = Callable[[Article], Article | None]
SiteHook = Callable[[Site], None]
PageHook = Callable[[PageToRender], None]
BuildHook = Callable[[Path, Changes], None]

# What a plugin's hooks are given, importable from here (``from newsgen.plugins import …``).
__all__ = ["Article", "Changes", "PageToRender", "Registry", "Site", "SiteConfig"]


def _as_is(value: Any) -> Any:
    return value


class Registry:
    """What one plugin adds to the build; ``name`` is the one ``plugins:`` gives it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.markdown_extensions: list[MarkdownExtension] = []
        self.markdown_configs: dict[str, dict[str, Any]] = {}
        self.filters: dict[str, Callable[..., Any]] = {}
        self.globals: dict[str, Any] = {}
        self.fields: list[FieldSpec] = []
        self.config_hooks: list[ConfigHook] = []
        self.article_hooks: list[ArticleHook] = []
        self.site_hooks: list[SiteHook] = []
        self.page_hooks: list[PageHook] = []
        self.build_hooks: list[BuildHook] = []

    def markdown_extension(self, extension: MarkdownExtension, **settings: Any) -> None:
        """A Python-Markdown extension: an ``Extension`` object, or an import name
        (``"pymdownx.tilde"``, ``"abbr"``) with its settings as keywords."""
        if settings and not isinstance(extension, str):
            raise ValueError("an Extension object takes its settings when it is made")
        problem = extension_problem(extension, settings)
        if problem:
            raise ValueError(f"markdown extension {extension!r} {problem}")
        self.markdown_extensions.append(extension)
        if settings and isinstance(extension, str):
            self.markdown_configs[extension] = dict(settings)

    def template_filter(self, name: str, function: Callable[..., Any]) -> None:
        """A Jinja filter, ``{{ value | name }}`` (newsgen's own of that name is replaced)."""
        self.filters[_identifier(name, "filter")] = function

    def template_global(self, name: str, value: Any) -> None:
        """A Jinja global: a value or function every template can use as ``name``."""
        self.globals[_identifier(name, "global")] = value

    def field(
        self, name: str, convert: Callable[[Any], Any] = _as_is, *, required: bool = False
    ) -> None:
        """A front matter field of articles and pages. ``convert`` gets the YAML value
        and returns what templates see as ``article.extra[name]``; a ``ValueError`` or
        ``TypeError`` it raises is the source's error at the field's line. Converted
        values should be plain data (text, numbers, dates, lists, mappings). The field
        is a row of newsgen's table of front matter (``sources/articlefields.py``)."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a field name must be text, not {name!r}")
        if name in ARTICLE_FIELDS and name not in {s.name for s in registered_fields()}:
            raise ValueError(f"front matter field {name!r} is newsgen's own")
        reader = plain(_reported(convert, self.name))
        self.fields.append(FieldSpec(name, reader, required=required, teaser=True))

    def on_config(self, hook: ConfigHook) -> ConfigHook:
        self.config_hooks.append(hook)
        return hook

    def on_article(self, hook: ArticleHook) -> ArticleHook:
        self.article_hooks.append(hook)
        return hook

    def on_site(self, hook: SiteHook) -> SiteHook:
        self.site_hooks.append(hook)
        return hook

    def on_page(self, hook: PageHook) -> PageHook:
        self.page_hooks.append(hook)
        return hook

    def on_build(self, hook: BuildHook) -> BuildHook:
        self.build_hooks.append(hook)
        return hook


def _reported(convert: Callable[[Any], Any], plugin: str) -> Callable[[Any], Any]:
    """``convert``, with any exception but the ``ValueError``/``TypeError`` that say a
    value is wrong worded as the plugin's failure (an error of the source, no traceback)."""

    @functools.wraps(convert)
    def read(value: Any) -> Any:
        try:
            return convert(value)
        except (ValueError, TypeError):
            raise
        except Exception as exc:
            raise ValueError(f"plugin {plugin!r} failed: {type(exc).__name__}: {exc}") from None

    return read


def _identifier(name: str, what: str) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"a {what} name must be a Python identifier, not {name!r}")
    return name

"""Running the plugins' events during a build (api.py documents them and their order).

Every call of a plugin's code goes through ``_call``: a ``NewsgenError`` it raises is a
problem with the site, reported as it is; any other exception is the plugin's failure,
reported naming the plugin, the event and the line of its code. Problems before the
output is written leave it as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from ..errors import BuildFailed, NewsgenError
from ..model.site import Site
from ..output.commit import Changes
from ..render.pages import PageHook, PageToRender
from ..sources.additions import Additions
from ..sources.articlefields import register_article_field, unregister_article_field
from ..sources.config import SiteConfig
from ..sources.models import Article
from .api import Registry
from .loader import LoadedPlugin, load_plugins, plugin_failure

T = TypeVar("T")
# The front matter fields the plugins of the running build added to the table (which is
# the process's); ``activated`` removes them when the build ends.
_FIELDS: list[str] = []


class Plugins:
    """The plugins of one build, registered, with their digest."""

    def __init__(self, loaded: tuple[LoadedPlugin, ...] = (), digest: str = "") -> None:
        self.loaded = loaded
        self.digest = digest

    def configure(self, config: SiteConfig) -> SiteConfig:
        """``config`` with what the plugins add, after their ``on_config`` hooks."""
        markdown = config.markdown
        filters: dict[str, Callable[..., Any]] = {}
        globals_: dict[str, Any] = {}
        for plugin in self.loaded:
            registry = plugin.registry
            extensions = tuple(registry.markdown_extensions)
            markdown = markdown.plus(extensions, registry.markdown_configs)
            filters.update(registry.filters)
            globals_.update(registry.globals)
        _use_fields(self.loaded)
        additions = Additions(filters, globals_, self.digest)
        config = replace(config, markdown=markdown, additions=additions)
        for plugin in self.loaded:
            for hook in plugin.registry.config_hooks:
                try:
                    changed = _call(plugin, "on_config", hook, config)
                    if changed is not None:
                        config = _checked(plugin, "on_config", changed, SiteConfig)
                except BuildFailed:
                    raise
                except NewsgenError as error:
                    raise BuildFailed([error]) from None
        return config

    def read_articles(
        self, articles: Sequence[Article]
    ) -> tuple[tuple[Article, ...], list[NewsgenError]]:
        """Each article after the ``on_article`` hooks, and every problem they raised."""
        hooks = [(p, hook) for p in self.loaded for hook in p.registry.article_hooks]
        if not hooks:
            return tuple(articles), []
        errors: list[NewsgenError] = []
        result = []
        for article in articles:
            for plugin, hook in hooks:
                try:
                    changed = _call(plugin, "on_article", hook, article, about=article.source_path)
                    if changed is not None:
                        article = _checked(plugin, "on_article", changed, Article)
                except NewsgenError as error:
                    errors.append(error)
            result.append(article)
        return tuple(result), errors

    def assembled(self, site: Site) -> None:
        """The ``on_site`` hooks; every problem they raise, at once."""
        self._run_each("on_site", lambda registry: registry.site_hooks, site)

    def page_hook(self) -> PageHook | None:
        """One function running every ``on_page`` hook, or None when there is none."""
        hooks = [(p, hook) for p in self.loaded for hook in p.registry.page_hooks]
        if not hooks:
            return None

        def before_render(page: PageToRender) -> None:
            for plugin, hook in hooks:
                _call(plugin, "on_page", hook, page, about=page.output_path)

        return before_render

    def built(self, output_dir: Path, changes: Changes) -> None:
        """The ``on_build`` hooks; every problem they raise, at once."""
        self._run_each("on_build", lambda registry: registry.build_hooks, output_dir, changes)

    def _run_each(
        self, event: str, hooks: Callable[[Registry], Sequence[Callable[..., Any]]], *args: Any
    ) -> None:
        errors: list[NewsgenError] = []
        for plugin in self.loaded:
            for hook in hooks(plugin.registry):
                try:
                    _call(plugin, event, hook, *args)
                except NewsgenError as error:
                    errors.append(error)
        if errors:
            raise BuildFailed(errors)


def _use_fields(loaded: tuple[LoadedPlugin, ...]) -> None:
    """Make the fields of ``loaded`` the plugins' rows of the front matter table (the
    loader has checked that no two plugins add one name)."""
    while _FIELDS:
        unregister_article_field(_FIELDS.pop())
    for plugin in loaded:
        for spec in plugin.registry.fields:
            try:
                register_article_field(spec)
            except ValueError as exc:  # a field other code registered
                raise BuildFailed([plugin_failure(plugin, "register", exc)]) from None
            _FIELDS.append(spec.name)


@contextmanager
def activated(config: SiteConfig) -> Iterator[tuple[SiteConfig, Plugins]]:
    """The plugins ``config`` names, loaded, and ``config`` with what they add, for the
    length of one build: their front matter fields leave the table after it, so they
    never reach a build of another site (or of this one without them)."""
    try:
        plugins = Plugins(*load_plugins(config))
        yield plugins.configure(config), plugins
    finally:
        _use_fields(())


def _call(
    plugin: LoadedPlugin, event: str, hook: Callable[..., T], *args: Any, about: str = ""
) -> T:
    """``hook(*args)``; ``about`` names what it was called for (a source, an output)."""
    try:
        return hook(*args)
    except NewsgenError:
        raise
    except Exception as exc:
        raise plugin_failure(plugin, event, exc, about) from None


def _checked(plugin: LoadedPlugin, event: str, value: object, kind: type[T]) -> T:
    if not isinstance(value, kind):
        message = f"returned {type(value).__name__}, not {kind.__name__} or None"
        raise plugin_failure(plugin, event, TypeError(message))
    return value

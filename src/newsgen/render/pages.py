"""Rendering ``PageSpec``s to files in a staging folder, in processes for large sites.

Rendering is a pure function of a spec and the site, so pages can be split across
processes (see parallel.py); each worker writes only pages whose bytes differ from
the current output, and reports which.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import BuildFailed, ContentError, PluginError
from ..model.site import Site
from ..model.views import SiteView, site_view
from ..plan.pagespec import PageSpec, Sidebar
from ..sources.models import Article, Author
from ..sources.parallel import chunked, fork_map
from .staging import holds, in_tree, write_staged
from .templating import create_environment, template_error

# Below this many pages a pool costs more than it saves.
POOL_THRESHOLD = 200


@dataclass
class PageToRender:
    """A page about to be rendered, as plugins' ``on_page`` event sees it: ``context``
    is what its template gets, and may be added to or changed."""

    url: str
    template: str
    output_path: str
    context: dict[str, Any]


PageHook = Callable[[PageToRender], None]


@dataclass(frozen=True)
class RenderTask:
    site: Site
    site_view: SiteView
    env: jinja2.Environment
    specs: Sequence[PageSpec]
    output_dir: Path
    staging_dir: Path
    before_render: PageHook | None = None  # the plugins' on_page event
    placed: bool = False  # a first build: pages go to their place in staging's tree


@dataclass
class RenderOutcome:
    """Output paths written to staging, and the errors met."""

    staged: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)

    def merge(self, other: RenderOutcome) -> None:
        self.staged += other.staged
        self.errors += other.errors


class PageRenderer:
    """Renders specs of one site; parts shared by many pages are rendered once."""

    def __init__(self, task: RenderTask) -> None:
        self.task = task
        self._partials: dict[tuple, Markup] = {}

    def render(self, spec: PageSpec) -> bytes:
        task = self.task
        context = {"site": task.site_view, "card": self._card, **spec.context.variables()}
        if spec.sidebar is not None:  # a full page, with its head metadata from planning
            context["meta"] = spec.meta
            context["sidebar"] = self._sidebar(spec.sidebar)
            current = spec.context.current_section
            context["masthead"] = self._partial("_masthead.html", current=current)
        if task.before_render is not None:
            task.before_render(PageToRender(spec.url, spec.template, spec.output_path, context))
        return task.env.get_template(spec.template).render(context).encode("utf-8")

    def _sidebar(self, sidebar: Sidebar) -> Markup:
        start, exclude = sidebar
        recent = self.task.site.recent(self.task.site.config.recent_posts, start, exclude)
        return self._partial("_recent_posts.html", recent_posts=recent, fragment=False)

    def _card(self, article: Article, authors: Sequence[Author], lead: bool = False) -> Markup:
        """The ``card`` macro of ``_macros.html`` (what a template imports of it), made
        once per story, byline and lead: a story shows on a dozen listing pages (home,
        section, tags, author, archives), and its cards took a third of the rendering."""
        key = ("card", article.url, tuple(authors), lead)
        found = self._partials.get(key)
        if found is None:
            card = self.task.env.get_template("_macros.html").module.card  # type: ignore[attr-defined]
            found = self._partials[key] = Markup(card(article, authors, lead=lead))
        return found

    def _partial(self, name: str, **values: Any) -> Markup:
        """``name`` rendered with ``values``, once per distinct values (articles by URL)."""
        key = (
            name,
            *(
                (k, tuple(a.url for a in v) if isinstance(v, tuple) else v)
                for k, v in values.items()
            ),
        )
        if key not in self._partials:
            template = self.task.env.get_template(name)
            self._partials[key] = Markup(template.render(site=self.task.site_view, **values))
        return self._partials[key]

    def render_many(self, indices: Sequence[int]) -> RenderOutcome:
        outcome = RenderOutcome()
        for index in indices:
            spec = self.task.specs[index]
            try:
                data = self.render(spec)
            except PluginError as error:
                outcome.errors.append(error)
                continue
            except Exception as exc:  # a template bug: report it with its template and line
                outcome.errors.append(template_error(exc, spec.output_path))
                continue
            task = self.task
            if task.placed or not holds(task.output_dir / spec.output_path, data):
                write_staged(task.staging_dir, task.output_dir, spec.output_path, data, task.placed)
                outcome.staged.append(spec.output_path)
        return outcome


def render_pages(
    task: RenderTask,
    indices: Sequence[int],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> RenderOutcome:
    """Render the specs at ``indices``; identical output whatever ``jobs`` is."""
    if len(indices) < POOL_THRESHOLD:
        jobs = 1
    chunks = chunked(indices, max(jobs * 8, len(indices) // 100))
    renderers: list[PageRenderer] = []  # one per process, made on first use there

    def render_chunk(chunk: Sequence[int]) -> RenderOutcome:
        if not renderers:
            renderers.append(PageRenderer(task))
        return renderers[0].render_many(chunk)

    outcome = RenderOutcome()
    for index, result in fork_map(render_chunk, chunks, jobs):
        outcome.merge(result)
        if progress:
            progress(len(chunks[index]))
    return outcome


def render_stale(
    site: Site,
    specs: Sequence[PageSpec],
    output_dir: Path,
    staging: Path,
    jobs: int,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    before_render: PageHook | None = None,
) -> RenderOutcome:
    """Render ``specs`` into ``staging`` (those whose bytes differ from the output's);
    any template error of any page is a ``BuildFailed`` naming each. ``before_render``
    is called with each page before it is rendered (the plugins' ``on_page``)."""
    environment = create_environment(site.config, use_cache)
    task = RenderTask(
        site, site_view(site), environment, list(specs), output_dir, staging, before_render,
        in_tree(staging),
    )  # fmt: skip
    done = [0]

    def advance(count: int) -> None:
        done[0] += count
        if progress:
            progress(done[0], len(specs))

    outcome = render_pages(task, list(range(len(specs))), jobs, advance)
    if outcome.errors:
        raise BuildFailed(outcome.errors)
    return outcome

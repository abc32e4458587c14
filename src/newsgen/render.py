"""Rendering ``PageSpec``s to files in a staging folder, in a process pool for large sites.

Rendering is a pure function of a spec and the site, so pages can be split across
processes; the site and the specs reach the workers through ``fork`` (nothing large is
pickled), and each worker writes only pages whose bytes differ from the current output.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from .errors import ContentError
from .plan import PageSpec
from .site import Site
from .templating import template_error
from .views import SiteView

# Below this many pages a pool costs more than it saves.
POOL_THRESHOLD = 200


@dataclass(frozen=True)
class RenderTask:
    site: Site
    site_view: SiteView
    env: jinja2.Environment
    specs: Sequence[PageSpec]
    output_dir: Path
    staging_dir: Path


@dataclass
class RenderOutcome:
    """Output paths written to staging, found unchanged, and the errors met."""

    staged: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)

    def merge(self, other: RenderOutcome) -> None:
        self.staged += other.staged
        self.unchanged += other.unchanged
        self.errors += other.errors


class PageRenderer:
    """Renders specs of one site; parts shared by many pages are rendered once."""

    def __init__(self, task: RenderTask) -> None:
        self.task = task
        self._partials: dict[tuple, Markup] = {}

    def render(self, spec: PageSpec) -> bytes:
        task = self.task
        context = {"site": task.site_view, **spec.context}
        if spec.sidebar_for is not None:
            context["sidebar"] = self._sidebar(spec.sidebar_for)
            section = spec.context.get("section")
            context["masthead"] = self._partial(
                "_masthead.html", current=section.key if section else ""
            )
        return task.env.get_template(spec.template).render(context).encode("utf-8")

    def _sidebar(self, exclude: str) -> Markup:
        recent = self.task.site.recent(self.task.site.config.recent_posts, exclude)
        return self._partial("_recent_posts.html", recent_posts=recent)

    def _partial(self, name: str, **values) -> Markup:
        key = (
            name,
            *((k, v if isinstance(v, str) else tuple(a.url for a in v)) for k, v in values.items()),
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
            except Exception as exc:  # a template bug: report it with its template and line
                outcome.errors.append(template_error(exc, spec.output_path))
                continue
            if _same_bytes(self.task.output_dir / spec.output_path, data):
                outcome.unchanged.append(spec.output_path)
            else:
                write_file(self.task.staging_dir / spec.output_path, data)
                outcome.staged.append(spec.output_path)
        return outcome


def render_pages(
    task: RenderTask,
    indices: Sequence[int],
    jobs: int,
    progress: Callable[[int], None] | None = None,
) -> RenderOutcome:
    """Render the specs at ``indices``; identical output whatever ``jobs`` is."""
    if (
        jobs <= 1
        or len(indices) < POOL_THRESHOLD
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        renderer = PageRenderer(task)
        outcome = RenderOutcome()
        step = 100
        for start in range(0, len(indices), step):
            outcome.merge(renderer.render_many(indices[start : start + step]))
            if progress:
                progress(len(indices[start : start + step]))
        return outcome
    global _WORKER_TASK
    _WORKER_TASK = task
    chunk_count = jobs * 8
    size = max(1, -(-len(indices) // chunk_count))
    chunks = [indices[i : i + size] for i in range(0, len(indices), size)]
    outcome = RenderOutcome()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(_render_chunk, chunk): len(chunk) for chunk in chunks}
            for future in as_completed(futures):
                outcome.merge(future.result())
                if progress:
                    progress(futures[future])
    finally:
        _WORKER_TASK = None
    return outcome


_WORKER_TASK: RenderTask | None = None
_WORKER_RENDERER: PageRenderer | None = None


def _render_chunk(indices: Sequence[int]) -> RenderOutcome:
    global _WORKER_RENDERER
    if _WORKER_RENDERER is None:
        assert _WORKER_TASK is not None, "the pool is forked after the task is set"
        _WORKER_RENDERER = PageRenderer(_WORKER_TASK)
    return _WORKER_RENDERER.render_many(indices)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        os.makedirs(path.parent, exist_ok=True)
        path.write_bytes(data)

"""``build_site``: read, model, plan, render and write, collecting every error on the way."""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .errors import BuildFailed, ContentError, NewsgenError, describe
from .model.lint import site_warnings
from .model.previews import preview_articles
from .model.schedule import next_change
from .model.site import Site, assemble_site, is_published, left_out
from .model.views import site_view
from .output.cache import BuildCache
from .output.commit import (
    Changes,
    check_output_dir,
    commit_output,
    discard_staging,
    stage_static,
    staging_dir_for,
    static_files,
)
from .output.images.pipeline import PreparedImages, prepare_images
from .output.lock import output_lock
from .output.search import SearchIndex, ShardIndex, build_search_index
from .output.staleness import Manifest, current_groups, stale_outputs, updated_manifest
from .output.standing import StandingBuild, input_digest
from .output.static_check import check_static_collisions
from .plan.planner import Plan, find_collisions, plan_site
from .plan.search_shards import SEARCH_DIR
from .plugins import Plugins, activate
from .render.pages import RenderOutcome, RenderTask, render_pages
from .render.templating import create_environment, templates_digest
from .sources import urls
from .sources.authors import load_authors
from .sources.compat.bundles import bundle_files
from .sources.config import SiteConfig, load_config
from .sources.content import read_contents
from .sources.theme import example_static_dirs, static_dirs, template_dirs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    output_dir: Path | None = None
    drafts: bool = False
    future: bool = False
    jobs: int = 0  # 0: one per core
    now: datetime | None = None
    use_cache: bool = True
    # False: keep the search index as it is (``newsgen serve`` refreshes it once the
    # edits pause)
    refresh_search: bool = True
    # True: only the stale article pages, leaving the rest of what is stale to the
    # next build (``newsgen serve`` shows the edited story first)
    changed_pages_first: bool = False
    # False: fail at once when another process builds into the same output (--no-wait)
    wait_for_lock: bool = True
    strict: bool = False  # warnings are errors
    preview_secret: str = ""  # set: drafts and scheduled stories also go to preview URLs


@dataclass(frozen=True)
class BuildReport:
    articles: int
    pages: int
    rendered: int
    changes: Changes
    seconds: float
    output_dir: Path
    complete: bool = True  # False: a changed-pages-first build; more is to be done
    warnings: tuple[ContentError, ...] = ()
    drafts_left_out: int = 0
    scheduled_left_out: int = 0
    next_change: datetime | None = None  # when the site would change by itself
    previews: tuple[tuple[str, str], ...] = ()  # (source, absolute preview URL)

    @property
    def written(self) -> int:
        return len(self.changes.added) + len(self.changes.modified)

    @property
    def removed(self) -> int:
        return len(self.changes.removed)


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def build_time(options: BuildOptions) -> datetime:
    """The build's "now": given, from ``SOURCE_DATE_EPOCH``, or the clock."""
    if options.now is not None:
        return options.now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(tz=timezone.utc)


def build_site(
    config: SiteConfig, options: BuildOptions = BuildOptions(), progress: Progress | None = None
) -> BuildReport:
    """Build the site; on any error raise ``BuildFailed`` and leave the output untouched.

    Python's cyclic garbage collector is paused meanwhile: a build makes millions of
    small objects and frees almost none before it ends, so the collector's repeated
    scans of them cost about a third of a rebuild at 10,000 articles, for nothing.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        config, plugins = activate(config)
        report = _build_site(config, plugins, options, progress)
        plugins.built(report.output_dir, report.changes)
        return report
    finally:
        if collecting:
            gc.enable()


def _build_site(
    config: SiteConfig, plugins: Plugins, options: BuildOptions, progress: Progress | None
) -> BuildReport:
    started = time.perf_counter()
    output_dir = (options.output_dir or config.output_dir).resolve()
    check_output_dir(config, output_dir)
    cache = BuildCache(config.cache_dir if options.use_cache else None, config.state_key)
    inputs = ""
    if options.use_cache:
        flags = (options.drafts, options.future, options.preview_secret, config.state_key)
        inputs = input_digest(config, cache, flags, _input_folders(config))
        last = cache.standing(output_dir)
        if isinstance(last, StandingBuild) and last.stands(inputs, build_time(options)):
            report = _confirm_last_build(last, cache, output_dir, options, started)
            if report is not None:
                return report
    jobs = options.jobs or os.cpu_count() or 1
    site, authors_text, edited, left, upcoming, images = _read_site(
        config, plugins, options, cache, jobs
    )
    global_digest = _global_digest(config, site, authors_text + images.digest, options)
    plan = plan_site(site, global_digest, cache.plans)
    outputs = [(output.output_path, output.fingerprint) for output in plan.outputs]
    previous = cache.rendered(output_dir)
    stale = [plan.outputs[i] for i in stale_outputs(outputs, previous, output_dir)]
    complete = True
    if options.changed_pages_first:
        first = [output for output in stale if output.source in edited]
        complete = len(first) == len(stale)
        stale = first or stale
    specs = [plan.spec(output.output_path) for output in stale]
    statics = static_files(static_dirs(config), example_static_dirs(config))
    statics.update(bundle_files(config, [*site.articles, *site.pages], statics))
    check_static_collisions(config.root, statics, plan.outputs, config.search)
    warnings = [
        *images.warnings,
        *site_warnings(site, [*(p for p, _ in outputs), *statics, *images.published]),
    ]
    if options.strict and warnings:
        raise BuildFailed(warnings)

    staging = staging_dir_for(output_dir)
    derivatives = images.start(jobs)  # made while the pages render
    try:
        task = RenderTask(
            site, site_view(site), create_environment(config, options.use_cache), specs,
            output_dir, staging, plugins.page_hook(),
        )  # fmt: skip
        outcome = _render(task, jobs, progress)
        pictures = derivatives.finish(output_dir, staging, previous)
        if pictures.errors:
            raise BuildFailed(pictures.errors)
        staged = outcome.staged + stage_static(statics, output_dir, staging) + pictures.staged
        produced = dict(outputs) | pictures.outputs
        checked: set[str] = set()
        if config.search:
            if progress and options.refresh_search:
                progress("search", 0, 0)
            search = _index_search(plan, previous, output_dir, staging, options, jobs)
            staged += search.staged
            checked = set(search.made)
            for shard in search.shards.values():
                produced.update((name, shard.key) for name in shard.files)
        files = set(produced) | set(statics)
        if progress:
            progress("write", 0, 0)
        changes = commit_output(output_dir, staging, staged, files, cache.produced(output_dir))
    except BaseException:
        derivatives.cancel()
        discard_staging(staging)
        raise
    made = {spec.output_path for spec in specs} | set(staged) | checked
    manifest = updated_manifest(previous, produced.items(), made, output_dir)
    if manifest != previous:
        previous.clear()
        previous.update(manifest)
    cache.remember_produced(output_dir, files)
    cache.remember_plans(plan.memo)
    previews = _previews(config, site)
    standing = None
    if inputs and complete and options.refresh_search:
        standing = StandingBuild(
            inputs=inputs,
            next_change=upcoming,
            statics=tuple((path, str(source)) for path, source in statics.items()),
            articles=len(site.articles),
            pages=len(plan.outputs),
            warnings=tuple(warnings),
            previews=previews,
            **left,
        )
    cache.remember_standing(output_dir, standing)
    cache.save()
    return BuildReport(
        articles=len(site.articles),
        pages=len(plan.outputs),
        rendered=len(specs),
        changes=changes,
        seconds=time.perf_counter() - started,
        output_dir=output_dir,
        complete=complete,
        warnings=tuple(warnings),
        **left,
        next_change=upcoming,
        previews=previews,
    )


def _previews(config: SiteConfig, site: Site) -> tuple[tuple[str, str], ...]:
    return tuple((p.source_path, urls.absolute(config.base_url, p.url)) for p in site.previews)


def _input_folders(config: SiteConfig) -> list[Path]:
    """Every folder whose files a build reads (standing.py digests them)."""
    return [config.content_dir, config.root / "data", *template_dirs(config), *static_dirs(config)]


def _confirm_last_build(
    last: StandingBuild,
    cache: BuildCache,
    output_dir: Path,
    options: BuildOptions,
    started: float,
) -> BuildReport | None:
    """The report of a build whose inputs are the last one's, once every output is found
    as it was written; None if one is not (then the build goes the whole way)."""
    manifest = cache.rendered(output_dir)
    produced = cache.produced(output_dir)
    outputs = [(path, fingerprint) for path, (fingerprint, _) in manifest.items()]
    if not manifest or produced is None or stale_outputs(outputs, manifest, output_dir):
        return None
    if options.strict and last.warnings:
        raise BuildFailed(list(last.warnings))
    statics = {path: Path(source) for path, source in last.statics}
    staging = staging_dir_for(output_dir)
    try:
        staged = stage_static(statics, output_dir, staging)
        changes = commit_output(output_dir, staging, staged, set(produced), produced)
    except BaseException:
        discard_staging(staging)
        raise
    return BuildReport(
        articles=last.articles,
        pages=last.pages,
        rendered=0,
        changes=changes,
        seconds=time.perf_counter() - started,
        output_dir=output_dir,
        warnings=last.warnings,
        drafts_left_out=last.drafts_left_out,
        scheduled_left_out=last.scheduled_left_out,
        next_change=last.next_change,
        previews=last.previews,
    )


def _read_site(
    config: SiteConfig, plugins: Plugins, options: BuildOptions, cache: BuildCache, jobs: int
) -> tuple[Site, str, frozenset[str], dict[str, int], datetime | None, PreparedImages]:
    """Read every source into the site model; every error of the sources at once. Also
    the sources whose bytes the last build did not see (or could not vouch for), how
    many drafts and scheduled articles are left out, and when the site would next
    change by itself."""
    known = {path: digest for path, (_, digest) in cache.stats.items()}
    authors, author_errors, authors_text = load_authors(config)
    contents = read_contents(config, cache, tuple(a.key for a in authors), jobs)
    articles, hook_errors = plugins.read_articles(contents.articles)
    images = prepare_images(config, articles, contents.pages, authors, authors_text, cache.folder)
    errors: list[NewsgenError] = [*author_errors, *contents.errors, *hook_errors, *images.errors]
    now = build_time(options)
    cache.forget_except(set(contents.sources))
    if errors:
        cache.save()
        shown = [a for a in articles if is_published(a, now, options.drafts, options.future)]
        sources = (
            (item.output_path, item.url, item.source_path) for item in [*shown, *contents.pages]
        )
        raise BuildFailed([*errors, *find_collisions(sources)])
    secret = options.preview_secret
    previews = (
        preview_articles(images.articles, now, options.drafts, options.future, secret)
        if secret
        else ()
    )
    site = assemble_site(
        config, images.articles, images.pages, images.authors,
        now=now, drafts=options.drafts, future=options.future, previews=previews,
    )  # fmt: skip
    plugins.assembled(site)
    edited = frozenset(path for path, digest in contents.sources if known.get(path) != digest)
    return (
        site,
        authors_text,
        edited,
        left_out(articles, now, options.drafts, options.future),
        next_change(articles, now, options.drafts),
        images,
    )


def _render(task: RenderTask, jobs: int, progress: Progress | None) -> RenderOutcome:
    specs = task.specs
    done = [0]

    def advance(count: int) -> None:
        done[0] += count
        if progress:
            progress("render", done[0], len(specs))

    outcome = render_pages(task, list(range(len(specs))), jobs, advance)
    if outcome.errors:
        raise BuildFailed(outcome.errors)
    return outcome


def _index_search(
    plan: Plan,
    previous: Manifest,
    output_dir: Path,
    staging: Path,
    options: BuildOptions,
    jobs: int,
) -> SearchIndex:
    """Bring each month's search bundle up to date (or, for a quick preview rebuild, keep
    the bundles the output holds)."""
    known = {
        shard: ShardIndex(key, files)
        for shard, (key, files) in current_groups(previous, output_dir, SEARCH_DIR).items()
    }
    if not options.refresh_search:
        return SearchIndex(shards=known, staged=())
    shards: dict[str, list[tuple[str, str]]] = {}
    for output in plan.outputs:
        if output.search_shard:
            page = (output.output_path, output.fingerprint)
            shards.setdefault(output.search_shard, []).append(page)
    return build_search_index(shards, output_dir, staging, known, jobs)


def _global_digest(config: SiteConfig, site: Site, authors_text: str, options: BuildOptions) -> str:
    """Everything every page may show: settings, templates, menu, footer, tag names."""
    digest = hashlib.sha256()
    parts = [
        __version__,
        config.digest,
        config.state_key,
        config.base_url,
        templates_digest(config),
        authors_text,
        repr((options.drafts, options.future)),
        repr([(s.key, s.title, s.url) for s in site.sections]),
        repr([(p.title, p.url, p.slug) for p in site.pages]),
        repr([(t.tag.slug, t.tag.name) for t in site.tags]),
    ]
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def load_and_build(
    root: Path, options: BuildOptions, base_url: str | None = None, progress: Progress | None = None
) -> BuildReport:
    """Load ``newsgen.yaml`` under ``root`` and build: what the CLI and ``serve`` call.

    One build at a time writes an output folder (see lock.py); a disk error that
    slipped past the output's own checks still ends as one message, not a traceback.
    """
    config = load_config(root)
    if base_url:
        config = config.with_overrides(base_url=base_url.rstrip("/"))
    output_dir = (options.output_dir or config.output_dir).resolve()
    try:
        with output_lock(output_dir, options.wait_for_lock):
            return build_site(config, options, progress)
    except OSError as error:
        raise NewsgenError(describe(error)) from None

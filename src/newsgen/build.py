"""``build_site``: read, model, plan, render and write, collecting every error on the way."""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from itertools import chain
from operator import attrgetter
from pathlib import Path
from threading import Event

from .buildinfo import (
    BuildOptions,
    BuildReport,
    Progress,
    Written,
    build_time,
    remember_build,
    standing_report,
)
from .errors import BuildFailed, ContentError, NewsgenError, describe
from .model.lint import site_warnings
from .model.previews import preview_articles
from .model.schedule import next_change
from .model.site import Site, assemble_site, is_published, left_out
from .output.cache import BuildCache
from .output.commit import (
    EveryFile,
    check_output_dir,
    commit_output,
    discard_staging,
    stage_static,
    staging_dir_for,
    static_files,
)
from .output.folders import FolderMaker
from .output.images.pipeline import PreparedImages, prepare_images
from .output.lock import output_lock
from .output.search import update_search_index
from .output.search_ahead import SearchAhead, search_ahead
from .output.search_mirror import mirror_folder
from .output.staleness import Manifest, check_outputs, site_digest, stale_planned
from .output.standing import StandingBuild, input_digest, walk_inputs
from .output.statedb import DATABASE
from .output.static_check import check_static_collisions
from .plan.pagespec import PageSpec
from .plan.planner import Plan, find_collisions, plan_site
from .plan.search_shards import SEARCH_DIR, shard_names
from .plugins import Plugins, activated
from .render.pages import PageHook, render_stale
from .sources import urls
from .sources.authors import load_authors
from .sources.compat.bundles import bundle_files
from .sources.config import SiteConfig, load_config
from .sources.content import SourceListing, article_key, read_contents
from .sources.models import Article, Author, Page
from .sources.theme import example_static_dirs, static_dirs, template_dirs

log = logging.getLogger(__name__)

# The models of builds whose process then ends at once (``keep_model``, ``cli.run``):
# freeing an archive's objects one by one takes about 0.4 s at 100,000 articles.
_LEFT_FOR_EXIT: list[object] = []


def build_site(
    config: SiteConfig, options: BuildOptions | None = None, progress: Progress | None = None
) -> BuildReport:
    """Build the site; on any error raise ``BuildFailed`` and leave the output untouched.

    Python's cyclic garbage collector is paused meanwhile: a build makes millions of
    small objects and frees almost none, so its scans would cost a third of a rebuild
    at 10,000 articles. With ``keep_model`` (the process ends right after) it stays
    paused: its first pass would scan every object made, a second at 100,000 articles.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        with activated(config) as (config, plugins):
            report = _build_site(config, plugins, options or BuildOptions(), progress)
            plugins.built(report.output_dir, report.changes)
            return report
    finally:
        if collecting and not (options and options.keep_model):
            gc.enable()


@dataclass(frozen=True)
class _ReadSite:
    """The site model and what the build learns on the way to it."""

    site: Site
    images: PreparedImages
    authors_text: str
    edited: frozenset[str]  # sources whose bytes the last build did not see
    left_out: dict[str, int]  # drafts and scheduled stories left out
    next_change: datetime | None  # when the site would change by itself


@dataclass(frozen=True)
class _Work:
    """What this build makes: the stale outputs' specs, the static files, the warnings
    (with ``--strict``; otherwise worked out while the search index is made, from
    ``linkable``: every file the build writes, which links may lead to, read once)."""

    specs: list[PageSpec]
    statics: dict[str, Path]
    warnings: list[ContentError] | None
    linkable: Iterable[str]
    complete: bool  # False: stale pages are left to the next build (changed pages first)


def _build_site(
    config: SiteConfig, plugins: Plugins, options: BuildOptions, progress: Progress | None
) -> BuildReport:
    started = time.perf_counter()
    output_dir = (options.output_dir or config.output_dir).resolve()
    check_output_dir(config, output_dir)
    cache_dir = config.cache_dir if options.use_cache else None
    with ExitStack() as finish:
        # every output's stat, taken in a second process while this one reads and plans
        groups_under = SEARCH_DIR if config.search else ""  # the search bundles intact
        database = str(cache_dir / DATABASE) if cache_dir else ""
        checking = check_outputs(database, config.state_key, output_dir, groups_under)
        check = finish.enter_context(closing(checking))
        # the inputs' stats, taken in a third process while this one opens the state
        folders = _input_folders(config) if options.use_cache else []
        with closing(walk_inputs(folders, config.root, database, config.state_key)) as walk:
            cache = BuildCache(cache_dir, config.state_key)
            authors = load_authors(config)
            # the kept articles, restored while the walk goes on (this process would wait)
            cache.restore_ahead(article_key(config, tuple(a.key for a in authors[0])), walk.ready)
            walked = walk.result()
        previous = cache.rendered(output_dir)
        last = cache.standing(output_dir)  # what the last build into ``output_dir`` left
        inputs = ""
        if options.use_cache:
            flags = (options.drafts, options.future, options.preview_secret, config.state_key)
            inputs = input_digest(config, flags, walked)
            standing = standing_report(last, cache, inputs, output_dir, options, started, check)
            if standing is not None:
                return standing
        jobs = options.jobs or os.cpu_count() or 1
        read = _read_site(config, plugins, options, cache, jobs, walked.sources, authors)
        global_digest = site_digest(read.site, read.images.digest, options.drafts, options.future)
        hook = plugins.page_hook()
        site = read.site
        blocks = shard_names(site.output_paths, site.months) if config.search else {}
        ahead = search_ahead(
            site, blocks, read.edited, global_digest, previous, output_dir, cache.folder,
            bool(hook), options.refresh_search,
        )  # fmt: skip  # a changed story's search block, indexed while this one plans
        finish.callback(ahead.close)
        plan = plan_site(site, global_digest, cache.plans, blocks)
        cache.remember_plans(plan.memo)
        checked = check.result()
        touched = checked.touched
        warn = partial(_warnings, read, cache, global_digest)
        whole = last.whole_groups if isinstance(last, StandingBuild) else frozenset()
        work = _work_out(read, plan, previous, touched, whole, options, warn)
        known_files = cache.produced(output_dir)
        written = _write(
            read, plan, work, previous, checked.groups, known_files, output_dir, options, jobs,
            progress, hook, cache, ahead, warn,
        )  # fmt: skip
    report = BuildReport(
        articles=len(read.site.articles),
        pages=len(plan.outputs),
        rendered=len(work.specs),
        changes=written.changes,
        seconds=time.perf_counter() - started,
        output_dir=output_dir,
        complete=work.complete,
        warnings=tuple(written.warnings),
        **read.left_out,
        next_change=read.next_change,
        previews=tuple(
            (p.source_path, urls.absolute(config.base_url, p.url)) for p in read.site.previews
        ),
    )
    # a build that kept the search index as it was is no ground for the next one to stand on
    standing_inputs = inputs if options.refresh_search else ""
    groups = frozenset(plan.memo)
    remember_build(cache, previous, written, work.statics, standing_inputs, report, groups)
    if options.keep_model:
        _LEFT_FOR_EXIT.append((cache, previous, read, plan, work, written))
    return report


def _input_folders(config: SiteConfig) -> list[Path]:
    """Every folder whose files a build reads (standing.py digests them), the sources'
    folder first (standing.py lists the sources found there)."""
    return [config.content_dir, config.root / "data", *template_dirs(config), *static_dirs(config)]


def _work_out(
    read: _ReadSite,
    plan: Plan,
    previous: Manifest,
    touched: set[str],
    whole: frozenset[str],
    options: BuildOptions,
    warn: Callable[[Iterable[str]], list[ContentError]],
) -> _Work:
    """The stale outputs (``whole``: the groups the last build left whole), the static
    files (checked against the pages) and the warnings (``warn``, given ``linkable``);
    with ``--strict`` the warnings are the build's errors."""
    config, site = read.site.config, read.site
    stale = [
        plan.outputs[i] for i in stale_planned(plan.outputs, plan.spans, whole, previous, touched)
    ]
    complete = True
    if options.changed_pages_first:
        first = [output for output in stale if output.source in read.edited]
        complete = len(first) == len(stale)
        stale = first or stale
    statics = static_files(static_dirs(config), example_static_dirs(config))
    statics.update(bundle_files(config, chain(site.bundled, site.pages), statics))
    check_static_collisions(config.root, statics, plan.outputs, config.search)
    # gathered if a link needs them: a publish at 100,000 articles checks a few stories
    paths = map(attrgetter("output_path"), plan.outputs)
    linkable = chain(paths, list(statics), read.images.published)
    warnings = None
    if options.strict:
        warnings = warn(linkable)
        if warnings:
            raise BuildFailed(warnings)
    specs = [plan.spec(output.output_path) for output in stale]
    return _Work(specs, statics, warnings, linkable, complete)


def _warnings(
    read: _ReadSite, cache: BuildCache, global_digest: str, linkable: Iterable[str]
) -> list[ContentError]:
    """The warnings of the images and of the site; what each block of stories gave is
    kept for the next build (lint.py), saved with the state at the end. The checks of
    bylines read the authors' file, which pages do not all depend on (site_digest)."""
    checks = hashlib.sha256(f"{global_digest}\0{read.authors_text}".encode()).hexdigest()
    checked = site_warnings(read.site, linkable, checks, cache.warning_blocks)
    cache.remember_warnings(checked.memo)
    return [*read.images.warnings, *checked.found]


def _write(
    read: _ReadSite,
    plan: Plan,
    work: _Work,
    previous: Manifest,
    bundles: dict[str, tuple[str, tuple[str, ...]]],
    known_files: frozenset[str] | None,
    output_dir: Path,
    options: BuildOptions,
    jobs: int,
    progress: Progress | None,
    page_hook: PageHook | None,
    cache: BuildCache,
    ahead: SearchAhead,
    warn: Callable[[Iterable[str]], list[ContentError]],
) -> Written:
    """Render, make image derivatives and search bundles into staging, then commit it
    all at once (``bundles``: the search bundles the output holds intact, by name: their
    key and files).

    While a thread brings the search index up to date, another works out the warnings
    and the main thread saves what reading and planning learnt (``save_reading``)."""
    config = read.site.config
    staging = staging_dir_for(output_dir)
    derivatives = read.images.start(jobs)  # made while the pages render
    new_outputs = [*(spec.output_path for spec in work.specs), *work.statics]
    folders = FolderMaker(output_dir, staging, new_outputs).start()  # while the pages render
    # the warnings and the search index, once the last worker process is forked
    background = ThreadPoolExecutor(2, thread_name_prefix="build")
    try:
        outcome = render_stale(
            read.site, work.specs, output_dir, staging, jobs, options.use_cache,
            progress and partial(progress, "render"), page_hook,
        )  # fmt: skip
        pictures = derivatives.finish(output_dir, staging, previous)
        if pictures.errors:
            raise BuildFailed(pictures.errors)
        staged = outcome.staged + stage_static(work.statics, output_dir, staging) + pictures.staged
        produced = plan.produced | pictures.outputs
        checked: set[str] = set()
        if config.search and progress and options.refresh_search:
            progress("search", 0, 0)
        indexing = None  # the rest waits for Pagefind to run, not to share the GIL
        if config.search:
            kept, running = cache.folder and mirror_folder(cache.folder, output_dir), Event()
            indexing = background.submit(
                update_search_index, plan, bundles, output_dir, staging,
                options.refresh_search, jobs, kept or None, running, ahead.bundle,
            )  # fmt: skip
            running.wait()
        pending = background.submit(warn, work.linkable) if work.warnings is None else None
        cache.save_reading()  # the main thread's share while Pagefind indexes
        if indexing is not None:
            search = indexing.result()
            staged += search.staged
            checked = set(search.made)
            for shard in search.shards.values():
                produced.update((name, shard.key) for name in shard.files)
        if progress:
            progress("write", 0, 0)
        warnings = pending.result() if pending else work.warnings or []
        # the last build's files this one does not produce, in one pass over an
        # archive's 300,000 (without a list of them, its manifest holds none)
        gone = (frozenset(previous) if known_files is None else known_files).difference(produced)
        stale = None if known_files is None else gone.difference(work.statics)
        files = EveryFile(produced, work.statics)
        changes = commit_output(output_dir, staging, staged, files, stale, folders)
    except BaseException:
        derivatives.cancel()
        folders.finish()  # before its folders in staging are removed
        background.shutdown(cancel_futures=True)  # and the search bundles there
        discard_staging(staging)
        raise
    finally:
        background.shutdown(wait=False)
    made = {spec.output_path for spec in work.specs} | set(staged) | checked
    unlisted = frozenset(work.statics).difference(produced)  # not in the manifest
    return Written(changes, produced, unlisted, gone, made, warnings)


def _read_site(
    config: SiteConfig,
    plugins: Plugins,
    options: BuildOptions,
    cache: BuildCache,
    jobs: int,
    listed: SourceListing | None,
    described: tuple[tuple[Author, ...], list[ContentError], str],
) -> _ReadSite:
    """Read every source into the site model (``described``: ``load_authors``); every
    error of the sources at once."""
    authors, author_errors, authors_text = described
    contents = read_contents(config, cache, tuple(a.key for a in authors), jobs, listed)
    articles, hook_errors = plugins.read_articles(contents.articles)
    images = prepare_images(config, articles, contents.pages, authors, authors_text, cache.folder)
    errors: list[NewsgenError] = [*author_errors, *contents.errors, *hook_errors, *images.errors]
    now = build_time(options)
    cache.forget_except(contents.sources, contents.unread)
    if errors:
        cache.save()
        shown = [a for a in articles if is_published(a, now, options.drafts, options.future)]
        items: list[Article | Page] = [*shown, *contents.pages]
        sources = ((item.output_path, item.url, item.source_path) for item in items)
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
    return _ReadSite(
        site=site,
        images=images,
        authors_text=authors_text,
        edited=cache.edited(),
        left_out=left_out(articles, now, options.drafts, options.future),
        next_change=next_change(articles, now, options.drafts),
    )


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

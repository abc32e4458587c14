"""``build_site``: read, model, plan, render and write, collecting every error on the way."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .authors import load_authors
from .cache import BuildCache, StatKey
from .config import SiteConfig, load_config
from .content import read_contents
from .errors import BuildFailed
from .images.pipeline import prepare_images
from .incremental import changed_articles, record_build, site_signature
from .output import (
    check_output_dir,
    commit_output,
    discard_staging,
    stage_static,
    staging_dir_for,
    static_files,
)
from .plan import PageSpec, find_collisions, plan_article, plan_site
from .render import RenderTask, render_pages
from .search import SearchIndex, build_search_index, current_index_files, remember_index
from .site import Site, assemble_site, is_published
from .templating import create_environment, static_dirs, templates_digest
from .views import site_view

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
    # edits pause, since Pagefind reads the whole site each time)
    refresh_search: bool = True
    # True: only the pages of articles that changed, leaving the rest of what changed
    # to the next build (``newsgen serve`` shows the edited story first)
    changed_pages_first: bool = False


@dataclass(frozen=True)
class BuildReport:
    articles: int
    pages: int
    rendered: int
    written: int
    removed: int
    seconds: float
    output_dir: Path
    complete: bool = True  # False: a changed-pages-first build; more is to be done

    def summary(self) -> str:
        return (
            f"{self.articles} articles, {self.pages} pages, {self.written} files written, "
            f"{self.removed} removed in {self.seconds:.2f} s"
        )


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
    """Build the site; on any error raise ``BuildFailed`` and leave the output untouched."""
    started = time.perf_counter()
    output_dir = (options.output_dir or config.output_dir).resolve()
    check_output_dir(config, output_dir)
    cache = BuildCache(config.cache_dir if options.use_cache else None)
    authors, errors, authors_text = load_authors(config)
    jobs = options.jobs or os.cpu_count() or 1
    contents = read_contents(config, cache, tuple(a.key for a in authors), jobs)
    images = prepare_images(
        config, contents.articles, contents.pages, authors, authors_text, cache.folder
    )
    errors = [*errors, *contents.errors, *images.errors]
    now = build_time(options)
    if errors:
        cache.save(set(contents.sources))
        shown = [
            a for a in contents.articles if is_published(a, now, options.drafts, options.future)
        ]
        sources = (
            (item.output_path, item.url, item.source_path) for item in [*shown, *contents.pages]
        )
        raise BuildFailed([*errors, *find_collisions(sources)])

    site = assemble_site(
        config, images.articles, images.pages, images.authors,
        now=now, drafts=options.drafts, future=options.future,
    )  # fmt: skip
    global_digest = _global_digest(config, site, authors_text + images.digest, options)
    signature = site_signature(site, global_digest)
    previous = cache.rendered(output_dir)
    record = cache.record(output_dir)
    changed = changed_articles(site, signature, record, options.changed_pages_first)
    complete = changed is None or record.signature == signature
    if changed is not None and _outputs_intact(previous, output_dir):
        specs = [plan_article(site, article) for article in changed]
        carried = previous  # the pages not planned again are the last build's
    else:
        specs = plan_site(site)
        carried = {}  # a full plan: whatever it does not produce is stale
        complete = True

    fingerprints = [spec.fingerprint(global_digest) for spec in specs]
    todo = [
        i
        for i, spec in enumerate(specs)
        if not _still_current(spec, fingerprints[i], previous, output_dir)
    ]
    current = {path: fingerprint for path, (fingerprint, _) in carried.items()}
    current.update((spec.output_path, fp) for spec, fp in zip(specs, fingerprints, strict=True))

    staging = staging_dir_for(output_dir)
    derivatives = images.start(jobs)  # made while the pages render
    try:
        task = RenderTask(
            site,
            site_view(site),
            create_environment(config, options.use_cache),
            specs,
            output_dir,
            staging,
        )
        done = [0]

        def advance(count: int) -> None:
            done[0] += count
            if progress:
                progress("render", done[0], len(todo))

        outcome = render_pages(task, todo, jobs, advance)
        made = derivatives.finish(output_dir, staging)
        if outcome.errors or made.errors:
            raise BuildFailed([*outcome.errors, *made.errors])
        statics = static_files(static_dirs(config))
        staged = outcome.staged + stage_static(statics, output_dir, staging) + made.staged
        produced = set(current) | set(statics) | made.files
        search: SearchIndex | None = None
        if config.search and options.refresh_search:
            search = build_search_index(current.items(), output_dir, staging, cache.folder)
            staged += search.staged
            produced |= set(search.files)
        elif config.search:
            produced |= set(current_index_files(cache.folder, output_dir))
        removed = commit_output(output_dir, staging, staged, produced, cache.produced(output_dir))
    except BaseException:
        derivatives.cancel()
        discard_staging(staging)
        raise
    manifest = {path: entry for path, entry in previous.items() if path in current}
    for index in todo:
        path = specs[index].output_path
        manifest[path] = (fingerprints[index], _stat_key(output_dir / path))
    if manifest != previous:
        previous.clear()
        previous.update(manifest)
        cache.dirty = True
    cache.remember_produced(output_dir, produced)
    if complete:  # else the next build must see what is still to do
        cache.remember_record(output_dir, record_build(site, signature))
    cache.save(set(contents.sources))
    if search is not None:
        remember_index(cache.folder, output_dir, search)
    return BuildReport(
        articles=len(site.articles),
        pages=len(current),
        rendered=len(todo),
        written=len(staged),
        removed=removed,
        seconds=time.perf_counter() - started,
        output_dir=output_dir,
        complete=complete,
    )


def _outputs_intact(rendered: dict[str, tuple[str, StatKey]], output_dir: Path) -> bool:
    """Every page the last build wrote is still there as it was written."""
    return bool(rendered) and all(
        stat == _stat_key(os.path.join(output_dir, path)) for path, (_, stat) in rendered.items()
    )


def _still_current(
    spec: PageSpec, fingerprint: str, rendered: dict[str, tuple[str, StatKey]], output_dir: Path
) -> bool:
    previous = rendered.get(spec.output_path)
    return (
        previous is not None
        and previous[0] == fingerprint
        and previous[1] == _stat_key(os.path.join(output_dir, spec.output_path))
    )


def _stat_key(path: str | Path) -> StatKey:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


def _global_digest(config: SiteConfig, site: Site, authors_text: str, options: BuildOptions) -> str:
    """Everything every page may show: settings, templates, menu, footer, tag names."""
    digest = hashlib.sha256()
    parts = [
        __version__,
        config.digest,
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
    """Load ``newsgen.yaml`` under ``root`` and build: what the CLI and ``serve`` call."""
    config = load_config(root)
    if base_url:
        config = config.with_overrides(base_url=base_url.rstrip("/"))
    return build_site(config, options, progress)

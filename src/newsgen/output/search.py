"""The search index: Pagefind over the article pages, in bundles of a block of one
month's stories each (``plan/search_shards.py`` says which and why).

Why shards: Pagefind builds a bundle from scratch, its time and memory grow with the
pages it reads, and its index files are named by their content; so a publish or an edit
re-indexes one block of about a hundred stories. The search page loads the newest
bundle and merges the others with Pagefind's ``mergeIndex``, so it still finds any
story of the archive. Only article pages are indexed: listings repeat their stories'
teasers.

Why before the commit rather than on the committed output: the bundles then go through
the same staging and ``commit_output`` as the pages, so a failed indexing leaves the
published site untouched, files of an older bundle are removed as stale, and a reader
never meets new pages with an index that does not know them yet.

After a small rebuild the current HTML is split between staging (pages just rendered)
and the output (pages found current), so a shard's pages are gathered into one input
folder, each cut down to what Pagefind reads of it (search_input.py); with a build
state, that folder is kept for the next build (search_mirror.py). The Pagefind
binary is run directly (its Python API costs a round trip per page). Pagefind's output
is a function of the HTML, so the build stays deterministic; a shard whose pages'
fingerprints did not change keeps its bundle without running Pagefind at all.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..errors import NewsgenError
from ..plan.planner import Plan
from ..plan.search_shards import SEARCH_DIR
from ..render.staging import holds, in_tree, staged_path, tree_path
from . import search_mirror
from .search_input import search_copy

MadeAhead = Callable[[str, str], Path | None]  # (shard, key) -> its bundle, if made


@dataclass(frozen=True)
class ShardIndex:
    """One bundle: ``key`` digests what it was built from (see ``shard_key``), ``files``
    are its files relative to the output."""

    key: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class SearchIndex:
    """Every shard's bundle; the files of the bundles made by this build (``made``), and
    those of them written to staging because they changed (``staged``)."""

    shards: Mapping[str, ShardIndex]
    staged: tuple[str, ...]
    made: tuple[str, ...] = ()

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(name for shard in self.shards.values() for name in shard.files)


def shard_key(pages: Iterable[tuple[str, str]]) -> str:
    """A digest of (output path, fingerprint) of a shard's pages: equal keys, equal bundle."""
    digest = hashlib.sha256(_pagefind_version().encode())
    for path, fingerprint in sorted(pages):
        digest.update(f"{path}\0{fingerprint}\0".encode())
    return digest.hexdigest()


def build_search_index(
    shards: Mapping[str, Sequence[tuple[str, str]]],
    output_dir: Path,
    staging_dir: Path,
    previous: Mapping[str, ShardIndex],
    jobs: int = 1,
    kept_pages: Path | None = None,
    running: threading.Event | None = None,
    ahead: MadeAhead | None = None,
) -> SearchIndex:
    """Index each shard's pages (output path, fingerprint) into ``pagefind/<shard>/``,
    running Pagefind only for shards whose pages changed, ``jobs`` at a time.
    ``previous`` holds the bundles found intact in the output; ``kept_pages``, the
    folder where the pages handed to Pagefind are kept between builds (none: a
    temporary folder); ``running`` is set once a shard's pages are gathered; ``ahead``
    gives the bundle of a shard at a key indexed ahead (search_ahead.py), if any."""
    current: dict[str, ShardIndex] = {}
    todo: list[tuple[str, str]] = []
    for name, pages in sorted(shards.items()):
        key = shard_key(pages)
        known = previous.get(name)  # bundles the output holds intact (see staleness.py)
        if known and known.key == key:
            current[name] = known
        else:
            todo.append((name, key))
    # named by this process: the Pagefind of a build that was killed may still be
    # writing its bundle into the folder of its own
    work = staging_dir / f".search-{os.getpid()}"
    indexed = sum(len(shards[name]) for name, _ in todo)
    budget = PageBudget(max(PAGES_AT_ONCE, indexed // max(1, jobs)))
    staged: list[str] = []
    made: list[str] = []
    current_page = partial(_current_page, output_dir, staging_dir, in_tree(staging_dir))
    try:

        def index(item: tuple[str, str]) -> tuple[str, ShardIndex, list[str]]:
            name, key = item
            pages = shards[name]
            if kept_pages is None:
                source = _hand_over_all(pages, current_page, work / name / "site")
            else:
                copy = partial(_hand_over, link=False)
                source = search_mirror.gather(kept_pages / name, pages, current_page, copy)
            if running is not None:
                running.set()
            bundle = ahead(name, key) if ahead is not None else None
            if bundle is None:
                bundle = work / name / "bundle"
                with budget.taking(len(pages)):
                    run_pagefind(source, bundle)
            files, written = _collect(name, bundle, output_dir, staging_dir)
            return name, ShardIndex(key, files), written

        with ThreadPoolExecutor(max(1, jobs)) as pool:
            for name, shard, written in pool.map(index, todo):
                current[name] = shard
                staged += written
                made += shard.files
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if kept_pages is not None:
        search_mirror.forget_others(kept_pages, shards)
    return SearchIndex(
        shards=dict(sorted(current.items())),
        staged=tuple(sorted(staged)),
        made=tuple(sorted(made)),
    )


# Pagefind's memory grows with the pages it reads: about 200 MiB for 900 stories. The
# runs of a build index at most this many pages at once, unless it indexes so many that
# holding to it would leave a core idle (a cold build): so the first publish of a month,
# which cuts the month before into its final bundles of about 900 stories each at
# 100,000 articles, runs Pagefind over one of them at a time (its summed memory peaked
# at 1,071 MiB with two at once).
PAGES_AT_ONCE = 1_000


class PageBudget:
    """The pages the Pagefind runs of a build may read at once: a run waits until the
    pages of those under way leave room for its own (a run of more pages than the whole
    budget counts as the whole)."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self._free = pages
        self._changed = threading.Condition()

    @contextmanager
    def taking(self, pages: int) -> Iterator[None]:
        needed = min(pages, self.pages)
        with self._changed:
            self._changed.wait_for(lambda: self._free >= needed)
            self._free -= needed
        try:
            yield
        finally:
            with self._changed:
                self._free += needed
                self._changed.notify_all()


def _current_page(output_dir: Path, staging_dir: Path, first: bool, page: str) -> Path:
    """The file of ``page`` as this build leaves it: rendered into staging (in place,
    in a ``first`` build, which renders every page), or kept."""
    if first:
        return tree_path(staging_dir, page)
    staged = staged_path(staging_dir, page)
    return staged if staged.exists() else output_dir / page


def _hand_over_all(
    pages: Sequence[tuple[str, str]], current_page: Callable[[str], Path], source: Path
) -> Path:
    for page, _ in pages:
        _hand_over(current_page(page), source / page)
    return source


def _collect(
    name: str, bundle: Path, output_dir: Path, staging_dir: Path
) -> tuple[tuple[str, ...], list[str]]:
    """The files of a shard's bundle, as output paths, and those staged: they differ. A
    first build moves the bundle's folder into its place in staging's tree at once."""
    paths = sorted(p for p in bundle.rglob("*") if p.is_file())
    files = [f"{SEARCH_DIR}/{name}/{path.relative_to(bundle).as_posix()}" for path in paths]
    if in_tree(staging_dir):
        target = tree_path(staging_dir, f"{SEARCH_DIR}/{name}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(bundle, target)
        return tuple(files), files
    staged = []
    for path, relative in zip(paths, files, strict=True):
        if not holds(output_dir / relative, path.read_bytes()):
            # moved: a bundle made ahead lies in the state's folder, maybe on another disk
            shutil.move(path, staged_path(staging_dir, relative))
            staged.append(relative)
    return tuple(files), staged


def _pagefind_program() -> list[str]:
    """The Pagefind binary shipped in its Python package, else its launcher."""
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = __import__(package)
        except ImportError:
            continue
        if module.__file__ is None:  # a namespace package: no binary of its own
            continue
        folder = Path(module.__file__).parent
        for binary in ("pagefind_extended", "pagefind"):
            if (folder / binary).is_file() and os.access(folder / binary, os.X_OK):
                return [str(folder / binary)]
    return [sys.executable, "-m", "pagefind"]


def pagefind_command(source: Path, bundle: Path) -> list[str]:
    """Pagefind indexing the pages under ``source`` into ``bundle``."""
    return [*_pagefind_program(), "--site", str(source), "--output-path", str(bundle), "--silent"]


def run_pagefind(source: Path, bundle: Path) -> None:
    command = pagefind_command(source, bundle)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise NewsgenError(f"search indexing with Pagefind failed: {' '.join(detail[:3])}")


@cache  # reading a package's metadata takes about a millisecond
def _pagefind_version() -> str:
    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "unknown"


def _hand_over(page: Path, target: Path, link: bool = True) -> None:
    """Put ``page`` at ``target`` for Pagefind: cut down to what it reads of it
    (search_input.py), else as it is: linked (copied where links fail), or with
    ``link`` off copied (a kept copy must not change with the page's file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    data = page.read_bytes()
    copy = search_copy(data)
    if copy is not None or not link:
        target.write_bytes(data if copy is None else copy)
        return
    try:
        os.link(page, target)
    except OSError:
        shutil.copyfile(page, target)


def update_search_index(
    plan: Plan,
    intact: Mapping[str, tuple[str, tuple[str, ...]]],
    output_dir: Path,
    staging: Path,
    refresh: bool,
    jobs: int,
    kept_pages: Path | None = None,
    running: threading.Event | None = None,
    ahead: MadeAhead | None = None,
) -> SearchIndex:
    """Bring each bundle up to date for the searched pages of ``plan``, or with
    ``refresh`` off (a quick preview rebuild) keep the bundles the output holds
    (``intact``: bundle -> its key and files, for those whose files are as written:
    ``current_groups``). ``kept_pages``: see ``build_search_index``, as ``ahead``;
    ``running`` is set once a shard's pages are gathered, or once it is known that none
    will be."""
    try:
        known = {shard: ShardIndex(key, files) for shard, (key, files) in intact.items()}
        if not refresh:
            return SearchIndex(shards=known, staged=())
        shards: dict[str, list[tuple[str, str]]] = {}
        for output in plan.outputs:
            if output.search_shard:
                block = plan.search_shards[output.output_path]
                shards.setdefault(block, []).append((output.output_path, output.fingerprint))
        return build_search_index(
            shards, output_dir, staging, known, jobs, kept_pages, running, ahead
        )
    finally:
        if running is not None:
            running.set()

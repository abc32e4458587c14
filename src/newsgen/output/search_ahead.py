"""Pagefind started ahead, on the search block of the one story a build finds changed.

An edit or a publish re-indexes one block of about a hundred stories, and Pagefind was
the last 0.15-0.2 s of such a build at 10,000 articles, after planning and rendering.
But the story's page can be planned and rendered as soon as the site is modelled, and
the other pages of its block are those the output holds: a story's page depends on the
site and the stories before it, never on one published after it (planner.py). So that
page is rendered first, and Pagefind indexes its block while this process plans and
renders the site. ``build_search_index`` takes the bundle made ahead only when the block
it is to index has exactly the pages, at the fingerprints, indexed ahead (the same key);
otherwise (an edit that changed another page of the block too) it indexes the block as
always. Pagefind's bundle is a function of the pages, so the output is the same either
way.

Pagefind is started as a program, not from a forked copy of this process: a copy of a
build at 100,000 articles holds the parent's 0.8 GiB as its own while it lives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Set
from pathlib import Path

from ..model.site import Site
from ..model.views import site_view
from ..plan.planner import plan_article
from ..render.pages import PageRenderer, RenderTask
from ..render.templating import create_environment
from ..sources.models import Article
from . import search_mirror
from .search import pagefind_command, shard_key
from .search_input import search_copy
from .staleness import Manifest


class SearchAhead:
    """The block being indexed ahead, if any; ``close`` waits for Pagefind and removes
    its files."""

    def __init__(
        self,
        folder: Path | None = None,
        block: tuple[str, str] = ("", ""),
        process: subprocess.Popen[bytes] | None = None,
    ) -> None:
        self._folder = folder
        self._block = block  # (shard, key)
        self._process = process

    def bundle(self, shard: str, key: str) -> Path | None:
        """The bundle made ahead, if it is ``shard``'s at ``key`` (see search.py)."""
        if self._process is None or self._folder is None or (shard, key) != self._block:
            return None
        return self._folder / "bundle" if self._process.wait() == 0 else None

    def close(self) -> None:
        if self._process is not None:
            self._process.wait()
            self._process = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def search_ahead(
    site: Site,
    blocks: Mapping[str, str],
    changed: Set[str],
    global_digest: str,
    previous: Manifest,
    output_dir: Path,
    state_folder: Path | None,
    hooked: bool,
    refresh: bool,
) -> SearchAhead:
    """Start indexing the block of the one story of ``changed`` (sources whose bytes
    the last build did not see); ``blocks``: each article page's search bundle
    (``shard_names``). Nothing is started without search or a build state,
    for a build that keeps the index as it is (``refresh`` off: ``newsgen serve`` right
    after an edit), when more or less than one source changed or it is not a published
    story's (looked for from the newest: a publish's is the first), when a plugin changes
    pages as they render (``hooked``), when another page of the block was not written by the last
    build or is not kept cut at that fingerprint (search_mirror.py: the output's own
    file may have been changed by hand, which this build finds out only later), or
    when the story's page does not render (the build reports that)."""
    if not (site.config.search and refresh) or state_folder is None or hooked:
        return SearchAhead()
    if len(changed) != 1:
        return SearchAhead()
    (source,) = changed
    story = next((a for a in site.articles if a.source_path == source), None)
    if story is None:
        return SearchAhead()
    folder = search_mirror.output_folder(state_folder, "search-ahead", output_dir)
    kept = search_mirror.mirror_folder(state_folder, output_dir)
    try:
        return _start(site, blocks, story, global_digest, previous, output_dir, kept, folder)
    except Exception:  # a template error, say: the build itself reports it
        shutil.rmtree(folder, ignore_errors=True)
        return SearchAhead()


def _start(
    site: Site,
    blocks: Mapping[str, str],
    story: Article,
    global_digest: str,
    previous: Manifest,
    output_dir: Path,
    kept: Path,
    folder: Path,
) -> SearchAhead:
    block = blocks[story.output_path]
    kept_site, record = search_mirror.kept(kept / block)
    spec = plan_article(site, story)
    pages: list[tuple[str, str]] = []
    for path, name in blocks.items():
        if name != block:
            continue
        if path == story.output_path:
            pages.append((path, spec.fingerprint(global_digest)))
            continue
        written = previous.get(path)
        if written is None or record.get(path) != written[0]:
            return SearchAhead()
        pages.append((path, written[0]))
    shutil.rmtree(folder, ignore_errors=True)
    environment = create_environment(site.config)
    task = RenderTask(site, site_view(site), environment, [spec], output_dir, folder)
    page = PageRenderer(task).render(spec)
    source = folder / "site"
    for path, _ in pages:
        target = source / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if path == story.output_path:
            target.write_bytes(search_copy(page) or page)
        else:  # linked: a kept page is replaced, never written through (search_mirror.py)
            os.link(kept_site / path, target)
    command = pagefind_command(source, folder / "bundle")
    out = subprocess.DEVNULL
    process = subprocess.Popen(command, stdin=out, stdout=out, stderr=out)
    return SearchAhead(folder, (block, shard_key(pages)), process)

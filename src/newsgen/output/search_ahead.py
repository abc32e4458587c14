"""Pagefind started ahead, on the search block of the one story a build finds changed.

An edit or a publish re-indexes one block of about a hundred stories, and Pagefind was
the last 0.15-0.2 s of such a build at 10,000 articles, after planning and rendering.
But the story's page can be planned and rendered as soon as the site is modelled, and
the other pages of its block are those the output holds: a story's page depends on the
site and the stories before it, never on one published after it (planner.py). So a
second process, forked with the site, renders that page and indexes its block while
this one plans and renders the site. ``build_search_index`` takes the bundle made ahead
only when the block it is to index has exactly the pages, at the fingerprints, indexed
ahead (the same key); otherwise (an edit that changed another page of the block too)
it indexes the block as always. Pagefind's bundle is a function of the pages, so the
output is the same either way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Set
from pathlib import Path

from ..model.site import Site
from ..model.views import site_view
from ..plan.planner import plan_article
from ..plan.search_shards import shard_names
from ..render.pages import PageRenderer, RenderTask
from ..render.templating import create_environment
from ..sources.models import Article
from ..sources.parallel import InChild
from . import search_mirror
from .search import run_pagefind, shard_key
from .search_input import search_copy
from .staleness import Manifest


class SearchAhead:
    """The block indexed ahead, if any; ``close`` waits for it and removes its files."""

    def __init__(self, folder: Path | None = None, child: InChild | None = None) -> None:
        self._folder = folder
        self._child = child

    def bundle(self, shard: str, key: str) -> Path | None:
        """The bundle made ahead, if it is ``shard``'s at ``key`` (see search.py)."""
        if self._child is None or self._folder is None:
            return None
        try:
            made = self._child.result()
        except Exception:  # a failure ahead: the block is indexed as always
            return None
        return self._folder / "bundle" if made == (shard, key) else None

    def close(self) -> None:
        if self._child is not None:
            try:
                self._child.result()  # Pagefind, started by the child, has ended too
            except Exception:
                pass
            self._child = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


def search_ahead(
    site: Site,
    changed: Set[str],
    global_digest: str,
    previous: Manifest,
    output_dir: Path,
    state_folder: Path | None,
    hooked: bool,
) -> SearchAhead:
    """Start indexing the block of the one story of ``changed`` (sources whose bytes
    the last build did not see) in a forked process. Nothing is started without search
    or a build state, when more or less than one story changed, or when a plugin
    changes pages as they render (``hooked``)."""
    stories = [a for a in site.articles if a.source_path in changed]
    if not site.config.search or state_folder is None or hooked or len(stories) != 1:
        return SearchAhead()
    key = hashlib.sha256(str(output_dir).encode()).hexdigest()[:16]
    folder = state_folder / "search-ahead" / key
    kept = search_mirror.mirror_folder(state_folder, output_dir)

    def index() -> tuple[str, str] | None:
        return _index(site, stories[0], global_digest, previous, output_dir, kept, folder)

    return SearchAhead(folder, InChild(index))


def _index(
    site: Site,
    story: Article,
    global_digest: str,
    previous: Manifest,
    output_dir: Path,
    kept: Path,
    folder: Path,
) -> tuple[str, str] | None:
    """In the forked process: render the story's page, gather its block's pages and run
    Pagefind over them; the block and its key, or None when another page of the block
    was not written by the last build or is not kept cut at that fingerprint. The
    output's own file is never read: it may have been changed by hand, which this build
    finds out only later (and then renders the page again)."""
    shutil.rmtree(folder, ignore_errors=True)
    shards = shard_names(site.articles, site.months)
    block = shards[story.output_path]
    kept_site, record = search_mirror.kept(kept / block)
    spec = plan_article(site, story)
    pages: list[tuple[str, str]] = []
    for path, name in shards.items():
        if name != block:
            continue
        if path == story.output_path:
            pages.append((path, spec.fingerprint(global_digest)))
            continue
        written = previous.get(path)
        if written is None or record.get(path) != written[0]:
            return None
        pages.append((path, written[0]))
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
    run_pagefind(source, folder / "bundle")
    return block, shard_key(pages)

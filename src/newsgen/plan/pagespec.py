"""What planning hands on: ``PageSpec`` (one file to render) and ``PlannedOutput`` (what a
build needs to know of an output without rendering it)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import NamedTuple

from .contexts import Context, PageMeta

# The Recent Posts a page carries: (index in ``Site.articles`` of the first story
# shown, URL of a story to leave out). ``NEWEST`` is the newest stories.
Sidebar = tuple[int, str]
NEWEST: Sidebar = (0, "")


@dataclass(frozen=True)
class PageSpec:
    """One file to write. ``deps`` are digests of everything page-specific it shows, so an
    unchanged fingerprint means the file need not be rendered again. ``sidebar`` is
    None for outputs that are not full pages (feeds, sitemaps, fragments); ``meta`` is
    the head metadata of a full page, worked out when it is planned."""

    url: str
    output_path: str
    template: str
    context: Context = field(compare=False)
    deps: tuple[str, ...]
    source: str
    sidebar: Sidebar | None = NEWEST
    meta: PageMeta | None = field(default=None, compare=False)

    def fingerprint(self, global_digest: str) -> str:
        parts = "\0".join((global_digest, self.template, self.url, *self.deps))
        return hashlib.sha256(parts.encode()).hexdigest()


class PlannedOutput(NamedTuple):
    """One output as the build tracks it: its fingerprint, where it came from, and what
    the sitemap and the search index need of it (``sitemap_part`` is empty for outputs
    left out of the sitemap, ``search_shard`` (the page's month; search_shards.py picks the
    bundle) for pages left out of search). A named tuple: the planning memo keeps one per
    output of the archive, and a build reads them all back (cache.py), which a tuple
    makes several times cheaper than a dataclass. ``lastmod``, the page's last change,
    is ``datetime.isoformat`` text ("" for none): the sitemaps digest it as text, and
    the memo reads it back without making 184,000 dates at 100,000 articles."""

    output_path: str
    url: str
    fingerprint: str
    source: str
    sitemap_part: str = ""
    lastmod: str = ""
    search_shard: str = ""

"""What a publish holds in memory for each story of the archive behind it.

A publish at 100,000 stories must peak under 1 GiB (issue #10): every story it does
not touch is still restored from the build state, planned from the memo and listed
in the manifest, so what each costs is what decides it. Measured here as the growth of
the build's peak of allocated memory from a small archive to a larger one.
"""

from __future__ import annotations

import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path

import lxml.etree

from ..conftest import SiteMaker

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
SECTIONS = ("world", "business", "culture", "sport")
LEDE = " ".join(["The harbour board met again to weigh the plans."] * 10)
# Allocated bytes per story. 1 GiB over 100,000 stories is 10,700 each, and a build's
# resident memory runs about a third above what it allocates (freed blocks that stay
# mapped, SQLite's cache), which leaves 8,000. Before the state was slimmed a publish
# held about 8,900 here (9,900 before listings were planned in two groups); now 5,400.
PER_STORY = 8_000


def _archive(root: Path, stories: int) -> SiteMaker:
    site = SiteMaker(root)
    site.config({"title": "Memory Times", "base_url": "https://memory.example", "per_page": 10})
    site.authors({f"writer-{n}": {"name": f"Writer {n}"} for n in range(4)})
    for n in range(stories):
        site.article(
            f"{SECTIONS[n % 4]}/story-{n:04d}.md",
            f"Story {n} of the harbour",
            (NOW - timedelta(hours=7 * n + 2)).isoformat(),
            f"Report {n} on [the port](https://port.example/{n}), topic {n % 5}. {LEDE}",
            author=f"writer-{n % 4}",
            tags=[f"Topic {n % 5}", f"Desk {n % 3}"],
        )
    return site


def _publish_peak(site: SiteMaker) -> int:
    """The peak of memory allocated while a publish builds (the archive built before)."""
    site.build(now=NOW)
    site.article(
        "world/ferry.md",
        "Ferry strike called off",
        (NOW - timedelta(hours=1)).isoformat(),
        "Unions and the port agreed overnight.",
        author="writer-1",
        tags=["Topic 1"],
    )
    tracemalloc.start()
    try:
        site.build(now=NOW)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_publish_holds_a_few_kilobytes_per_story_of_the_archive(tmp_path: Path) -> None:
    small, large = 100, 400
    peaks = {n: _publish_peak(_archive(tmp_path / f"site-{n}", n)) for n in (small, large)}
    per_story = (peaks[large] - peaks[small]) / (large - small)
    assert per_story < PER_STORY, f"{per_story:.0f} bytes per story"
    # and the publish is whole: the new story is in its month's sitemap, with every
    # old story of the month, at absolute addresses
    output = tmp_path / f"site-{large}" / "public"
    index = lxml.etree.parse(output / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    parts = [loc.text for loc in index.iterfind("s:sitemap/s:loc", ns)]
    newest = parts[1].removeprefix("https://memory.example/")  # after the pages' part
    urls = [loc.text for loc in lxml.etree.parse(output / newest).iterfind("s:url/s:loc", ns)]
    assert "https://memory.example/world/ferry-strike-called-off/" in urls
    assert all(url.startswith("https://memory.example/") for url in urls)

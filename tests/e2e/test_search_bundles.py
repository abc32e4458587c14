"""Search bundles: blocks of a month, so a publish or an edit re-indexes few stories."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsgen.output import search as output_search
from newsgen.output import search_ahead
from newsgen.plan import search_shards as search

from ..conftest import SiteMaker

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def _archive(site: SiteMaker) -> None:
    """October and November 2026, 12 stories each, a day apart."""
    site.config({"title": "Block Times", "base_url": "https://block.example", "per_page": 5})
    for month in (10, 11):
        for day in range(1, 13):
            site.article(
                f"world/m{month}-{day:02d}.md",
                f"Story of {month}/{day}",
                datetime(2026, month, day, 9, tzinfo=timezone.utc).isoformat(),
                f"Harbour report number {month * 100 + day} about cranes.",
            )


def _bundles(output: Path) -> dict[str, dict[str, str]]:
    """bundle -> {file: digest}, the index files of every search bundle."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted((output / "pagefind").rglob("*")):
        if path.is_file():
            bundle, name = path.relative_to(output / "pagefind").as_posix().split("/", 1)
            found.setdefault(bundle, {})[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _indexed(output: Path, bundle: str) -> int:
    entry = json.loads((output / "pagefind" / bundle / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


@pytest.fixture
def blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 5 stories in the newest month, at most 2 blocks in an older one."""
    monkeypatch.setattr(search, "BLOCK", 5)
    monkeypatch.setattr(search, "OLD_BLOCKS", 2)


def test_months_are_cut_into_blocks_and_the_search_page_merges_them_all(
    site: SiteMaker, blocks: None
) -> None:
    _archive(site)
    site.build(now=NOW)
    bundles = _bundles(site.output)
    # November (the newest): blocks of 5 from its oldest story; October: 2 blocks of 6
    assert set(bundles) == {"2026-11", "2026-11-2", "2026-11-3", "2026-10", "2026-10-2"}
    counts = {name: _indexed(site.output, name) for name in bundles}
    assert counts == {"2026-11": 5, "2026-11-2": 5, "2026-11-3": 2, "2026-10": 6, "2026-10-2": 6}
    (form,) = site.html("search/index.html").xpath("//form[@data-bundles]")
    assert form.get("data-bundles").split() == [
        "/pagefind/2026-11-3/", "/pagefind/2026-11-2/", "/pagefind/2026-11/",
        "/pagefind/2026-10-2/", "/pagefind/2026-10/",
    ]  # fmt: skip


def test_a_publish_and_an_edit_change_one_block_and_a_rebuild_equals_a_cold_build(
    site: SiteMaker, blocks: None, tmp_path: Path
) -> None:
    _archive(site)
    site.build(now=NOW)
    before = _bundles(site.output)
    site.article(
        "world/new.md", "Ferry strike ends", (NOW - timedelta(hours=2)).isoformat(), "Agreed."
    )
    site.build(now=NOW)
    after = _bundles(site.output)
    assert {name for name in after if after[name] != before.get(name)} == {"2026-11-3"}
    old = site.root / "content/world/m10-02.md"
    old.write_text(old.read_text() + "\nA correction about the cranes.\n")
    site.build(now=NOW)
    edited = _bundles(site.output)
    assert {name for name in edited if edited[name] != after.get(name)} == {"2026-10"}
    cold = tmp_path / "cold"
    site.build(now=NOW, output_dir=cold, use_cache=False)
    assert _bundles(cold) == edited


def test_a_month_that_stops_being_the_newest_is_cut_again_as_a_cold_build_cuts_it(
    site: SiteMaker, blocks: None, tmp_path: Path
) -> None:
    _archive(site)
    site.build(now=NOW)
    later = datetime(2026, 12, 2, 12, tzinfo=timezone.utc)
    site.article("world/dec.md", "December opens", "2026-12-01T08:00:00Z", "Snow on the quay.")
    (site.root / "content/world/m10-05.md").unlink()
    site.build(now=later)
    bundles = _bundles(site.output)
    assert {"2026-12", "2026-11", "2026-11-2", "2026-10", "2026-10-2"} == set(bundles)
    # October, 11 stories left: two equal blocks, 5 and 6 counted from the oldest
    assert _indexed(site.output, "2026-10") == 5 and _indexed(site.output, "2026-10-2") == 6
    assert _indexed(site.output, "2026-11") == 6
    cold = tmp_path / "cold"
    site.build(now=later, output_dir=cold, use_cache=False)
    assert _bundles(cold) == bundles


def test_the_first_publish_of_a_month_indexes_its_large_bundles_one_at_a_time(
    site: SiteMaker, blocks: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's memory grows with the pages it reads: the runs of a build read at most
    ``PAGES_AT_ONCE`` pages at once (here 6: each of November's final blocks)."""
    _archive(site)
    site.build(now=NOW)
    monkeypatch.setattr(output_search, "PAGES_AT_ONCE", 6)
    real = output_search.run_pagefind
    running: list[int] = []  # the pages of the runs under way
    most: list[int] = []
    runs: list[tuple[str, int]] = []

    def counting(source: Path, bundle: Path) -> None:
        pages = len(list(source.rglob("index.html")))
        runs.append((source.parent.name, pages))
        running.append(pages)
        most.append(sum(running))
        try:
            time.sleep(0.2)  # long enough for another run to start beside it, if allowed
            real(source, bundle)
        finally:
            running.remove(pages)

    monkeypatch.setattr(output_search, "run_pagefind", counting)
    later = datetime(2026, 12, 2, 12, tzinfo=timezone.utc)
    site.article("world/dec.md", "December opens", "2026-12-01T08:00:00Z", "Snow on the quay.")
    site.build(now=later, jobs=2)
    assert sorted(runs) == [("2026-11", 6), ("2026-11-2", 6)]  # December's: indexed ahead
    assert max(most) == 6
    cold = tmp_path / "cold"
    site.build(now=later, output_dir=cold, use_cache=False)
    assert _bundles(cold) == _bundles(site.output)


def test_a_bundle_file_damaged_by_hand_is_indexed_again_when_other_stories_change(
    site: SiteMaker, blocks: None, tmp_path: Path
) -> None:
    _archive(site)
    site.build(now=NOW)
    entry = site.output / "pagefind/2026-10/pagefind-entry.json"
    entry.write_text("{}")  # not as written
    site.article("world/new.md", "Quay reopens", (NOW - timedelta(hours=1)).isoformat(), "Open.")
    site.build(now=NOW)
    assert _indexed(site.output, "2026-10") == 6
    cold = tmp_path / "cold"
    site.build(now=NOW, output_dir=cold, use_cache=False)
    assert _bundles(cold) == _bundles(site.output)


def _kept_pages(site: SiteMaker) -> dict[str, set[str]]:
    """bundle -> the pages kept for Pagefind in the build state (search_mirror.py)."""
    (root,) = (site.root / ".newsgen-cache/search-input").iterdir()
    return {
        bundle.name: {p.relative_to(bundle / "site").as_posix() for p in bundle.rglob("*.html")}
        for bundle in root.iterdir()
    }


def test_the_pages_kept_for_pagefind_follow_the_blocks_and_are_cut_again_when_lost(
    site: SiteMaker, blocks: None, tmp_path: Path
) -> None:
    _archive(site)
    site.build(now=NOW)
    kept = _kept_pages(site)
    assert {name: len(pages) for name, pages in kept.items()} == {
        "2026-11": 5, "2026-11-2": 5, "2026-11-3": 2, "2026-10": 6, "2026-10-2": 6,
    }  # fmt: skip
    assert "world/story-of-10-1/index.html" in kept["2026-10"]
    # November stops being the newest: its blocks are cut again, the third is gone
    later = datetime(2026, 12, 2, 12, tzinfo=timezone.utc)
    site.article("world/dec.md", "December opens", "2026-12-01T08:00:00Z", "Snow on the quay.")
    site.build(now=later)
    kept = _kept_pages(site)
    assert {name: len(pages) for name, pages in kept.items()} == {
        "2026-12": 1, "2026-11": 6, "2026-11-2": 6, "2026-10": 6, "2026-10-2": 6,
    }  # fmt: skip
    # a kept page lost and a record unreadable: those bundles' pages are cut again
    folder = next((site.root / ".newsgen-cache/search-input").iterdir())
    (folder / "2026-10/site/world/story-of-10-1/index.html").unlink()
    (folder / "2026-11/pages.json").write_text("[not a record")
    for story in ("world/m10-02.md", "world/m11-02.md"):
        path = site.root / "content" / story
        path.write_text(path.read_text() + "\nA correction about the cranes.\n")
    site.build(now=later)
    assert _indexed(site.output, "2026-10") == 6 and _indexed(site.output, "2026-11") == 6
    cold = tmp_path / "cold"
    site.build(now=later, output_dir=cold, use_cache=False)
    assert _bundles(cold) == _bundles(site.output)


def test_the_block_of_a_changed_story_is_indexed_ahead_and_as_a_cold_build_indexes_it(
    site: SiteMaker, blocks: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _archive(site)
    long = " ".join(f"Crane {n} lifted a container off the quay." for n in range(30))
    site.article("world/m10-02.md", "Story of 10/2", "2026-10-02T09:00:00+00:00", long)
    site.build(now=NOW)
    here: list[Path] = []  # Pagefind runs of this process (not of the one started ahead)
    real = output_search.run_pagefind
    monkeypatch.setattr(
        output_search,
        "run_pagefind",
        lambda source, bundle: (here.append(source), real(source, bundle)),
    )

    def append(story: str) -> None:
        path = site.root / "content/world" / story
        path.write_text(path.read_text() + "\nA correction about the cranes.\n")

    # one story's body edited (not its teaser), and another page of its block changed
    # by hand in the output: the block is indexed ahead from the pages kept for Pagefind
    append("m10-02.md")
    (site.output / "world/story-of-10-3/index.html").write_text("<p>tampered</p>")
    site.build(now=NOW)
    assert here == []  # its block came from the process started ahead
    cold = tmp_path / "cold"
    site.build(now=NOW, output_dir=cold, use_cache=False)
    assert _bundles(cold) == _bundles(site.output)
    # two stories edited: nothing ahead, both their blocks indexed here
    here.clear()
    append("m10-03.md")
    append("m11-04.md")
    site.build(now=NOW)
    assert {source.parent.name for source in here} >= {"2026-10", "2026-11"}
    site.build(now=NOW, output_dir=cold, use_cache=False)
    assert _bundles(cold) == _bundles(site.output)


def test_a_build_that_keeps_the_index_starts_no_pagefind_ahead(
    site: SiteMaker, blocks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``newsgen serve``'s build right after an edit keeps the index as it is: indexing
    the block ahead would only make that rebuild wait for Pagefind."""
    _archive(site)
    site.build(now=NOW)
    before = _bundles(site.output)
    monkeypatch.setattr(
        search_ahead.subprocess, "Popen", lambda *a, **k: pytest.fail("Pagefind started")
    )
    path = site.root / "content/world/m10-02.md"
    path.write_text(path.read_text() + "\nA correction about the cranes.\n")
    site.build(now=NOW, refresh_search=False)
    assert _bundles(site.output) == before

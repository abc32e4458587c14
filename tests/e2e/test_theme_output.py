"""The built example site as files: valid HTML, small assets, a deterministic search index."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from newsgen.output import search

from ..conftest import REPO, build_example

VNU = REPO / "tests" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("example"))


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_example_site_passes_the_nu_html_checker(example: Path) -> None:
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(example)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_theme_assets_stay_small(example: Path) -> None:
    css = sum(p.stat().st_size for p in example.rglob("*.css") if "pagefind" not in p.parts)
    js = sum(p.stat().st_size for p in example.rglob("*.js") if "pagefind" not in p.parts)
    assert 0 < css < 30 * 1024
    assert 0 < js < 10 * 1024


def test_pages_reference_only_local_assets(example: Path) -> None:
    for page in example.rglob("*.html"):
        html = page.read_text()
        for marker in ('src="http', 'href="//', "@import", "url(http"):
            assert marker not in html, f"{page} loads {marker}"
    for sheet in example.rglob("*.css"):
        assert "url(http" not in sheet.read_text() and "@import" not in sheet.read_text()


def test_search_index_is_identical_across_builds(example: Path, tmp_path: Path) -> None:
    again = build_example(tmp_path)
    first = {k: v for k, v in _digests(example).items() if k.startswith("pagefind/")}
    assert "pagefind/2026-11/pagefind.js" in first
    assert any(k.startswith("pagefind/2026-11/fragment/") for k in first)
    assert first == {k: v for k, v in _digests(again).items() if k.startswith("pagefind/")}


def test_search_indexes_article_bodies_only(site) -> None:
    site.article("world/a.md", "Harbour story", "2026-11-01T10:00:00Z", "The albatross returned.")
    site.article("world/b.md", "Quay story", "2026-11-02T10:00:00Z", "Nothing about birds.")
    site.build()
    assert len(_fragments(site.output)) == 2


def _fragments(output: Path) -> list[str]:
    """The indexed pages: one Pagefind fragment each, in the bundle of their month."""
    return sorted(p.relative_to(output).as_posix() for p in output.glob("pagefind/*/fragment/*"))


def test_search_bundles_are_one_per_month_and_a_publish_reindexes_one(site) -> None:
    site.article("world/a.md", "Harbour story", "2026-10-01T10:00:00Z", "The albatross returned.")
    site.article("world/b.md", "Quay story", "2026-11-02T10:00:00Z", "Nothing about birds.")
    site.build()
    assert [f.split("/")[1] for f in _fragments(site.output)] == ["2026-10", "2026-11"]
    search = site.html("search/index.html").xpath("//form[@class='search-form']/@data-bundles")
    assert search == ["/pagefind/2026-11/ /pagefind/2026-10/"]
    site.article("world/c.md", "Ferry story", "2026-11-03T10:00:00Z", "The ferry sailed.")
    report = site.build()
    touched = {p for p in [*report.changes.added, *report.changes.modified] if "pagefind" in p}
    touched |= {p for p in report.changes.removed if "pagefind" in p}
    assert touched and all(p.startswith("pagefind/2026-11/") for p in touched)


def test_search_index_follows_the_site_and_skips_work_when_unchanged(site) -> None:
    for number in range(3):
        site.article(f"world/s{number}.md", f"Story {number}", f"2026-11-0{number + 1}T10:00:00Z")
    site.build()
    assert len(_fragments(site.output)) == 3
    assert site.build().written == 0
    (site.root / "content/world/s2.md").unlink()
    report = site.build()
    assert len(_fragments(site.output)) == 2
    assert report.removed > 0


def test_unchanged_bundles_are_not_indexed_again(site, monkeypatch) -> None:
    for number in range(3):
        site.article(f"world/s{number}.md", f"Story {number}", f"2026-1{number}-01T10:00:00Z")
    site.build()
    shutil.rmtree(site.root / ".newsgen-cache")  # the output is kept, its state is lost
    site.build()
    runs: list[Path] = []
    real = search.run_pagefind
    monkeypatch.setattr(search, "run_pagefind", lambda *a: runs.append(a[0]) or real(*a))
    assert site.build().written == 0 and runs == []
    before = _bundle_files(site.output)
    site.article("world/s9.md", "Story 9", "2026-11-05T10:00:00Z")
    site.build()
    after = _bundle_files(site.output)
    changed = {path.split("/")[0] for path in before.keys() | after.keys()
               if before.get(path) != after.get(path)}  # fmt: skip
    assert changed == {"2026-11"}
    # no other block indexed again here (the publish's block may be, or was ahead)
    assert {path.parent.name for path in runs} <= {"2026-11"}


def _bundle_files(output: Path) -> dict[str, bytes]:
    folder = output / "pagefind"
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_build_that_defers_search_keeps_the_index_until_it_is_refreshed(site) -> None:
    for number in range(2):
        site.article(f"world/s{number}.md", f"Story {number}", f"2026-11-0{number + 1}T10:00:00Z")
    site.build()
    before = _fragments(site.output)
    site.article("world/s2.md", "Story 2", "2026-11-03T10:00:00Z", "The pelican landed.")
    site.build(refresh_search=False)  # what newsgen serve does right after an edit
    assert (site.output / "world/story-2/index.html").is_file()
    assert _fragments(site.output) == before
    site.build()  # what it does once the edits pause
    assert len(_fragments(site.output)) == 3


def test_search_can_be_turned_off(site) -> None:
    site.config({"title": "T", "base_url": "https://t.example", "search": False})
    site.article("world/a.md", "A", "2026-11-01T10:00:00Z")
    site.build()
    assert not (site.output / "pagefind").exists()
    assert not (site.output / "search").exists()
    assert site.html("index.html").xpath("//a[@href='/search/']") == []


def test_cookie_notice_can_be_turned_off(site) -> None:
    site.article("world/a.md", "A", "2026-11-01T10:00:00Z")
    site.build()
    assert site.html("index.html").get_element_by_id("cookie-notice") is not None
    site.config({"title": "T", "base_url": "https://t.example", "cookie_notice": False})
    site.build()
    assert site.html("index.html").xpath("//*[@id='cookie-notice']") == []


def test_a_month_whose_only_story_is_a_picture_is_indexed_by_its_headline(site) -> None:
    site.write("static/images/dawn.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.article(
        "world/a.md", "Harbour at dawn", "2026-06-01T10:00:00Z", "![Dawn](/images/dawn.svg)"
    )
    site.article("world/b.md", "Quay story", "2026-11-02T10:00:00Z", "Nothing about birds.")
    site.build()
    assert [f.split("/")[1] for f in _fragments(site.output)] == ["2026-06", "2026-11"]

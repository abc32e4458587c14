"""What a publish and an edit change in the output, counted as a deploy would count them:
the same number of files whatever the size of the archive behind them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from newsgen.cli import main

from ..conftest import SiteMaker

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
SECTIONS = ("world", "business", "culture", "sport")
RECENT_MONTH = 30  # stories in the newest month, the same at every archive size
LEDE = " ".join(["The harbour board met again to weigh the plans."] * 10)  # past the excerpt


def _archive(site: SiteMaker, months: int) -> None:
    """``months`` months of 30 stories each, the newest month ending just before NOW."""
    site.config({"title": "Cost Times", "base_url": "https://cost.example", "per_page": 10})
    site.authors({f"writer-{n}": {"name": f"Writer {n}"} for n in range(4)})
    for month in range(months):
        first = datetime(2026, 11, 1, tzinfo=timezone.utc) - timedelta(days=31 * month)
        for n in range(RECENT_MONTH):
            number = month * RECENT_MONTH + n
            site.article(
                f"{SECTIONS[n % 4]}/m{month:02d}-{n:02d}.md",
                f"Story {number} of month {month}",
                (first.replace(day=1) + timedelta(hours=20 * n)).isoformat(),
                f"Report {number} about harbour topic {n % 5}. {LEDE}\n\n## More\n\nDetails {number}.",
                author=f"writer-{n % 4}",
                tags=[f"Topic {n % 5}", f"Desk {n % 3}"],
            )


def _publish(site: SiteMaker) -> None:
    site.article(
        "world/breaking.md",
        "Ferry strike called off",
        (NOW - timedelta(hours=1)).isoformat(),
        "Unions and the port agreed overnight.",
        author="writer-1",
        tags=["Topic 1"],
    )


def _changed(report) -> list[str]:
    return sorted([*report.changes.added, *report.changes.modified, *report.changes.removed])


def test_a_publish_changes_the_same_few_files_whatever_the_archive_size(tmp_path) -> None:
    changed = {}
    for months in (2, 12):  # 60 and 360 stories behind the new one
        site = SiteMaker(tmp_path / f"site-{months}")
        _archive(site, months)
        site.build(now=NOW)
        _publish(site)
        changed[months] = _changed(site.build(now=NOW))
        assert "world/ferry-strike-called-off/index.html" in changed[months]
    assert len(changed[2]) == len(changed[12]) <= 100, changed
    # what changes: the story, front pages of its listings, indexes, feeds, sitemaps,
    # the Recent Posts fragment and the newest month's search bundle; never an older
    # story's page or an older page of a listing
    articles = {p for p in changed[12] if p.count("/") == 2 and p.split("/")[0] in SECTIONS}
    assert articles == {"world/ferry-strike-called-off/index.html"}
    assert not any("/page/" in p for p in changed[12])
    assert {p.split("/")[1] for p in changed[12] if p.startswith("pagefind/")} == {"2026-11"}
    assert {"recent-posts.json", "sitemap-2026-11.xml", "index.html"} <= set(changed[12])


def test_editing_an_old_story_changes_its_page_and_its_month_of_search_only(
    site: SiteMaker,
) -> None:
    _archive(site, 6)
    site.build(now=NOW)
    old = site.root / "content/business/m05-01.md"
    old.write_text(old.read_text() + "\nA paragraph added in a correction.\n")
    report = site.build(now=NOW)
    changed = [*report.changes.added, *report.changes.modified, *report.changes.removed]
    page = [p for p in changed if not p.startswith("pagefind/")]
    assert page == ["business/story-151-of-month-5/index.html"]
    month = {p.split("/")[1] for p in changed if p.startswith("pagefind/")}
    assert len(month) == 1 and len(changed) <= 40


def test_build_changes_lists_what_a_deploy_must_upload_and_delete(
    site: SiteMaker, tmp_path, monkeypatch, capsys
) -> None:
    _archive(site, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    listing = tmp_path / "changes.txt"
    command = ["build", "--source", str(site.root), "--jobs", "1", "--changes", str(listing)]
    assert main(command) == 0
    first = listing.read_text().splitlines()
    assert first and all(line.startswith("+ ") for line in first)
    assert {line[2:] for line in first} == {
        p.relative_to(site.output).as_posix()
        for p in site.output.rglob("*")
        if p.is_file() and p.name != ".newsgen-output"
    }
    assert main(command) == 0
    assert listing.read_text() == ""  # nothing changed, nothing to upload
    _publish(site)
    (site.root / "content/sport/m00-03.md").unlink()
    assert main(command) == 0
    lines = listing.read_text().splitlines()
    assert lines == sorted(lines, key=lambda line: line[2:])
    marks = {line[2:]: line[0] for line in lines}
    assert marks["world/ferry-strike-called-off/index.html"] == "+"
    assert marks["index.html"] == "~"
    gone = [path for path, mark in marks.items() if mark == "-"]
    assert "sport/story-3-of-month-0/index.html" in gone
    assert all(not (site.output / path).exists() for path in gone)
    built = [line for line in capsys.readouterr().out.splitlines() if line.startswith("built ")]
    assert f"{len(lines) - len(gone):,} files written, {len(gone):,} removed" in built[-1]

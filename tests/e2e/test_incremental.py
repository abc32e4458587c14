"""A rebuild must give exactly the output a cold build gives, whatever changed."""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsgen import build
from newsgen.errors import BuildFailed
from newsgen.model import lint
from newsgen.output import staleness, staterows
from newsgen.output.keptrows import kept_rows
from newsgen.plan import listings, planner
from newsgen.render import pages as render
from newsgen.sources import content
from newsgen.sources.parallel import InChild

from ..conftest import SiteMaker, article_text


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch):
    """Blocks of 6 stories and of 2 numbered pages: the archives here span several, so
    every change below lands in one block, moves stories or pages between blocks, or
    changes the archive under others. The stories' checks go by blocks of 5."""
    monkeypatch.setattr(planner, "ARTICLE_BLOCK", 6)
    monkeypatch.setattr(listings, "PAGE_BLOCK", 2)
    monkeypatch.setattr(lint, "WARNING_BLOCK", 5)


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _populate(site: SiteMaker, count: int, search: bool = False) -> None:
    site.config(
        {
            "title": "Incremental Times",
            "base_url": "https://inc.example",
            "recent_posts": 4,
            "per_page": 5,
            "search": search,
        }
    )
    site.authors({"ana": {"name": "Ana Reporter", "bio": "Covers the port."}})
    for n in range(count):
        section = ("world", "business", "culture")[n % 3]
        site.article(
            f"{section}/a{n:03d}.md",
            f"Article {n:03d}",
            _populate_date(n),
            f"Opening paragraph {n}.\n\n## Part\n\nWords about topic {n % 7}.",
            author="ana",
            tags=[f"Topic {n % 7}", f"Theme {n % 5}"],
            summary="" if n % 4 else f"Summary of {n}",
        )


def _populate_date(n: int) -> str:
    return f"2026-{1 + n % 11:02d}-{1 + n % 27:02d}T{n % 24:02d}:00:00Z"


def _age_sources(root: Path) -> None:
    """Push source mtimes into the past, as files saved earlier would be."""
    past = time.time() - 60
    for path in root.rglob("*"):
        if path.is_file() and "public" not in path.parts:
            os.utime(path, (past, past))


def _assert_matches_cold(site: SiteMaker, tmp_path: Path, **options) -> None:
    """The same files, and the same warnings."""
    rebuilt = site.build(**options)
    cold = tmp_path / f"cold-{time.monotonic_ns()}"
    first = site.build(output_dir=cold, use_cache=False, **options)
    assert _digests(site.output) == _digests(cold)
    assert list(map(str, rebuilt.warnings)) == list(map(str, first.warnings))


def _edit_body(site):
    path = site.root / "content/world/a003.md"
    path.write_text(path.read_text().replace("Opening paragraph 3.", "A new opening for three."))


def _append_paragraph(site):
    path = site.root / "content/world/a003.md"
    path.write_text(path.read_text() + "\nA closing paragraph added later.\n")


def _add_article(site):
    site.article(
        "culture/new.md", "Brand new story", "2026-11-27T10:00:00Z", "Fresh.", tags=["Topic 1"]
    )


def _publish_with_a_new_tag(site):
    site.article(
        "world/new.md", "A story of a new tag", "2026-11-27T11:00:00Z", "New.", tags=["Airships"]
    )


def _respell_a_tag(site):
    """The newest story spells a tag otherwise: every page showing the tag shows it so."""
    site.article(
        "world/new.md", "Spelt otherwise", "2026-11-27T12:00:00Z", "New.", tags=["TOPIC 1"]
    )


def _delete_article(site):
    (site.root / "content/business/a004.md").unlink()


def _rename_article(site):
    (site.root / "content/world/a006.md").rename(site.root / "content/business/a006.md")


def _change_template(site):
    site.write(
        "templates/_recent_posts.html",
        '<aside class="sidebar"><p>{{ recent_posts | length }}</p></aside>\n',
    )


def _change_config(site):
    site.config(
        {
            "title": "Renamed Times",
            "base_url": "https://inc.example",
            "per_page": 7,
            "search": False,
        }
    )


def _move_site(site):
    """A new address: every absolute URL changes, sitemaps' entries among them."""
    text = (site.root / "newsgen.yaml").read_text()
    (site.root / "newsgen.yaml").write_text(text.replace("inc.example", "moved.example"))


def _change_authors(site):
    site.authors({"ana": {"name": "Ana Q. Reporter", "bio": "Now covers the courts."}})


def _change_tag_and_summary(site):
    path = site.root / "content/business/a001.md"
    site.write(
        "content/business/a001.md",
        article_text(
            "Article 001",
            "2026-02-02T01:00:00Z",
            "Body.",
            tags=["Brand tag"],
            summary="New summary",
        ),
    )
    assert path.exists()


@pytest.mark.parametrize(
    "change",
    [
        _edit_body,
        _append_paragraph,
        _add_article,
        _publish_with_a_new_tag,
        _respell_a_tag,
        _delete_article,
        _rename_article,
        _change_template,
        _change_config,
        _move_site,
        _change_authors,
        _change_tag_and_summary,
    ],
)
@pytest.mark.parametrize("jobs", [1, 2])  # 2: the changed sources parse in a second process
def test_incremental_build_equals_cold_build(site, tmp_path, change, jobs):
    _populate(site, 40)
    _age_sources(site.root)
    site.build(jobs=jobs)
    change(site)
    _assert_matches_cold(site, tmp_path, jobs=jobs)


def _link_ahead_and_misspell(site: SiteMaker) -> None:
    """An old story links to a page no story has yet; another misspells a key."""
    path = site.root / "content/world/a003.md"
    link = "Opening paragraph 3. See [what comes](/culture/brand-new-story/)."
    path.write_text(path.read_text().replace("Opening paragraph 3.", link))
    site.article("world/odd.md", "Odd keys", "2026-03-03T10:00:00Z", "Body.", sumary="A typo")


def test_a_rebuild_warns_as_a_cold_build_when_a_link_comes_to_lead_somewhere(site, tmp_path):
    _populate(site, 40)
    _link_ahead_and_misspell(site)
    _age_sources(site.root)
    first = site.build()
    assert [w.path for w in first.warnings] == ["content/world/a003.md", "content/world/odd.md"]
    _add_article(site)  # the story the old one links to
    _assert_matches_cold(site, tmp_path)
    (kept,) = site.build().warnings  # the misspelt key, kept for its block
    assert kept.path == "content/world/odd.md" and "'sumary'" in kept.message


def test_a_publish_checks_the_newest_block_of_stories_only(site, monkeypatch):
    _populate(site, 40)
    _link_ahead_and_misspell(site)
    _age_sources(site.root)
    site.build()
    checked = []
    block = lint._StoryChecks.block
    monkeypatch.setattr(
        lint._StoryChecks,
        "block",
        lambda self, articles, targets: (
            checked.append(len(articles)) or block(self, articles, targets)
        ),
    )
    _add_article(site)
    report = site.build()
    assert checked == [2]  # 42 stories in blocks of 5 from the oldest: the newest holds 2
    assert [w.path for w in report.warnings] == ["content/world/odd.md"]


def test_an_edit_that_breaks_a_source_is_reported_from_the_second_process(site, monkeypatch):
    _populate(site, 20)
    _age_sources(site.root)
    site.build(jobs=2)
    before = _digests(site.output)
    forked = []
    monkeypatch.setattr(content, "InChild", lambda *a, **k: forked.append(1) or InChild(*a, **k))
    site.write("content/world/a003.md", "---\ntitle: [unclosed\n---\nBody.\n")
    with pytest.raises(BuildFailed) as failed:
        site.build(jobs=2)
    assert forked == [1]
    (error,) = failed.value.errors
    assert error.path == "content/world/a003.md" and error.line == 3  # where YAML notices
    assert _digests(site.output) == before


@pytest.mark.parametrize("change", [_add_article, _edit_body, _delete_article, _rename_article])
def test_with_search_a_rebuild_equals_a_cold_build(site, tmp_path, change):
    _populate(site, 30, search=True)
    _age_sources(site.root)
    site.build()
    change(site)
    _assert_matches_cold(site, tmp_path)
    assert list(site.output.glob("pagefind/*/pagefind-entry.json"))


def test_time_passing_a_scheduled_story_rebuilds_as_a_cold_build(site, tmp_path):
    _populate(site, 30)
    site.article("culture/later.md", "Scheduled story", "2026-12-10T09:00:00Z", tags=["Topic 1"])
    _age_sources(site.root)
    site.build(now=datetime(2026, 12, 5, tzinfo=timezone.utc))
    assert not (site.output / "culture/scheduled-story/index.html").exists()
    later = datetime(2026, 12, 15, tzinfo=timezone.utc)
    _assert_matches_cold(site, tmp_path, now=later)
    assert (site.output / "culture/scheduled-story/index.html").is_file()


def test_edit_renders_only_what_it_touches(site):
    _populate(site, 60)
    _age_sources(site.root)
    first = site.build()
    assert first.rendered == first.pages
    unchanged = site.build()
    assert unchanged.rendered == 0 and unchanged.written == 0
    _edit_body(site)  # a003 is old: not in Recent Posts
    edited = site.build()
    assert 0 < edited.rendered < first.pages / 3
    body = (site.output / "world/article-003/index.html").read_text()
    assert "A new opening for three." in body


def test_a_publish_that_brings_a_new_tag_renders_no_older_story(site, monkeypatch):
    """A new tag adds its listing page and a line to the tags' index; the pages of older
    stories do not show the list of tags, and are not made again."""
    _populate(site, 40)
    _age_sources(site.root)
    site.build()
    rendered = _rendered_pages(monkeypatch)
    _publish_with_a_new_tag(site)
    site.build()
    sections = ("world/", "business/", "culture/")
    stories = [p for p in rendered if p.startswith(sections) and p.count("/") == 2]
    assert stories == ["world/a-story-of-a-new-tag/index.html"]
    assert {"tags/airships/index.html", "tags/index.html"} <= set(rendered)


def _rendered_pages(monkeypatch) -> list[str]:
    """The output paths of the pages the builds from now on render."""
    rendered: list[str] = []
    render_stale = build.render_stale

    def recorded(site, specs, *args):
        rendered.extend(spec.output_path for spec in specs)
        return render_stale(site, specs, *args)

    monkeypatch.setattr(build, "render_stale", recorded)
    return rendered


def _with_ben(site: SiteMaker, name: str, bio: str) -> None:
    """The authors' file of ``_populate``, with a second reporter."""
    site.authors(
        {
            "ana": {"name": "Ana Reporter", "bio": "Covers the port."},
            "ben": {"name": name, "bio": bio},
        }
    )


def test_a_new_reporter_renders_their_page_and_the_authors_index_only(site, monkeypatch):
    """The authors' file is not a dependency of every page: a page depends on what it
    shows of its stories' authors."""
    _populate(site, 40)
    _age_sources(site.root)
    site.build()
    rendered = _rendered_pages(monkeypatch)
    _with_ben(site, "Ben Newhire", "Joins the desk.")
    site.build()
    assert "authors/ben/index.html" in rendered and "authors/index.html" in rendered
    assert [p for p in rendered if p.endswith(".html") and not p.startswith("authors/")] == []


def test_an_authors_new_biography_renders_their_stories_pages(site, monkeypatch, tmp_path):
    _populate(site, 12)
    _with_ben(site, "Ben Writer", "Covers the courts.")
    site.article("world/ben.md", "By Ben", "2026-03-04T10:00:00Z", "Words.", author="ben")
    _age_sources(site.root)
    site.build()
    rendered = _rendered_pages(monkeypatch)
    _with_ben(site, "Ben Writer", "Now covers the harbour.")
    site.build()
    assert "world/by-ben/index.html" in rendered and "authors/ben/index.html" in rendered
    assert "world/article-000/index.html" not in rendered  # by Ana
    box = site.html("world/by-ben/index.html").xpath('//section[@class="author-box"]')[0]
    assert box.findtext(".//p") == "Now covers the harbour."
    _assert_matches_cold(site, tmp_path)


def test_a_respelt_tag_renders_the_pages_of_its_stories_again(site):
    _populate(site, 40)
    _age_sources(site.root)
    site.build()
    _respell_a_tag(site)
    site.build()
    old = site.html("world/article-000/index.html").xpath('//ul[@class="tags"]//a')
    respelt = site.html("world/article-015/index.html").xpath('//ul[@class="tags"]//a')
    assert [a.text for a in old] == ["Topic 0", "Theme 0"]
    assert [a.text for a in respelt] == ["TOPIC 1", "Theme 0"]
    tag_page = site.html(respelt[0].get("href").lstrip("/") + "index.html")
    assert "TOPIC 1" in tag_page.findtext(".//h1")


def test_a_publish_plans_the_newest_block_of_stories_only(site, monkeypatch):
    """The pages of older stories come from the planning memo, whatever the archive."""
    _populate(site, 40)
    _age_sources(site.root)
    site.build()
    planned = []
    plan_article = planner.plan_article
    monkeypatch.setattr(
        planner, "plan_article", lambda s, a: planned.append(a.title) or plan_article(s, a)
    )
    _add_article(site)
    site.build()
    # 41 stories in blocks of 6 from the oldest: the newest block holds the 5 newest
    dates = {f"Article {n:03d}": _populate_date(n) for n in range(40)}
    dates["Brand new story"] = "2026-11-27T10:00:00Z"
    assert sorted(planned) == sorted(sorted(dates, key=dates.__getitem__)[-5:])


def test_a_publish_that_fills_a_page_plans_the_newest_block_of_pages(site, monkeypatch):
    """A new numbered page changes the links of the pages within ``WINDOW`` of it: their
    block is planned again, the older blocks come from the memo."""
    _populate(site, 40)  # the home page: 5 stories on its front page, 7 numbered pages
    _age_sources(site.root)
    for day in range(1, 5):
        site.article(f"world/d{day}.md", f"December {day}", f"2026-12-0{day}T09:00:00Z", "Hi.")
    site.build(now=datetime(2026, 12, 6, tzinfo=timezone.utc))
    planned = []
    listing = listings._listing

    def recorded(site, kind, group, *args):
        first, last = args[-2:]
        planned.append((group.url, first, last))
        return listing(site, kind, group, *args)

    monkeypatch.setattr(listings, "_listing", recorded)
    site.article("world/d5.md", "December 5", "2026-12-05T09:00:00Z", "Hi.")  # fills page 8
    site.build(now=datetime(2026, 12, 6, tzinfo=timezone.utc))
    home = sorted((first, last) for url, first, last in planned if url == "/")
    assert home == [(0, 0), (5, 6), (7, 8)], planned
    assert (site.output / "page/8/index.html").is_file()


def test_an_edit_past_the_excerpt_renders_only_that_article(site):
    _populate(site, 60)
    long_body = " ".join(["A long opening sentence that fills the excerpt."] * 6)
    site.article(
        "world/a003.md", "Article 003", "2026-04-04T03:00:00Z", long_body, tags=["Topic 3"]
    )
    _age_sources(site.root)
    first = site.build()
    _append_paragraph(site)
    report = site.build()
    assert report.rendered == 1 and report.written == 1
    assert report.pages == first.pages
    page = site.html("world/article-003/index.html")
    assert page.xpath("//p[contains(., 'A closing paragraph added later.')]")


def test_changed_pages_first_then_the_rest_equals_a_cold_build(site, tmp_path):
    _populate(site, 30)
    _age_sources(site.root)
    site.build()
    newest = site.root / "content/culture/a026.md"  # dated 2026-05-27, the newest
    newest.write_text(newest.read_text().replace("title: Article 026", "title: Renamed 026"))
    first = site.build(changed_pages_first=True)
    assert not first.complete and first.rendered == 1
    assert site.html("culture/renamed-026/index.html").findtext(".//h1").strip() == "Renamed 026"
    other = site.html("world/article-000/index.html")
    assert "Renamed 026" not in other.text_content()  # the rest comes with the next build
    rest = site.build()
    assert rest.complete and rest.rendered > 10
    _assert_matches_cold(site, tmp_path)


def test_output_files_removed_by_hand_come_back(site):
    _populate(site, 20)
    _age_sources(site.root)
    site.build()
    (site.output / "world/article-003/index.html").unlink()
    (site.output / "index.html").unlink()
    report = site.build()
    assert report.rendered >= 2
    assert (site.output / "world/article-003/index.html").is_file()
    assert (site.output / "index.html").is_file()


def test_a_publish_compares_only_the_outputs_of_groups_the_last_build_did_not_leave_whole(
    site, monkeypatch
):
    """The outputs of a planning group whose key the last (complete) build left whole in
    the output are not compared one by one with their rows; an edited one is made again."""
    _populate(site, 40)
    _age_sources(site.root)
    first = site.build()
    compared = []
    stale_outputs = staleness.stale_outputs

    def counted(pairs, *args):
        pairs = list(pairs)
        compared.append(len(pairs))
        return stale_outputs(pairs, *args)

    monkeypatch.setattr(staleness, "stale_outputs", counted)
    page = site.output / "world/article-003/index.html"
    page.write_text("Defaced.")
    _add_article(site)
    site.build()
    assert 0 < compared[0] < first.pages / 2
    assert "Article 003" in page.read_text()


def test_same_size_edit_right_after_a_build_is_seen(site, tmp_path):
    _populate(site, 5)
    site.build()
    path = site.root / "content/world/a000.md"
    text = path.read_text()
    path.write_text(text.replace("Opening paragraph 0.", "Opening paragraph X."))  # same size
    _assert_matches_cold(site, tmp_path)
    assert "Opening paragraph X." in (site.output / "world/article-000/index.html").read_text()


def test_parallel_build_equals_single_process_build(site, tmp_path):
    _populate(site, render.POOL_THRESHOLD)
    single = site.build(jobs=1, output_dir=tmp_path / "single", use_cache=False)
    assert single.pages >= render.POOL_THRESHOLD
    site.build(jobs=2, output_dir=tmp_path / "parallel", use_cache=False)
    assert _digests(tmp_path / "single") == _digests(tmp_path / "parallel")


@pytest.mark.parametrize(
    "garbage", [b"", b"not a database", b"SQLite format 3\x00" + b"\xff" * 200]
)
def test_a_corrupt_state_database_is_ignored_and_rebuilt(site, tmp_path, garbage):
    _populate(site, 10)
    site.build()
    database = site.root / ".newsgen-cache" / "state.sqlite"
    assert database.is_file()
    for leftover in database.parent.glob("state.sqlite-*"):
        leftover.unlink()
    database.write_bytes(garbage)
    _edit_body(site)
    _assert_matches_cold(site, tmp_path)


@pytest.mark.parametrize(
    "table, column",
    [
        ("articles", "data"),
        ("documents", "data"),
        ("plans", "data"),
        ("outputs", "data"),
        ("outputs", "paths"),
        ("sources", "data"),
        ("sources", "paths"),
        ("warnings", "data"),
    ],
)
@pytest.mark.parametrize(
    "garbage",
    [b"", b"not a pickle", b"\x80\x05K\x01.", b"m", b"m\xe9\x03", b"m" + marshal.dumps((1, 2))],
)
def test_damaged_entries_of_the_state_are_made_again(site, tmp_path, table, column, garbage):
    _populate(site, 10)
    site.build()
    with sqlite3.connect(site.root / ".newsgen-cache" / "state.sqlite") as db:
        assert db.execute(f"UPDATE {table} SET {column} = ?", (garbage,)).rowcount > 0
    _edit_body(site)
    _assert_matches_cold(site, tmp_path)


def test_a_damaged_planning_memo_is_written_again(site):
    _populate(site, 10)
    site.build()
    database = site.root / ".newsgen-cache" / "state.sqlite"
    with sqlite3.connect(database) as db:
        assert db.execute("UPDATE plans SET data = ?", (b"not a pickle",)).rowcount > 0
    _edit_body(site)
    site.build()
    with sqlite3.connect(database) as db:
        assert db.execute(
            "SELECT count(*) FROM plans WHERE data = ?", (b"not a pickle",)
        ).fetchone() == (0,)


def test_nothing_changed_checks_the_outputs_and_repeats_the_last_report(site, monkeypatch):
    _populate(site, 20)
    site.article("world/typo.md", "Typo story", "2026-03-03T10:00:00Z", sectoin="world")
    _age_sources(site.root)
    first = site.build()
    assert first.warnings  # the misspelt key
    monkeypatch.setattr(build, "read_contents", lambda *args, **kwargs: pytest.fail("read"))
    again = site.build()
    assert (again.written, again.removed, again.rendered) == (0, 0, 0)
    assert (again.pages, again.articles) == (first.pages, first.articles)
    assert [(w.path, w.line, str(w)) for w in again.warnings] == [
        (w.path, w.line, str(w)) for w in first.warnings
    ]
    (site.output / "index.html").write_text("tampered")  # not as written: the whole way
    monkeypatch.undo()
    repaired = site.build()
    assert repaired.changes.modified == ("index.html",)
    # any file of the site counts, not only Markdown: a new picture beside the stories
    site.write("static/images/new.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert site.build().changes.added == ("images/new.svg",)


def _state_keys(site: SiteMaker, table: str) -> set[tuple[str, str]]:
    with sqlite3.connect(site.root / ".newsgen-cache" / "state.sqlite") as db:
        if table != "articles":
            return set(db.execute(f"SELECT path, digest FROM {table}"))
        chunks = [kept_rows(*row) or {} for row in db.execute("SELECT paths, data FROM articles")]
        return {(path, row[0]) for rows in chunks for path, row in rows.items()}


def _source_keys(site: SiteMaker) -> set[tuple[str, str]]:
    return {
        (path.relative_to(site.root).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
        for path in (site.root / "content").rglob("*.md")
    }


@pytest.mark.parametrize("aged", [True, False], ids=["saved-earlier", "saved-just-now"])
def test_the_state_keeps_the_parses_of_the_sources_read_and_no_others(site, aged):
    """Edited and deleted stories leave no parse behind, whether their last build trusted
    their stat or not (a file saved moments before a build is hashed again next time)."""
    _populate(site, 10)
    if aged:
        _age_sources(site.root)
    site.build()
    _edit_body(site)
    (site.root / "content/business/a001.md").unlink()
    if aged:
        _age_sources(site.root)
    site.build()
    _append_paragraph(site)  # the same story edited again: its two older parses go
    site.build()
    assert _state_keys(site, "documents") == _source_keys(site)
    assert _state_keys(site, "articles") == _source_keys(site)


def test_the_sources_table_keeps_a_row_for_each_source_read_and_no_other(site):
    """A source deleted (the walk of the inputs names it) or no longer readable (its front
    matter broken) loses its row; the others keep theirs, read as the build needs them."""
    _populate(site, 9)
    _age_sources(site.root)
    site.build()
    sources = sorted(p.relative_to(site.root).as_posix() for p in site.root.rglob("*.md"))
    assert _source_rows(site) == set(sources)
    (site.root / sources[0]).unlink()
    (site.root / sources[1]).write_text("---\ntitle: [unclosed\n---\nBody.\n")
    with pytest.raises(BuildFailed):
        site.build()
    assert _source_rows(site) == set(sources[2:])
    (site.root / sources[1]).write_text(article_text("Mended", "2026-05-05T10:00:00Z"))
    site.build()
    assert _source_rows(site) == set(sources[1:])


def _source_rows(site: SiteMaker) -> set[str]:
    """The paths of the sources' table, decoded as the build reads them."""
    with sqlite3.connect(site.root / ".newsgen-cache" / "state.sqlite") as db:
        chunks = db.execute("SELECT paths, data FROM sources").fetchall()
    return {path for paths, data in chunks for path in staterows.source_rows(paths, data) or {}}


def test_parses_of_no_known_source_are_found_and_removed(site):
    _populate(site, 10)
    site.build()
    with sqlite3.connect(site.root / ".newsgen-cache" / "state.sqlite") as db:
        (data,) = db.execute("SELECT data FROM documents LIMIT 1").fetchone()
        db.execute("INSERT INTO documents VALUES ('content/gone.md', 'old', ?)", (data,))
    _edit_body(site)
    site.build()
    assert ("content/gone.md", "old") not in _state_keys(site, "documents")
    assert _state_keys(site, "documents") == _source_keys(site)


def test_the_planning_memo_keeps_one_entry_per_group_of_the_last_build(site):
    """Entries of groups no longer planned (an edited story's old page) are removed."""
    _populate(site, 10)
    site.build()
    first = _state_keys_of_plans(site)
    for _ in range(3):
        _append_paragraph(site)
        site.build()
    last = _state_keys_of_plans(site)
    assert len(last) == len(first) and last != first


def _state_keys_of_plans(site: SiteMaker) -> set[str]:
    with sqlite3.connect(site.root / ".newsgen-cache" / "state.sqlite") as db:
        return {key for (key,) in db.execute("SELECT key FROM plans")}


def test_a_large_archive_parses_its_changed_source_without_a_copy_of_the_build(
    site, tmp_path, monkeypatch
):
    """Above ``EARLY_PARSE_LIMIT`` sources, no process is forked to parse early (its copy
    of the build would count the build's memory twice): the build parses as always."""
    _populate(site, 20)
    _age_sources(site.root)
    site.build(jobs=2)
    monkeypatch.setattr(content, "EARLY_PARSE_LIMIT", 10)
    monkeypatch.setattr(content, "InChild", lambda *a, **k: pytest.fail("forked to parse"))
    _edit_body(site)
    _assert_matches_cold(site, tmp_path, jobs=2)


def test_a_process_running_other_threads_parses_without_forking(site, tmp_path, monkeypatch):
    """As in ``newsgen serve``: a fork would copy the locks other threads hold."""
    _populate(site, 20)
    _age_sources(site.root)
    site.build(jobs=2)
    monkeypatch.setattr(content, "InChild", lambda *a, **k: pytest.fail("forked to parse"))
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        _edit_body(site)
        _assert_matches_cold(site, tmp_path, jobs=2)
    finally:
        waiting.set()
        other.join()

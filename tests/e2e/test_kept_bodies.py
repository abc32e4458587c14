"""The build state keeps articles apart from their bodies: a build reads the body of an
unchanged article only for a page it renders, and the output is a cold build's."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from newsgen.output import statedb as cache

from ..conftest import SiteMaker, parse_html


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _paragraphs(page: Path) -> list[str]:
    """The paragraphs of the story's body as a reader sees them."""
    body = parse_html(page).xpath("//div[@class='article-body']")
    assert len(body) == 1
    return [p.text_content().strip() for p in body[0].iter("p")]


def _populate(site: SiteMaker, count: int) -> None:
    site.config({"title": "Body Times", "base_url": "https://body.example", "per_page": 5})
    site.write("static/images/map.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    for n in range(count):
        body = f"Paragraph {n} links to [the map](/images/map.svg) and [nowhere](/gone-{n}/)."
        body += " Words past the excerpt." * 30
        site.article(f"world/a{n:02d}.md", f"Story {n:02d}", f"2026-03-{1 + n:02d}T08:00:00Z", body)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source paths whose kept bodies a build reads."""
    seen: list[str] = []
    read = cache.StoredBody.__call__

    def counting(self: cache.StoredBody) -> str:
        seen.append(self.source_path)
        return read(self)

    monkeypatch.setattr(cache.StoredBody, "__call__", counting)
    return seen


def test_an_edit_reads_no_kept_body_and_equals_a_cold_build(
    site: SiteMaker, reads: list[str], tmp_path: Path
) -> None:
    _populate(site, 25)  # the oldest is in no feed (20 items)
    first = site.build()
    # every story's dead link is reported, from the links kept with each article
    assert sum("leads nowhere" in str(w) for w in first.warnings) == 25
    edited = site.root / "content/world/a00.md"
    edited.write_text(edited.read_text() + "\nA line added later.\n")
    again = site.build()
    assert again.rendered == 1 and reads == []  # the edited story's page, parsed again
    assert sum("leads nowhere" in str(w) for w in again.warnings) == 25
    assert _paragraphs(site.output / "world/story-00/index.html")[-1] == "A line added later."
    cold = tmp_path / "cold"
    site.build(output_dir=cold, use_cache=False)
    assert _digests(site.output) == _digests(cold)


def test_a_page_rendered_again_reads_its_kept_body(
    site: SiteMaker, reads: list[str], tmp_path: Path
) -> None:
    _populate(site, 6)
    site.build()
    (site.output / "world/story-02/index.html").unlink()  # gone by hand: rendered again
    site.build()
    assert reads == ["content/world/a02.md"]
    assert _paragraphs(site.output / "world/story-02/index.html")[0].startswith("Paragraph 2 links")
    cold = tmp_path / "cold"
    site.build(output_dir=cold, use_cache=False)
    assert _digests(site.output) == _digests(cold)


def test_a_state_written_by_an_older_layout_is_made_again(site: SiteMaker, tmp_path: Path) -> None:
    _populate(site, 4)
    site.build()
    database = site.root / ".newsgen-cache" / "state.sqlite"
    with sqlite3.connect(database) as db:  # the articles' table holding their bodies
        db.execute("DROP TABLE articles")
        db.execute("DROP TABLE bodies")
        db.execute(
            "CREATE TABLE articles (path TEXT, digest TEXT, settings TEXT, data BLOB, body TEXT)"
        )
        db.execute("UPDATE meta SET value = 'older' WHERE name = 'key'")
    edited = site.root / "content/world/a01.md"
    edited.write_text(edited.read_text() + "\nMore.\n")
    assert site.build().rendered > 0
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM bodies WHERE body != ''").fetchone() == (4,)
    cold = tmp_path / "cold"
    site.build(output_dir=cold, use_cache=False)
    assert _digests(site.output) == _digests(cold)


def test_bodies_are_found_after_the_state_was_made_again_in_the_same_process(
    site: SiteMaker, reads: list[str], tmp_path: Path
) -> None:
    """``newsgen serve`` builds many times in one process, keeping its reader open."""
    _populate(site, 4)
    site.build()
    page = site.output / "world/story-01/index.html"
    page.unlink()
    site.build()  # reads a kept body: the reader's connection is open now
    database = site.root / ".newsgen-cache" / "state.sqlite"
    for leftover in database.parent.glob("state.sqlite-*"):
        leftover.unlink()
    database.write_bytes(b"not a database")  # set aside and made again by the next build
    site.build()
    page.unlink()
    site.build()
    assert reads == ["content/world/a01.md", "content/world/a01.md"]
    assert _paragraphs(page)[0].startswith("Paragraph 1 links")

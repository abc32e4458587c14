"""Editing a recent story's body re-renders its own pages only, and stays correct."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SiteMaker

BODY = " ".join(["The first paragraph makes the excerpt."] * 8) + "\n\nSecond paragraph."


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".newsgen-output"
    }


def test_a_body_edit_of_a_recent_story_leaves_other_pages_alone(site: SiteMaker) -> None:
    for day in range(1, 9):
        site.article(f"news/story-{day}.md", f"Story {day}", f"2025-03-0{day} 09:00", BODY)
    first = site.build()
    newest = "news/story-8.md"
    site.article(newest, "Story 8", "2025-03-08 09:00", BODY.replace("Second", "Second, longer"))
    edited = site.build()
    assert edited.rendered < first.rendered / 4, (edited.rendered, first.rendered)
    assert "Second, longer paragraph." in (site.output / "news/story-8/index.html").read_text()

    site.build(output_dir=site.root / "fresh", use_cache=False)
    assert tree(site.output) == tree(site.root / "fresh")

    site.article(newest, "Story 8 renamed", "2025-03-08 09:00", BODY, slug="story-8")
    site.build()
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > 10
    showing = [p for p in pages if "Story 8" in p.read_text()]
    assert len(showing) > 5  # the story's page, the listings, the indexes
    stale = [p for p in showing if "Story 8 renamed" not in p.read_text()]
    assert stale == []  # no page still shows the old title
    assert "Story 8 renamed" in (site.output / "recent-posts.json").read_text()

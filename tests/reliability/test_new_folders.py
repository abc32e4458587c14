"""The folders the output lacks are made in staging while the pages render and renamed
into the output by the commit (output/folders.py): a build that fails before leaves no
trace of them, and a first build lands whole or not at all."""

from __future__ import annotations

import shutil

import pytest

from newsgen.errors import BuildFailed
from newsgen.output.folders import commit_journal

from ..conftest import SiteMaker
from .helpers import differences, edit_small_site, existing_site, small_site, snapshot

BROKEN_PAGE = "{% extends 'base.html' %}\n{% block content %}\n{{ nope.missing }}\n{% endblock %}\n"


def test_a_first_build_that_fails_while_rendering_leaves_no_output_folder(
    site: SiteMaker,
) -> None:
    small_site(site, articles=6)
    site.write("templates/page.html", BROKEN_PAGE)  # the About page fails to render
    with pytest.raises(BuildFailed):
        site.build()
    assert not site.output.exists()
    assert not commit_journal(site.output).exists()


def test_a_build_that_fails_while_rendering_leaves_the_output_folders_as_they_were(
    site: SiteMaker,
) -> None:
    small_site(site)
    site.build()
    before = snapshot(site.output)  # empty folders are part of the snapshot
    edit_small_site(site)  # stories in a new section: new folders
    for i in range(3):
        site.article(f"markets/new-{i}.md", f"New {i}", "2026-11-20T09:00:00Z", "Words.")
    site.write("templates/page.html", BROKEN_PAGE)
    with pytest.raises(BuildFailed):
        site.build()
    assert differences(snapshot(site.output), before) == []
    assert not commit_journal(site.output).exists()
    (site.root / "templates" / "page.html").unlink()
    site.build()
    assert (site.output / "markets" / "new-0" / "index.html").is_file()
    assert not commit_journal(site.output).exists()


def test_a_first_build_into_a_nested_new_folder_makes_every_parent(site: SiteMaker) -> None:
    small_site(site)
    output = site.root / "deploy" / "www" / "public"
    report = site.build(output_dir=output)
    assert (output / "world" / "story-0" / "index.html").is_file()
    assert (output / ".newsgen-output").is_file()
    assert report.changes.removed == ()
    assert sorted(report.changes.added) == sorted(
        p for p in snapshot(output) if p != ".newsgen-output"
    )


def test_new_folders_in_new_and_in_existing_folders_equal_a_clean_build(
    site: SiteMaker, tmp_path
) -> None:
    small_site(site)
    site.build()
    edit_small_site(site)
    report = site.build()
    added = set(report.changes.added)
    assert {"science/index.html", "science/a-new-story/index.html"} <= added  # a new top folder
    assert "world/story-zero-retitled/index.html" in added  # new in an existing folder
    clean = tmp_path / "clean"
    shutil.copytree(site.root, clean, ignore=shutil.ignore_patterns("public", ".newsgen-cache"))
    existing_site(clean).build()
    assert differences(snapshot(site.output), snapshot(clean / "public")) == []

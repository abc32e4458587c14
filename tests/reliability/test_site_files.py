"""Symbolic links leaving the site or looping, and file names that are not UTF-8."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import SiteMaker
from .helpers import differences, newsgen, small_site, snapshot


def _build_fails(site: SiteMaker) -> list[str]:
    process = newsgen("build", "--source", str(site.root))
    assert process.wait(60) == 1
    err = process.stderr.read()
    assert "Traceback" not in err
    return err.splitlines()


@pytest.fixture
def built(site: SiteMaker, tmp_path: Path) -> SiteMaker:
    small_site(site)
    process = newsgen("build", "--source", str(site.root))
    assert process.wait(60) == 0, process.stderr.read()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\ndate: 2026-11-01\n---\nSecret.\n")
    (outside / "passwords.txt").write_text("hunter2\n")
    return site


def test_links_leaving_the_site_or_looping_are_refused_by_name(
    built: SiteMaker, tmp_path: Path
) -> None:
    before = snapshot(built.output)
    content, static = built.root / "content", built.root / "static"
    os.symlink(tmp_path / "outside/secret.md", content / "world/secret.md")
    os.symlink(tmp_path / "outside", content / "elsewhere")
    os.symlink(content / "world", content / "world/again")  # a folder inside itself
    os.symlink("loop-b.md", content / "world/loop-a.md")
    os.symlink("loop-a.md", content / "world/loop-b.md")
    os.symlink("gone.md", content / "world/dangling.md")
    os.symlink(tmp_path / "outside/passwords.txt", static / "passwords.txt")
    lines = _build_fails(built)
    outside = (tmp_path / "outside").resolve()
    assert lines == [
        f"content/elsewhere: symbolic link leads outside the site folder (to {outside}); refused",
        "content/world/again: symbolic link loops back to its own folder "
        f"{(content / 'world').resolve()}; refused",
        "content/world/dangling.md: symbolic link to gone.md, which does not exist",
        "content/world/loop-a.md: symbolic link loops back on itself; refused",
        "content/world/loop-b.md: symbolic link loops back on itself; refused",
        "content/world/secret.md: symbolic link leads outside the site folder "
        f"(to {outside / 'secret.md'}); refused",
        "build failed: 6 errors",
    ]
    assert differences(snapshot(built.output), before) == []
    for name in ("secret.md", "elsewhere", "again", "loop-a.md", "loop-b.md", "dangling.md"):
        (content / "world" / name if name != "elsewhere" else content / name).unlink()
    lines = _build_fails(built)  # now the static link is reached
    assert lines[0] == (
        "static/passwords.txt: symbolic link leads outside the site folder "
        f"(to {outside / 'passwords.txt'}); refused"
    )
    (static / "passwords.txt").unlink()
    (built.root / "data/authors.yaml").unlink()
    os.symlink(tmp_path / "outside/secret.md", built.root / "data/authors.yaml")
    assert _build_fails(built)[0].startswith(
        "data/authors.yaml: symbolic link leads outside the site folder"
    )
    assert differences(snapshot(built.output), before) == []


def test_links_inside_the_site_are_followed(built: SiteMaker) -> None:
    os.symlink(built.root / "content/world", built.root / "content/mirror")
    built.write("content/shared/brief.md", "---\ntitle: Brief\ndate: 2026-11-02\n---\nShort.\n")
    (built.root / "content/shared").rename(built.root / "content/_shared")
    os.symlink(built.root / "content/_shared/brief.md", built.root / "content/world/brief.md")
    process = newsgen("build", "--source", str(built.root))
    assert process.wait(60) == 0, process.stderr.read()
    assert (built.output / "world/brief/index.html").is_file()
    assert (built.output / "mirror/story-0/index.html").is_file()  # section from the folder


def test_file_names_that_are_not_utf8_are_reported(built: SiteMaker) -> None:
    before = snapshot(built.output)
    folder = os.fsencode(built.root / "content/world")
    with open(os.path.join(folder, b"caf\xe9.md"), "w") as handle:
        handle.write("---\ntitle: Cafe\ndate: 2026-11-01\n---\nText.\n")
    images = os.path.join(os.fsencode(built.root / "static"), b"im\xe1ges")
    os.mkdir(images)
    with open(os.path.join(images, b"logo.svg"), "w") as handle:
        handle.write("<svg xmlns='http://www.w3.org/2000/svg'/>")
    assert _build_fails(built) == [
        "content/world/caf\\xe9.md: file name is not valid UTF-8; rename it",
        "build failed: 1 error",
    ]
    os.remove(os.path.join(folder, b"caf\xe9.md"))
    assert _build_fails(built) == [
        "static/im\\xe1ges: file name is not valid UTF-8; rename it",
        "build failed: 1 error",
    ]
    assert differences(snapshot(built.output), before) == []

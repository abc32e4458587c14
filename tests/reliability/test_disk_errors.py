"""Full, read-only and vanishing disks: one message naming path and cause, output kept."""

from __future__ import annotations

import errno
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgen.build import BuildOptions, load_and_build
from newsgen.errors import BuildFailed, NewsgenError

from ..conftest import NOW, SiteMaker
from .faults import FaultCounter, failing_writes
from .helpers import (
    differences,
    edit_small_site,
    existing_site,
    newsgen,
    small_site,
    snapshot,
)


def _build(root: Path) -> None:
    load_and_build(root, BuildOptions(now=NOW, jobs=1))


def _failing_builds(
    work: Path,
    prepare: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    every: int | None = None,
) -> Iterator[tuple[NewsgenError | None, FaultCounter]]:
    """Builds of ``work`` (each after ``prepare()``) whose n-th file operation fails with
    ``code``, for every ``every``-th n of those a build makes (about 60 spread over it
    without): each one's error (one line naming the cause, never a content error) or
    None if it went through, and the counter that made it fail."""
    prepare()
    counter = FaultCounter()
    with failing_writes(monkeypatch, counter):
        _build(work)
    total = counter.count
    assert total > 40, "the build should write many files"
    for n in range(1, total + 1, every or max(1, total // 60)):
        prepare()
        counter = FaultCounter(fail_at=n, code=code)
        try:
            with failing_writes(monkeypatch, counter):
                _build(work)
        except NewsgenError as error:
            assert not isinstance(error, BuildFailed), error
            message = str(error)
            assert "\n" not in message and errno.errorcode[code] in message, message
            yield error, counter
        else:
            yield None, counter


def _build_meanwhile(
    root: Path, monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], None]
) -> None:
    """Build ``root``, doing ``meanwhile`` once the pages are rendered, before the commit."""
    import newsgen.build

    real = newsgen.build.render_stale

    def render_then(*args: Any, **kwargs: Any) -> Any:
        outcome = real(*args, **kwargs)
        meanwhile()
        return outcome

    with monkeypatch.context() as patch:
        patch.setattr(newsgen.build, "render_stale", render_then)
        _build(root)


@pytest.fixture
def sites(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A small site built once (``base``) and the output a clean build of its edit gives."""
    base = SiteMaker(tmp_path / "base")
    small_site(base)
    _build(base.root)
    clean = tmp_path / "clean"
    shutil.copytree(base.root, clean, ignore=shutil.ignore_patterns("public", ".newsgen-cache"))
    edit_small_site(existing_site(clean))
    _build(clean)
    return base.root, snapshot(base.root / "public"), snapshot(clean / "public")


@pytest.mark.parametrize(
    ("code", "every"), [(errno.ENOSPC, 1), (errno.EROFS, 10), (errno.EACCES, 10)]
)
def test_a_write_failing_at_every_point_leaves_the_last_site_or_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sites, code: int, every: int
) -> None:
    """The n-th file operation of a build fails, for every n (ENOSPC; every 10th n for
    the others): the build ends in one message naming the path and the cause with the
    old site in place, or (when only the cache could not be saved) with the new one;
    the next build gives the new site either way."""
    base, before, after = sites
    work = tmp_path / "work"

    def fresh_edit() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work, symlinks=True)
        edit_small_site(existing_site(work))

    failures = tried = 0
    for error, counter in _failing_builds(work, fresh_edit, monkeypatch, code, every):
        tried += 1
        if error is not None:
            failures += 1
            failed_path = Path(counter.failed.split(" ", 1)[1])
            assert str(failed_path.parent) in str(error), (counter.failed, str(error))
            assert differences(snapshot(work / "public"), before) == [], counter.failed
        else:  # only the cache may fail to be written: then the new site is complete
            assert counter.failed and ".newsgen-cache" in counter.failed, counter.failed
            assert differences(snapshot(work / "public"), after) == [], counter.failed
        assert not (work / ".public.staging").exists(), counter.failed
        _build(work)  # the cache, whatever the failure left of it, gives the right site
        assert differences(snapshot(work / "public"), after) == [], counter.failed
    assert failures > tried * 3 // 4
    print(f"{errno.errorcode[code]}: {tried} failure points, {failures} ended in an error")


@pytest.fixture
def tmpfs(tmp_path: Path):
    """A small tmpfs (512 KiB) mounted in ``tmp_path``: a disk that really fills up."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_ends_in_one_message_and_keeps_the_site(site: SiteMaker, tmpfs: Path) -> None:
    small_site(site)
    output = tmpfs / "public"
    first = newsgen("build", "--source", str(site.root), "--output", str(output))
    assert first.wait(60) == 0, first.stderr.read()
    before = snapshot(output)
    # three stories of ~100 KiB each cannot fit in what is left
    for i in range(3):
        site.article(f"world/long-{i}.md", f"Long {i}", "2026-11-25T09:00:00Z", "word " * 20000)
    second = newsgen("build", "--source", str(site.root), "--output", str(output))
    assert second.wait(60) == 1
    err = second.stderr.read()
    assert "Traceback" not in err
    assert "No space left on device (ENOSPC)" in err and str(tmpfs) in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert differences(snapshot(output), before) == []
    assert not (tmpfs / ".public.staging").exists()
    for i in range(3):  # room made: the next build completes the site
        site.article(f"world/long-{i}.md", f"Long {i}", "2026-11-25T09:00:00Z", "A short one.")
    third = newsgen("build", "--source", str(site.root), "--output", str(output))
    assert third.wait(60) == 0, third.stderr.read()
    assert (output / "world/long-2/index.html").is_file()


def test_a_read_only_disk_ends_in_one_message_and_keeps_the_site(
    site: SiteMaker, tmpfs: Path
) -> None:
    small_site(site)
    output = tmpfs / "public"
    options = BuildOptions(now=NOW, jobs=1, output_dir=output)
    load_and_build(site.root, options)
    before = snapshot(output)
    edit_small_site(site)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    with pytest.raises(NewsgenError) as raised:
        load_and_build(site.root, options)
    assert "Read-only file system (EROFS)" in str(raised.value)
    assert str(tmpfs) in str(raised.value)  # the lock beside the output fails first
    assert differences(snapshot(output), before) == []


def test_an_output_folder_that_refuses_new_files_is_left_as_it_was(sites, tmp_path: Path) -> None:
    """The failure comes at the commit, after staging worked: the files moved already
    are put back (``chattr +i`` stops root too)."""
    base, before, after = sites
    edit_small_site(existing_site(base))
    subprocess.run(["chattr", "+i", str(base / "public" / "world")], check=True)
    try:
        with pytest.raises(NewsgenError) as raised:
            _build(base)
    finally:
        subprocess.run(["chattr", "-i", str(base / "public" / "world")], check=True)
    assert "Operation not permitted (EPERM)" in str(raised.value)
    assert str(base / "public" / "world") in str(raised.value)
    assert "the output is left as it was" in str(raised.value)
    assert differences(snapshot(base / "public"), before) == []
    _build(base)
    assert differences(snapshot(base / "public"), after) == []


def test_an_output_folder_removed_during_the_build_is_reported(
    sites, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _, after = sites
    edit_small_site(existing_site(base))
    with pytest.raises(NewsgenError) as raised:
        _build_meanwhile(base, monkeypatch, lambda: shutil.rmtree(base / "public"))
    assert str(raised.value) == (
        f"{base / 'public'}: the output folder was removed or replaced during the build; "
        "nothing was written, build again"
    )
    assert not (base / "public").exists()
    _build(base)
    assert differences(snapshot(base / "public"), after) == []


@pytest.mark.parametrize("name", ["index.html", "world/index.html", "feed.xml"])
def test_a_static_file_on_a_generated_page_is_an_error_naming_both(sites, name: str) -> None:
    base, before, _ = sites
    maker = existing_site(base)
    edit_small_site(maker)
    maker.write(f"static/{name}", "<p>hand-made</p>")
    process = newsgen("build", "--source", str(base))
    assert process.wait(60) == 1
    err = process.stderr.read()
    assert "Traceback" not in err
    url = "/" + name.removesuffix("index.html")
    assert err.splitlines()[0].startswith(f"static/{name}: this file would be copied to {name}")
    assert f"the page {url} generated from" in err, err
    assert differences(snapshot(base / "public"), before) == []


def test_a_bundle_resource_on_its_own_page_is_an_error_naming_both(sites) -> None:
    base, before, _ = sites
    maker = existing_site(base)
    maker.write(
        "content/world/bundled/index.md",
        "---\ntitle: Bundled\ndate: 2026-11-21T09:00:00Z\n---\nWith a photo.\n",
    )
    maker.write("content/world/bundled/photo.jpg", b"\xff\xd8 not really a photo")
    maker.write("content/world/bundled/index.html", "<p>a page the editor exported</p>")
    process = newsgen("build", "--source", str(base))
    assert process.wait(60) == 1
    err = process.stderr.read()
    assert err.splitlines()[0] == (
        "content/world/bundled/index.html: this file would be copied to "
        "world/bundled/index.html, the output path of the page /world/bundled/ generated from "
        "content/world/bundled/index.md; rename or remove one of them"
    ), err
    assert differences(snapshot(base / "public"), before) == []


def test_a_first_build_failing_at_any_point_leaves_no_output_folder_or_the_whole_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sites
) -> None:
    """A first build writes its files in place in staging and renames the tree into the
    output's place at the end: the n-th file operation fails, for n spread over the
    whole build, and it ends in one message with no output folder at all, or (when only
    the cache could not be saved) with the whole site."""
    base, _, _ = sites
    work = tmp_path / "work"

    def fresh() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work, ignore=shutil.ignore_patterns("public", ".newsgen-cache"))

    fresh()
    _build(work)
    whole = snapshot(work / "public")
    failures = tried = 0
    for error, counter in _failing_builds(work, fresh, monkeypatch, errno.ENOSPC):
        tried += 1
        if error is not None:
            failures += 1
            assert not (work / "public").exists(), counter.failed
        else:  # only the cache may fail to be written: then the new site is complete
            assert counter.failed and ".newsgen-cache" in counter.failed, counter.failed
            assert differences(snapshot(work / "public"), whole) == [], counter.failed
        assert not (work / ".public.staging").exists(), counter.failed
    assert failures > tried // 2


def test_an_output_folder_made_during_a_first_build_is_left_as_it_was(
    sites, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _, _ = sites
    work = tmp_path / "work"
    shutil.copytree(base, work, ignore=shutil.ignore_patterns("public", ".newsgen-cache"))

    def make_folder() -> None:
        (work / "public").mkdir()
        (work / "public" / "notes.txt").write_text("mine")

    with pytest.raises(NewsgenError) as raised:
        _build_meanwhile(work, monkeypatch, make_folder)
    assert str(raised.value) == (
        f"{work / 'public'}: the output folder was made during the build; "
        "nothing was written, build again"
    )
    assert [p.name for p in (work / "public").iterdir()] == ["notes.txt"]
    assert (work / "public" / "notes.txt").read_text() == "mine"
    assert not (work / ".public.staging").exists()

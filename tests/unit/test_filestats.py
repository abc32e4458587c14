"""The walk of a site's input folders that a build takes in a second process."""

from __future__ import annotations

import os
from pathlib import Path

from newsgen.output.standing import walk_inputs
from newsgen.sources.content import discover_sources
from newsgen.sources.filestats import file_stat, walk_stats


def test_the_walk_lists_every_file_in_order_with_its_stat(tmp_path: Path) -> None:
    """A folder's files by name, then its subfolders by name: the order of the digest."""
    content, data = tmp_path / "content", tmp_path / "data"
    for path in (content / "b.md", content / "a" / "z.md", content / "a" / "c.md", data / "x.yaml"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(path.name * 3)
    os.utime(content / "b.md", ns=(1_700_000_000_000_000_000, 1_700_000_000_123_456_789))
    walked = walk_stats([str(content), str(data)])
    assert [
        [Path(path).relative_to(tmp_path).as_posix() for path, _, _ in files] for files, _ in walked
    ] == [
        ["content/b.md", "content/a/c.md", "content/a/z.md"],
        ["data/x.yaml"],
    ]
    assert [irregular for _, irregular in walked] == [False, False]
    found = {path: (mtime, size) for files, _ in walked for path, mtime, size in files}
    assert found[str(content / "b.md")] == (1_700_000_000_123_456_789, 12)
    stat = file_stat(str(content / "b.md"))
    assert (stat.st_mtime_ns, stat.st_size) == (1_700_000_000_123_456_789, 12)
    assert stat.st_mtime == os.stat(content / "b.md").st_mtime


def test_the_walk_digests_every_file_and_takes_each_sources_stat(tmp_path: Path) -> None:
    """In a second process; without a build state, no digest is remembered."""
    content, data = tmp_path / "content", tmp_path / "data"
    for path in (content / "a.md", data / "x.yaml"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("first")
    walked = walk_inputs([content, data], tmp_path, "", "").result()
    stat = os.stat(content / "a.md")
    assert list(walked.sources or ()) == [("a.md", (stat.st_mtime_ns, stat.st_size), None)]
    (content / "a.md").write_text("other")  # the same size: the digest of the bytes tells
    os.utime(content / "a.md", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert walk_inputs([content, data], tmp_path, "", "").result().files != walked.files
    (content / "a.md").write_text("first")
    os.utime(content / "a.md", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert walk_inputs([content, data], tmp_path, "", "").result() == walked


def test_a_site_without_input_folders_walks_nothing(tmp_path: Path) -> None:
    walked = walk_inputs([], tmp_path, "", "").result()
    assert walked.sources is None


def test_the_walk_lists_the_sources_the_build_would_find(tmp_path: Path) -> None:
    """The sources as the build's own walk of ``content/`` finds them, in its order:
    Markdown files only, hidden and ``_`` folders left out but ``_posts``; under a link
    or a name that is not UTF-8, none (the build walks ``content/`` itself)."""
    content = tmp_path / "content"
    for name in (
        "b.md", "a/c.markdown", "a/notes.txt", "_drafts/x.md", ".hidden.md", "z/d.md",
        "_posts/2026-01-01-first.md", "_posts/_x/y.md", "z/.git/e.md", "z/_f.md", "a/b/g.md",
    ):  # fmt: skip
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(name)
    walked = walk_inputs([content], tmp_path, "", "").result()
    assert walked.sources is not None
    found = [relative for relative, _, _ in walked.sources]
    assert found == ["/".join(parts) for parts in discover_sources(content)]
    assert found == ["b.md", "_posts/2026-01-01-first.md", "a/c.markdown", "a/b/g.md", "z/d.md"]
    (content / "mirror").symlink_to(content / "z")
    assert walk_inputs([content], tmp_path, "", "").result().sources is None
    (content / "mirror").unlink()
    (content / "a/linked.md").symlink_to(content / "b.md")
    assert walk_inputs([content], tmp_path, "", "").result().sources is None
    (content / "a/linked.md").unlink()
    os.mkdir(os.path.join(os.fsencode(content), b"caf\xe9"))
    assert walk_inputs([content], tmp_path, "", "").result().sources is None

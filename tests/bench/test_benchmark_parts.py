"""The benchmark's parts: the corpus mutations, the output comparison, the targets."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

import pytest

from ..conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import bench_measure  # noqa: E402
import bench_report  # noqa: E402
import bench_tools  # noqa: E402
import run as benchmark  # noqa: E402
from corpus import Manifest, add_new_article, edit_old_article, generate_corpus  # noqa: E402
from outputdiff import compare, snapshot  # noqa: E402


def test_corpus_writes_only_the_chosen_copies_and_publishes_repeatedly(tmp_path: Path) -> None:
    generate_corpus(tmp_path, 6, sites=["newsgen", "pelican"])
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["newsgen", "pelican"]
    assert "search" not in (tmp_path / "newsgen" / "newsgen.yaml").read_text()
    before = Manifest.load(tmp_path)
    newest = max(datetime.fromisoformat(a[2]) for a in before.articles)

    first, second = add_new_article(tmp_path), add_new_article(tmp_path)
    after = Manifest.load(tmp_path)
    dates = [datetime.fromisoformat(a[2]) for a in after.articles[-2:]]
    assert newest < dates[0] < dates[1]  # each publish is the newest story yet
    assert len({p.name for p in first + second}) == 2
    for path in first + second:
        assert path.is_file()

    oldest = min(before.articles, key=lambda a: a[2])
    edited = edit_old_article(tmp_path)
    assert [p.parents[2].name for p in edited] == ["newsgen", "pelican"]
    assert all(p.stem == oldest[1] and "**Update 1:**" in p.read_text() for p in edited)


def test_cold_clean_up_sets_folders_aside_until_the_benchmark_ends(tmp_path: Path) -> None:
    trash = tmp_path / "trash"
    tool = bench_tools.make_tools(["pelican"])[0]
    ws = tool.workspace(tmp_path)
    for build in ("first", "second"):
        ws.output.mkdir()
        (ws.output / "index.html").write_text(build)
        tool.clean(ws, trash)
        assert not ws.output.exists() and not ws.cache.exists()
    kept = sorted(trash.iterdir())
    assert [(p / "index.html").read_text() for p in kept] == ["first", "second"]
    tool.clean(ws, trash)  # nothing left to set aside
    assert sorted(trash.iterdir()) == kept


def test_output_comparison_counts_bytes_not_writes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    for name, text in {"a/same.html": "same", "a/edited.html": "abcd", "gone.xml": "x"}.items():
        (out / name).write_text(text)
    untouched = out / "untouched.css"
    untouched.write_text("body{}")
    before = snapshot(out)

    (out / "a/same.html").write_text("same")  # rewritten with the same bytes
    edited = out / "a/edited.html"
    stat = edited.stat()
    edited.write_text("wxyz")  # same size, and the mtime put back
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (out / "gone.xml").unlink()
    (out / "a/new.html").write_text("new")
    after = snapshot(out, before)

    changes = compare(before, after)
    assert (changes.added, changes.modified, changes.removed, changes.total) == (1, 1, 1, 3)
    assert after["untouched.css"] is before["untouched.css"]  # not hashed again
    assert snapshot(tmp_path / "missing") == {}


def _result(case: str, tool: str, size: int = 10000, **values: float) -> dict:
    return (
        {"size": size, "case": case, "tool": tool, "status": "ok"}
        | {
            "wall_s": None,
            "cpu_s": None,
            "peak_rss_bytes": None,
            "files_changed": None,
        }
        | values
    )


def test_targets_follow_the_issue() -> None:
    results = [
        _result("publish", "newsgen", wall_s=1.9, files_changed=100),
        _result("edit", "newsgen", wall_s=1.0, files_changed=21),
        _result("cold", "newsgen", wall_s=30.0),
        _result("cold", "hugo+pagefind", wall_s=20.0),
        _result("publish", "newsgen", size=100000, wall_s=2.5, peak_rss_bytes=2**30),
    ]
    verdicts = {(t["size"], t["target"]): t["passed"] for t in bench_report.check_targets(results)}
    assert verdicts == {
        (10000, "publish one new story < 2 s"): True,
        (10000, "publish: <= 100 files changed"): True,
        (10000, "edit one old story < 1 s"): False,  # "under 1 s"
        (10000, "edit: <= 20 files changed"): False,
        (10000, "rebuild, nothing changed < 1 s"): None,  # not measured
        (10000, "cold build <= 1.5x Hugo + Pagefind"): True,  # 30 s <= 1.5 x 20 s
        (100000, "publish one new story < 3 s"): True,
        (100000, "publish: <= 100 files changed"): None,
        (100000, "publish: peak memory < 1 GiB"): False,
    }


def test_size_tools_option() -> None:
    assert benchmark._size_tools_arg("100000=newsgen,hugo") == (100000, ("newsgen", "hugo"))
    assert benchmark._size_tools_arg("1000=all")[1] == benchmark.TOOL_NAMES
    for bad in ("100000", "x=newsgen", "1000=jekyll"):
        with pytest.raises(argparse.ArgumentTypeError):
            benchmark._size_tools_arg(bad)


def test_memory_counts_a_child_sharing_its_parents_memory_once() -> None:
    """A child that, in one poll, reports its parent's RSS and virtual size shares the
    parent's address space (vforked, before it execs its program): counted once. A
    forked child whose memory differs is counted whole, as is every other process."""
    parent, shared, forked, other = (500, 900, 0), (500, 900, 1), (120, 900, 1), (30, 60, 3)
    assert bench_measure._summed_rss({1: parent, 2: shared}, 1) == 500
    assert bench_measure._summed_rss({1: parent, 2: shared, 3: forked, 4: other}, 1) == 650
    # the root is counted whatever its own parent reports
    assert bench_measure._summed_rss({1: (500, 900, 7), 7: (500, 900, 0)}, 1) == 1000

"""The benchmark runs end to end at a tiny size, for every tool and case, and counts
what each build changed in its output from the files themselves."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import run as benchmark  # noqa: E402
from corpus import Manifest  # noqa: E402


def _page(output: Path, section: str, slug: str) -> Path:
    return output / section / slug / "index.html"


def test_benchmark_runs_every_tool_and_case(tmp_path: Path) -> None:
    report = benchmark.run_benchmark(
        # 36 articles: the smallest corpus with a story in each of the 8 sections
        sizes=[36, 14],
        runs=1,
        cold_runs=2,  # the second cold build sets the first one's folders aside
        tools=benchmark.DEFAULT_TOOLS,
        size_tools={14: ["newsgen-nosearch"]},
        workdir=tmp_path,
        quiet=True,
    )
    rows = {(r["size"], r["case"], r["tool"]): r for r in report["results"]}
    for case in ("cold", "noop", "edit", "publish"):
        for tool in benchmark.DEFAULT_TOOLS:
            row = rows[(36, case, tool)]
            assert row["status"] == "ok", (case, tool, row)
            assert row["wall_s"] > 0 and row["pages"] > 36
    # at the second size only the tool chosen for it ran, on its own copy of the corpus
    assert {tool for (size, _case, tool) in rows if size == 14} == {"newsgen-nosearch"}
    assert sorted(p.name for p in (tmp_path / "corpus-14").iterdir() if p.is_dir()) == [
        "newsgen-nosearch",
        "out-newsgen-nosearch",
    ]

    corpus = tmp_path / "corpus-36"
    manifest = Manifest.load(corpus)
    newest_section, newest_slug, _ = max(manifest.articles, key=lambda a: a[2])
    for tool in benchmark.DEFAULT_TOOLS:
        output = corpus / f"out-{tool}"
        # every build is deterministic: a rebuild with nothing changed changes no file
        assert rows[(36, "noop", tool)]["files_changed"] == 0, tool
        # an edit rewrites at least the edited article; a publish adds the new one's page
        assert rows[(36, "edit", tool)]["changes"]["modified"] >= 1, tool
        assert rows[(36, "publish", tool)]["changes"]["added"] >= 1, tool
        assert _page(output, newest_section, newest_slug).is_file(), tool
        assert rows[(36, "cold", tool)]["files"] == rows[(36, "cold", tool)]["files_changed"]

    # search: newsgen by default and Hugo + Pagefind index the article pages only
    # (newsgen in one bundle per month, Hugo + Pagefind in one bundle)
    for tool in ("newsgen", "hugo+pagefind"):
        entries = (corpus / f"out-{tool}" / "pagefind").rglob("pagefind-entry.json")
        indexed = sum(
            lang["page_count"]
            for entry in entries
            for lang in json.loads(entry.read_text())["languages"].values()
        )
        assert indexed == len(manifest.articles), tool
    for tool in ("newsgen-nosearch", "hugo", "pelican"):
        assert not (corpus / f"out-{tool}" / "pagefind").exists(), tool

    pairs = {(r["tool"], r["vs"]) for r in report["ratios"] if r["case"] == "publish"}
    assert {("newsgen", "hugo+pagefind"), ("newsgen-nosearch", "hugo")} <= pairs
    assert (tmp_path / "results.json").is_file()
    assert not (tmp_path / "trash").exists()  # the cold builds' folders set aside, deleted
    text = benchmark.format_report(report, benchmark.case_titles())
    assert "newsgen / hugo+pagefind" in text and "publish one new story" in text


def test_hugo_and_pelican_build_the_same_pages(tmp_path: Path) -> None:
    benchmark.run_benchmark(
        sizes=[12],
        runs=1,
        tools=["hugo", "pelican"],
        cases=[benchmark.CASES[0]],
        workdir=tmp_path,
        quiet=True,
    )
    corpus = tmp_path / "corpus-12"
    hugo, pelican = corpus / "out-hugo", corpus / "out-pelican"
    pages = sorted(p.relative_to(hugo) for p in hugo.rglob("*.html"))
    assert pages == sorted(p.relative_to(pelican) for p in pelican.rglob("*.html"))
    manifest = Manifest.load(corpus)
    newest = sorted(manifest.articles, key=lambda a: a[2], reverse=True)[:6]
    # the Recent Posts sidebar shows the site's newest stories on every kind of page
    for relative in pages:
        for out in (hugo, pelican):
            aside = (out / relative).read_text().split('<aside class="recent">')[1]
            links = [f"/{section}/{slug}/" for section, slug, _ in newest]
            positions = [aside.find(link) for link in links]
            assert -1 not in positions and positions == sorted(positions), (out, relative)

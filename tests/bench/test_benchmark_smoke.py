"""The benchmark runs end to end at a small size, for every tool and case."""

from __future__ import annotations

import sys
from pathlib import Path

from ..conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import run as benchmark  # noqa: E402


def test_benchmark_runs_every_tool_and_case(tmp_path: Path) -> None:
    report = benchmark.run_benchmark(
        sizes=[30], runs=1, tools=["newsgen", "hugo", "pelican"], workdir=tmp_path, quiet=True
    )
    rows = {(r["case"], r["tool"]): r for r in report["results"]}
    for case in ("cold", "noop", "edit", "add"):
        for tool in ("newsgen", "hugo", "pelican"):
            row = rows[(case, tool)]
            assert row["status"] == "ok", (case, tool, row)
            assert row["wall_s"] > 0 and row["pages"] > 30
    # the same corpus gives each tool its article pages, listings and feed
    assert rows[("cold", "newsgen")]["pages"] >= rows[("cold", "hugo")]["pages"]
    ratios = {(r["case"], r["vs"]) for r in report["ratios"]}
    assert ("cold", "hugo") in ratios and ("add", "pelican") in ratios
    assert (tmp_path / "results.json").is_file()
    text = benchmark.format_report(report)
    assert "newsgen/hugo" in text.lower() or "hugo" in text.lower()

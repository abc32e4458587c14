"""Build the same synthetic news corpus with newsgen, Hugo and Pelican, side by side.

Usage::

    python benchmarks/run.py [--sizes 10000 100000] [--runs 3] [--cold-runs 1]
                             [--tools newsgen newsgen-nosearch hugo+pagefind hugo pelican]
                             [--size-tools 100000=newsgen] [--workdir DIR]

For every corpus size and every case in ``CASES`` it runs each tool ``runs``
times and records wall time, CPU time (user+sys of the whole process tree),
peak memory (sum of RSS over the process tree), the pages and files in the
output folder, and how many output files the build added, modified or removed
(found by comparing the output before and after, see ``outputdiff.py``).  It
prints a table with medians and ratios, checks the targets of issue 10 and
writes everything as JSON into the work folder.

``run_benchmark()`` is the programmatic entry point (used by the smoke tests).

Adding a case (e.g. "a one-article edit is served updated"): append a
``Case`` to ``CASES``.  ``prepare`` mutates the corpus before each run;
``measure`` replaces the default "run the build command" measurement, and
``sizes``/``tools`` restrict where the case applies.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_measure import DEFAULT_TIMEOUT_S, MEMORY_METHOD, Usage, measure_command  # noqa: E402
from bench_report import check_targets, compute_ratios, format_report  # noqa: E402
from bench_tools import TOOL_NAMES, Tool, Workspace, make_tools, set_aside  # noqa: E402
from corpus import add_new_article, edit_old_article, generate_corpus  # noqa: E402
from outputdiff import Snapshot, compare, snapshot  # noqa: E402

DEFAULT_SIZES = (10000, 100000)
DEFAULT_TOOLS = ("newsgen", "newsgen-nosearch", "hugo+pagefind", "hugo", "pelican")
#: Which tools run at a size unless ``--size-tools`` says otherwise: Hugo and
#: Pelican need many minutes per build at 100,000 articles.
DEFAULT_SIZE_TOOLS: dict[int, tuple[str, ...]] = {100000: ("newsgen",)}
DEFAULT_WORKDIR = Path(os.environ.get("TMPDIR", "/tmp")) / "newsgen-bench"


@dataclass
class Measurement:
    """One build of one tool: its cost, and what it left in the output folder."""

    wall_s: float
    cpu_s: float
    peak_rss_bytes: int
    returncode: int
    pages: int
    files: int
    files_added: int
    files_modified: int
    files_removed: int
    error: str | None = None

    @property
    def files_changed(self) -> int:
        return self.files_added + self.files_modified + self.files_removed


#: Runs one tool's build once and returns its cost; receives (tool, workspace, log).
MeasureFn = Callable[[Tool, Workspace, Path], Usage]


def default_measure(
    tool: Tool, ws: Workspace, log: Path, *, timeout_s: float = DEFAULT_TIMEOUT_S
) -> Usage:
    return measure_command(tool.build_command(ws), log, timeout_s)


def _nothing(_corpus_root: Path) -> None:
    pass


@dataclass(frozen=True)
class Case:
    """One scenario; each of its runs mutates the corpus once, then measures every tool.

    Cases run in ``CASES`` order and share the corpus and output folders, so
    a non-cold case measures a rebuild on top of the previous case's output.
    """

    key: str
    title: str
    prepare: Callable[[Path], Any] = _nothing
    cold: bool = False
    measure: MeasureFn | None = None
    sizes: frozenset[int] | None = None
    tools: frozenset[str] | None = None

    def applies(self, size: int, tool: str) -> bool:
        return (self.sizes is None or size in self.sizes) and (
            self.tools is None or tool in self.tools
        )


CASES: list[Case] = [
    Case("cold", "cold build (empty output, no cache)", cold=True),
    Case("noop", "rebuild with nothing changed"),
    Case("edit", "edit one old story (a paragraph appended to the oldest)", edit_old_article),
    Case("publish", "publish one new story (newer than all others)", add_new_article),
]


# --------------------------------------------------------------------------
# Running


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _summarise(
    size: int, case: Case, tool: Tool, runs: list[Measurement], status: str
) -> dict[str, Any]:
    ok = [m for m in runs if m.returncode == 0]
    worst = max(ok, key=lambda m: m.files_changed, default=None)
    return {
        "size": size,
        "case": case.key,
        "tool": tool.name,
        "status": status if status != "ok" or len(ok) == len(runs) else "failed",
        "wall_s": _median([m.wall_s for m in ok]),
        "cpu_s": _median([m.cpu_s for m in ok]),
        "peak_rss_bytes": max((m.peak_rss_bytes for m in ok), default=None),
        "pages": ok[-1].pages if ok else None,
        "files": ok[-1].files if ok else None,
        # the run that changed most files: a target holds only if every run meets it
        "files_changed": worst.files_changed if worst else None,
        "changes": {
            "added": worst.files_added,
            "modified": worst.files_modified,
            "removed": worst.files_removed,
        }
        if worst
        else None,
        "runs": [{**asdict(m), "files_changed": m.files_changed} for m in runs],
    }


def _log(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def tools_at(
    size: int,
    tools: Sequence[Tool],
    size_tools: Mapping[int, Sequence[str]],
) -> list[Tool]:
    """The tools that run at ``size``: all of ``tools`` unless ``size_tools`` names some."""
    chosen = size_tools.get(size)
    return [t for t in tools if chosen is None or t.name in chosen]


def _measure_once(
    case: Case,
    tool: Tool,
    ws: Workspace,
    log: Path,
    before: Snapshot,
    timeout_s: float,
) -> tuple[Measurement, Snapshot]:
    if case.measure is not None:
        usage = case.measure(tool, ws, log)
    else:
        usage = default_measure(tool, ws, log, timeout_s=timeout_s)
    after = snapshot(ws.output, before)
    changes = compare(before, after)
    measurement = Measurement(
        wall_s=usage.wall_s,
        cpu_s=usage.cpu_s,
        peak_rss_bytes=usage.peak_rss_bytes,
        returncode=usage.returncode,
        pages=sum(1 for path in after if path.endswith(".html")),
        files=len(after),
        files_added=changes.added,
        files_modified=changes.modified,
        files_removed=changes.removed,
        error=usage.error,
    )
    return measurement, after


def run_benchmark(
    sizes: Sequence[int] = DEFAULT_SIZES,
    runs: int = 3,
    tools: Sequence[str] = DEFAULT_TOOLS,
    workdir: Path = DEFAULT_WORKDIR,
    *,
    cold_runs: int | None = None,
    size_tools: Mapping[int, Sequence[str]] | None = None,
    cases: Sequence[Case] | None = None,
    seed: int = 7,
    newsgen_command: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    quiet: bool = False,
) -> dict[str, Any]:
    """Run the benchmark and return (and save) the results dict.

    ``cold_runs`` (default ``runs``) is how often the cold case runs;
    ``size_tools`` maps a size to the only tools run at it (default
    ``DEFAULT_SIZE_TOOLS``; ``{}`` runs every tool at every size).  Keys of the
    result: ``meta``, ``results`` (one entry per size x case x tool),
    ``ratios`` and ``targets``.  Unavailable tools get ``status: "unavailable"``.
    """
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    cases = list(CASES if cases is None else cases)
    size_tools = DEFAULT_SIZE_TOOLS if size_tools is None else size_tools
    tool_objs = make_tools(tools, newsgen_command)
    meta = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sizes": list(sizes),
        "runs": runs,
        "cold_runs": runs if cold_runs is None else cold_runs,
        "size_tools": {str(k): list(v) for k, v in size_tools.items()},
        "seed": seed,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_method": MEMORY_METHOD,
        "tools": {
            t.name: {
                "version": t.version(),
                "build": shlex.join(t.build_command(t.workspace(Path("CORPUS"))))
                if t.available
                else None,
            }
            for t in tool_objs
        },
        "workdir": str(workdir),
    }
    for t in tool_objs:
        if not t.available:
            _log(f"{t.name}: not installed, reported as unavailable", quiet)

    # the output and cache folders of cold builds, deleted once every build is measured
    # (bench_tools.set_aside says why)
    trash = workdir / "trash"
    shutil.rmtree(trash, ignore_errors=True)  # left by a benchmark that was stopped
    results: list[dict[str, Any]] = []
    try:
        for size in sizes:
            here = tools_at(size, tool_objs, size_tools)
            if not here:
                continue
            corpus_root = workdir / f"corpus-{size}"
            t0 = time.perf_counter()
            set_aside(corpus_root, trash)  # rather than let generate_corpus delete it
            generate_corpus(corpus_root, size, seed, sites={t.site for t in here})
            _log(f"[{size}] corpus generated in {time.perf_counter() - t0:.1f} s", quiet)
            failed: set[str] = set()
            outputs: dict[str, Snapshot] = {}  # tool -> its output after its last build
            for case in cases:
                active = [t for t in here if case.applies(size, t.name)]
                measured: dict[str, list[Measurement]] = {t.name: [] for t in active}
                for run in range(meta["cold_runs"] if case.cold else runs):
                    case.prepare(corpus_root)
                    for tool in active:
                        if not tool.available or tool.name in failed:
                            continue
                        ws = tool.workspace(corpus_root)
                        if case.cold:
                            tool.clean(ws, trash)
                            outputs[tool.name] = {}
                        before = outputs.get(tool.name)
                        if before is None:
                            before = snapshot(ws.output)
                        log = workdir / "logs" / f"{size}-{case.key}-{tool.name}.log"
                        m, outputs[tool.name] = _measure_once(
                            case, tool, ws, log, before, timeout_s
                        )
                        measured[tool.name].append(m)
                        _log(
                            f"[{size}] {case.key:<7} {tool.name:<16} run {run + 1}: "
                            f"{m.wall_s:7.2f} s wall, {m.cpu_s:7.2f} s cpu, "
                            f"{m.peak_rss_bytes / 2**20:6.0f} MiB, {m.pages} pages, "
                            f"{m.files_changed} files changed"
                            + ("" if m.error is None else "  FAILED"),
                            quiet,
                        )
                        if m.error is not None:
                            # Later cases build on this output: don't time garbage.
                            failed.add(tool.name)
                            _log(m.error, quiet)
                for tool in active:
                    status = "unavailable" if not tool.available else "ok"
                    if tool.available and not measured[tool.name]:
                        status = "skipped"
                    results.append(_summarise(size, case, tool, measured[tool.name], status))
    finally:
        shutil.rmtree(trash, ignore_errors=True)

    report = {"meta": meta, "results": results}
    report["ratios"] = compute_ratios(results)
    report["targets"] = check_targets(results)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (f"results-{stamp}.json", "results.json"):
        (workdir / name).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


def case_titles() -> dict[str, str]:
    return {c.key: c.title for c in CASES}


# --------------------------------------------------------------------------
# Command line


def _size_tools_arg(text: str) -> tuple[int, tuple[str, ...]]:
    """``SIZE=TOOL[,TOOL...]`` (``all`` for every tool)."""
    size, sep, names = text.partition("=")
    if not sep or not size.strip().isdigit() or not names.strip():
        raise argparse.ArgumentTypeError(f"expected SIZE=TOOL[,TOOL...], got {text!r}")
    chosen = tuple(n.strip() for n in names.split(",") if n.strip())
    if chosen == ("all",):
        chosen = TOOL_NAMES
    unknown = set(chosen) - set(TOOL_NAMES)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown tools {sorted(unknown)} in {text!r}")
    return int(size), chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="corpus sizes (articles)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per case and tool (median is reported)"
    )
    parser.add_argument("--cold-runs", type=int, help="runs of the cold case (default: --runs)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help="corpora, outputs, logs and JSON go here",
    )
    parser.add_argument("--tools", nargs="+", default=list(DEFAULT_TOOLS), choices=list(TOOL_NAMES))
    parser.add_argument(
        "--size-tools",
        type=_size_tools_arg,
        action="append",
        metavar="SIZE=TOOL[,TOOL]",
        help="run only these of --tools at SIZE (repeatable; 'all' for every tool); "
        "default: only newsgen at 100000",
    )
    parser.add_argument(
        "--newsgen-command",
        default=os.environ.get("NEWSGEN_COMMAND"),
        help="how to start newsgen (default: `newsgen` next to this Python), e.g. "
        "'python -m newsgen'",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds before a build is killed"
    )
    args = parser.parse_args(argv)

    size_tools = dict(DEFAULT_SIZE_TOOLS)
    size_tools.update(dict(args.size_tools or []))
    report = run_benchmark(
        sizes=list(dict.fromkeys(args.sizes)),
        runs=args.runs,
        cold_runs=args.cold_runs,
        tools=args.tools,
        size_tools=size_tools,
        workdir=args.workdir,
        seed=args.seed,
        newsgen_command=args.newsgen_command,
        timeout_s=args.timeout,
    )
    print(format_report(report, case_titles()))
    print(f"\nJSON: {Path(report['meta']['workdir']) / 'results.json'}")
    failed = [r for r in report["results"] if r["status"] == "failed"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

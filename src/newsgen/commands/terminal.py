"""What the commands print: the stages of a build while it runs, and its outcome."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import timezone
from pathlib import Path
from typing import TextIO

from ..build import BuildReport, Progress
from ..errors import ContentError
from ..sources.dates import w3c

# The stages ``build_site`` reports, as a person reads them.
STAGE_NAMES = {
    "read": "Reading sources",
    "render": "Rendering pages",
    "search": "Indexing for search",
    "write": "Writing files",
}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 article``, ``2 articles``; ``many`` for nouns with another plural."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


class ProgressDisplay:
    """The current stage, with a bar where its size is known, on an interactive terminal
    from the moment the command starts; nothing otherwise (logs, pipes, ``-q``)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar = None
        self._task = None

    def __enter__(self) -> Progress | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(STAGE_NAMES["read"], total=None, count="")
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        """Show ``stage``; ``total`` 0 means its size is not known (a moving bar)."""
        assert self._bar is not None and self._task is not None
        self._bar.update(
            self._task,
            description=STAGE_NAMES.get(stage, stage.capitalize()),
            completed=done,
            total=total or None,
            count=f"{done:,}/{total:,}" if total else "",
        )

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def summary(report: BuildReport) -> list[str]:
    """The lines that tell what a build did, and what it left out and how to include it."""
    where = _shown(report.output_dir)
    lines = [
        f"built {where}: {plural(report.articles, 'article')}, {plural(report.pages, 'page')}; "
        f"{plural(report.written, 'file')} written, {report.removed:,} removed "
        f"in {report.seconds:.2f} s"
    ]
    left = []
    if report.drafts_left_out:
        left.append(f"{plural(report.drafts_left_out, 'draft')} (include with --drafts)")
    if report.scheduled_left_out:
        left.append(
            f"{plural(report.scheduled_left_out, 'scheduled article')} dated later "
            "(include with --future)"
        )
    if left:
        lines.append("left out: " + "; ".join(left))
    if report.next_change is not None:
        moment = w3c(report.next_change.astimezone(timezone.utc))
        lines.append(f"next change at {moment}, without any edit (see newsgen next)")
    return lines


def print_warnings(warnings: Sequence[ContentError], stream: TextIO | None = None) -> None:
    """Each warning as ``path:line: warning: message``, then their count (on stderr)."""
    stream = stream or sys.stderr
    for warning in warnings:
        where = f"{warning.path}:{warning.line}" if warning.line else warning.path
        print(f"{where}: warning: {warning.message}", file=stream)
    if warnings:
        print(f"{plural(len(warnings), 'warning')} (--strict makes them errors)", file=stream)


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is below it."""
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return str(path)
    return relative.as_posix() + os.sep if relative.parts else "."

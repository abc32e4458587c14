"""What a build is asked (``BuildOptions``) and what it answers (``BuildReport``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import ContentError
from .output.commit import Changes


@dataclass(frozen=True)
class BuildOptions:
    output_dir: Path | None = None
    drafts: bool = False
    future: bool = False
    jobs: int = 0  # 0: one per core
    now: datetime | None = None
    use_cache: bool = True
    # False: keep the search index as it is (``newsgen serve`` refreshes it once the
    # edits pause)
    refresh_search: bool = True
    # True: only the stale article pages, leaving the rest of what is stale to the
    # next build (``newsgen serve`` shows the edited story first)
    changed_pages_first: bool = False
    # False: fail at once when another process builds into the same output (--no-wait)
    wait_for_lock: bool = True
    strict: bool = False  # warnings are errors
    preview_secret: str = ""  # set: drafts and scheduled stories also go to preview URLs


@dataclass(frozen=True)
class BuildReport:
    articles: int
    pages: int
    rendered: int
    changes: Changes
    seconds: float
    output_dir: Path
    complete: bool = True  # False: a changed-pages-first build; more is to be done
    warnings: tuple[ContentError, ...] = ()
    drafts_left_out: int = 0
    scheduled_left_out: int = 0
    next_change: datetime | None = None  # when the site would change by itself
    previews: tuple[tuple[str, str], ...] = ()  # (source, absolute preview URL)

    @property
    def written(self) -> int:
        return len(self.changes.added) + len(self.changes.modified)

    @property
    def removed(self) -> int:
        return len(self.changes.removed)


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def build_time(options: BuildOptions) -> datetime:
    """The build's "now": given, from ``SOURCE_DATE_EPOCH``, or the clock."""
    if options.now is not None:
        return options.now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(tz=timezone.utc)

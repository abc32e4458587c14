"""What a build is asked (``BuildOptions``) and what it answers (``BuildReport``), also
when the last build's answer still stands (``standing_report``), and what it leaves the
next build to stand on (``remember_build``)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import BuildFailed, ContentError
from .output.cache import BuildCache
from .output.commit import Changes
from .output.manifest import StoredManifest
from .output.staleness import CheckedOutputs, manifest_changes
from .output.standing import StandingBuild, confirm_outputs
from .sources.parallel import InChild


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
    # True: the process ends as soon as the build is reported (the ``newsgen`` command,
    # ``cli.run``), so the build's model is left for the system to reclaim
    keep_model: bool = False


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


def standing_report(
    last: object,
    cache: BuildCache,
    inputs: str,
    output_dir: Path,
    options: BuildOptions,
    started: float,
    check: InChild[CheckedOutputs],
) -> BuildReport | None:
    """The ``last`` build's report again (``BuildCache.standing``), when its inputs are
    this build's, its next change has not come and every output is found as written;
    None otherwise."""
    if not isinstance(last, StandingBuild):
        return None
    if not last.stands(inputs, build_time(options)):
        return None
    if options.strict and last.warnings:
        raise BuildFailed(list(last.warnings))
    changes = confirm_outputs(last, cache, output_dir, check.result().touched)
    if changes is None:
        return None
    return BuildReport(
        articles=last.articles,
        pages=last.pages,
        rendered=0,
        changes=changes,
        seconds=time.perf_counter() - started,
        output_dir=output_dir,
        warnings=last.warnings,
        drafts_left_out=last.drafts_left_out,
        scheduled_left_out=last.scheduled_left_out,
        next_change=last.next_change,
        previews=last.previews,
    )


@dataclass(frozen=True)
class Written:
    """What a build wrote: the ``changes`` to the output, every output it produces with
    its fingerprint (``produced``), the static files it produces besides (``unlisted``),
    the last build's files it does not produce (``gone``), the outputs it made or
    checked (``made``), and the warnings."""

    changes: Changes
    produced: dict[str, str]
    unlisted: frozenset[str]
    gone: frozenset[str]
    made: set[str]
    warnings: list[ContentError]


def remember_build(
    cache: BuildCache,
    previous: StoredManifest,
    written: Written,
    statics: dict[str, Path],
    inputs: str,
    report: BuildReport,
    groups: frozenset[str],
) -> None:
    """Keep for the next build what each output of the ``report``'s folder was made
    from and, for a complete build, the report it may stand on, with the planning
    ``groups``, all of whose outputs it left whole (the planning memo is saved by then)."""
    output_dir = report.output_dir
    changes = manifest_changes(previous, written.produced, written.gone, written.made, output_dir)
    # every output produced is in the manifest: current, so found there, or made now
    cache.remember_rendered(output_dir, changes, written.unlisted)
    standing = None
    if inputs and report.complete:
        standing = StandingBuild(
            inputs=inputs,
            next_change=report.next_change,
            statics=tuple((path, str(source)) for path, source in statics.items()),
            articles=report.articles,
            pages=report.pages,
            warnings=report.warnings,
            previews=report.previews,
            drafts_left_out=report.drafts_left_out,
            scheduled_left_out=report.scheduled_left_out,
            whole_groups=groups,
        )
    cache.remember_standing(output_dir, standing)
    cache.save()

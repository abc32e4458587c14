"""``newsgen import wordpress``: a WordPress export (WXR) made into a newsgen site.

The export is read twice as a stream (wxr.py): first its structure (authors, terms,
every item's id, type, status, URLs and the uploads it uses), from which every
story's new place and URL is decided and every target file checked; then the bodies,
converted one at a time and written. A malformed export fails in the first pass,
before anything is written; an existing file is replaced only with ``--force``.

This module runs the two passes; the planning is in wp_plan.py (stories in
wp_stories.py, old URLs in wp_redirects.py), the files' text in wp_files.py and the
summary in wp_report.py.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from ..errors import NewsgenError
from ..sources.parallel import chunked, fork_map
from .html_markdown import BodyWriter
from .wp_files import ConvertedStory, convert_story, site_files
from .wp_plan import ExportStructure, ImportPlan
from .wp_report import ImportReport
from .wxr import Item, read_export

__all__ = ["ImportReport", "import_wordpress"]


def import_wordpress(
    export: Path, site: Path, uploads: Path | None = None, force: bool = False
) -> ImportReport:
    """Import ``export`` into the site folder ``site``; see the module's docstring."""
    shown = str(export)
    if not export.is_file():
        raise NewsgenError(f"{export}: no such export file")
    if uploads is not None and not uploads.is_dir():
        raise NewsgenError(f"{uploads}: no such uploads folder")
    report = ImportReport(uploads_given=uploads is not None)
    structure = ExportStructure.read(export, shown, report)
    plan = ImportPlan(structure, uploads, report)
    files = site_files(plan)
    existing = sorted(p for p in [*files, *plan.copies] if (site / p).exists())
    if existing and not force:
        more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
        raise NewsgenError(
            f"{site}: {', '.join(existing[:5])}{more} already exist; use --force to replace them"
        )
    for relative, text in files.items():
        _write(site / relative, text)
    for relative, source in plan.copies.items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    report.files_copied = len(plan.copies)
    jobs = (os.cpu_count() or 1) if len(plan.stories) >= PARALLEL_THRESHOLD else 1
    batch: list[Item] = []
    for record in read_export(export, shown):
        if isinstance(record, Item) and record.post_id in plan.stories:
            batch.append(record)
            if len(batch) == BATCH:
                _convert(plan, batch, site, jobs)
                batch = []
    _convert(plan, batch, site, jobs)
    return report


# Bodies are converted in processes, a batch at a time (memory stays bounded), when an
# export has enough stories for that to pay.
BATCH = 400
PARALLEL_THRESHOLD = 200


def _convert(plan: ImportPlan, items: list[Item], site: Path, jobs: int) -> None:
    """Convert and write ``items``; the report is added to in file order."""
    writers: list[BodyWriter] = []  # one per process, made on first use there

    def convert_chunk(chunk: Sequence[Item]) -> list[ConvertedStory]:
        if not writers:
            writers.append(BodyWriter())
        return [convert_story(plan, plan.stories[item.post_id], item, writers[0]) for item in chunk]

    chunks = chunked(items, jobs * 2)
    done: dict[int, list[ConvertedStory]] = {}
    for index, converted in fork_map(convert_chunk, chunks, jobs):
        done[index] = converted
    report = plan.report
    for index in range(len(chunks)):
        for result in done[index]:
            _write(site / result.path, result.text)
            report.markdown_bodies += result.markdown
            report.html_bodies += not result.markdown
            report.unknown_shortcodes.update(result.unknown)
            report.missing += result.missing


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")

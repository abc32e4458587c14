"""The pages Pagefind reads, kept between builds: one folder per search bundle.

Pagefind reads every page of a bundle it indexes again, and each page is handed to it cut
down to what it reads (search_input.py). Reading and cutting a bundle's hundred pages
took about 0.1 s of an edit at 10,000 articles, for one page that changed. So the cut
copies are kept in the build state's folder, each bundle's beside a record of the
fingerprint each copy was cut from (a page's bytes are a function of its fingerprint,
see staleness.py), and a build cuts again only the pages whose fingerprint changed.

A bundle's record is removed before its folder is changed and written after, so a build
killed in between leaves no record, and the next build cuts that bundle's pages afresh.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

RECORD = "pages.json"
PAGES = "site"

HandOver = Callable[[Path, Path], None]


def mirror_folder(state_folder: Path, output_dir: Path) -> Path:
    """Where the cut pages of the bundles of ``output_dir`` are kept."""
    return output_folder(state_folder, "search-input", output_dir)


def output_folder(state_folder: Path, kind: str, output_dir: Path) -> Path:
    """A folder of the build state's for ``output_dir`` alone: named by a digest of its
    path, so builds into two output folders keep apart."""
    return state_folder / kind / hashlib.sha256(str(output_dir).encode()).hexdigest()[:16]


def gather(
    folder: Path,
    pages: Sequence[tuple[str, str]],
    current: Callable[[str], Path],
    hand_over: HandOver,
) -> Path:
    """Bring ``folder`` to hold exactly ``pages`` (output path, fingerprint) handed over
    by ``hand_over`` from the file ``current`` gives, cutting only those not kept at their
    fingerprint; return the folder of the pages, for Pagefind's ``--site``."""
    site, record = folder / PAGES, folder / RECORD
    kept = _read_record(record)
    record.unlink(missing_ok=True)
    if kept is None:
        shutil.rmtree(folder, ignore_errors=True)
        kept = {}
    wanted = dict(pages)
    for path in kept.keys() - wanted.keys():
        (site / path).unlink(missing_ok=True)
    for path, fingerprint in pages:
        target = site / path
        if kept.get(path) != fingerprint or not target.is_file():
            target.unlink(missing_ok=True)  # never written through: it may be a link
            hand_over(current(path), target)
    folder.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(wanted, sort_keys=True), encoding="utf-8")
    return site


def kept(folder: Path) -> tuple[Path, dict[str, str]]:
    """The folder of a bundle's kept pages and the fingerprint each was cut from."""
    return folder / PAGES, _read_record(folder / RECORD) or {}


def forget_others(root: Path, bundles: Iterable[str]) -> None:
    """Remove the kept pages of bundles that are no longer made."""
    if not root.is_dir():
        return
    live = set(bundles)
    for entry in root.iterdir():
        if entry.name not in live:
            shutil.rmtree(entry, ignore_errors=True)


def _read_record(record: Path) -> dict[str, str] | None:
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None
    return data

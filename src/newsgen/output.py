"""The output folder: guarding it, staging static files, and the final swap into place.

Nothing here touches the output folder until ``commit_output``, which is called only
after every page rendered without error. Each file then replaces its old version by
rename (atomic on one file system); unchanged files are never rewritten, so they keep
their modification time and a deploy syncs only what changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import SOURCE_FOLDERS, SiteConfig
from .errors import NewsgenError

MARKER = ".newsgen-output"


@dataclass(frozen=True)
class Changes:
    """The files a build added, modified and removed in the output, for a deploy step."""

    added: tuple[str, ...]
    modified: tuple[str, ...]
    removed: tuple[str, ...]

    def lines(self) -> list[str]:
        marked = [
            *(("+", p) for p in self.added),
            *(("~", p) for p in self.modified),
            *(("-", p) for p in self.removed),
        ]
        return [f"{mark} {path}" for mark, path in sorted(marked, key=lambda item: item[1])]


def check_output_dir(config: SiteConfig, output_dir: Path) -> None:
    """Refuse an output folder whose cleaning would delete sources or unrelated files."""
    output_dir = output_dir.resolve()
    root = config.root.resolve()
    if output_dir == root or root.is_relative_to(output_dir):
        raise NewsgenError(f"refusing to write the site into {output_dir}: it holds the sources")
    for name in SOURCE_FOLDERS:
        folder = (root / name).resolve()
        if (
            output_dir == folder
            or output_dir.is_relative_to(folder)
            or folder.is_relative_to(output_dir)
        ):
            raise NewsgenError(
                f"refusing to write the site into {output_dir}: it overlaps the site's {name}/ folder"
            )
    if output_dir.is_dir() and any(output_dir.iterdir()) and not (output_dir / MARKER).exists():
        raise NewsgenError(
            f"refusing to write into {output_dir}: it is not empty and was not made by newsgen "
            "(empty it or choose another --output)"
        )


def staging_dir_for(output_dir: Path) -> Path:
    """A fresh folder beside the output, on the same file system so renames stay atomic."""
    staging = output_dir.parent / f".{output_dir.name}.staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def staged_path(staging_dir: Path, relative: str) -> Path:
    """Where the new version of output file ``relative`` waits: a flat folder, since
    making and removing a tree of folders costs more than the files themselves."""
    return staging_dir / hashlib.sha1(relative.encode()).hexdigest()


def static_files(folders: Sequence[Path], skipped: Sequence[Path] = ()) -> dict[str, Path]:
    """Relative path -> source file; a file in an earlier folder hides a later one.
    The folders in ``skipped`` are left out."""
    found: dict[str, Path] = {}
    left_out = {str(path) for path in skipped}
    for folder in reversed(folders):
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if os.path.join(dirpath, d) not in left_out)
            for name in sorted(filenames):
                path = Path(dirpath) / name
                found[path.relative_to(folder).as_posix()] = path
    return dict(sorted(found.items()))


def holds(target: Path, data: bytes) -> bool:
    """Whether ``target`` already holds exactly ``data`` (then it is not written again)."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def stage_static(files: dict[str, Path], output_dir: Path, staging_dir: Path) -> list[str]:
    """Copy static files that differ from the output into staging; return those staged."""
    staged = []
    for relative, source in files.items():
        data = source.read_bytes()
        if not holds(output_dir / relative, data):
            staged_path(staging_dir, relative).write_bytes(data)
            staged.append(relative)
    return staged


def commit_output(
    output_dir: Path,
    staging_dir: Path,
    staged: Iterable[str],
    produced: set[str],
    previous: Iterable[str] | None = None,
) -> Changes:
    """Move staged files into place and remove files the site no longer produces.

    ``previous`` is what the last build produced, when known: then only those of its
    files that are gone are looked at, instead of walking the whole output folder.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    marker = output_dir / MARKER
    if not marker.exists():
        marker.write_text("This folder is written by newsgen build.\n")
    folders: set[Path] = set()
    added, modified = [], []
    for relative in staged:
        target = output_dir / relative
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        (modified if target.exists() else added).append(relative)
        os.replace(staged_path(staging_dir, relative), target)
    discard_staging(staging_dir)
    if previous is None:
        removed = _remove_unlisted(output_dir, produced)
    else:
        removed = []
        for relative in sorted(set(previous) - produced):
            path = output_dir / relative
            if path.is_file():
                path.unlink()
                removed.append(relative)
                _remove_empty_parents(path.parent, output_dir)
    return Changes(tuple(sorted(added)), tuple(sorted(modified)), tuple(sorted(removed)))


def _remove_unlisted(output_dir: Path, produced: set[str]) -> list[str]:
    removed = []
    for dirpath, dirnames, filenames in os.walk(output_dir, topdown=False):
        for name in filenames:
            relative = (Path(dirpath) / name).relative_to(output_dir).as_posix()
            if relative != MARKER and relative not in produced:
                os.remove(Path(dirpath) / name)
                removed.append(relative)
        for name in dirnames:
            folder = Path(dirpath) / name
            if not any(folder.iterdir()):
                folder.rmdir()
    return removed


def _remove_empty_parents(folder: Path, output_dir: Path) -> None:
    while folder != output_dir and folder.is_relative_to(output_dir) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def discard_staging(staging_dir: Path) -> None:
    shutil.rmtree(staging_dir, ignore_errors=True)

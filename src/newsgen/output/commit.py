"""The output folder: guarding it, staging static files, and the final swap into place.

Nothing here touches the output folder until ``commit_output``, which is called only
after every page rendered without error. Each file then replaces its old version by
rename (atomic on one file system); unchanged files are never rewritten, so they keep
their modification time and a deploy syncs only what changed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Container, Iterable, Sequence, Set
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildFailed, ContentError, NewsgenError, OutputError, cause, describe
from ..render.staging import TREE, holds, in_tree, staged_path, tree_path, write_staged
from ..sources.config import SOURCE_FOLDERS, SiteConfig
from ..sources.site_files import walk_files
from .folders import FolderMaker, MadeFolders, commit_journal

MARKER = ".newsgen-output"
_MARKER_TEXT = "This folder is written by newsgen build.\n"
_OUTPUT_ID = ".output-id"  # in staging: which folder the output was when the build began


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
    """A fresh folder beside the output, on the same file system so renames stay atomic.

    It notes which folder the output is now, so that ``commit_output`` can tell an output
    folder removed or replaced during the build from one that was never there.
    """
    staging = output_dir.parent / f".{output_dir.name}.staging"
    try:
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        identity = _identity(output_dir)
        (staging / _OUTPUT_ID).write_text(identity)
        if identity == "none":  # a first build: its files are written in place (staging.py)
            (staging / TREE).mkdir()
    except OSError as error:
        discard_staging(staging)
        raise OutputError(describe(error, "cannot prepare the staging folder")) from None
    return staging


def static_files(folders: Sequence[Path], skipped: Sequence[Path] = ()) -> dict[str, Path]:
    """Relative path -> source file; a file in an earlier folder hides a later one.
    The folders in ``skipped`` are left out.

    Links leading out of the folder's site (or theme), and names that are not UTF-8,
    are a ``BuildFailed`` naming each.
    """
    found: dict[str, Path] = {}
    errors: list[ContentError] = []
    left_out = {str(path) for path in skipped}
    for folder in reversed(folders):
        for parts in walk_files(folder, folder.parent, errors, skipped=left_out):
            found["/".join(parts)] = folder.joinpath(*parts)
    if errors:
        raise BuildFailed(errors)
    return dict(sorted(found.items()))


def stage_static(files: dict[str, Path], output_dir: Path, staging_dir: Path) -> list[str]:
    """Copy static files that differ from the output into staging; return those staged."""
    staged = []
    for relative, source in files.items():
        try:
            data = source.read_bytes()
        except OSError as error:
            raise OutputError(describe(error, "cannot read")) from None
        if not holds(output_dir / relative, data):
            write_staged(staging_dir, output_dir, relative, data)
            staged.append(relative)
    return staged


class EveryFile(Container[str]):
    """Every file a build produces, looked up in each of its ``parts`` (its outputs, its
    static files...): not gathered in one set, which at 300,000 files costs a pass."""

    def __init__(self, *parts: Container[str]) -> None:
        self._parts = parts

    def __contains__(self, path: object) -> bool:
        return any(path in part for part in self._parts)


def commit_output(
    output_dir: Path,
    staging_dir: Path,
    staged: Iterable[str],
    produced: Container[str],
    stale: Set[str] | None = None,
    folders: FolderMaker | None = None,
) -> Changes:
    """Move staged files into place and remove files the site no longer produces.

    ``stale`` is what the last build produced that this one does not (``produced``), when
    known: then only those files are looked at, instead of walking the whole output folder.
    If a move fails (a full or read-only disk), the files already moved get their old
    versions back and ``OutputError`` is raised: the output is the last build's again.
    A commit cut short by a killed process is noticed by the next one (the journal
    file beside the output), which then walks the whole folder for stale files.
    ``folders`` made the folders the output lacks in staging (folders.py).
    """
    _check_output_unchanged(output_dir, staging_dir)
    new = folders.finish() if folders else MadeFolders({}, {})
    journal = commit_journal(output_dir)
    if journal.exists():
        stale = None  # a commit was interrupted: the output may hold anything
    try:
        journal.touch()
        first = in_tree(staging_dir)
        modified: list[str] = []
        if first:  # the tree becomes the output
            added = _place_tree(output_dir, staging_dir, staged)
        else:
            added, modified = _move_into_place(output_dir, staging_dir, staged, new)
        discard_staging(staging_dir)
        if first:  # the output folder is new: it holds nothing else
            removed: list[str] = []
        elif stale is None:
            removed = _remove_unlisted(output_dir, produced)
        else:
            removed = _remove_stale(output_dir, stale)
        journal.unlink()
    except OSError as error:
        raise OutputError(describe(error, "cannot write")) from None
    return Changes(tuple(sorted(added)), tuple(sorted(modified)), tuple(sorted(removed)))


def _check_output_unchanged(output_dir: Path, staging_dir: Path) -> None:
    try:
        before = (staging_dir / _OUTPUT_ID).read_text()
    except OSError as error:
        raise OutputError(
            f"{staging_dir}: the staging folder was removed during the build "
            f"({cause(error)}); nothing was written, build again"
        ) from None
    now = _identity(output_dir)
    if before != "none" and now != before:
        raise OutputError(
            f"{output_dir}: the output folder was removed or replaced during the build; "
            "nothing was written, build again"
        )
    if before == "none" and now != "none":
        raise OutputError(
            f"{output_dir}: the output folder was made during the build; "
            "nothing was written, build again"
        )


def _move_into_place(
    output_dir: Path, staging_dir: Path, staged: Iterable[str], new: MadeFolders
) -> tuple[list[str], list[str]]:
    """Rename each staged file over its target, all or nothing (see ``commit_output``);
    return the files added and those modified. A file whose folder is new goes into
    that folder in staging, and each new top folder is renamed into place at the end."""
    made: list[Path] = []  # folders this commit created, parents first
    moved: list[tuple[Path, Path | None]] = []  # (target, its old version kept in staging)
    placed: list[tuple[Path, Path]] = []  # (new folder in the output, where it was staged)
    added, modified = [], []
    try:
        marker = output_dir / MARKER
        if not marker.exists():
            marker.write_text(_MARKER_TEXT)
        folders: set[Path] = set()
        for relative in staged:
            home = new.home(os.path.dirname(relative))
            if home is not None:
                if home not in folders:
                    home.mkdir(parents=True, exist_ok=True)  # in staging: nothing to undo
                    folders.add(home)
                os.replace(staged_path(staging_dir, relative), home / os.path.basename(relative))
                added.append(relative)
                continue
            target = output_dir / relative
            if target.parent not in folders:
                _make_folder(target.parent, made)
                folders.add(target.parent)
            source = staged_path(staging_dir, relative)
            kept = source.with_name(source.name + ".old")
            old: Path | None = None
            try:
                os.link(target, kept)
                old = kept
                modified.append(relative)
            except FileNotFoundError:
                added.append(relative)
            os.replace(source, target)
            moved.append((target, old))
        for relative, top in sorted(new.tops.items()):
            target = output_dir / relative
            os.rename(top, target)  # fails if the output has gained the folder meanwhile
            placed.append((target, top))
    except OSError as error:
        problems = _roll_back(moved, made, placed)
        reason = describe(error, "cannot write")
        if problems:
            reason += f"; could not restore {len(problems)} file(s), first {problems[0]}"
        else:
            reason += "; the output is left as it was"
        raise OutputError(reason) from None
    return added, modified


def _place_tree(output_dir: Path, staging_dir: Path, staged: Iterable[str]) -> list[str]:
    """Move the staged files written flat (static files, pictures) into the first
    build's tree, where the pages and search bundles are already, then rename the tree
    into the output's place; return the files added. Until that rename the output is
    not touched, so a failure leaves nothing behind but staging."""
    tree = tree_path(staging_dir, "")
    flat = set(os.listdir(staging_dir))
    added = list(staged)
    for relative in added:
        source = staged_path(staging_dir, relative)
        if source.name in flat:
            target = tree / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    (tree / MARKER).write_text(_MARKER_TEXT)
    os.rename(tree, output_dir)  # fails if the output has gained files meanwhile
    return added


def _make_folder(folder: Path, made: list[Path]) -> None:
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        made.append(path)


def _roll_back(
    moved: list[tuple[Path, Path | None]], made: list[Path], placed: list[tuple[Path, Path]]
) -> list[str]:
    """Take new folders back to staging, put back the old versions of moved files and
    remove new ones and new folders."""
    problems = []
    for target, top in reversed(placed):
        try:
            os.rename(target, top)
        except OSError as error:
            problems.append(f"{target} ({cause(error)})")
    for target, old in reversed(moved):
        try:
            if old is None:
                target.unlink()
            else:
                os.replace(old, target)
        except OSError as error:
            problems.append(f"{target} ({cause(error)})")
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty (someone else's file) or already gone: leave it
    return problems


def _remove_stale(output_dir: Path, stale: Set[str]) -> list[str]:
    removed = []
    for relative in sorted(stale):
        path = output_dir / relative
        if path.is_file():
            path.unlink()
            removed.append(relative)
            _remove_empty_parents(path.parent, output_dir)
    return removed


def _remove_unlisted(output_dir: Path, produced: Container[str]) -> list[str]:
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


def _identity(folder: Path) -> str:
    try:
        stat = folder.stat()
    except OSError:
        return "none"
    return f"{stat.st_dev}:{stat.st_ino}"

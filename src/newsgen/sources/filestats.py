"""Files' stats as a build keeps them: what tells whether a file changed since the last
build (modification time and size), taken in one walk of the site's folders."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import NamedTuple

from .site_files import is_link, name_problem, scan_tree

StatKey = tuple[int, int]  # (mtime_ns, size): what a build compares of a file's stat


class FileStat(NamedTuple):
    """The part of an ``os.stat_result`` a build reads, under the same names."""

    st_mtime_ns: int
    st_size: int

    @property
    def st_mtime(self) -> float:
        return self.st_mtime_ns / 1e9


def file_stat(path: str) -> FileStat:
    stat = os.stat(path)
    return FileStat(stat.st_mtime_ns, stat.st_size)


class WalkedFolder(NamedTuple):
    """A folder's files as (path, mtime in ns, size), in a stable order, and whether the
    walk met a symbolic link or a name that is not UTF-8 under it (``irregular``): if not,
    a walk that follows links and checks names (site_files.py) finds the same files."""

    files: list[tuple[str, int, int]]
    irregular: bool


def walk_stats(folders: Sequence[str]) -> list[WalkedFolder]:
    """For each folder, every file under it with its stat. Plain tuples, as the walk of
    an archive runs in a second process (``InChild``) and 100,000 of them cross back in a
    few hundredths of a second, where as many ``os.stat_result`` take half a second each
    way."""
    walked = []
    for folder in folders:
        irregular: list[str] = []
        files = list(_files(folder, irregular))
        walked.append(WalkedFolder(files, bool(irregular)))
    return walked


def _files(folder: str, irregular: list[str]) -> Iterator[tuple[str, int, int]]:
    """``folder``'s files, then each subfolder's, by name, as ``os.walk`` visits them
    (links to folders not followed; links and names that are not UTF-8 go to
    ``irregular``). Where the platform allows, each file is looked up from its folder
    opened once, not by its whole path: at 100,000 sources the walk took 0.6 s that way,
    0.45 s this way, and the build waits for it."""
    for current, subfolders, files in scan_tree(folder):
        subfolders.sort(key=_NAME)  # in place: the order the walk goes down in
        irregular += [entry.path for entry in subfolders if not _regular(entry)]
        try:
            handle = os.open(current, os.O_RDONLY) if _BY_FOLDER else None
        except OSError:  # gone since it was listed
            continue
        try:
            for entry in sorted(files, key=_NAME):
                if not _regular(entry):
                    irregular.append(entry.path)
                try:
                    stat = os.stat(entry.path if handle is None else entry.name, dir_fd=handle)
                except OSError:
                    continue
                yield entry.path, stat.st_mtime_ns, stat.st_size
        finally:
            if handle is not None:
                os.close(handle)


def _regular(entry: os.DirEntry[str]) -> bool:
    """Neither a symbolic link nor named otherwise than in UTF-8 (``name_problem``)."""
    name = entry.name
    return (name.isascii() or name_problem(name) is None) and not is_link(entry)


_BY_FOLDER = os.stat in os.supports_dir_fd
_NAME = attrgetter("name")

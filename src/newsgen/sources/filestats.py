"""Files' stats as a build keeps them: what tells whether a file changed since the last
build (modification time and size), taken in one walk of the site's folders."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import NamedTuple

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


def walk_stats(folders: Sequence[str]) -> list[list[tuple[str, int, int]]]:
    """For each folder, every file under it as (path, mtime in ns, size), in a stable
    order. Plain tuples, as the walk of an archive runs in a second process
    (``InChild``) and 100,000 of them cross back in a few hundredths of a second, where
    as many ``os.stat_result`` take half a second each way."""
    return [list(_files(folder)) for folder in folders]


def _files(folder: str) -> Iterator[tuple[str, int, int]]:
    for current, subfolders, files in os.walk(folder):
        subfolders.sort()
        for name in sorted(files):
            path = os.path.join(current, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            yield path, stat.st_mtime_ns, stat.st_size

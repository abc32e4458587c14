"""What a build changed in its output folder, found by comparing the files themselves.

A tool's own report of what it wrote is not trusted: the benchmark records every
file's size and SHA-256 before and after a build and compares the two. A file
rewritten with the same bytes is unchanged (a deploy that compares contents would
not upload it).

Hashing a 100,000-article site after every build would cost more than most builds,
so a file whose inode, size, mtime and ctime are all what they were in the previous
snapshot keeps its previous hash. That is safe: any write to a file moves its ctime,
and no program can set ctime back.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileState:
    """One file of a snapshot; ``stat_key`` only decides whether to hash again."""

    size: int
    sha256: str
    stat_key: tuple[int, int, int, int]


#: Path relative to the output folder (POSIX separators) -> its state.
Snapshot = dict[str, FileState]


@dataclass(frozen=True)
class Changes:
    """Files added, modified (same path, other bytes) and removed by one build."""

    added: int
    modified: int
    removed: int

    @property
    def total(self) -> int:
        return self.added + self.modified + self.removed


def snapshot(folder: Path, previous: Snapshot | None = None) -> Snapshot:
    """Every file under ``folder`` (none if it does not exist).

    Files whose stat is unchanged since ``previous`` reuse its hash.
    """
    previous = previous or {}
    result: Snapshot = {}
    for directory, _subdirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(directory, name)
            relative = Path(path).relative_to(folder).as_posix()
            info = os.stat(path, follow_symlinks=False)
            key = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
            known = previous.get(relative)
            if known is not None and known.stat_key == key:
                result[relative] = known
            else:
                result[relative] = FileState(info.st_size, _sha256(path), key)
    return result


def compare(before: Snapshot, after: Snapshot) -> Changes:
    """What turned ``before`` into ``after``."""
    modified = sum(
        1
        for path, state in after.items()
        if path in before and (before[path].size, before[path].sha256) != (state.size, state.sha256)
    )
    return Changes(
        added=len(after.keys() - before.keys()),
        modified=modified,
        removed=len(before.keys() - after.keys()),
    )


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()

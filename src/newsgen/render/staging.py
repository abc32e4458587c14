"""Staging: rendered files wait in a flat folder until the build commits them all at once.

A first build (the output folder does not exist yet) writes its pages and search bundles
in place instead, in a tree in staging (``TREE``) that the commit renames into the
output's place at once: at 10,000 articles moving 30,000 files one by one into their
folders took the commit about a second (45 microseconds a rename)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import OutputError, cause


def staged_path(staging_dir: Path, relative: str) -> Path:
    """Where the new version of output file ``relative`` waits: a flat folder, since
    making and removing a tree of folders costs more than the files themselves."""
    return staging_dir / hashlib.sha1(relative.encode()).hexdigest()


TREE = ".tree"  # in staging: a first build's output, as it will stand


def tree_path(staging_dir: Path, relative: str) -> Path:
    """Where output file ``relative`` of a first build is written (see ``TREE``)."""
    return staging_dir / TREE / relative


def in_tree(staging_dir: Path) -> bool:
    """Whether the build staging into ``staging_dir`` writes its files in place."""
    return (staging_dir / TREE).is_dir()


def holds(target: Path, data: bytes) -> bool:
    """Whether ``target`` already holds exactly ``data`` (then it is not written again)."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def write_staged(
    staging_dir: Path, output_dir: Path, relative: str, data: bytes, placed: bool = False
) -> None:
    """Stage the new bytes of output file ``relative`` (``placed``: in the first build's
    tree, its folder made if the thread making them has not yet); a failure names that
    file."""
    try:
        if not placed:
            staged_path(staging_dir, relative).write_bytes(data)
            return
        target = tree_path(staging_dir, relative)
        try:
            target.write_bytes(data)
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as error:
        raise OutputError(
            f"cannot write {output_dir / relative}: {cause(error)} (in {staging_dir})"
        ) from None

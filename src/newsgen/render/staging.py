"""Staging: rendered files wait in a flat folder until the build commits them all at once."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import OutputError, cause


def staged_path(staging_dir: Path, relative: str) -> Path:
    """Where the new version of output file ``relative`` waits: a flat folder, since
    making and removing a tree of folders costs more than the files themselves."""
    return staging_dir / hashlib.sha1(relative.encode()).hexdigest()


def holds(target: Path, data: bytes) -> bool:
    """Whether ``target`` already holds exactly ``data`` (then it is not written again)."""
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def write_staged(staging_dir: Path, output_dir: Path, relative: str, data: bytes) -> None:
    """Stage the new bytes of output file ``relative``; a failure names that file."""
    try:
        staged_path(staging_dir, relative).write_bytes(data)
    except OSError as error:
        raise OutputError(
            f"cannot write {output_dir / relative}: {cause(error)} (in {staging_dir})"
        ) from None

"""Walking a site's folders without being led astray.

A symbolic link that leaves the site folder (``content/x.md -> /etc/passwd``), loops
or points to nothing, and a file name that is not valid UTF-8, are reported as errors
naming the file instead of being followed, or crashing the build. Links that stay
inside the site are followed, folders included.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from ..errors import ContentError


def walk_files(
    folder: Path,
    root: Path,
    errors: list[ContentError],
    skip_hidden: bool = False,
    wanted: Callable[[str], bool] = lambda name: True,
    skipped: Collection[str] = (),
    hidden_kept: Collection[str] = (),
) -> Iterator[tuple[str, ...]]:
    """The path parts, below ``folder``, of every ``wanted`` file there, in a stable order.

    ``root`` is the folder links must stay in; problems go to ``errors`` named relative
    to it. ``skip_hidden`` leaves out names starting with ``.`` or ``_`` (but the folders
    named in ``hidden_kept``), ``skipped`` the folders at these paths.
    """
    top = os.fspath(folder)
    inside = os.path.realpath(root)
    problem = link_problem(top, inside)
    if problem:
        errors.append(ContentError(_shown(top, root), problem))
        return
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
        relative = os.path.relpath(dirpath, top)
        prefix = () if relative == "." else tuple(relative.split(os.sep))
        here = os.path.realpath(dirpath)
        kept = []
        for name in sorted(dirnames):
            path = os.path.join(dirpath, name)
            hidden = name.startswith((".", "_")) and name not in hidden_kept
            if (skip_hidden and hidden) or path in skipped:
                continue
            problem = _name_problem(name) or link_problem(path, inside, here)
            if problem:
                errors.append(ContentError(_shown(path, root), problem))
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if (skip_hidden and name.startswith((".", "_"))) or not wanted(name):
                continue
            path = os.path.join(dirpath, name)
            problem = _name_problem(name) or link_problem(path, inside)
            if problem:
                errors.append(ContentError(_shown(path, root), problem))
            else:
                yield (*prefix, name)


def link_problem(path: str | Path, inside: str, parent: str | None = None) -> str | None:
    """Why the file or folder at ``path`` must not be read, if it is a link that leaves
    the folder ``inside`` (a real path), points nowhere, or (for a folder found in the
    real folder ``parent``) leads back to where it stands."""
    if not os.path.islink(path):
        return None
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loops back on itself; refused"
        return f"symbolic link to {os.readlink(path)}, which does not exist"
    target = os.path.realpath(path)
    if target != inside and not target.startswith(inside + os.sep):
        return f"symbolic link leads outside the site folder (to {target}); refused"
    if parent is not None and (parent == target or parent.startswith(target + os.sep)):
        return f"symbolic link loops back to its own folder {target}; refused"
    return None


def _name_problem(name: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8; rename it"
    return None


def _shown(path: str, root: Path) -> str:
    """``path`` relative to ``root``, with bytes that are not UTF-8 escaped."""
    relative = os.path.relpath(path, root)
    return os.fsencode(relative).decode("utf-8", "backslashreplace").replace(os.sep, "/")

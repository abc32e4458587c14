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
    for dirpath, folders, files in scan_tree(top, follow_links=True):
        relative = os.path.relpath(dirpath, top)
        prefix = () if relative == "." else tuple(relative.split(os.sep))
        here = os.path.realpath(dirpath)
        kept = []
        for entry in sorted(folders, key=_name):
            name, path = entry.name, entry.path
            hidden = name.startswith((".", "_")) and name not in hidden_kept
            if (skip_hidden and hidden) or path in skipped:
                continue
            problem = name_problem(name) or link_problem(path, inside, here)
            if problem:
                errors.append(ContentError(_shown(path, root), problem))
            else:
                kept.append(entry)
        folders[:] = kept
        for entry in sorted(files, key=_name):
            name = entry.name
            if (skip_hidden and name.startswith((".", "_"))) or not wanted(name):
                continue
            # the directory listing tells links apart: no ``lstat`` for each plain file
            problem = name_problem(name) or (
                link_problem(entry.path, inside) if is_link(entry) else None
            )
            if problem:
                errors.append(ContentError(_shown(entry.path, root), problem))
            else:
                yield (*prefix, name)


def scan_tree(
    top: str, follow_links: bool = False
) -> Iterator[tuple[str, list[os.DirEntry[str]], list[os.DirEntry[str]]]]:
    """``os.walk(top, followlinks=follow_links)`` (top down; the caller may prune the
    folders in place), with ``os.DirEntry`` objects instead of names: these know, from
    the listing itself, which entries are links, and keep the stat once read, which
    saves a system call or two per file on archives of 100,000 sources."""
    try:
        with os.scandir(top) as listing:
            entries = list(listing)
    except OSError:
        return
    folders: list[os.DirEntry[str]] = []
    files: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        (folders if is_folder else files).append(entry)
    yield top, folders, files
    for entry in folders:
        if follow_links or not is_link(entry):
            yield from scan_tree(entry.path, follow_links)


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


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


def name_problem(name: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8; rename it"
    return None


def _shown(path: str, root: Path) -> str:
    """``path`` relative to ``root``, with bytes that are not UTF-8 escaped."""
    relative = os.path.relpath(path, root)
    return os.fsencode(relative).decode("utf-8", "backslashreplace").replace(os.sep, "/")

"""The folders the output lacks, made in staging while the pages render.

A folder costs the file system a journal entry, and right after a build has written its
pages that entry waits behind their writeback: measured here, a folder took 40
microseconds on an idle disk and about 300 just after a first build's writes, so the
18,000 folders of a first build at 10,000 articles cost 5-7 s of the commit when it made
them one by one in the output. Instead a thread makes every folder the output lacks in
staging while the pages render (the rendering runs in worker processes, so the thread
mostly waits on the disk). The commit moves each new file into its new folder there,
then renames each new folder into the output at once: one rename for a new story's
folder. The output is not touched before the commit.

Each new folder whose parent the output has (a "top") is made under a flat name in
staging; the folders below it keep their names inside it. A first build writes its
files in place in a tree in staging (render/staging.py): its folders are made there.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..render.staging import in_tree, staged_path, tree_path

_SHADOW = ".folders"  # in staging: the new folders


def commit_journal(output_dir: Path) -> Path:
    """The file beside the output that says a commit is under way (see commit.py)."""
    return output_dir.parent / f".{output_dir.name}.commit"


@dataclass(frozen=True)
class MadeFolders:
    """Where each new folder (relative to the output) waits in staging, and the tops:
    the new folders whose parent the output has, to be renamed into it."""

    homes: Mapping[str, Path]
    tops: Mapping[str, Path]

    def home(self, folder: str) -> Path | None:
        """Where output folder ``folder`` waits in staging, if it is new or lies in a new
        one (then the caller makes it there); None if it belongs in the output."""
        below: list[str] = []
        while folder not in self.homes:
            if not folder:
                return None
            folder, name = os.path.split(folder)
            below.append(name)
        return self.homes[folder].joinpath(*reversed(below))


class FolderMaker:
    """Makes in ``staging_dir`` the folders of ``outputs`` (paths relative to
    ``output_dir``) that the output lacks."""

    def __init__(self, output_dir: Path, staging_dir: Path, outputs: Iterable[str]) -> None:
        self._output_dir = output_dir
        self._staging = staging_dir
        self._shadow = staging_dir / _SHADOW
        self._homes: dict[str, Path] = {}
        self._tops: dict[str, Path] = {}
        self._failed = False
        parents = {os.path.dirname(path) for path in outputs}
        folders = {""}
        for parent in parents:
            while parent not in folders:
                folders.add(parent)
                parent = os.path.dirname(parent)
        self._folders = sorted(folders)  # a parent's path sorts before its children's
        self._thread = threading.Thread(target=self._make, name="new folders", daemon=True)

    def start(self) -> FolderMaker:
        self._thread.start()
        return self

    def _make(self) -> None:
        """Make each folder the output lacks, parents first. Any error stops the work and
        leaves every folder to the commit, which reports a failure in its own words."""
        try:
            below = self._folders[1:]  # the output folder itself (or the tree) is there
            if in_tree(self._staging):  # a first build: its folders, in place in the tree
                for relative in below:
                    try:
                        os.mkdir(tree_path(self._staging, relative))
                    except FileExistsError:  # made by a page written before it
                        pass
                return
            os.mkdir(self._shadow)
            for relative in below:
                parent = os.path.dirname(relative)
                if parent in self._homes:
                    home = self._homes[parent] / os.path.basename(relative)
                elif not os.path.isdir(self._output_dir / relative):
                    home = self._tops[relative] = staged_path(self._shadow, relative)
                else:
                    continue
                os.mkdir(home)
                self._homes[relative] = home
        except OSError:
            self._failed = True

    def finish(self) -> MadeFolders:
        """Wait for the work; the folders made, if all went well."""
        self._thread.join()
        if self._failed:
            return MadeFolders({}, {})
        return MadeFolders(dict(self._homes), dict(self._tops))

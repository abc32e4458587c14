"""Watching a site's sources with ``watchfiles``: one call back per burst of changes.

Only ``content/``, ``templates/``, ``static/``, ``data/`` and ``newsgen.yaml`` matter.
They are watched recursively, and the site folder itself without recursion (for the
configuration and for source folders being created or removed), so the output and
cache folders, often the largest, never cost a watch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from ..sources.config import CONFIG_NAME, SOURCE_FOLDERS

STEP_MS = 50  # a burst ends after this long without a change
# ``watch`` yields an empty set after this long without changes: the first such yield
# tells that the watches are in place.
_IDLE_MS = 100
_READY_SECONDS = 10.0


class _EitherEvent:
    """Stops a ``watchfiles.watch`` loop when either event is set."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()


class SourceWatcher:
    """Calls ``on_change`` (from a watcher thread) after each burst of source changes."""

    def __init__(self, root: Path, on_change: Callable[[], None]) -> None:
        self.root = root.resolve()
        self.on_change = on_change
        self._stopped = threading.Event()
        self._regroup = threading.Event()  # the set of source folders changed
        self._ready = [threading.Event(), threading.Event()]
        self._threads = [
            threading.Thread(target=self._watch_root, name="newsgen-watch-root", daemon=True),
            threading.Thread(target=self._watch_folders, name="newsgen-watch", daemon=True),
        ]

    def start(self) -> None:
        """Start watching; return once changes from now on are seen (or after 10 s)."""
        for thread in self._threads:
            thread.start()
        for ready in self._ready:
            ready.wait(timeout=_READY_SECONDS)

    def stop(self) -> None:
        self._stopped.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=5)

    def _source_folders(self) -> list[Path]:
        return [self.root / name for name in SOURCE_FOLDERS if (self.root / name).is_dir()]

    def _watch_root(self) -> None:
        def relevant(change: watchfiles.Change, path: str) -> bool:
            return Path(path).name in (CONFIG_NAME, *SOURCE_FOLDERS)

        for changes in watchfiles.watch(
            self.root, watch_filter=relevant, step=STEP_MS, recursive=False,
            stop_event=self._stopped, raise_interrupt=False,
            rust_timeout=_IDLE_MS, yield_on_timeout=True,
        ):  # fmt: skip
            self._ready[0].set()
            if not changes:
                continue
            if any(Path(path).name in SOURCE_FOLDERS for _, path in changes):
                self._regroup.set()
            self.on_change()

    def _watch_folders(self) -> None:
        restarted = False
        while not self._stopped.is_set():
            self._regroup.clear()
            folders = self._source_folders()
            if not folders:
                self._ready[1].set()
                self._regroup.wait(timeout=1.0)
                continue
            try:
                for changes in watchfiles.watch(
                    *folders, step=STEP_MS, stop_event=_EitherEvent(self._stopped, self._regroup),
                    raise_interrupt=False, rust_timeout=_IDLE_MS, yield_on_timeout=True,
                ):  # fmt: skip
                    self._ready[1].set()
                    if changes or restarted:  # after a restart: what changed meanwhile
                        restarted = False
                        self.on_change()
                restarted = True
            except OSError:  # a folder vanished as the watch began: look again
                self._stopped.wait(timeout=0.2)

"""One build at a time per output folder, across processes.

The lock is an advisory ``flock`` on a file beside the output folder (``.public.lock``
for ``public/``), never inside it, so a web server serving the output never sees it.
The kernel drops a ``flock`` when its process dies, even by ``kill -9``, so a killed
build cannot leave the output locked; the holder's pid, written into the file, only
lets the next build name who it waits for and notice that a killed build is taken over.

Within one process the lock is re-entrant: ``newsgen serve`` holds it for as long as it
runs, and each of its rebuilds takes it again.

Processes forked while the lock is held (the render and parse workers) share it, and
would keep it, and go on writing into staging, if the build were killed without them:
on Linux they are therefore killed with the process that forked them.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import NewsgenError, cause

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1

_held: dict[Path, tuple[int, int]] = {}  # lock file -> (file descriptor, holders)
_guard = threading.Lock()
_forking: list[int] = []  # the pid of the process about to fork
_PR_SET_PDEATHSIG = 1


class OutputBusy(NewsgenError):
    """Another process builds into the output folder and ``--no-wait`` was given."""


def lock_path_for(output_dir: Path) -> Path:
    return output_dir.parent / f".{output_dir.name}.lock"


@contextmanager
def output_lock(output_dir: Path, wait: bool = True, what: str = "build") -> Iterator[None]:
    """Hold the lock of ``output_dir``; wait for another holder (saying so once), or with
    ``wait=False`` raise ``OutputBusy``."""
    path = lock_path_for(output_dir.resolve())
    with _guard:
        if path in _held:
            fd, count = _held[path]
            _held[path] = (fd, count + 1)
            reentered = True
        else:
            reentered = False
    if not reentered:
        fd = _acquire(path, output_dir.resolve(), wait, what)
        with _guard:
            _held[path] = (fd, 1)
    try:
        yield
    finally:
        with _guard:
            fd, count = _held[path]
            if count > 1:
                _held[path] = (fd, count - 1)
            else:
                del _held[path]
                _release(fd)


def _acquire(path: Path, output: Path, wait: bool, what: str) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise NewsgenError(f"cannot create the lock file {path}: {cause(error)}") from None
    try:
        said = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise NewsgenError(f"cannot lock {path}: {cause(error)}") from None
            holder = _read_holder(fd)
            by = f"{holder[1]} (pid {holder[0]})" if holder else "another newsgen process"
            if not wait:
                raise OutputBusy(f"{output} is in use by {by}; not waiting (--no-wait)")
            if not said:
                log.warning("waiting for %s, which is writing %s", by, output)
                said = True
            time.sleep(POLL_SECONDS)
        previous = _read_holder(fd)
        if previous and previous[0] != os.getpid() and not _alive(previous[0]):
            log.warning(
                "taking over the lock of %s (pid %d), which ended without releasing it",
                previous[1], previous[0],
            )  # fmt: skip
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} newsgen {what}\n".encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _release(fd: int) -> None:
    """Empty the file (a pid left in it means its holder was killed), then drop the flock
    by closing; the file itself stays, since removing it would race with the next taker."""
    try:
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def _read_holder(fd: int) -> tuple[int, str] | None:
    """(pid, what) as the holder wrote them, or None if the file holds nothing readable."""
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace")
        pid, _, what = text.strip().partition(" ")
        return (int(pid), what or "newsgen")
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _before_fork() -> None:
    _forking[:] = [os.getpid()]


def _die_with_parent() -> None:
    """In a child forked during a build: be killed when the build process dies."""
    if not _held or not _forking:
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != _forking[0]:  # the parent died before the line above
        os._exit(1)


if sys.platform.startswith("linux"):
    os.register_at_fork(before=_before_fork, after_in_child=_die_with_parent)

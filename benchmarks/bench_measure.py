"""Run one build command and measure its wall time, CPU time and peak memory."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    import psutil
except ImportError:  # memory then falls back to ru_maxrss (largest single process)
    psutil = None  # type: ignore[assignment]

POLL_INTERVAL_S = 0.02
DEFAULT_TIMEOUT_S = 3600.0
MEMORY_METHOD = "sum of RSS over process tree" if psutil else "ru_maxrss (largest process)"


@dataclass(frozen=True)
class Usage:
    """What one command cost."""

    wall_s: float
    cpu_s: float
    peak_rss_bytes: int
    returncode: int
    error: str | None = None


class _RssPoller(threading.Thread):
    """Polls the summed RSS of a process and all its descendants.

    newsgen renders with a process pool and runs Pagefind as a child, so the
    parent's RSS alone would under-count; ru_maxrss would only give the
    largest single process.  RSS of forked workers includes pages shared with
    the parent, so the sum is an upper bound -- the same rule is applied to
    every tool.

    A child whose RSS and virtual size equal its parent's in the same poll
    shares the parent's address space and is not counted again: a child that
    ``subprocess`` starts is vforked, and until it execs its program it reports
    the whole of its parent's memory (seen here: a publish at 100,000 articles
    polled at 1,216 MiB, twice the build's 608 MiB, in the moment it started
    Pagefind; a 600 MiB process starting ``/bin/true`` shows the same). The
    equality is exact, so a child caught while its size moves is still counted:
    the sum stays an upper bound.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        assert psutil is not None
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        known: dict[int, psutil.Process] = {}
        while not self._stop_event.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            sizes: dict[int, tuple[int, int, int]] = {}  # pid -> (rss, vms, parent pid)
            for proc in procs:
                # Keep Process objects across polls: cheaper, and pid reuse safe.
                proc = known.setdefault(proc.pid, proc)
                try:
                    info = proc.memory_info()
                    sizes[proc.pid] = (info.rss, info.vms, proc.ppid())
                except psutil.Error:
                    pass
            self.peak = max(self.peak, _summed_rss(sizes, self.pid))
            self._stop_event.wait(POLL_INTERVAL_S)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def _summed_rss(sizes: dict[int, tuple[int, int, int]], root: int) -> int:
    """The RSS of the processes ``sizes`` describes, but of a child that shares its
    parent's address space (the same RSS and virtual size: see ``_RssPoller``)."""
    total = 0
    for pid, (rss, vms, parent) in sizes.items():
        if pid != root and sizes.get(parent, (-1, -1, 0))[:2] == (rss, vms):
            continue
        total += rss
    return total


def measure_command(
    cmd: Sequence[str], log_path: Path, timeout_s: float = DEFAULT_TIMEOUT_S
) -> Usage:
    """Run ``cmd`` to completion (output to ``log_path``) and measure it.

    CPU time comes from ``os.wait4``: Linux folds the usage of every child
    the process reaped (pool workers, threads, Pagefind) into the rusage it
    returns.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # the previous build's files reach the disk now, not during this one: tools run in
    # turn, and each would otherwise pay for the writeback of the one before
    os.sync()
    with log_path.open("wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        poller = _RssPoller(proc.pid) if psutil is not None else None
        if poller is not None:
            poller.start()
        timer = threading.Timer(timeout_s, _kill_group, args=(proc.pid,))
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # we reaped it, not Popen
        peak = poller.stop() if poller is not None else usage.ru_maxrss * 1024
    error = None
    if proc.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        error = f"exit code {proc.returncode}; log {log_path}:\n{tail}"
    return Usage(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_bytes=peak,
        returncode=proc.returncode,
        error=error,
    )


def _kill_group(pid: int) -> None:
    """Timeout: kill the build we started (its own session/process group)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass

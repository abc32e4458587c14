"""Work handed to a forked process: its answer, its error, and stopping it."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from pathlib import Path

import pytest

from newsgen.sources.parallel import InChild


def _pid_and_sum() -> tuple[int, int]:
    return os.getpid(), sum(range(10))


def _fails() -> int:
    raise ValueError("no such output")


def test_the_answer_comes_from_another_process_and_is_kept() -> None:
    work = InChild(_pid_and_sum)
    pid, total = work.result()
    assert total == 45 and pid != os.getpid()
    assert work.result() == (pid, total)  # asked again: the same answer, not new work


def _niceness() -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_work_wanted_later_runs_at_a_lower_priority_than_the_build() -> None:
    here = os.nice(0)
    assert InChild(_niceness).result() == here
    assert InChild(_niceness, later=True).result() > here
    assert os.nice(0) == here  # the build's own priority is left alone
    assert InChild(_niceness, fork=False, later=True).result() == here  # worked out here


def test_small_work_is_done_here_when_asked_for() -> None:
    work = InChild(_pid_and_sum, fork=False)
    assert work.result() == (os.getpid(), 45)


def test_an_error_in_the_process_is_raised_to_the_caller() -> None:
    work = InChild(_fails)
    with pytest.raises(ValueError, match="no such output"):
        work.result()


def _waits() -> None:
    time.sleep(60)


def test_closing_ends_and_reaps_the_process() -> None:
    before = set(multiprocessing.active_children())
    work = InChild(_waits)
    assert len(set(multiprocessing.active_children()) - before) == 1
    work.close()
    assert set(multiprocessing.active_children()) == before


def _many_paths() -> dict[str, tuple[str, ...]]:
    return {
        f"bundle-{n}": tuple(f"pagefind/{n}/chunk-{i}.pf" for i in range(300)) for n in range(50)
    }


def _result_files(folder: str) -> set[str]:
    return {name for name in os.listdir(folder) if name.startswith("newsgen-result-")}


def test_a_large_answer_comes_back_whole_after_the_process_has_ended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer larger than a pipe holds (here about 1 MB) does not keep the process
    waiting to be asked: it is handed over through a file, removed once read."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    work = InChild(_many_paths)
    deadline = time.monotonic() + 30
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()  # ended before anyone asked
    assert len(_result_files(str(tmp_path))) == 1
    assert work.result() == _many_paths()
    assert _result_files(str(tmp_path)) == set()


def test_a_large_answer_never_asked_for_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    work = InChild(_many_paths)
    deadline = time.monotonic() + 30
    while not _result_files(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    work.close()
    assert _result_files(str(tmp_path)) == set()

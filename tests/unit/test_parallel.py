"""Work handed to a forked process: its answer, its error, and stopping it."""

from __future__ import annotations

import multiprocessing
import os
import time

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

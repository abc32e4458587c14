"""Running a function over chunks of work in forked processes.

The function and the data it closes over reach the workers through ``fork``, so
nothing large is pickled on the way in (only each chunk's result on the way back).
Where ``fork`` is not available, or the work is small, it runs in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_FORKED: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def chunked(items: Sequence[T], count: int) -> list[Sequence[T]]:
    """``items`` cut into at most ``count`` runs of nearly equal length, in order."""
    size = max(1, -(-len(items) // max(count, 1)))
    return [items[i : i + size] for i in range(0, len(items), size)]


def fork_map(function: Callable[[T], R], chunks: Sequence[T], jobs: int) -> Iterator[tuple[int, R]]:
    """Yield ``(index, function(chunks[index]))`` as chunks finish, in ``jobs`` processes."""
    global _FORKED
    if jobs <= 1 or len(chunks) <= 1 or not can_fork():
        for index, chunk in enumerate(chunks):
            yield index, function(chunk)
        return
    _FORKED = (function, chunks)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(_run_chunk, i): i for i in range(len(chunks))}
            for future in as_completed(futures):
                yield futures[future], future.result()
    finally:
        _FORKED = None


def _run_chunk(index: int) -> Any:
    assert _FORKED is not None, "the pool is forked after the work is set"
    function, chunks = _FORKED
    return function(chunks[index])

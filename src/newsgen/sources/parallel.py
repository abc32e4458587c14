"""Running a function over chunks of work in forked processes.

The function and the data it closes over reach the workers through ``fork``, so
nothing large is pickled on the way in (only each chunk's result on the way back).
Where ``fork`` is not available, or the work is small, it runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Generic, TypeVar

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


class InChild(Generic[R]):
    """``function()`` worked out in a forked process while this one goes on; where
    ``fork`` is not available (or ``fork`` is False: the work is small), in this
    process when the result is first asked for. Only the result is pickled, on its way
    back, and it is kept: asking again does not work it out again.

    A result larger than a pipe holds goes through a temporary file: the process can
    then end as soon as it is done, instead of waiting for this one to ask. A forked
    copy counts the memory it shares with this one as its own, and one that waited
    with the search bundles of an archive added a fifth to a publish's peak."""

    def __init__(self, function: Callable[[], R], fork: bool = True, later: bool = False) -> None:
        """``later``: the result is wanted late, so the process runs at a lower priority
        than this one, which it must not slow down meanwhile."""
        self._function = function
        self._process: Any = None
        self._answer: tuple[bool, Any] | None = None  # (failed, the result or error)
        if fork and can_fork():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            arguments = (function, send, later)
            self._process = context.Process(target=_send_result, args=arguments)
            self._process.daemon = True  # never outlives a build that is stopped
            self._process.start()
            send.close()

    def result(self) -> R:
        """The function's result (its exception, raised here, if it failed)."""
        if self._answer is None:
            self._answer = self._receive_answer()
        failed, value = self._answer
        if failed:
            raise value
        return value

    def ready(self) -> bool:
        """Whether ``result`` would answer at once: the process sent its answer (or
        there is none, and the work is done here when asked for)."""
        return self._answer is not None or self._process is None or self._receive.poll()

    def _receive_answer(self) -> tuple[bool, Any]:
        process, self._process = self._process, None
        if process is None:
            return _answer(self._function)
        try:
            answer: tuple[bool, Any] = pickle.loads(_received(self._receive.recv_bytes()))
        except EOFError:  # the process died without an answer: work it out here
            answer = _answer(self._function)
        finally:
            self._receive.close()
            process.join()
        return answer

    def close(self) -> None:
        """Stop waiting: the process is ended if it still runs, and reaped (and the file
        of a result sent but not asked for, removed)."""
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            process.join()
            try:
                if self._receive.poll():
                    _received(self._receive.recv_bytes())
            except (EOFError, OSError):
                pass
            self._receive.close()


def _received(message: bytes) -> bytes:
    """The pickled result a message holds, or names the file of (which is removed)."""
    if message[:1] != _IN_FILE:
        return message[1:]
    path = os.fsdecode(message[1:])
    try:
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


def _answer(function: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return (False, function())
    except Exception as error:  # raised by ``result``
        return (True, error)


# Results up to this size go through the pipe itself (Linux holds 64 KiB in one).
_PIPED = 32 * 1024
_IN_FILE = b"F"  # a message naming the file that holds the result
_IN_MESSAGE = b"M"  # a message holding the result
_LATER = 10  # how much lower the priority of a process whose result is wanted late


def _send_result(function: Callable[[], Any], send: Any, later: bool) -> None:
    if later and hasattr(os, "nice"):
        os.nice(_LATER)
    data = pickle.dumps(_answer(function), protocol=pickle.HIGHEST_PROTOCOL)
    if len(data) > _PIPED:
        handle, name = tempfile.mkstemp(prefix="newsgen-result-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        send.send_bytes(_IN_FILE + os.fsencode(name))
    else:
        send.send_bytes(_IN_MESSAGE + data)
    send.close()
    # gone at once, without the flush of stdout and stderr that multiprocessing does on
    # the way out: a lock another thread held at the fork (``newsgen serve`` logs from
    # several) would stay held in this copy, and the parent waits for this exit
    os._exit(0)

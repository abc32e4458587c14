"""Making the n-th file operation of a build fail as a full or read-only disk would."""

from __future__ import annotations

import builtins
import errno
import os
import pathlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

# Every call that needs room on the disk or a writable folder.
_PATH_METHODS = ("write_bytes", "write_text", "touch", "mkdir")
_OS_FUNCTIONS = ("replace", "link", "rename")


class FaultCounter:
    """Counts file operations; the ``fail_at``-th raises ``OSError(code)`` (0: never)."""

    def __init__(self, fail_at: int = 0, code: int = errno.ENOSPC) -> None:
        self.fail_at = fail_at
        self.code = code
        self.count = 0
        self.failed: str | None = None

    def step(self, what: str, path: Any) -> None:
        self.count += 1
        if self.count == self.fail_at:
            self.failed = f"{what} {path}"
            raise OSError(self.code, os.strerror(self.code), str(path))


@contextmanager
def failing_writes(monkeypatch: pytest.MonkeyPatch, counter: FaultCounter) -> Iterator[None]:
    """Route newsgen's writes through ``counter`` for the duration of the block."""
    with monkeypatch.context() as patch:
        for name in _PATH_METHODS:
            original = getattr(pathlib.Path, name)
            patch.setattr(pathlib.Path, name, _wrap_method(counter, name, original))
        for name in _OS_FUNCTIONS:
            patch.setattr(os, name, _wrap_function(counter, name, getattr(os, name)))
        real_open = builtins.open

        def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if any(flag in mode for flag in "wax+"):
                counter.step("open", file)
            return real_open(file, mode, *args, **kwargs)

        patch.setattr(builtins, "open", open_)
        yield


def _wrap_method(counter: FaultCounter, name: str, original: Callable) -> Callable:
    def method(self: pathlib.Path, *args: Any, **kwargs: Any) -> Any:
        counter.step(name, self)
        return original(self, *args, **kwargs)

    return method


def _wrap_function(counter: FaultCounter, name: str, original: Callable) -> Callable:
    def function(source: Any, target: Any, *args: Any, **kwargs: Any) -> Any:
        counter.step(name, target)
        return original(source, target, *args, **kwargs)

    return function

"""Errors newsgen reports to its users, as opposed to bugs."""

from __future__ import annotations

import errno
import unicodedata
from collections.abc import Iterable
from pathlib import Path


class NewsgenError(Exception):
    """Any problem the user can fix; the CLI prints it without a traceback."""


class ContentError(NewsgenError):
    """A problem in one input file, printed as ``path:line: message``."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return printable(f"{where}: {self.message}")

    def __reduce__(self):  # keep the fields when sent between processes
        return (ContentError, (self.path, self.message, self.line))


class PluginError(ContentError):
    """A plugin failed (raised something other than a ``NewsgenError``): reported naming
    the plugin, the event and where in its code, never with a traceback. ``subjects``
    are what it failed for (sources, outputs): one failure for a thousand pages is one
    error naming the first of them."""

    def __init__(
        self, path: str, message: str, line: int | None = None, subjects: Iterable[str] = ()
    ) -> None:
        self.subjects = tuple(sorted(set(subjects)))
        self.bare = message
        if self.subjects:
            more = len(self.subjects) - 1
            message += f" (for {self.subjects[0]}{f' and {more} more' if more else ''})"
        super().__init__(path, message, line)

    def __reduce__(self):
        return (PluginError, (self.path, self.bare, self.line, self.subjects))


def _merged(errors: Iterable[NewsgenError]) -> list[NewsgenError]:
    """``errors`` with the failures of one line of a plugin's code made one."""
    kept: list[NewsgenError] = []
    failures: dict[tuple[str, int | None, str], PluginError] = {}
    for error in errors:
        if not isinstance(error, PluginError):
            kept.append(error)
            continue
        key = (error.path, error.line, error.bare)
        first = failures.get(key)
        subjects = error.subjects if first is None else first.subjects + error.subjects
        failures[key] = PluginError(error.path, error.bare, error.line, subjects)
    return kept + list(failures.values())


def printable(text: str) -> str:
    """``text`` on one line with nothing a terminal would act on: control and format
    characters (newlines, escapes, bidirectional overrides) are shown as escapes."""
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        else ch
        for ch in text
    )


class BuildFailed(NewsgenError):
    """Every problem found in one build, reported together."""

    def __init__(self, errors: Iterable[NewsgenError]) -> None:
        self.errors = sorted(_merged(errors), key=_error_order)
        super().__init__(f"{len(self.errors)} error(s)")

    def __str__(self) -> str:
        lines = [str(error) for error in self.errors]
        count = len(self.errors)
        lines.append(f"build failed: {count} error{'s' if count != 1 else ''}")
        return "\n".join(lines)

    def __reduce__(self):
        return (BuildFailed, (self.errors,))


class OutputError(NewsgenError):
    """Writing the site failed (full or read-only disk, folder removed): one message
    naming the path and the cause."""


def cause(error: OSError) -> str:
    """``No space left on device (ENOSPC)``: the system's words and the error's name."""
    name = errno.errorcode.get(error.errno or 0)
    text = error.strerror or str(error)
    return f"{text} ({name})" if name else text


def describe(error: OSError, doing: str = "") -> str:
    """``cannot write PATH: CAUSE`` for an ``OSError`` met while ``doing`` something."""
    paths = [str(p) for p in (error.filename, error.filename2) if p is not None]
    where = " -> ".join(paths) if paths else "a file"
    return f"{doing} {where}: {cause(error)}".lstrip()


def decode_utf8(data: bytes, path: str) -> str:
    """``data`` as text; bytes that are not UTF-8 are a ``ContentError`` at their line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8", line
        ) from None


def read_utf8(path: Path, shown: str) -> str:
    """The text of the file at ``path`` with universal newlines, as ``Path.read_text``
    gives it; ``shown`` names the file in the error for bytes that are not UTF-8."""
    return decode_utf8(path.read_bytes(), shown).replace("\r\n", "\n").replace("\r", "\n")


def _error_order(error: NewsgenError) -> tuple[str, int, str]:
    if isinstance(error, ContentError):
        return (error.path, error.line or 0, error.message)
    return ("", 0, str(error))

"""The sources' table of the build state as a build uses it: each source's stat and the
digest of its bytes, by path, in chunks (``chunk_number``) read when first looked into.

A build that was handed its sources' stats and remembered digests by the walk of its
inputs (``SourceListing`` in sources/content.py) looks into a few chunks: those of the
sources it read afresh, and of those gone. Reading every row as the state opened took
0.08 s of a publish at 100,000 articles. A build without that listing reads them all at
once, on its first look-up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from .staterows import SourceRow, chunk_columns, chunk_number, source_rows

# The stored chunks: one chunk's (its number), or every chunk's (None), as rows of
# (number, paths column, rows column).
ChunkReader = Callable[[int | None], Iterable[tuple[int, object, object]]]


class StoredSources:
    """The rows as read and as this build leaves them; the paths whose row changed or
    went since the last ``save`` (``restated``)."""

    def __init__(self, read: ChunkReader | None = None) -> None:
        self._read = read
        self._stored: dict[int, dict[str, SourceRow]] = {}  # as read or last saved
        self._rows: dict[int, dict[str, SourceRow]] = {}  # as this build leaves them
        self._whole = read is None  # every chunk read
        self.restated: set[str] = set()

    def get(self, path: str) -> SourceRow | None:
        return self._chunk(chunk_number(path)).get(path)

    def put(self, path: str, row: SourceRow) -> None:
        rows = self._chunk(chunk_number(path))
        if rows.get(path) != row:  # else the row read stays: one copy
            rows[path] = row
            self.restated.add(path)

    def forget(self, paths: Iterable[str]) -> None:
        """Drop the rows of ``paths`` (those it holds)."""
        for path in paths:
            rows = self._chunk(chunk_number(path))
            if path in rows:
                del rows[path]
                self.restated.add(path)

    def paths(self) -> set[str]:
        """Every source with a row."""
        self.read_all()
        return {path for rows in self._rows.values() for path in rows}

    def read_all(self) -> None:
        """Read every chunk not read yet, in one query."""
        if not self._whole:
            self._whole = True
            assert self._read is not None
            for number, keys, data in self._read(None):
                if number not in self._rows:
                    self._take(number, keys, data)

    def edited(self) -> frozenset[str]:
        """The sources whose row holds other bytes than before, or is new."""
        found = []
        for path in self.restated:
            number = chunk_number(path)
            now, before = self._rows[number].get(path), self._stored[number].get(path)
            if now is not None and (before is None or before[1] != now[1]):
                found.append(path)
        return frozenset(found)

    def save(self, db: sqlite3.Connection) -> dict[str, SourceRow]:
        """Write again the chunks holding a row ``restated``; the rows those had before."""
        restated, self.restated = self.restated, set()
        by_chunk: dict[int, list[str]] = {}
        for path in restated:
            by_chunk.setdefault(chunk_number(path), []).append(path)
        before: dict[str, SourceRow] = {}
        for number, paths in by_chunk.items():
            stored, rows = self._stored[number], self._rows[number]
            before.update((path, stored[path]) for path in paths if path in stored)
            if rows:
                columns = chunk_columns(dict(sorted(rows.items())))
                db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)", (number, *columns))
            else:
                db.execute("DELETE FROM sources WHERE chunk = ?", (number,))
            self._stored[number] = dict(rows)
        return before

    def _chunk(self, number: int) -> dict[str, SourceRow]:
        rows = self._rows.get(number)
        if rows is None:
            found = () if self._whole or self._read is None else self._read(number)
            for _, keys, data in found:
                self._take(number, keys, data)
            rows = self._rows.get(number)
            if rows is None:  # no such chunk
                self._stored[number], rows = {}, self._rows.setdefault(number, {})
        return rows

    def _take(self, number: int, keys: object, data: object) -> None:
        """One chunk as stored; one that cannot be read holds no row: its sources are
        read and digested again, and it is written anew."""
        rows = source_rows(keys, data) or {}
        self._stored[number], self._rows[number] = rows, dict(rows)

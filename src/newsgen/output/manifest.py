"""An output folder's manifest as the build state keeps it: output path -> (fingerprint,
stat of the file as written), stored in chunks (``chunk_number``), each one row of
two columns: its paths, and their rows in the same order.

A build reads every path when it opens the state (they are what the last build
produced, which the commit compares with what this one produces) and the rows of a
chunk only when it first looks up one of its paths: a publish at 100,000 articles
compares a few hundred of some 300,000 outputs, and reading every row took 0.4 s of
it and 90 MB. The check of every output's stat, which needs every row, reads them in
the process that takes the stats (staleness.py: ``check_outputs``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property, partial
from itertools import chain
from typing import Any

from ..sources.filestats import StatKey
from .statedb import state_for_reading
from .staterows import chunk_columns, chunk_keys, chunk_number, chunk_rows

Row = tuple[str, StatKey]  # (fingerprint, stat of the file as written)


def store_chunks(
    db: sqlite3.Connection, folder: str, chunks: Mapping[int, Mapping[str, Row]]
) -> None:
    """Write ``folder``'s manifest ``chunks`` (by number) again; an empty one goes."""
    gone = [(folder, chunk) for chunk, rows in chunks.items() if not rows]
    db.executemany("DELETE FROM outputs WHERE folder = ? AND chunk = ?", gone)
    kept = [(folder, chunk, *chunk_columns(rows)) for chunk, rows in chunks.items() if rows]
    db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)", kept)


def _is_row(row: Any) -> bool:
    return (
        type(row) is tuple
        and len(row) == 2
        and type(row[0]) is str
        and type(row[1]) is tuple
        and len(row[1]) == 2
    )


class StoredManifest(Mapping[str, Row]):
    """One folder's manifest: every path at hand, the rows of a chunk read on first use
    (``read``: a chunk's number -> its second column, None if the chunk is gone). A
    chunk whose rows cannot be read has no rows: its outputs are made again."""

    def __init__(
        self,
        paths: Mapping[int, tuple[str, ...]] | None = None,
        read: Callable[[int], bytes | None] | None = None,
    ) -> None:
        self.paths: Mapping[int, tuple[str, ...]] = paths or {}
        self._read = read
        self._rows: dict[int, dict[str, Row]] = {}
        self._count = sum(map(len, self.paths.values()))

    @cached_property
    def every_path(self) -> frozenset[str]:
        """Every path the manifest holds, in one set (what the last build produced)."""
        return frozenset(self)

    def rows(self, chunk: int) -> dict[str, Row]:
        """The rows of one chunk (empty if it holds none, or cannot be read)."""
        found = self._rows.get(chunk)
        if found is None:
            paths = self.paths.get(chunk, ())
            data = self._read(chunk) if paths and self._read is not None else None
            found = self._rows[chunk] = chunk_rows(paths, data, _is_row) or {}
        return found

    def get(self, path: str, default: Any = None) -> Any:
        return self.rows(chunk_number(path)).get(path, default)

    def __getitem__(self, path: str) -> Row:
        return self.rows(chunk_number(path))[path]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and path in self.rows(chunk_number(path))

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self.paths.values())

    def __len__(self) -> int:
        return self._count

    def changed_chunks(self, changes: Mapping[str, Row | None]) -> dict[int, dict[str, Row]]:
        """The chunks holding a path of ``changes`` (path -> its new row, None: gone),
        with the changes made: the rows a build writes again (an empty chunk: its row
        is deleted)."""
        by_chunk: dict[int, list[str]] = {}
        for path in changes:
            by_chunk.setdefault(chunk_number(path), []).append(path)
        result = {}
        for chunk, paths in by_chunk.items():
            rows = dict(self.rows(chunk))
            for path in paths:
                row = changes[path]
                if row is None:
                    rows.pop(path, None)
                else:
                    rows[path] = row
            result[chunk] = rows
        return result


def stored_manifests(
    db: sqlite3.Connection, read: Callable[[str, int], bytes | None], damaged: set[str]
) -> dict[str, StoredManifest]:
    """Each output folder's manifest in the state (``read``: a folder's chunk -> its
    stored rows); the folders of a chunk whose paths cannot be read go to ``damaged``."""
    paths: dict[str, dict[int, tuple[str, ...]]] = {}
    for folder, chunk, data in db.execute("SELECT folder, chunk, paths FROM outputs"):
        found = chunk_keys(data)
        if found is None:
            damaged.add(folder)
        else:
            paths.setdefault(folder, {})[chunk] = found
    return {
        folder: StoredManifest(chunks, partial(read, folder)) for folder, chunks in paths.items()
    }


def read_manifest(database: str, site: str, folder: str) -> tuple[dict[str, Row], list[str]]:
    """Every row of ``folder``'s manifest in the state's ``database``, if it was written
    under the key of the site's settings (``site``: see ``statedb.state_key``), and the
    paths whose rows could not be read: they count as changed since written, so their
    outputs are made again. Read through a connection of this process's own
    (``check_outputs`` runs it in a forked one); a database that cannot be read holds no
    rows (the build then finds it so too, and starts afresh)."""
    rows: dict[str, Row] = {}
    damaged: list[str] = []
    try:
        with state_for_reading(database, site) as db:
            query = "SELECT paths, data FROM outputs WHERE folder = ?"
            for paths_data, data in db.execute(query, (folder,)) if db else ():
                paths = chunk_keys(paths_data)
                if paths is None:
                    continue
                chunk = chunk_rows(paths, data, _is_row)
                if chunk is None:
                    damaged.extend(paths)
                else:
                    rows.update(chunk)
    except sqlite3.Error:
        return {}, []
    return rows, damaged

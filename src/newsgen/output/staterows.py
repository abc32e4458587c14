"""How the build state's rows hold what they keep (cache.py reads and writes them):
the planning memo and the checks' findings as plain values, marshalled where they can
be, and the tables kept in chunks (the sources', each output folder's manifest:
manifest.py, the kept articles: keptrows.py).

Marshal reads plain values (strings, numbers, tuples) faster than pickle. It reads a
string interned if it was when written, which the rows of output paths avoid: at
100,000 articles, interning the manifest's 290,000 paths and the planning memo's
184,000 as they were read took 0.3 s of every build (0.44 s to read both, 0.12 s not
interned), to save some 20 MB. Within one row a string that recurs is written once, and
read back shared (``shared_within``)."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from ..model.lint import BlockFindings
from ..plan.pagespec import PlannedOutput
from ..sources.filestats import StatKey
from .statedb import from_plain_row, state_for_reading, to_plain_row

CHUNKS = 1024


def chunk_number(key: str) -> int:
    """The chunk a table kept in chunks (the sources' stats, the manifests) holds the
    row of ``key`` in: a few hundred rows each at 100,000 sources or 300,000 outputs.
    Read whole, chunks load several times faster than a row per key, and a build writes
    again only the chunks holding a row that changed."""
    return zlib.crc32(key.encode()) & (CHUNKS - 1)


def chunk_columns(rows: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """A chunk of a table kept in chunks as the state stores it: two columns, its keys
    and their rows in the same order (``chunk_keys`` and ``chunk_rows`` read them back)."""
    return to_plain_row(tuple(rows)), to_plain_row(tuple(rows.values()))


def chunk_keys(data: object) -> tuple[str, ...] | None:
    """The keys of a chunk's first column, or None if it cannot be read as such."""
    keys = from_plain_row(data) if isinstance(data, bytes) else None
    if type(keys) is not tuple or not all(type(key) is str for key in keys):
        return None
    return keys


def chunk_rows(
    keys: tuple[str, ...] | None, data: object, is_row: Callable[[Any], bool]
) -> dict[str, Any] | None:
    """A chunk's rows by key, from its second column, or None if it cannot be read as
    rows (``is_row``) of ``keys``: its entries are then made again."""
    rows = from_plain_row(data) if isinstance(data, bytes) and keys is not None else None
    if type(rows) is not tuple or len(rows) != len(keys or ()) or not all(map(is_row, rows)):
        return None
    return dict(zip(keys or (), rows, strict=True))


SourceRow = tuple[StatKey, str]  # a source's stat and the digest of its bytes


def source_rows(keys: object, data: object) -> dict[str, SourceRow] | None:
    """The rows of a chunk of the sources' table, or None if it cannot be read: its
    sources are then read and digested again."""
    return chunk_rows(chunk_keys(keys), data, _is_source_row)


def _is_source_row(row: Any) -> bool:
    return type(row) is tuple and len(row) == 2 and type(row[0]) is tuple


def remembered_sources(database: str, site: str) -> dict[str, SourceRow]:
    """The sources' rows of the state's ``database``, if written under the key of the
    site's settings (``site``), read by a process of its own (the walk of the inputs);
    none if it cannot be read (the build then finds so too)."""
    found: dict[str, SourceRow] = {}
    try:
        with state_for_reading(database, site) as db:
            for _, paths, data in db.execute("SELECT * FROM sources") if db else ():
                found.update(source_rows(paths, data) or {})
    except sqlite3.Error:
        return {}
    return found


class StoredPlans(dict):
    """The planning memo as stored (key -> its outputs as plain tuples, ``plan_row``),
    read on lookup, which hands an entry over: its bytes are not kept once its outputs
    are made of them. Entries may be read ahead of their lookup (``read_ahead``)."""

    def __init__(self, rows: Any = ()) -> None:
        super().__init__(rows)
        self.damaged: set[str] = set()  # entries that could not be read: written again

    def get(self, key: str, default: Any = None) -> Any:
        data = super().pop(key, None)
        if data is None:
            return default
        found = data if type(data) is tuple else self._outputs(key, data)
        return default if found is None else found

    def read_ahead(self, stop: Callable[[], bool]) -> None:
        """Read the entries not yet read, in turn, until ``stop()`` (asked every few
        dozen): work for a wait the build would otherwise spend idle."""
        for number, (key, data) in enumerate(list(self.items())):
            if number % 32 == 0 and stop():
                return
            if type(data) is bytes:
                found = self._outputs(key, data)
                if found is None:
                    del self[key]
                else:
                    self[key] = found

    def _outputs(self, key: str, data: bytes) -> tuple[PlannedOutput, ...] | None:
        try:
            return tuple([_planned(fields) for fields in from_plain_row(data)])
        except (TypeError, ValueError, KeyError):  # None, or not tuples of the fields
            self.damaged.add(key)
            return None


def _planned(fields: tuple[Any, ...]) -> PlannedOutput:
    """A stored output (``plan_row``), its fields as they were: plain strings. A row of
    another shape (an earlier newsgen's, which held dates as numbers) is damaged: its
    group is planned again."""
    if len(fields) != _FIELDS or type(fields[5]) is not str:
        raise TypeError("not a planned output's fields")
    return _new_tuple(PlannedOutput, fields)  # a named tuple, made without a call


_FIELDS = len(PlannedOutput._fields)


_new_tuple = tuple.__new__


def plan_row(outputs: tuple[PlannedOutput, ...]) -> bytes:
    """A memo entry as the state stores it: the outputs' fields as plain strings, which
    read back several times faster than objects. The strings that recur among a group's
    outputs (its pages' source, sitemap part, search bundle, date) are written once."""
    shared = shared_within()
    return to_plain_row(
        tuple(
            (
                o.output_path,
                o.url,
                o.fingerprint,
                shared(o.source),
                shared(o.sitemap_part),
                shared(o.lastmod),
                shared(o.search_shard),
            )
            for o in outputs
        )
    )


def shared_within() -> Callable[[str], str]:
    """One object per distinct string of a row: marshal writes an object it meets again
    as a reference to the first, and reads the row back with the string shared."""
    seen: dict[str, str] = {}
    return lambda text: seen.setdefault(text, text)


def stored_findings(db: sqlite3.Connection) -> dict[str, BlockFindings]:
    """The findings of each block of stories the state keeps (lint.py), by key; a row
    that cannot be read is left out (its block is checked again)."""
    rows = db.execute("SELECT key, data FROM warnings")
    return {key: found for key, data in rows if (found := findings_from_row(data)) is not None}


def store_findings(
    db: sqlite3.Connection, stored: Mapping[str, BlockFindings], blocks: Mapping[str, BlockFindings]
) -> None:
    """Make the state's findings ``blocks``, from ``stored`` (as read)."""
    db.executemany("DELETE FROM warnings WHERE key = ?", [(k,) for k in stored.keys() - blocks])
    new = [(k, to_plain_row(v)) for k, v in blocks.items() if stored.get(k) != v]
    db.executemany("INSERT OR REPLACE INTO warnings VALUES (?, ?)", new)


def findings_from_row(data: bytes) -> BlockFindings | None:
    """What the checks of a block of stories found (lint.py), or None if the row cannot
    be read as that: the block is checked again."""
    found = from_plain_row(data)
    if type(found) is not tuple or len(found) != 2:
        return None
    warnings, linking = found
    if type(warnings) is not tuple or type(linking) is not tuple:
        return None
    if not all(type(w) is tuple and len(w) == 3 and _is_warning(*w) for w in warnings):
        return None
    return (warnings, linking) if all(type(offset) is int for offset in linking) else None


def _is_warning(path: object, message: object, line: object) -> bool:
    return type(path) is str and type(message) is str and (line is None or type(line) is int)

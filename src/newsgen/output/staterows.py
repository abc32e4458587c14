"""How the build state's rows hold what they keep (cache.py reads and writes them):
kept articles and the planning memo as plain values, marshalled where they can be, and
each output folder's manifest in chunks.

Marshal reads plain values (strings, numbers, tuples) faster than pickle, and reads a
string interned if it was when written: a manifest's chunks too, whose paths the
planning memo's outputs then share without a pass to intern them (at 300,000 outputs,
0.16 s to read pickled and interned, 0.11 s marshalled)."""

from __future__ import annotations

import sqlite3
import sys
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from ..model.lint import BlockFindings
from ..plan.pagespec import PlannedOutput
from ..sources.filestats import StatKey
from ..sources.models import Article, packed, unpacked
from ..sources.parsed import Kept
from .statedb import from_plain_row, is_marshalled, to_plain_row

MANIFEST_CHUNKS = 1024


def manifest_chunk(output_path: str) -> int:
    """The chunk of its folder's manifest that holds an output's row. A manifest is
    stored in chunks (about 300 rows each at 300,000 outputs), each one marshalled row:
    read whole, they load several times faster than a row per output, and a build
    writes again only the chunks holding an output whose row changed (cache.py)."""
    return zlib.crc32(output_path.encode()) & (MANIFEST_CHUNKS - 1)


def rechunked(
    manifest: Mapping[str, tuple[str, StatKey]],
    changed: Iterable[str],
    chunks: Mapping[int, dict[str, tuple[str, StatKey]]],
) -> dict[int, dict[str, tuple[str, StatKey]]]:
    """The chunks (``manifest_chunk``) of ``manifest``, from the ``chunks`` stored, in
    which the rows at the paths ``changed`` are replaced or dropped: a chunk holding
    none of them is the one stored."""
    by_chunk: dict[int, list[str]] = {}
    for path in changed:
        by_chunk.setdefault(manifest_chunk(path), []).append(path)
    result = dict(chunks)
    for chunk, paths in by_chunk.items():
        entries = dict(chunks.get(chunk, {}))
        for path in paths:
            row = manifest.get(path)
            if row is None:
                entries.pop(path, None)
            else:
                entries[sys.intern(path)] = row  # read back interned: see cache.py
        if entries:
            result[chunk] = entries
        else:
            result.pop(chunk, None)
    return result


class StoredPlans(dict):
    """The planning memo as stored (key -> its outputs as plain tuples, ``plan_row``),
    read on lookup, which hands an entry over: its bytes are not kept once its outputs
    are made of them."""

    def __init__(self, rows: Any = ()) -> None:
        super().__init__(rows)
        self.damaged: set[str] = set()  # entries that could not be read: written again

    def get(self, key: str, default: Any = None) -> Any:
        data = super().pop(key, None)
        if data is None:
            return default
        try:
            return tuple([_planned(fields) for fields in from_plain_row(data)])
        except (TypeError, ValueError, KeyError):  # None, or not tuples of the fields
            self.damaged.add(key)
            return default


def _planned(fields: tuple[Any, ...]) -> PlannedOutput:
    """A stored output (its strings that recur were interned when stored, and are read
    back interned: ``plan_row``), its fields as they were: plain strings. Its fingerprint
    is a string of its own, not the manifest's: at 100,000 articles, finding the
    manifest's row of each of 184,000 outputs cost 0.2 s of a publish, and sharing saved
    20 MiB. A row of another shape (an earlier newsgen's, which held dates as numbers)
    is damaged: its group is planned again."""
    if len(fields) != _FIELDS or type(fields[5]) is not str:
        raise TypeError("not a planned output's fields")
    return _new_tuple(PlannedOutput, fields)  # a named tuple, made without a call


_FIELDS = len(PlannedOutput._fields)


_new_tuple = tuple.__new__


def plan_row(outputs: tuple[PlannedOutput, ...]) -> bytes:
    """A memo entry as the state stores it: the outputs' fields as plain strings, which
    read back several times faster than objects. The strings that recur across rows
    (paths, which the manifest's rows share; months) are interned: marshal reads them
    back interned. A source is not: an article page's is its own, and a listing's
    pages share one, which marshal stores once in the row (interning the archive's
    100,000 source paths as a publish reads the memo took a twentieth of a second)."""
    intern = sys.intern
    return to_plain_row(
        tuple(
            (
                intern(o.output_path),
                o.url,
                o.fingerprint,
                o.source,
                intern(o.sitemap_part),
                o.lastmod,
                intern(o.search_shard),
            )
            for o in outputs
        )
    )


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


def kept_row(article: Article, warnings: tuple[str, ...]) -> bytes:
    """A kept article and its source's warnings as the state stores them (``packed``);
    ``kept_from_row`` reads them back."""
    return to_plain_row((*packed(article), warnings))


def kept_from_row(source_path: str, data: bytes) -> Kept | None:
    """The stored (article, warnings) of the source at ``source_path``, or None if the
    entry cannot be read as one."""
    kept = from_plain_row(data)
    if type(kept) is not tuple or len(kept) != 3:
        return None
    names, values, warnings = kept
    try:
        return unpacked(source_path, names, values, interned=is_marshalled(data)), warnings
    except (TypeError, ValueError, AttributeError, KeyError):  # not the fields of an article
        return None

"""The database file of the build state: its tables, the key it is valid for, and
reading the body of a kept article (which the state stores apart, see cache.py)."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import marshal
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from .. import __version__
from ..sources.articlefields import ARTICLE_FIELDS
from ..sources.authors import AUTHOR_FIELDS
from ..sources.config import CONFIG_FIELDS
from ..sources.markup import EXTENSION_CONFIGS, EXTENSIONS
from ..sources.models import Article, Correction, Image, LiveUpdate
from ..sources.parsed import ParsedDocument

log = logging.getLogger(__name__)

DATABASE = "state.sqlite"
_STORAGE = 22  # raised whenever the database's tables or what their rows hold change shape


def state_key(site: str = "") -> str:
    """What the stored state is valid for: newsgen's version, the Markdown settings,
    the shape of the stored models, the tables of YAML fields (fields.py) and the
    version of Python, whose ``marshal`` format some rows use (staterows.py), so adding
    or changing a field (also a registered one) makes the next build read every source
    again. Worked out when the state is opened: a plugin may have registered a field
    since newsgen was imported. ``site``: a digest of the site's own
    Markdown settings and plugins (``SiteConfig.state_key``)."""
    shapes = [
        (kind.__name__, [f.name for f in dataclasses.fields(kind)])
        for kind in (Article, Image, Correction, LiveUpdate, ParsedDocument)
    ]
    tables = [ARTICLE_FIELDS.layout(), CONFIG_FIELDS.layout(), AUTHOR_FIELDS.layout()]
    layout = (
        _STORAGE, __version__, EXTENSIONS, sorted(EXTENSION_CONFIGS.items()), shapes, tables, site,
        sys.version_info[:2], marshal.version,
    )  # fmt: skip
    return hashlib.sha256(repr(layout).encode()).hexdigest()


# ``sources`` holds the sources' stats and digests in chunks (staterows.py: ``chunk_rows``),
# ``articles`` the articles made from them (keptrows.py);
# ``outputs`` each output folder's manifest in chunks, their paths apart (manifest.py);
# ``produced`` lists the files a build produced that ``outputs`` does not (static files);
# ``warnings`` what the checks of each block of stories found (model/lint.py); the kept
# articles' bodies are a table of their own, so that restoring the archive's articles
# reads 100 MB of rows at 100,000 articles, not 500 MB with the bodies between them
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sources (chunk INT PRIMARY KEY, paths BLOB, data BLOB);
CREATE TABLE IF NOT EXISTS documents (path TEXT, digest TEXT, data BLOB, PRIMARY KEY (path, digest));
CREATE TABLE IF NOT EXISTS articles (first TEXT PRIMARY KEY, paths BLOB, data BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bodies (path TEXT, digest TEXT, settings TEXT, body TEXT,
                                   PRIMARY KEY (path, digest));
CREATE TABLE IF NOT EXISTS plans (key TEXT PRIMARY KEY, data BLOB);
CREATE TABLE IF NOT EXISTS warnings (key TEXT PRIMARY KEY, data BLOB);
CREATE TABLE IF NOT EXISTS outputs (folder TEXT, chunk INT, paths BLOB, data BLOB,
                                    PRIMARY KEY (folder, chunk));
CREATE TABLE IF NOT EXISTS produced (folder TEXT, path TEXT, PRIMARY KEY (folder, path));
CREATE TABLE IF NOT EXISTS standing (folder TEXT PRIMARY KEY, data BLOB);
"""


class StoredBody:
    """Reads the body of one kept article from the database, when a page first needs it.

    Each process opens its own read-only connection (render workers are forked, and a
    connection must not cross a fork); a row not found, or a file that cannot be read,
    is tried once more through a new connection, in case the database file was made
    again since (``newsgen serve`` builds many times in one process)."""

    __slots__ = ("database", "source_path", "digest", "settings")  # one per kept article

    _connections: dict[tuple[int, str], sqlite3.Connection] = {}

    def __init__(self, database: str, source_path: str, digest: str, settings: str) -> None:
        self.database = database
        self.source_path = source_path
        self.digest = digest
        self.settings = settings

    def __call__(self) -> str:
        try:
            row = self._read(fresh=False)
        except sqlite3.Error:  # e.g. the file was overwritten under the open connection
            row = None
        if row is None or not isinstance(row[0], str):
            row = self._read(fresh=True)
        if row is not None and isinstance(row[0], str):
            return row[0]
        raise LookupError(f"{self.source_path}: its body is gone from the build state")

    def _read(self, fresh: bool) -> tuple[object, ...] | None:
        key = (os.getpid(), self.database)
        db = self._connections.get(key)
        if db is None or fresh:
            if db is not None:
                db.close()
            uri = Path(self.database).resolve().as_uri() + "?mode=ro"
            db = self._connections[key] = sqlite3.connect(uri, uri=True, timeout=60)
        query = "SELECT body FROM bodies WHERE path = ? AND digest = ? AND settings = ?"
        return db.execute(query, (self.source_path, self.digest, self.settings)).fetchone()


@contextmanager
def state_for_reading(database: str, site: str) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection of this process's own to the state's ``database``, if it
    was written under the key of the site's settings (``site``, see ``state_key``):
    what the processes a build forks from its start read (the walk of the inputs, the
    check of the outputs); else None. An error while reading is theirs to handle."""
    if not database or not os.path.isfile(database):
        yield None
        return
    uri = Path(database).resolve().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=60)) as db:
        key = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
        yield db if key is not None and key[0] == state_key(site) else None


# The log of writes a build leaves beside the state is cut to this size once its writes
# are in the database: a cold build writes the whole state in one transaction (1.8 GB at
# 100,000 articles), which SQLite would otherwise keep as a log of that size for good.
WAL_KEPT = 64 * 2**20


def connect_state(path: Path, site: str = "") -> sqlite3.Connection:
    """The database at ``path``, made again when another version of newsgen wrote it
    (whose tables may have another shape), or it was written under other settings of
    the site (``site``, see ``state_key``)."""
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA journal_size_limit = {WAL_KEPT}")
    db.executescript(_SCHEMA)
    key = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
    wanted = state_key(site)
    if key is None or key[0] != wanted:
        with db:
            db.execute("BEGIN IMMEDIATE")
            tables = [name for (name,) in db.execute(_TABLES) if name != "meta"]
            for table in tables:
                db.execute(f'DROP TABLE "{table}"')
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (wanted,))
    return db


_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


def forget_parses(
    db: sqlite3.Connection, live: Mapping[str, str], gone: list[tuple[str, str]]
) -> None:
    """Remove the parsed documents and bodies of sources no longer read as they were
    (the kept articles' chunks: keptrows.py).

    The rows a build leaves are those of its sources, all of which the sources' table
    names (even those whose stat it does not trust), so the last build's sources that
    are not ``live`` (path -> digest read: ``gone``) are removed by key, without reading
    the 100,000 keys of each table. A table still holding more rows than there are live sources holds some
    of no known source (written by an older newsgen, say): it is scanned."""
    for table in ("documents", "bodies"):
        db.executemany(f"DELETE FROM {table} WHERE path = ? AND digest = ?", gone)
        (count,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()
        if count > len(live):
            rows = db.execute(f"SELECT path, digest FROM {table}")
            stale = [(path, digest) for path, digest in rows if live.get(path) != digest]
            db.executemany(f"DELETE FROM {table} WHERE path = ? AND digest = ?", stale)


def to_row(value: object) -> bytes:
    """``value`` as the state stores it in a row (a pickle)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def from_row(data: bytes, kind: type) -> Any:
    """The value stored in ``data``, or None when it is damaged or not a ``kind``: an
    entry of the state that cannot be read is made again, never trusted."""
    try:
        value = pickle.loads(data)
    except Exception as exc:  # any corruption means: make it again
        log.info("ignoring a damaged entry of the build state (%s)", exc)
        return None
    return value if isinstance(value, kind) else None


_MARSHALLED = b"m"  # a pickle starts with its protocol's byte, 0x80


def to_plain_row(value: Any) -> bytes:
    """``value`` as a row, marshalled when it holds only plain values (str, int, tuples,
    dicts…), which reads back several times faster than a pickle; else pickled, which
    keeps every type (a date, a ``str`` subclass). ``from_plain_row`` reads either."""
    try:
        return _MARSHALLED + marshal.dumps(value)
    except ValueError:  # a value marshal does not keep
        return to_row(value)


def is_marshalled(data: bytes) -> bool:
    """Whether ``to_plain_row`` marshalled this row (whose interned strings then read
    back interned) rather than pickled it."""
    return data[:1] == _MARSHALLED


def from_plain_row(data: bytes) -> Any:
    """The value stored by ``to_plain_row``, or None when the row is damaged."""
    if not is_marshalled(data):
        return from_row(data, object)
    try:
        return marshal.loads(memoryview(data)[1:])
    except (EOFError, ValueError, TypeError) as exc:
        log.info("ignoring a damaged entry of the build state (%s)", exc)
        return None

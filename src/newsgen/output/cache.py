"""State kept between builds, in one SQLite database: ``.newsgen-cache/state.sqlite``.

It holds the sources' stats and digests, their parsed documents and the articles made
from them, the planning memo (plan.py) and, per output folder, what each output file
was made from (staleness.py). Why SQLite rather than a pickle of everything: a build
reads only what it needs (a parsed document only when its article must be made again)
and writes only the rows that changed, so a one-story build on a large archive does
not load or rewrite the archive; and a transaction either lands whole or not at all,
so a build killed at any moment leaves the state as it was. The database carries a
key (``statedb.state_key``) made of newsgen's version, the Markdown settings and the
tables of YAML fields, and of the site's own Markdown settings and plugins (so a changed
plugin or extension starts the state afresh: every source is parsed and every page
rendered again, as in a first build); a database that is corrupt or written under
another key is set aside and rebuilt, never trusted.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from ..model.lint import BlockFindings
from ..plan.pagespec import PlannedOutput
from ..sources.filestats import StatKey
from ..sources.models import Article
from ..sources.parsed import Kept, ParsedDocument
from .keptrows import KEPT_CHUNKS, kept_row, restore_kept, store_kept
from .manifest import Row, StoredManifest, store_chunks, stored_manifests
from .sourcestate import StoredSources
from .statedb import (
    DATABASE,
    StoredBody,
    connect_state,
    forget_parses,
    from_row,
    to_row,
)
from .staterows import StoredPlans, plan_row, store_findings, stored_findings

log = logging.getLogger(__name__)

RACY_SECONDS = 2.0
UNTRUSTED: StatKey = (-1, -1)  # the stat of a source modified too recently to trust


class BuildCache:
    """The state of one site, read at the start of a build and written at its end.

    Without a folder (``use_cache=False``) it starts empty and writes nothing.
    """

    def __init__(self, folder: Path | None, settings: str = "") -> None:
        """``settings``: a digest of the site's own parsing settings and plugins."""
        self.folder = folder
        self._database = str(folder / DATABASE) if folder is not None else ""
        self._settings = settings
        self._db: sqlite3.Connection | None = None
        self._reset()
        if folder is not None:
            try:
                self._open(folder)
            except (OSError, sqlite3.Error) as error:  # read-only or full: build without it
                log.warning("cannot use the build state in %s: %s", folder, error)
                self._db = None
                self._reset()

    def _reset(self) -> None:
        self._sources = StoredSources()  # each source's stat and digest (sourcestate.py)
        # planning memo: group key -> its outputs (see plan.py); stored entries are
        # unpickled when looked up
        self._stored_plans = StoredPlans()
        self.plans: Mapping[str, tuple[PlannedOutput, ...]] = self._stored_plans
        # (path, digest) -> the kept (article, warnings of its source), until handed over
        # (read from the database on first use: a build with nothing changed needs none)
        self._articles: dict[tuple[str, str], Kept | None] | None = None
        # (settings, rows left, articles restored) of a restore begun ahead
        self._ahead: tuple[str, sqlite3.Cursor, dict[tuple[str, str], Kept | None]] | None = None
        self._new_articles: dict[tuple[str, str], tuple[str, Kept]] = {}
        self._new_documents: dict[tuple[str, str], ParsedDocument] = {}
        self._live: Mapping[str, str] | None = None  # source path -> digest read
        self._plans_saved = False
        self._plan_keys: frozenset[str] = frozenset()  # those the database holds
        # block key -> what the checks of a block of stories found (lint.py), as read
        # and as this build leaves it (None: as read)
        self.warning_blocks: dict[str, BlockFindings] = {}
        self._new_warning_blocks: dict[str, BlockFindings] | None = None
        self._manifests: dict[str, StoredManifest] = {}
        # folder -> the manifest's chunks that changed, and the files it does not list
        self._new_outputs: dict[str, tuple[dict[int, dict[str, Row]], frozenset[str]]] = {}
        self._produced: dict[str, frozenset[str]] = {}
        self._saved: dict[str, Any] = {"produced": {}}
        self._standing: dict[str, Any] = {}
        self._unchecked: set[str] = set()  # output folders whose manifest is damaged

    # sources and parses

    def digest_for(self, source_path: str, stat: StatKey) -> str | None:
        """The digest remembered for a file whose mtime and size did not change."""
        self._sources.read_all()  # asked for every source: read at once
        known = self._sources.get(source_path)
        if known and known[0] == stat:
            return known[1]
        return None

    def remember_source(self, source_path: str, digest: str, stat: StatKey) -> None:
        """Keep the file's digest, and its stat when the stat can be trusted.

        A file modified in the last moments may be modified again within the file
        system's timestamp granularity without its mtime changing, so its stat is not
        remembered (``UNTRUSTED`` stands for it): the next build hashes it again (and
        still finds the parse cached). Its digest is kept all the same: the next build
        removes the parses of the sources it no longer reads by these rows.
        """
        mtime_ns, size = stat
        trusted = time.time() - mtime_ns / 1e9 > RACY_SECONDS
        self._sources.put(source_path, ((mtime_ns, size) if trusted else UNTRUSTED, digest))

    def edited(self) -> frozenset[str]:
        """The sources read by this build whose bytes the last build did not see."""
        return self._sources.edited()

    def document(self, source_path: str, digest: str) -> ParsedDocument | None:
        """The parse of this source's bytes, if kept (read from the database on demand)."""
        key = (source_path, digest)
        if key in self._new_documents:
            return self._new_documents[key]
        if self._db is None:
            return None
        query = "SELECT data FROM documents WHERE path = ? AND digest = ?"
        row = self._db.execute(query, key).fetchone()
        return from_row(row[0], ParsedDocument) if row else None

    def remember_document(self, document: ParsedDocument) -> None:
        self._new_documents[(document.source_path, document.digest)] = document

    def article(self, source_path: str, digest: str, key: str) -> Kept | None:
        """The article made from this source with the settings ``key`` names, and the
        warnings its source gave, if kept: then the source need not be parsed."""
        made = self._new_articles.get((source_path, digest))
        if made is not None:
            return made[1] if made[0] == key else None
        return self._stored_articles(key).pop((source_path, digest), None)  # handed over once

    def remember_article(
        self, article: Article, digest: str, key: str, warnings: tuple[str, ...] = ()
    ) -> None:
        self._new_articles[(article.source_path, digest)] = (key, (article, warnings))

    def forget_except(self, live: Mapping[str, str], unread: Iterable[str] | None = None) -> None:
        """Drop, when saving, the entries of sources that are gone or changed (``live``:
        the digest of each source read). ``unread``: the sources with a row that may not
        be live (known from the walk of the inputs); else every source with a row."""
        self._live = live
        candidates = self._sources.paths() if unread is None else unread
        self._sources.forget([path for path in candidates if path not in live])

    # outputs

    def rendered(self, output_dir: Path) -> StoredManifest:
        """For one output folder: output path -> (fingerprint, stat of the file written)."""
        return self._manifests.setdefault(str(output_dir), StoredManifest())

    def remember_rendered(
        self, output_dir: Path, changes: Mapping[str, Row | None], unlisted: frozenset[str]
    ) -> None:
        """Keep, for ``save``, the rows of the folder's manifest that ``changes`` (path ->
        its new row; None: gone) and the files the build produced that the manifest does
        not list (static files)."""
        chunks = self.rendered(output_dir).changed_chunks(changes)  # read before the save
        self._new_outputs[str(output_dir)] = (chunks, unlisted)

    def produced(self, output_dir: Path) -> frozenset[str] | None:
        """Every file the last build wrote into ``output_dir``, if it is known."""
        return self._produced.get(str(output_dir))

    def remember_warnings(self, blocks: dict[str, BlockFindings]) -> None:
        """Keep, for the next build, what the checks of each block of stories found."""
        self._new_warning_blocks = blocks

    def remember_plans(self, plans: dict[str, tuple[PlannedOutput, ...]]) -> None:
        self.plans = plans
        self._plans_saved = False

    def standing(self, output_dir: Path) -> Any:
        """What the last complete build into ``output_dir`` stood on (standing.py)."""
        if self._db is None or str(output_dir) in self._unchecked:
            return None
        query = "SELECT data FROM standing WHERE folder = ?"
        row = self._db.execute(query, (str(output_dir),)).fetchone()
        return from_row(row[0], object) if row else None

    def remember_standing(self, output_dir: Path, record: Any) -> None:
        """Keep ``record`` (None: forget) for the next build, written by ``save``."""
        self._standing[str(output_dir)] = record

    # reading and writing the database

    def _open(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_text("*\n")
        for old in folder.glob("*.pickle"):  # the layout of earlier versions
            old.unlink(missing_ok=True)
        path = folder / DATABASE
        try:
            self._db = connect_state(path, self._settings)
            self._load(self._db)
        except sqlite3.DatabaseError as exc:
            log.warning("ignoring an unreadable build state: %s (%s)", path.name, exc)
            if self._db is not None:
                self._db.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self._reset()
            self._db = connect_state(path, self._settings)

    def _load(self, db: sqlite3.Connection) -> None:
        # Paths are not interned (staterows.py): interning an archive's hundreds of
        # thousands as they are read costs more of every build than the memory it saves.
        self._sources = StoredSources(partial(_source_chunks, db))
        # a folder whose manifest is damaged has its outputs made and written again, and
        # the last build's report is no ground to stand on
        self._manifests = stored_manifests(db, self._manifest_rows, self._unchecked)
        # the table lists only what the manifests do not (static files): see
        # ``_save_outputs``; an archive's 300,000 paths are not read twice
        unlisted: dict[str, set[str]] = {}
        for folder, path in db.execute("SELECT * FROM produced"):
            unlisted.setdefault(folder, set()).add(path)
        self._produced = {
            folder: self._manifests.get(folder, StoredManifest()).every_path.union(
                unlisted.get(folder, ())
            )
            for folder in self._manifests.keys() | unlisted.keys()
        }
        self.warning_blocks = stored_findings(db)
        rows = db.execute("SELECT key, data FROM plans")
        self._stored_plans = StoredPlans(rows)
        self._plan_keys = frozenset(self._stored_plans)
        self.plans = self._stored_plans
        # what was read, to write only what differs
        self._saved = {
            "produced": {folder: frozenset(paths) for folder, paths in unlisted.items()},
        }

    def _manifest_rows(self, folder: str, chunk: int) -> bytes | None:
        """The stored rows of one chunk of ``folder``'s manifest (``StoredManifest``)."""
        if self._db is None:
            return None
        query = "SELECT data FROM outputs WHERE folder = ? AND chunk = ?"
        row = self._db.execute(query, (folder, chunk)).fetchone()
        return row[0] if row and isinstance(row[0], bytes) else None

    def restore_ahead(self, key: str, stop: Callable[[], bool]) -> None:
        """Restore the articles kept with the settings ``key``, then read the planning
        memo, until ``stop()``: work for a wait that a build which goes on would spend
        idle (at 100,000 articles the restore takes about 0.5 s, and the walk of the
        inputs 0.8 s); one that does not go on leaves the rest unread."""
        if self._db is None or self._articles is not None or self._ahead is not None:
            return
        chunks = self._db.execute(KEPT_CHUNKS)
        self._ahead = (key, chunks, {})
        restore_kept(chunks, key, self._ahead[2], self._body_reader(key), stop)
        self._stored_plans.read_ahead(stop)

    def _stored_articles(self, wanted: str) -> dict[tuple[str, str], Kept | None]:
        """(path, digest) -> the kept article, of the rows made with the settings
        ``wanted`` (those ``restore_ahead`` read, and the rest)."""
        if self._articles is None:
            ahead, self._ahead = self._ahead, None
            if ahead is not None and ahead[0] == wanted:
                _, chunks, self._articles = ahead
            elif self._db is not None:
                chunks, self._articles = self._db.execute(KEPT_CHUNKS), {}
            else:
                return {}
            restore_kept(chunks, wanted, self._articles, self._body_reader(wanted))
        return self._articles

    def _body_reader(self, settings: str) -> Callable[[str, str], StoredBody]:
        """What reads the body of a kept article (by source path and digest), which the
        state keeps apart: a page that shows it reads it when it is rendered."""
        return lambda path, digest: StoredBody(self._database, path, digest, settings)

    def save(self) -> None:
        """Write what changed since the state was read (or since ``save_reading``), in
        one transaction."""
        steps = (
            self._save_sources,
            self._save_plans,
            self._save_warnings,
            self._save_outputs,
            self._save_standing,
        )
        self._transaction(*steps)
        self._standing.clear()

    def save_reading(self) -> None:
        """Write what reading and planning learnt: the sources' digests, their parsed
        documents and articles, and the planning memo. A build does it while Pagefind
        indexes, in a transaction of its own: these rows are keyed by what they were
        made from, so they stay true whatever becomes of the build's outputs, whose
        rows ``save`` writes at the end."""
        self._transaction(self._save_sources, self._save_plans)

    def _transaction(self, *steps: Callable[[sqlite3.Connection], None]) -> None:
        if self._db is None:
            return
        try:
            with self._db as db:
                db.execute("BEGIN IMMEDIATE")
                for step in steps:
                    step(db)
        except (OSError, sqlite3.Error) as error:  # rolled back: the next build redoes the work
            log.warning("cannot save the build state in %s: %s", self.folder, error)
            self._db.close()
            self._db = None
        self._new_documents.clear()
        self._new_articles.clear()

    def _save_sources(self, db: sqlite3.Connection) -> None:
        restated = self._sources.save(db)  # the rows that changed or went, as they were
        documents = [(p, d, to_row(doc)) for (p, d), doc in self._new_documents.items()]
        db.executemany("INSERT OR REPLACE INTO documents VALUES (?, ?, ?)", documents)
        kept = [(*key, k, *made) for key, (k, made) in self._new_articles.items()]
        rows = {p: kept_row(d, k, article, warnings) for p, d, k, article, warnings in kept}
        bodies = [(p, d, k, article.body_html) for p, d, k, article, _ in kept]
        db.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?, ?)", bodies)
        live, self._live = self._live, None
        gone: list[tuple[str, str]] = []
        if live is not None:  # parses of sources that are gone or changed
            # the last build's sources whose row stayed are read as they were: live
            left = ((path, row[1]) for path, row in restated.items())
            gone = [key for key in left if live.get(key[0]) != key[1]]
            forget_parses(db, live, gone)
        store_kept(db, rows, [path for path, _ in gone], live)

    def _save_plans(self, db: sqlite3.Connection) -> None:
        if self._plans_saved or isinstance(self.plans, StoredPlans):  # not replaced
            return
        self._plans_saved = True
        stored = self._plan_keys  # as read: not read again, 100,000 keys at that size
        db.executemany("DELETE FROM plans WHERE key = ?", [(k,) for k in stored - set(self.plans)])
        damaged = self._stored_plans.damaged
        new = [(k, plan_row(v)) for k, v in self.plans.items() if k not in stored or k in damaged]
        db.executemany("INSERT OR REPLACE INTO plans VALUES (?, ?)", new)
        self._plan_keys = frozenset(self.plans)

    def _save_warnings(self, db: sqlite3.Connection) -> None:
        blocks, self._new_warning_blocks = self._new_warning_blocks, None
        if blocks is None:
            return
        store_findings(db, self.warning_blocks, blocks)
        self.warning_blocks = blocks

    def _save_outputs(self, db: sqlite3.Connection) -> None:
        for folder, (chunks, unlisted) in self._new_outputs.items():
            store_chunks(db, folder, chunks)
            saved = self._saved["produced"].get(folder, frozenset())
            gone = [(folder, p) for p in saved - unlisted]
            db.executemany("DELETE FROM produced WHERE folder = ? AND path = ?", gone)
            added = [(folder, p) for p in unlisted - saved]
            db.executemany("INSERT OR REPLACE INTO produced VALUES (?, ?)", added)
            self._saved["produced"][folder] = unlisted
        self._new_outputs.clear()

    def _save_standing(self, db: sqlite3.Connection) -> None:
        for folder, record in self._standing.items():
            db.execute("DELETE FROM standing WHERE folder = ?", (folder,))
            if record is not None:
                db.execute("INSERT INTO standing VALUES (?, ?)", (folder, to_row(record)))


def _source_chunks(
    db: sqlite3.Connection, chunk: int | None
) -> Iterable[tuple[int, object, object]]:
    """The stored chunks of the sources' table: one (by its number), or all (None)."""
    if chunk is None:
        return db.execute("SELECT * FROM sources")
    return db.execute("SELECT * FROM sources WHERE chunk = ?", (chunk,))

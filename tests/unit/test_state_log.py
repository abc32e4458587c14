"""The build state's write-ahead log does not keep the size of the largest write."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.output import statedb


def test_the_log_of_a_large_write_is_cut_once_it_is_in_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold build writes the whole state in one transaction; the write-ahead log that
    held it is cut back to the size kept by the next write (a build run from the command
    line ends without closing the database, which would remove the log)."""
    monkeypatch.setattr(statedb, "WAL_KEPT", 64 * 1024)
    path = tmp_path / "state.sqlite"
    db = statedb.connect_state(path)
    try:
        with db:
            db.execute("BEGIN IMMEDIATE")
            for n in range(8):  # more than SQLite's checkpoint threshold (1,000 pages)
                db.execute("INSERT INTO plans VALUES (?, ?)", (f"k{n}", bytes(2**20)))
        log = tmp_path / "state.sqlite-wal"
        assert log.stat().st_size > 8 * 2**20
        with db:
            db.execute("INSERT INTO plans VALUES ('small', x'00')")
        assert log.stat().st_size <= 64 * 1024
        assert db.execute("SELECT count(*) FROM plans").fetchone() == (9,)
    finally:
        db.close()

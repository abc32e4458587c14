"""What the build state keeps of an article comes back as the same article."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from newsgen.output.keptrows import (
    KEPT_CHUNKS,
    MOST_KEPT,
    KeptRow,
    kept_columns,
    kept_row,
    kept_rows,
    restore_kept,
    store_kept,
)
from newsgen.output.statedb import connect_state
from newsgen.sources.models import Article, Correction, Image, packed
from newsgen.sources.parsed import Kept


def _article(**fields: object) -> Article:
    base: dict[str, object] = {
        "source_path": "content/world/quay.md",
        "digest": "d1",
        "teaser_digest": "t1",
        "title": "Quay reopens",
        "slug": "quay-reopens",
        "date": datetime(2026, 11, 2, 9, 30, 15, 250, tzinfo=timezone.utc),
        "section": "world",
        "url": "/world/quay-reopens/",
        "output_path": "world/quay-reopens/index.html",
        "body_html": "<p>Open.</p>",
        "excerpt": "Open.",
        "word_count": 1,
        "reading_minutes": 1,
    }
    return Article(**{**base, **fields})


def _chunk(article: Article) -> tuple[bytes, bytes]:
    """A chunk of the one article, as the state stores it."""
    row = kept_row(article.digest, "settings", article, ("a warning",))
    return kept_columns({article.source_path: row})


def _body(path: str, digest: str) -> Callable[[], str]:
    """A body reader as the state's would read it, here from the name it is given."""
    return lambda: f"<p>{path} at {digest}</p>"


def _kept(article: Article) -> Article:
    """Through the chunk the state writes and reads."""
    restored: dict[tuple[str, str], Kept | None] = {}
    restore_kept([_chunk(article)], "settings", restored, _body)
    kept = restored[(article.source_path, article.digest)]
    assert kept is not None and kept[1] == ("a warning",)
    return kept[0]


def test_an_article_comes_back_equal_with_its_dates_in_their_own_zones() -> None:
    rome = ZoneInfo("Europe/Rome")
    article = _article(
        author_names=("ana",),
        tags=("ports", "strikes"),
        summary="Open.",
        updated=datetime(2026, 11, 3, 8, tzinfo=timezone(timedelta(hours=-5))),
        expires=datetime(2027, 1, 1, tzinfo=rome),
        breaking_until=datetime(2026, 11, 2, 12, tzinfo=timezone(timedelta(hours=1), "CET")),
        image=Image("quay.jpg", alt="The quay"),
        corrections=(Correction(datetime(2026, 11, 4, tzinfo=timezone.utc), "A name."),),
    )
    kept = _kept(article)
    assert "body_html" not in kept.__dict__
    assert kept.evolve(body_html=article.body_html) == article
    assert kept.body_html == f"<p>{article.source_path} at {article.digest}</p>"  # read now
    for name in ("date", "updated", "expires", "breaking_until"):
        before, after = getattr(article, name), getattr(kept, name)
        assert after == before and after.utcoffset() == before.utcoffset()
        assert after.tzname() == before.tzname()
    assert kept.expires.tzinfo is rome
    assert kept.summary is kept.excerpt  # stored once


def test_restored_articles_share_their_recurring_strings() -> None:
    one = _kept(_article(tags=("ports",), author_names=("ana",)))
    two = _kept(_article(source_path="content/world/b.md", tags=("ports",), author_names=("ana",)))
    assert one.section is two.section and one.tags[0] is two.tags[0]
    assert one.author_names[0] is two.author_names[0]
    assert one.date.tzinfo is two.date.tzinfo


def test_fields_left_at_their_default_are_not_stored() -> None:
    names = packed(_article())[0].split("\0")
    assert "draft" not in names and "tags" not in names and "body_html" not in names
    assert "source_path" not in names  # the row's key
    assert _kept(_article()).draft is False


def test_an_article_in_an_iana_zone_is_stored_as_plain_values_and_shares_its_zone() -> None:
    rome = ZoneInfo("Europe/Rome")
    # the hour that comes twice when the clocks go back: ``fold`` tells them apart
    article = _article(date=datetime(2026, 10, 25, 2, 30, tzinfo=rome, fold=1))
    assert _chunk(article)[1].startswith(b"m")  # marshalled, not pickled
    kept = _kept(article)
    assert kept.date.tzinfo is rome and kept.date.fold == 1
    assert kept.date.utcoffset() == article.date.utcoffset() == timedelta(hours=1)


def test_an_article_with_a_value_marshal_cannot_keep_is_pickled_whole() -> None:
    named = timezone(timedelta(hours=1), "CET")
    article = _article(date=datetime(2026, 11, 2, 9, tzinfo=named), extra={"on": date(2026, 1, 2)})
    assert not _chunk(article)[1].startswith(b"m")
    kept = _kept(article)
    assert kept.date.tzname() == "CET" and kept.extra == {"on": date(2026, 1, 2)}
    assert kept.evolve(body_html=article.body_html) == article


def _state(folder: Path) -> sqlite3.Connection:
    return connect_state(folder / "state.sqlite")


def _made(path: str, digest: str) -> dict[str, KeptRow]:
    article = _article(source_path=path, digest=digest)
    return {path: kept_row(digest, "settings", article, ())}


def _stored(db: sqlite3.Connection) -> set[tuple[str, str]]:
    """(source path, digest) of each article the state keeps, as a build restores them."""
    restored: dict[tuple[str, str], Kept | None] = {}
    restore_kept(db.execute(KEPT_CHUNKS), "settings", restored, _body)
    return set(restored)


def test_a_chunk_written_again_keeps_the_other_articles_it_holds(tmp_path: Path) -> None:
    first, second, third = (f"content/world/{name}.md" for name in ("a", "b", "c"))
    db = _state(tmp_path)
    store_kept(db, {**_made(first, "a1"), **_made(third, "c1")}, [], None)
    store_kept(db, _made(second, "b1"), [], None)  # a publish: the others stay
    assert _stored(db) == {(first, "a1"), (second, "b1"), (third, "c1")}
    # an edit of the second, the first deleted: the third, read as it was, stays
    store_kept(db, _made(second, "b2"), [first], {second: "b2", third: "c1"})
    assert set(_stored(db)) == {(second, "b2"), (third, "c1")}
    restored: dict[tuple[str, str], Kept | None] = {}
    restore_kept(db.execute(KEPT_CHUNKS), "other settings", restored, _body)
    assert restored == {}  # made with other settings: made again
    store_kept(db, {}, [second, third], {})
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (0,)


def test_chunks_hold_consecutive_paths_and_one_grown_too_large_is_cut(tmp_path: Path) -> None:
    db = _state(tmp_path)
    paths = [f"content/world/{number:04d}.md" for number in range(0, 2 * MOST_KEPT, 2)]
    store_kept(db, {p: row for p in paths for row in _made(p, "d").values()}, [], None)
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    # stories published in the middle of the range, and before it
    new = [f"content/world/{number:04d}.md" for number in (1, 3, 5)] + ["content/a.md"]
    store_kept(db, {p: row for p in new for row in _made(p, "d").values()}, [], None)
    chunks = [kept_rows(*row) or {} for row in db.execute(KEPT_CHUNKS)]
    assert len(chunks) > 1 and all(len(rows) <= MOST_KEPT for rows in chunks)
    restored = [path for rows in chunks for path in rows]
    assert restored == sorted([*paths, *new])  # in the order of their paths
    # a story in the last chunk's range changes that chunk alone
    before = list(db.execute("SELECT first, data FROM articles ORDER BY first"))
    store_kept(db, _made(paths[-1], "e"), [], None)
    after = list(db.execute("SELECT first, data FROM articles ORDER BY first"))
    assert after[:-1] == before[:-1] and after[-1] != before[-1]

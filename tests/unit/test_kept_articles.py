"""What the build state keeps of an article comes back as the same article."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from newsgen.output.staterows import kept_from_row, kept_row
from newsgen.sources.models import Article, Correction, Image, packed


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


def _row(article: Article) -> bytes:
    return kept_row(article, ("a warning",))


def _kept(article: Article) -> Article:
    """Through the row the state writes and reads."""
    kept = kept_from_row(article.source_path, _row(article))
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
    assert _row(article).startswith(b"m")  # marshalled, not pickled
    kept = _kept(article)
    assert kept.date.tzinfo is rome and kept.date.fold == 1
    assert kept.date.utcoffset() == article.date.utcoffset() == timedelta(hours=1)


def test_an_article_with_a_value_marshal_cannot_keep_is_pickled_whole() -> None:
    named = timezone(timedelta(hours=1), "CET")
    article = _article(date=datetime(2026, 11, 2, 9, tzinfo=named), extra={"on": date(2026, 1, 2)})
    assert not _row(article).startswith(b"m")
    kept = _kept(article)
    assert kept.date.tzname() == "CET" and kept.extra == {"on": date(2026, 1, 2)}
    assert kept.evolve(body_html=article.body_html) == article

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from newsgen.sources import urls
from newsgen.sources.bodylinks import plain_links, unpack_links, web_only
from newsgen.sources.dates import parse_date
from newsgen.sources.markup import MarkdownRenderer, add_dateline, excerpt, plain_text

ROME = ZoneInfo("Europe/Rome")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-01-28T09:30:00+01:00", datetime(2026, 1, 28, 8, 30, tzinfo=timezone.utc)),
        ("2026-01-28 09:30:00 +0100", datetime(2026, 1, 28, 8, 30, tzinfo=timezone.utc)),
        ("2026-01-28T09:30:00Z", datetime(2026, 1, 28, 9, 30, tzinfo=timezone.utc)),
        ("2026-01-28 09:30", datetime(2026, 1, 28, 8, 30, tzinfo=timezone.utc)),
        (datetime(2026, 7, 1, 12, 0), datetime(2026, 7, 1, 10, 0, tzinfo=timezone.utc)),
    ],
)
def test_dates_become_aware_and_naive_times_are_in_the_site_zone(value, expected):
    parsed = parse_date(value, ROME)
    assert parsed.tzinfo is not None
    assert parsed == expected


def test_offset_is_kept_not_replaced():
    parsed = parse_date("2026-01-28T09:30:00-05:00", ROME)
    assert parsed.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", 42, ["2026-01-01"]])
def test_unreadable_dates_say_how_to_write_them(value):
    with pytest.raises(ValueError, match="2026-01-28"):
        parse_date(value, ROME)


def test_slugs_and_permalinks():
    assert urls.slugify("Port Alder's Budget: What Changes?") == "port-alder-s-budget-what-changes"
    assert urls.slugify("Café au lait") == "cafe-au-lait"
    fields = urls.article_fields("world", "talks", datetime(2026, 3, 4, tzinfo=timezone.utc))
    assert urls.expand("/{year}/{month}/{day}/{slug}/", **fields) == "/2026/03/04/talks/"
    assert urls.expand("/{section}/{slug}/", section="a/b", slug="..") == "/a%2Fb/../"
    assert urls.output_path("/world/talks/") == "world/talks/index.html"
    assert urls.output_path("/404.html") == "404.html"
    assert urls.page_url("/world/", 3) == "/world/page/3/"
    assert urls.page_url("/world/", 1) == "/world/page/1/"


def test_excerpt_cuts_at_a_word_boundary_with_an_ellipsis():
    text = "The council met on Monday to discuss the harbour budget for next year"
    cut = excerpt(text, 30)
    assert cut.endswith("…")
    assert len(cut) <= 31
    assert text.startswith(cut[:-1])
    assert cut[:-1].split()[-1] in text.split()
    assert excerpt("Short text.", 30) == "Short text."


def test_markdown_extensions_and_dateline():
    renderer = MarkdownRenderer()
    html = renderer.render(
        'First "quoted" para.\n\n## A Subhead\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1]\n\n[^1]: The note.'
    )
    assert "\u201cquoted\u201d" in html
    assert '<h2 id="a-subhead">' in html
    assert "<table>" in html and 'class="footnote"' in html
    again = renderer.render("[^1] only\n\n[^1]: x")
    assert "The note" not in again  # the converter is reset between documents
    with_dateline = add_dateline("<p>Talks ended.</p>", "ROME <b>")
    assert with_dateline.startswith('<p><span class="dateline">ROME &lt;b&gt; —</span> Talks')


def test_plain_text_reads_as_the_sentence_does_without_footnote_markers():
    html = MarkdownRenderer().render(
        "Storm felled trees[^1]. A [walkout](/x/), *then* calm.\n\n## After\n\nRain.\n\n"
        "[^1]: Forty of them."
    )
    assert plain_text(html) == "Storm felled trees. A walkout, then calm. After Rain."


def test_a_bodys_links_are_kept_packed_and_come_back_in_order_once_each():
    body = (
        '<p><a href="https://example.org/a?x=1&amp;y=2">one</a> and '
        '<a class="x" href="/world/harbour/">two</a>, '
        '<a href="https://example.org/a?x=1&amp;y=2">one again</a></p>'
    )
    packed = plain_links(body, has_updates=False)
    assert isinstance(packed, str)
    assert unpack_links(packed) == (
        ("a", "https://example.org/a?x=1&amp;y=2"),
        ("a", "/world/harbour/"),
    )
    assert plain_links("<p>No links.</p>", has_updates=False) == ""
    assert unpack_links("") == ()
    assert plain_links('<p><img src="/p.jpg" alt=""></p>', has_updates=False) is None


@pytest.mark.parametrize(
    "body, expected",
    [
        ('<p><a href="https://a.example/x">a</a> <a href="http://b.example/">b</a></p>', True),
        ("<p>No links.</p>", True),
        ('<p><a href="https://a.example/">a</a> <a href="/politics/">politics</a></p>', False),
        ('<p><a href="mailto:desk@example.org">desk</a></p>', False),
        ('<p><a href="HTTPS://a.example/">a</a></p>', False),
    ],
)
def test_web_only_tells_links_that_all_leave_for_the_web(body, expected):
    packed = plain_links(body, has_updates=False)
    assert web_only(packed) is expected
    assert web_only(packed) is all(
        url.startswith(("http://", "https://")) for _, url in unpack_links(packed)
    )

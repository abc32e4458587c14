"""Reading live blog updates and the paywall marker out of rendered bodies."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from newsgen.sources import paywall
from newsgen.sources.liveblog import BadUpdateTime, parse_live_blog
from newsgen.sources.markup import MarkdownRenderer

ROME = ZoneInfo("Europe/Rome")
START = datetime(2026, 11, 28, 22, 0, tzinfo=ROME)


def _blog(markdown: str):
    return parse_live_blog(MarkdownRenderer().render(markdown), START, ROME)


def test_updates_cross_midnight_keep_order_and_unique_anchors() -> None:
    blog = _blog(
        "Intro.\n\n## 23:10 First\n\nA.\n\n## Background\n\nNot an update.\n\n"
        "## 2026-11-29 00:05 After midnight\n\nB.\n\n## 23:10 Same minute\n\nC.\n"
    )
    assert [u.title for u in blog.updates] == ["After midnight", "First", "Same minute"]
    assert [u.anchor for u in blog.updates] == [
        "update-20261129-0005", "update-20261128-2310", "update-20261128-2310-2",
    ]  # fmt: skip
    assert blog.updates[0].time == datetime(2026, 11, 29, 0, 5, tzinfo=ROME)
    assert "Not an update." in blog.updates[1].body_html  # a plain heading stays in its update
    assert blog.intro_html == "<p>Intro.</p>"


def test_a_heading_that_is_not_a_time_is_an_error() -> None:
    with pytest.raises(BadUpdateTime, match="'24:30 Late'"):
        _blog("## 24:30 Late\n\nText.\n")


def test_paywall_wraps_after_the_marker_or_everything() -> None:
    body = MarkdownRenderer().render("Free.\n\n<!-- paywall -->\n\nPaid.\n")
    wrapped, free = paywall.wrap(body)
    assert free == "<p>Free.</p>"
    assert (
        wrapped == '<p>Free.</p>\n<div class="paywall-content" data-paywall>\n<p>Paid.</p>\n</div>'
    )
    wrapped, free = paywall.wrap("<p>All paid.</p>")
    assert (free, wrapped.count("paywall-content")) == ("", 1)
    assert paywall.free_part("<p>No marker.</p>") == "<p>No marker.</p>"

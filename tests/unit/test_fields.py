"""The converters of the YAML field tables and the wording of their problems."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newsgen.sources.articlefields import ARTICLE_FIELDS
from newsgen.sources.fields import (
    DATE,
    FLAG,
    LINKS,
    NAMES,
    TEXT,
    FieldSpec,
    FieldTable,
    checked,
    choice,
    plain,
    table,
    whole,
)
from newsgen.sources.yamlload import load_yaml, path_line

ROME = timezone(timedelta(hours=1))


def read(spec: FieldSpec, raw: dict, tz=timezone.utc):
    values, problems = FieldTable([spec]).read(raw, tz)
    return values[spec.name], [message for _, message in problems]


@pytest.mark.parametrize(
    ("convert", "given", "expected"),
    [
        (TEXT, "  Budget day ", "Budget day"),
        (TEXT, 2026, "2026"),
        (FLAG, False, False),
        (NAMES, "Ana", ("Ana",)),
        (NAMES, ["Ana", " ", "Bo", "Ana", 7], ("Ana", "Bo", "7")),
        (whole(1), 3, 3),
        (choice(("free", "subscribers"), empty="free"), "free", ""),
        (choice(("free", "subscribers"), empty="free"), "subscribers", "subscribers"),
        (LINKS, {"Site": "https://a.example"}, (("Site", "https://a.example"),)),
    ],
)
def test_converters_read_good_values(convert, given, expected):
    assert read(FieldSpec("x", convert), {"x": given}) == (expected, [])


def test_dates_without_an_offset_are_in_the_zone_given():
    value, problems = read(FieldSpec("date", DATE), {"date": "2026-01-28 09:30"}, ROME)
    assert problems == []
    assert value == datetime(2026, 1, 28, 8, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("convert", "given", "message"),
    [
        (TEXT, ["a"], "'x' must be text, not a list"),
        (TEXT, {"a": 1}, "'x' must be text, not a mapping"),
        (TEXT, True, "'x' must be text, not true"),
        (FLAG, "maybe", "'x' must be true or false, not 'maybe'"),
        (FLAG, 1, "'x' must be true or false, not 1"),
        (NAMES, {"a": 1}, "'x' must be a name or a list of names, not a mapping"),
        (NAMES, ["a", ["b"]], "'x' must be a name or a list of names, not a list"),
        (whole(), "ten", "'x' must be a whole number, not 'ten'"),
        (whole(), False, "'x' must be a whole number, not false"),
        (whole(1), 0, "'x' must be a whole number of at least 1, not 0"),
        (whole(1), 2.5, "'x' must be a whole number of at least 1, not 2.5"),
        (DATE, "someday", "'x' must be a date like 2026-01-28T09:30:00+01:00"),
        (DATE, [2026], "'x' must be a date like"),
        (LINKS, ["a"], "'x' must be a mapping of labels to addresses, not a list"),
        (
            choice(("report", "opinion")),
            "opnion",
            "'x' must be one of report, opinion, not 'opnion' (did you mean 'opinion'?)",
        ),
        (choice(("report", "opinion")), "zzz", "'x' must be one of report, opinion, not 'zzz'"),
        (
            checked(TEXT, lambda s: s.startswith("http"), "an address", "http"),
            "ftp://x",
            "'x' must be an address, not 'ftp://x'",
        ),
    ],
)
def test_bad_values_are_worded_the_same_way_everywhere(convert, given, message):
    value, problems = read(FieldSpec("x", convert, default="fallback"), {"x": given})
    assert value == "fallback"
    assert len(problems) == 1 and problems[0].startswith(message), problems


def test_long_text_is_cut_in_messages():
    _, (problem,) = read(FieldSpec("x", FLAG), {"x": "y" * 200})
    assert len(problem) < 120 and problem.endswith("...'")


def test_required_fields_absent_or_empty():
    spec = FieldSpec("title", TEXT, required=True, default="")
    assert read(spec, {}) == ("", ["missing required field 'title'"])
    assert read(spec, {"title": " "}) == ("", ["'title' must not be empty"])
    assert read(spec, {"title": None})[1] == ["missing required field 'title'"]


def test_defaults_fill_absent_fields():
    fields = FieldTable([FieldSpec("a", whole(), default=7), FieldSpec("b", NAMES, default=())])
    assert fields.read({}) == ({"a": 7, "b": ()}, [])


def test_unknown_keys_suggest_the_closest_or_list_a_small_table():
    fields = FieldTable([FieldSpec(name, TEXT) for name in ("name", "bio", "avatar", "links")])
    _, problems = fields.read({"boi": "x", "zzz": "y", 3: "z"})
    assert problems == [
        (("boi",), "unknown key 'boi' (did you mean 'bio'?)"),
        (("zzz",), "unknown key 'zzz' (known: avatar, bio, links, name)"),
        ((3,), "unknown key '3' (known: avatar, bio, links, name)"),
    ]
    big = FieldTable([FieldSpec(f"key{n}", TEXT) for n in range(20)])
    assert big.read({"zzz": 1})[1] == [(("zzz",), "unknown key 'zzz'")]


def test_an_open_table_keeps_quiet_about_unknown_keys():
    assert FieldTable([FieldSpec("a", TEXT)], open=True).read({"b": 1}) == ({"a": None}, [])


def test_nested_tables_name_their_keys_with_the_parent():
    feeds = FieldTable([FieldSpec("entries", whole(1), default=20), FieldSpec("per_tag", FLAG)])
    spec = FieldSpec("feeds", table(feeds, "a mapping with entries, per_tag"))
    value, problems = read(spec, {"feeds": {"entries": 0, "per_tgs": True}})
    assert problems == [
        "'feeds.entries' must be a whole number of at least 1, not 0",
        "unknown key 'feeds.per_tgs' (did you mean 'feeds.per_tag'?)",
    ]
    assert read(spec, {"feeds": {"entries": 5}}) == ({"entries": 5, "per_tag": None}, [])
    assert read(spec, {"feeds": 5})[1] == ["'feeds' must be a mapping with entries, per_tag, not 5"]


def test_the_layout_changes_with_any_row():
    fields = FieldTable([FieldSpec("a", TEXT)])
    before = fields.layout()
    assert FieldTable([FieldSpec("a", TEXT)]).layout() == before
    for changed in (
        FieldSpec("a", NAMES),
        FieldSpec("a", TEXT, required=True),
        FieldSpec("a", TEXT, default=""),
        FieldSpec("a", TEXT, teaser=True),
        FieldSpec("b", TEXT),
    ):
        assert FieldTable([changed]).layout() != before
    assert (
        FieldTable([FieldSpec("a", whole(1))]).layout()
        != FieldTable([FieldSpec("a", whole(2))]).layout()
    )


def test_article_images_and_corrections():
    raw = {
        "image": {"src": "/a.jpg", "width": "wide", "focus": [2, 0], "capton": 3},
        "corrections": [{"date": "2026-01-02", "text": "Fixed."}, {"text": "No date"}, "x"],
    }
    values, problems = ARTICLE_FIELDS.read(raw, only=("image", "corrections"))
    assert [message for _, message in problems] == [
        "'image.width' must be a whole number, not 'wide'",
        "'image.focus' must be [x, y], each from 0 to 1 (0.5 is the middle), not a list",
        "unknown key 'image.capton' (did you mean 'image.caption'?)",
        "missing required field 'corrections[2].date'",
        "'corrections[3]' must be a mapping with date and text, not 'x'",
    ]
    assert [c.text for c in values["corrections"]] == ["Fixed."]
    good, none = ARTICLE_FIELDS.read(
        {"image": {"src": "/a.jpg", "focus": [0.2, 1]}}, only=["image"]
    )
    assert none == [] and good["image"].focus == (0.2, 1.0)


def test_a_plain_function_is_a_converter():
    def stars(value):
        if not 1 <= int(value) <= 5:
            raise ValueError("give 1 to 5 stars")
        return "*" * int(value)

    assert read(FieldSpec("x", plain(stars)), {"x": 3}) == ("***", [])
    assert read(FieldSpec("x", plain(stars)), {"x": 9})[1] == ["'x': give 1 to 5 stars"]
    assert read(FieldSpec("x", plain(stars)), {"x": [1]})[1][0].startswith("'x': int()")
    worded = FieldSpec("x", plain(stars, "1 to 5 stars"))
    assert read(worded, {"x": "many"})[1] == ["'x' must be 1 to 5 stars, not 'many'"]


def test_problems_point_at_the_line_of_the_key_or_item_below():
    text = (
        "title: A\n"
        "image:\n"
        "  src: /a.jpg\n"
        "  width: wide\n"
        "corrections:\n"
        "  - date: 2026-01-02\n"
        "    text: Fixed.\n"
        "  - text: No date\n"
        "    whn: today\n"
    )
    _, problems = ARTICLE_FIELDS.read(load_yaml(text, "a.md"), only=("image", "corrections"))
    lines = {
        message.split(" ")[0]: path_line(text, path, first_line=2) for path, message in problems
    }
    assert lines == {"'image.width'": 5, "missing": 9, "unknown": 10}
    assert path_line(text, ("title",)) == 1
    assert path_line(text, ("image", "alt")) == 2  # absent: the deepest part there
    assert path_line(text, ("corrections", 7, "date")) == 5
    assert path_line("a: [", ("a", "b")) is None  # not YAML: no line

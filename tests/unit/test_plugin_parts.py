"""The plain parts plugins rest on: Markdown settings, plugin names in newsgen.yaml,
front matter fields a plugin adds, and one error for one failing line of a plugin."""

from __future__ import annotations

import pickle
from pathlib import Path

import markdown
from markdown.extensions.abbr import AbbrExtension

from newsgen.errors import BuildFailed, ContentError, PluginError
from newsgen.sources.additions import FieldRule, convert_fields, parse_plugin_names
from newsgen.sources.markup import EXTENSION_CONFIGS, EXTENSIONS, MarkdownRenderer
from newsgen.sources.markup_settings import MarkdownSettings, parse_markdown_settings


def test_an_own_extension_named_again_is_loaded_once_with_its_settings_merged() -> None:
    settings = MarkdownSettings(
        ("markdown.extensions.toc", "abbr", "footnotes"),
        {"markdown.extensions.toc": {"permalink": True}},
    )
    extensions, configs = settings.arguments(EXTENSIONS, EXTENSION_CONFIGS)
    assert extensions == [*EXTENSIONS, "abbr"]
    assert configs["toc"] == {"permalink": True}
    assert "markdown.extensions.toc" not in configs
    html = MarkdownRenderer(settings).render("## Heading\n\nThe EU.\n\n*[EU]: European Union")
    assert 'class="headerlink"' in html and '<abbr title="European Union">EU</abbr>' in html
    markdown.Markdown(extensions=extensions, extension_configs=configs)  # loads as given


def test_the_state_key_follows_names_and_settings_not_object_identity() -> None:
    one = MarkdownSettings((AbbrExtension(),), {})
    assert one.key == MarkdownSettings((AbbrExtension(),), {}).key
    assert one.key != MarkdownSettings(("abbr",), {}).key
    toc = MarkdownSettings((), {"toc": {"permalink": True}})
    assert toc.key != MarkdownSettings((), {"toc": {"permalink": False}}).key
    assert toc.plus(("abbr",), {"toc": {"title": "In brief"}}).configs == {
        "toc": {"permalink": True, "title": "In brief"}
    }


def test_plugin_names_are_checked_at_their_lines(tmp_path: Path) -> None:
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins/house.py").write_text("def register(registry):\n    pass\n")
    text = "title: T\nplugins:\n  - house\n  - 3\n  - house\n  - hose\n"
    problems: list[tuple[str, int | None]] = []
    names = parse_plugin_names(
        ["house", 3, "house", "hose"], text, tmp_path, lambda m, line: problems.append((m, line))
    )
    assert [(n.name, n.line) for n in names] == [("house", 3)]
    assert [line for _, line in problems] == [4, 5, 6]
    assert problems[1][0] == "plugin 'house' is named twice (first on line 3)"
    assert problems[2][0].startswith("unknown plugin 'hose' (did you mean 'house'?)")
    parse_plugin_names(
        "house", "plugins: house\n", tmp_path, lambda m, line: problems.append((m, line))
    )
    assert problems[-1] == ("plugins must be a list of plugin names", None)


def test_plugin_fields_are_converted_and_their_problems_reported() -> None:
    def desk(value: object) -> str:
        if value not in ("metro", "sport"):
            raise ValueError(f"unknown desk {value!r}")
        return str(value).title()

    rules = (
        FieldRule("desk", desk, plugin="house"),
        FieldRule("priority", lambda v: {"high": 1}[v], plugin="house"),
        FieldRule("byline_photo", str, required=True, plugin="house"),
    )
    problems: list[tuple[str, str]] = []
    fail = lambda key, message: problems.append((key, message))  # noqa: E731
    assert convert_fields({"desk": "metro", "byline_photo": 1}, rules, fail) == {
        "desk": "Metro",
        "byline_photo": "1",
    }
    assert problems == []
    convert_fields({"desk": "arts", "priority": "low"}, rules, fail)
    assert problems == [
        ("desk", "'desk': unknown desk 'arts'"),
        ("priority", "plugin 'house' failed reading 'priority': KeyError: 'low'"),
        ("byline_photo", "missing required field 'byline_photo'"),
    ]


def test_one_failing_line_of_a_plugin_is_one_error_naming_the_first_subject() -> None:
    failure = "plugin 'house' failed in on_page: KeyError: 'x'"
    errors = [
        PluginError("plugins/house.py", failure, 4, ("b/index.html",)),
        ContentError("content/a.md", "missing required field 'title'", 2),
        PluginError("plugins/house.py", failure, 4, ("a/index.html",)),
        PluginError("plugins/house.py", failure, 9, ("a/index.html",)),
    ]
    errors = [pickle.loads(pickle.dumps(e)) for e in errors]  # as workers send them back
    assert str(BuildFailed(errors)).splitlines() == [
        "content/a.md:2: missing required field 'title'",
        f"plugins/house.py:4: {failure} (for a/index.html and 1 more)",
        f"plugins/house.py:9: {failure} (for a/index.html)",
        "build failed: 3 errors",
    ]


def test_markdown_settings_of_the_wrong_shape_are_errors_and_none_is_the_default() -> None:
    problems: list[str] = []
    fail = lambda message, line: problems.append(message)  # noqa: E731
    assert parse_markdown_settings(None, "markdown:\n", EXTENSIONS, fail) == MarkdownSettings()
    assert parse_markdown_settings({"extensions": None}, "", EXTENSIONS, fail) == MarkdownSettings()
    assert problems == []
    parse_markdown_settings("abbr", "", EXTENSIONS, fail)
    parse_markdown_settings(
        {"extensions": "abbr", "extension_configs": {"toc": 3}}, "", EXTENSIONS, fail
    )
    parse_markdown_settings({"extenions": ["abbr"]}, "", EXTENSIONS, fail)
    assert problems == [
        "markdown must be a mapping with extensions and extension_configs",
        "markdown.extensions must be a list of extension names",
        "markdown.extension_configs.toc must be a mapping of settings",
        "unknown markdown field 'extenions' (known: extensions, extension_configs)",
    ]

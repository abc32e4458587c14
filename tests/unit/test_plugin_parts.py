"""The plain parts plugins rest on: Markdown settings, plugin names in newsgen.yaml,
front matter fields a plugin adds, and one error for one failing line of a plugin."""

from __future__ import annotations

import pickle
from pathlib import Path

import lxml.html
import markdown
import pytest
from markdown.extensions.abbr import AbbrExtension

from newsgen.errors import BuildFailed, ContentError, PluginError
from newsgen.plugins import Registry
from newsgen.sources.additions import PluginName
from newsgen.sources.config import load_config
from newsgen.sources.fields import Invalid, ReadContext
from newsgen.sources.markup import EXTENSIONS, MarkdownRenderer
from newsgen.sources.markup_settings import MarkdownSettings


def test_an_own_extension_named_again_is_loaded_once_with_its_settings_merged() -> None:
    settings = MarkdownSettings(
        ("markdown.extensions.toc", "abbr", "footnotes"),
        {"markdown.extensions.toc": {"permalink": True}},
    )
    extensions, configs = settings.arguments()
    assert extensions == [*EXTENSIONS, "abbr"]
    assert configs["toc"] == {"permalink": True}
    assert "markdown.extensions.toc" not in configs
    html = MarkdownRenderer(extensions, configs).render(
        "## Heading\n\nThe EU.\n\n*[EU]: European Union"
    )
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    assert fragment.xpath(".//h2/a/@class") == ["headerlink"]
    assert fragment.xpath(".//abbr/@title") == ["European Union"]
    assert fragment.xpath("string(.//abbr)") == "EU"
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
    (tmp_path / "newsgen.yaml").write_text(
        "title: T\nplugins:\n  - house\n  - 3\n  - house\n  - hose\n"
    )
    with pytest.raises(BuildFailed) as failed:
        load_config(tmp_path)
    assert [str(e) for e in failed.value.errors] == [
        "newsgen.yaml:4: a plugin is named by text, not 3",
        "newsgen.yaml:5: plugin 'house' is named twice",
        "newsgen.yaml:6: unknown plugin 'hose' (did you mean 'house'?): no plugins/hose.py and "
        "no installed package declares it (entry point group newsgen.plugins)",
    ]
    (tmp_path / "newsgen.yaml").write_text("title: T\nplugins:\n\n  - house\n")
    assert load_config(tmp_path).plugins == (PluginName("house", 4),)
    (tmp_path / "newsgen.yaml").write_text("title: T\nplugins:\n")
    assert load_config(tmp_path).plugins == ()


def test_a_plugin_field_is_a_row_of_the_front_matter_table() -> None:
    registry = Registry("house")
    registry.field("desk", lambda v: {"metro": "Metro"}[v], required=True)
    (spec,) = registry.fields
    assert (spec.name, spec.required, spec.teaser) == ("desk", True, True)
    assert spec.convert.read("metro", ReadContext(name="desk")) == "Metro"
    with pytest.raises(Invalid) as refused:
        spec.convert.read("arts", ReadContext(name="desk"))
    assert refused.value.message == "'desk': plugin 'house' failed: KeyError: 'arts'"
    with pytest.raises(ValueError, match="'title' is newsgen's own"):
        registry.field("title")


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


def test_markdown_settings_of_the_wrong_shape_are_errors_at_their_lines(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text(
        "title: T\nmarkdown:\n  extensions: abbr\n  extenions: [abbr]\n"
        "  extension_configs:\n    toc: 3\n"
    )
    with pytest.raises(BuildFailed) as failed:
        load_config(tmp_path)
    assert [str(e) for e in failed.value.errors] == [
        "newsgen.yaml:3: 'markdown.extensions' must be a list of extension names, not 'abbr'",
        "newsgen.yaml:4: unknown key 'markdown.extenions' (did you mean 'markdown.extensions'?)",
        "newsgen.yaml:6: 'markdown.extension_configs.toc' must be a mapping of settings, not 3",
    ]
    (tmp_path / "newsgen.yaml").write_text("title: T\nmarkdown:\n")
    assert load_config(tmp_path).markdown == MarkdownSettings()

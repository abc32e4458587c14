"""Markdown to HTML with the extensions a newsroom needs, plus datelines and excerpts."""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import escape

from .typography import smarten

# Smart quotes come from typography.smarten, a faster pass than the "smarty" extension.
EXTENSIONS = ["tables", "footnotes", "toc", "sane_lists", "fenced_code", "attr_list"]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "toc": {"permalink": False},
    "footnotes": {"BACKLINK_TITLE": "Back to reference %d"},
}
WORDS_PER_MINUTE = 230

_TAG = re.compile(r"<[^>]+>")
_FOOTNOTES = re.compile(r'<div class="footnote">.*?</div>|<sup id="fnref[^"]*">.*?</sup>', re.S)
# Tags that end a run of words; any other tag sits inside a word's run ("<a>walkout</a>.")
_BREAKING_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|br|hr|blockquote|pre|table|thead|tbody|tr|td|th"
    r"|figure|figcaption|section|aside|img|picture|source|iframe|video|audio)\b[^>]*>",
    re.I,
)


class MarkdownRenderer:
    """One configured converter, reset between documents (building one costs ~1 ms)."""

    def __init__(
        self,
        extensions: Sequence[Any] = tuple(EXTENSIONS),
        configs: Mapping[str, Mapping[str, Any]] = EXTENSION_CONFIGS,
    ) -> None:
        """``extensions`` and ``configs``: newsgen's own, or with what the site adds
        (``MarkdownSettings.arguments`` in markup_settings.py)."""
        import markdown  # here: a build that parses nothing in this process does without it

        extensions, configs = _made_here(extensions, configs)
        self._md = markdown.Markdown(
            extensions=extensions, extension_configs=configs, output_format="html"
        )

    def render(self, text: str) -> str:
        self._md.reset()
        return smarten(self._md.convert(text))


def _made_here(
    extensions: Sequence[Any], configs: Mapping[str, Mapping[str, Any]]
) -> tuple[list[Any], dict[str, Mapping[str, Any]]]:
    """newsgen's own extensions made here rather than named: Python-Markdown looks a
    name up among every installed package's entry points first, which costs about 15 ms
    in each process that parses."""
    rest = dict(configs)
    made = []
    for extension in extensions:
        if isinstance(extension, str) and extension in EXTENSIONS:
            module = importlib.import_module(f"markdown.extensions.{extension}")
            extension = module.makeExtension(**rest.pop(extension, {}))
        made.append(extension)
    return made, rest


def add_dateline(body_html: str, dateline: str) -> str:
    """Set "ROME —" at the start of the first paragraph (or before the body if it has none)."""
    if not dateline:
        return body_html
    marker = f'<span class="dateline">{escape(dateline)} —</span> '
    index = body_html.find("<p>")
    if index < 0:
        return f"<p>{marker}</p>\n{body_html}"
    cut = index + len("<p>")
    return body_html[:cut] + marker + body_html[cut:]


def plain_text(body_html: str) -> str:
    """The reader-visible words of an HTML fragment, footnotes left out."""
    if "footnote" in body_html or "fnref" in body_html:  # else there is none to leave out
        body_html = _FOOTNOTES.sub("", body_html)
    text = _TAG.sub("", _BREAKING_TAG.sub(" ", body_html))
    return single_spaced(html.unescape(text))


def single_spaced(text: str) -> str:
    """``text`` with each run of whitespace one space, and none at either end. Splitting
    on whitespace and joining does that ten times faster than a regular expression,
    which makes a piece of every space it replaces; both know whitespace by
    ``str.isspace``."""
    return " ".join(text.split())


def excerpt(text: str, length: int) -> str:
    """Cut ``text`` at a word boundary no longer than ``length``, ending with "…"."""
    text = single_spaced(text)
    if len(text) <= length:
        return text
    cut = text.rfind(" ", 0, length)
    if cut <= 0:
        cut = length
    return text[:cut].rstrip(" ,;:.-—–") + "…"


def reading_minutes(word_count: int) -> int:
    return max(1, round(word_count / WORDS_PER_MINUTE))

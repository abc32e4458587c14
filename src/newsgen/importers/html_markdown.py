"""A post body as the Markdown of its source file: Markdown when the conversion loses
nothing, raw HTML otherwise.

``markdownify`` writes the Markdown; it counts as lossless when newsgen's own Markdown
renderer turns it back into the same HTML (same elements, attributes and text, up to
whitespace). Bodies with classes, sizes, embeds or anything else Markdown cannot say
stay HTML, inside one ``<div>``, which Markdown passes through untouched.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
from markdownify import markdownify

from ..sources.markup import EXTENSION_CONFIGS, EXTENSIONS

_MORE = re.compile(r"<!--\s*more\b.*?-->", re.I | re.S)
_SPACE = re.compile(r"\s+")
_BLOCK = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul br".split()
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Liquid and Hugo markers must reach the page as text, not as shortcodes: their "{" is
# written as an entity in raw HTML (Markdown code could not hold one, so such bodies stay HTML).
_TEMPLATE_MARKER = re.compile(r"\{(?=[{%])")


_STRAY_LT = re.compile(r"<(?![A-Za-z/!?])")
_SCRIPTS = re.compile(r"(<(script|style)\b.*?</\2>)", re.S | re.I)


def _escaped(html: str) -> str:
    """Raw HTML as it can stand in a source file: template markers written as entities,
    and a "<" that starts no tag (WordPress lets "x < y" through) as ``&lt;``, which
    reads the same and is valid; scripts and styles are left as they are."""
    parts = _SCRIPTS.split(html)
    for index in range(0, len(parts), 3):  # the text between scripts and styles
        parts[index] = _STRAY_LT.sub("&lt;", _TEMPLATE_MARKER.sub("&#123;", parts[index]))
    return "".join(part for index, part in enumerate(parts) if index % 3 != 2)


class _Tokens(HTMLParser):
    """Elements, attributes and text of an HTML fragment, whitespace normalised."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HEADINGS:  # newsgen gives headings their ids; not a loss
            attrs = [(k, v) for k, v in attrs if k != "id"]
        self.tokens.append(("<", tag, *sorted(f"{k}={v or ''}" for k, v in attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append((">", tag))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1][0] == "t":
            data = self.tokens.pop()[1] + data
        self.tokens.append(("t", data))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(("!", data.strip()))


def canonical(html: str) -> list[tuple[str, ...]]:
    """What a reader gets from ``html``; two fragments with equal forms show the same."""
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    tokens = parser.tokens
    result: list[tuple[str, ...]] = []
    for index, token in enumerate(tokens):
        if token[0] != "t":
            result.append(token)
            continue
        text = _SPACE.sub(" ", token[1])
        if index == 0 or tokens[index - 1][0] in "<>" and tokens[index - 1][1] in _BLOCK:
            text = text.lstrip()
        if (
            index + 1 == len(tokens)
            or tokens[index + 1][0] in "<>"
            and tokens[index + 1][1] in _BLOCK
        ):
            text = text.rstrip()
        if text:
            result.append(("t", text))
    return result


class BodyWriter:
    """Writes post HTML as Markdown where that is lossless; one converter per import."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(
            extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
        )

    def write(self, html: str) -> tuple[str, bool]:
        """The body text for the source file, and whether it is Markdown (else HTML)."""
        html = html.strip()
        if not html:
            return "", True
        parts = _MORE.split(html, maxsplit=1)
        converted = [self._markdown(part) for part in parts]
        if all(text is not None for text in converted):
            return "\n\n<!--more-->\n\n".join(t for t in converted if t is not None) + "\n", True
        return f'<div class="wp-content">\n{_escaped(html)}\n</div>\n', False

    def _markdown(self, html: str) -> str | None:
        if "{{" in html or "{%" in html:
            return None
        text = markdownify(html, heading_style="ATX", bullets="-", escape_misc=False).strip()
        self._md.reset()
        if canonical(self._md.convert(text)) != canonical(html):
            return None
        return text

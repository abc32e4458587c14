"""WordPress's paragraph rules ("wpautop"), applied to post HTML on import.

WordPress stores post bodies with blank lines for paragraphs and single line breaks
for ``<br>``, and adds the ``<p>`` and ``<br />`` tags only when it shows a post. An
import has to do the same, or every story would run together as one block of text.
The rules followed here: text between block-level elements is cut into paragraphs at
blank lines; single newlines in a paragraph are line breaks; block elements are never
wrapped in ``<p>``; ``<pre>``, ``<script>``, ``<style>``, ``<textarea>`` and ``<svg>``
are left exactly as written; an HTML comment on its own (``<!--more-->``) stays
outside paragraphs.
"""

from __future__ import annotations

import re

from .wp_shortcodes import embed_html

BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|"
    "form|map|area|blockquote|address|math|style|script|p|h[1-6]|hr|fieldset|legend|"
    "section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|"
    "summary|iframe|video|audio|object|embed|noscript|canvas|option|select"
)
_VERBATIM = re.compile(r"(<(pre|script|style|textarea|svg)\b[^>]*>)(.*?)(</\2>)", re.S | re.I)
_OPEN = re.compile(rf"(<(?:{BLOCKS})(?=[\s/>])[^>]*>)", re.I)
_CLOSE = re.compile(rf"(</(?:{BLOCKS})>)", re.I)
_ANY_BLOCK_TAG = rf"</?(?:{BLOCKS})(?=[\s/>])[^>]*>"
_TAG = re.compile(r"<[^>]*>", re.S)
_COMMENT_ONLY = re.compile(r"^\s*<!--.*?-->\s*$", re.S)
_STARTS_BLOCK = re.compile(_ANY_BLOCK_TAG, re.I)
_CONTAINERS = "blockquote|div|section|article|aside|header|footer|nav"
# a container whose first content is text: the text is a paragraph inside it
_QUOTE = re.compile(rf"<(?:{_CONTAINERS})\b[^>]*>(?!\s*<)", re.I)
_MORE = re.compile(r"(<!--\s*more\b.*?-->)", re.I)


_EDITOR_BLOCK = re.compile(r"<!--\s*/?wp:[^>]*?-->\n?")
_EMBED_WRAPPER = re.compile(
    r'<figure class="wp-block-embed[^"]*">\s*<div class="wp-block-embed__wrapper">\s*'
    r"(https?://\S+?)\s*</div>(?:\s*<figcaption[^>]*>.*?</figcaption>)?\s*</figure>",
    re.S,
)
# A video link alone on its line: WordPress shows the player ("auto-embed").
_VIDEO_LINE = re.compile(
    r"^[ \t]*(https?://(?:www\.)?(?:youtube\.com/watch\?v=|youtu\.be/|vimeo\.com/\d)\S*)[ \t]*$",
    re.M,
)


def paragraphs(body: str) -> str:
    """A post body as WordPress shows it: block-editor posts (``<!-- wp:… -->``) are
    HTML already and only lose the block comments; classic posts get ``wpautop``.
    Embed blocks and video links alone on a line become players, as WordPress's
    oEmbed makes them."""
    if _EDITOR_BLOCK.search(body):
        body = _EDITOR_BLOCK.sub("", body)
        return _EMBED_WRAPPER.sub(lambda m: embed_html(m.group(1)), body).strip() + "\n"
    return wpautop(_VIDEO_LINE.sub(lambda m: embed_html(m.group(1)), body))


def wpautop(text: str, line_breaks: bool = True) -> str:
    """``text`` with paragraphs and line breaks made explicit."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(3))
        return f"{match.group(1)}\x00{len(kept) - 1}\x00{match.group(4)}"

    text = _VERBATIM.sub(keep, text)
    text = _TAG.sub(lambda m: m.group(0).replace("\n", " "), text)  # tags on one line
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = _OPEN.sub(r"\n\n\1", text)
    text = _CLOSE.sub(r"\1\n\n", text)
    text = _MORE.sub(r"\n\n\1\n\n", text)
    chunks = [chunk.strip("\n") for chunk in re.split(r"\n[ \t]*\n", text)]
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        chunk = chunk.strip()
        if _COMMENT_ONLY.match(chunk) or (_STARTS_BLOCK.match(chunk) and not _QUOTE.match(chunk)):
            out.append(chunk)  # a block of its own: not a paragraph
        else:
            out.append(f"<p>{chunk}</p>")
    text = "\n".join(out)
    text = _tidy(text, line_breaks)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)


def _tidy(text: str, line_breaks: bool) -> str:
    """Take the ``<p>`` back off block tags, and make the remaining newlines breaks."""
    block = _ANY_BLOCK_TAG
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(rf"<p>\s*({block})\s*</p>", r"\1", text, flags=re.I)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text, flags=re.I)
    text = re.sub(rf"<p>(<(?:{_CONTAINERS})\b[^>]*>)", r"\1<p>", text, flags=re.I)
    text = re.sub(r"</blockquote></p>", "</p></blockquote>", text, flags=re.I)
    text = re.sub(rf"<p>\s*({block})", r"\1", text, flags=re.I)
    text = re.sub(rf"({block})\s*</p>", r"\1", text, flags=re.I)
    if line_breaks:
        text = re.sub(r"(?<!<br />)(?<!<br>)\s*\n(?!<)", "<br />\n", text)
        text = re.sub(rf"({block})\s*<br />", r"\1", text, flags=re.I)
        text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[\s>])", r"\1", text)
    text = re.sub(r"<p>\s*</p>\n?", "", text)
    return text.strip() + "\n"

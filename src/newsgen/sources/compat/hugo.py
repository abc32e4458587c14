"""Hugo's built-in shortcodes newsroom content uses, turned into HTML.

``figure``, ``youtube``, ``vimeo``, ``ref``, ``relref`` and ``param`` are rendered; the
caller warns about the others. Every value is escaped into the HTML made here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from typing import Any

from .refs import reference_token

# name="value", name=`raw`, name=value, or the same without a name (positional)
_ARGUMENT = re.compile(
    r'(?:(?P<key>[A-Za-z_][\w-]*)\s*=\s*)?(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|`(?P<raw>[^`]*)`|(?P<bare>[^\s"`=]+))'
)
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class ShortcodeProblem(ValueError):
    """A known shortcode written wrongly; the message says how."""


def parse_arguments(text: str) -> tuple[list[str], dict[str, str]]:
    """Positional and named arguments of a shortcode, as Hugo reads them."""
    positional: list[str] = []
    named: dict[str, str] = {}
    for match in _ARGUMENT.finditer(text):
        if match.group("quoted") is not None:
            value = re.sub(r"\\(.)", r"\1", match.group("quoted"))
        else:
            value = match.group("raw") if match.group("raw") is not None else match.group("bare")
        if match.group("key"):
            named[match.group("key")] = value
        else:
            positional.append(value)
    return positional, named


def _attributes(pairs: list[tuple[str, str | None]]) -> str:
    return "".join(f' {name}="{escape(value)}"' for name, value in pairs if value)


def figure(args: list[str], named: dict[str, str], **_: Any) -> str:
    src = named.get("src") or (args[0] if args else "")
    if not src:
        raise ShortcodeProblem('figure needs src="…"')
    image = (
        "<img"
        + _attributes(
            [
                ("src", src),
                ("alt", named.get("alt") or named.get("caption") or named.get("title", "")),
                ("width", named.get("width")),
                ("height", named.get("height")),
                ("loading", named.get("loading")),
            ]
        )
        + ">"
    )
    if named.get("link"):
        link = [("href", named["link"]), ("target", named.get("target")), ("rel", named.get("rel"))]
        image = f"<a{_attributes(link)}>{image}</a>"
    caption = ""
    title, text = named.get("title", ""), named.get("caption", "")
    credit = named.get("attr", "")
    if title or text or credit:
        parts = [f"<h4>{escape(title)}</h4>"] if title else []
        if text or credit:
            line = escape(text)
            if credit:
                cite = escape(credit)
                if named.get("attrlink"):
                    cite = f'<a href="{escape(named["attrlink"])}">{cite}</a>'
                line += f" <cite>{cite}</cite>" if line else f"<cite>{cite}</cite>"
            parts.append(f"<p>{line}</p>")
        caption = f"<figcaption>{''.join(parts)}</figcaption>"
    attrs = _attributes([("class", named.get("class"))])
    return f"<figure{attrs}>{image}{caption}</figure>"


def _embed(player: str, args: list[str], named: dict[str, str], name: str) -> str:
    video = named.get("id") or (args[0] if args else "")
    if not _VIDEO_ID.match(video):
        raise ShortcodeProblem(f"{name} needs a video id, not {video!r}")
    title = named.get("title") or f"{name.title()} video"
    frame = _attributes([("src", player + video), ("title", title)])
    return (
        f'<div class="video-embed"><iframe{frame} loading="lazy" allowfullscreen '
        'allow="encrypted-media; picture-in-picture"></iframe></div>'
    )


def youtube(args: list[str], named: dict[str, str], **_: Any) -> str:
    return _embed("https://www.youtube-nocookie.com/embed/", args, named, "youtube")


def vimeo(args: list[str], named: dict[str, str], **_: Any) -> str:
    return _embed("https://player.vimeo.com/video/", args, named, "vimeo")


def param(args: list[str], named: dict[str, str], meta: dict[str, Any], **_: Any) -> str:
    key = named.get("name") or (args[0] if args else "")
    value = meta.get(key)
    if value is None or isinstance(value, (dict, list)):
        raise ShortcodeProblem(f"param {key!r}: no such front matter value")
    return str(value)


def _reference(kind: str) -> Callable[..., str]:
    def render(args: list[str], named: dict[str, str], line: int, **_: Any) -> str:
        target = named.get("path") or (args[0] if args else "")
        if not target:
            raise ShortcodeProblem(f"{kind} needs the path of a page")
        return reference_token(kind, line, target)

    return render


HANDLERS: dict[str, Callable[..., str]] = {
    "figure": figure,
    "youtube": youtube,
    "vimeo": vimeo,
    "param": param,
    "ref": _reference("ref"),
    "relref": _reference("relref"),
}
BLOCK_SHORTCODES = frozenset({"figure", "youtube", "vimeo"})

"""WordPress shortcodes in post bodies: ``[caption]``, ``[gallery]``, ``[embed]``,
``[video]`` and ``[audio]`` become the HTML WordPress would show; any other shortcode
is kept as written and counted, so the import report can name it.

``[[name]]`` is WordPress's way of writing a shortcode literally: it becomes ``[name]``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qs, urlsplit

KNOWN = ("caption", "wp_caption", "gallery", "embed", "video", "audio")
# [name attributes] … [/name], or [name attributes], or [[name …]] (escaped)
_SHORTCODE = re.compile(
    r"\[(?P<escape>\[?)(?P<name>[A-Za-z][\w-]*)(?P<attrs>(?:\s[^\]]*)?)\]"
    r"(?:(?P<content>.*?)\[/(?P=name)\])?(?P<escape_end>\]?)",
    re.S,
)
_ATTRIBUTE = re.compile(
    r"""(?:(?P<key>[\w-]+)\s*=\s*)?(?:["\u201c\u201d\u2033](?P<dq>[^"\u201c\u201d\u2033]*)["\u201c\u201d\u2033]|'(?P<sq>[^']*)'|(?P<bare>[^\s"'\]]+))"""
)
_LEAD_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


@dataclass(frozen=True)
class MediaItem:
    """An attachment as a gallery shows it."""

    url: str
    alt: str = ""
    caption: str = ""


@dataclass
class ShortcodeReport:
    unknown: Counter[str] = field(default_factory=Counter)
    missing: list[str] = field(default_factory=list)  # gallery ids with no attachment


# (attributes, content, attachments by id, this post's attachments, report) -> HTML
Handler = Callable[
    [dict[str, str], str, Mapping[int, MediaItem], tuple[int, ...], ShortcodeReport], str
]


def parse_attributes(text: str) -> dict[str, str]:
    """Named attributes by name, positional ones by their position ("0", "1"…)."""
    found: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(text):
        value = next(
            v for v in (match.group("dq"), match.group("sq"), match.group("bare")) if v is not None
        )
        if match.group("key"):
            found[match.group("key").lower()] = value
        else:
            found[str(position)] = value
            position += 1
    return found


def render_shortcodes(
    html: str,
    media: Mapping[int, MediaItem],
    children: tuple[int, ...],
    report: ShortcodeReport,
) -> str:
    """``html`` with known shortcodes rendered; ``media`` are the export's attachments by
    id and ``children`` the ids attached to this post (a ``[gallery]`` without ids)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if match.group("escape") and match.group("escape_end"):
            return match.group(0)[1:-1]
        lower = name.lower()
        if lower not in KNOWN:
            if _looks_like_shortcode(match):
                report.unknown[name] += 1
                inner = match.group("content")
                if inner is not None:  # what it encloses may hold known shortcodes
                    start = match.start("content") - match.start()
                    text = match.group(0)
                    return (
                        text[:start] + _SHORTCODE.sub(replace, inner) + text[start + len(inner) :]
                    )
            return match.group(0)
        attrs = parse_attributes(match.group("attrs"))
        content = match.group("content") or ""
        handler = _HANDLERS[lower]
        return handler(attrs, _SHORTCODE.sub(replace, content), media, children, report)

    return _SHORTCODE.sub(replace, html)


def _looks_like_shortcode(match: re.Match[str]) -> bool:
    """Bracketed text is a shortcode when it encloses content or has ``key=value``
    attributes; "[sic]" or "[Editor's note]" are words, not shortcodes."""
    attrs = match.group("attrs")
    return match.group("content") is not None or "=" in attrs or attrs.rstrip().endswith("/")


def _caption(
    attrs: dict[str, str],
    content: str,
    media: Mapping[int, MediaItem],
    children: tuple[int, ...],
    report: ShortcodeReport,
) -> str:
    found = _LEAD_IMAGE.match(content)
    image, text = (found.group(1), found.group(2)) if found else (content, "")
    text = (text.strip() or attrs.get("caption", "")).strip()
    classes = " ".join(c for c in ("wp-caption", attrs.get("align", "")) if c and c != "none")
    ident = f' id="{escape(attrs["id"])}"' if attrs.get("id") else ""
    caption = f'<figcaption class="wp-caption-text">{text}</figcaption>' if text else ""
    return f'<figure{ident} class="{escape(classes)}">{image.strip()}{caption}</figure>'


def _gallery(
    attrs: dict[str, str],
    content: str,
    media: Mapping[int, MediaItem],
    children: tuple[int, ...],
    report: ShortcodeReport,
) -> str:
    listed = attrs.get("ids") or attrs.get("include") or ""
    ids = [int(i) for i in re.findall(r"\d+", listed)] if listed else list(children)
    excluded = {int(i) for i in re.findall(r"\d+", attrs.get("exclude", ""))}
    columns = attrs.get("columns", "3")
    columns = columns if columns.isdigit() else "3"
    link_to_file = attrs.get("link") == "file"
    items = []
    for ident in ids:
        if ident in excluded:
            continue
        item = media.get(ident)
        if item is None:
            report.missing.append(f"gallery attachment {ident}")
            continue
        image = f'<img src="{escape(item.url)}" alt="{escape(item.alt)}" loading="lazy">'
        if link_to_file:
            image = f'<a href="{escape(item.url)}">{image}</a>'
        caption = f"<figcaption>{escape(item.caption)}</figcaption>" if item.caption else ""
        items.append(f'<figure class="gallery-item">{image}{caption}</figure>')
    return f'<div class="gallery gallery-columns-{columns}">{"".join(items)}</div>'


def embed_html(url: str) -> str:
    """A YouTube or Vimeo player for ``url``, or a plain link to it."""
    url = url.strip()
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    video = ""
    player = ""
    if host in ("youtube.com", "youtube-nocookie.com"):
        video = parse_qs(parts.query).get("v", [""])[0]
        player = "https://www.youtube-nocookie.com/embed/"
    elif host == "youtu.be":
        video = parts.path.strip("/")
        player = "https://www.youtube-nocookie.com/embed/"
    elif host == "vimeo.com" and parts.path.strip("/").isdigit():
        video = parts.path.strip("/")
        player = "https://player.vimeo.com/video/"
    if video and _VIDEO_ID.match(video):
        return (
            f'<figure class="wp-embed"><iframe src="{player}{video}" title="Embedded video" '
            'loading="lazy" allowfullscreen allow="encrypted-media; picture-in-picture"></iframe></figure>'
        )
    return f'<figure class="wp-embed"><a href="{escape(url)}">{escape(url)}</a></figure>'


def _embed(
    attrs: dict[str, str],
    content: str,
    media: Mapping[int, MediaItem],
    children: tuple[int, ...],
    report: ShortcodeReport,
) -> str:
    return embed_html(content or attrs.get("src", "") or attrs.get("0", ""))


def _media(kind: str, formats: tuple[str, ...]) -> Handler:
    def render(
        attrs: dict[str, str],
        content: str,
        media: Mapping[int, MediaItem],
        children: tuple[int, ...],
        report: ShortcodeReport,
    ) -> str:
        sources = [(attrs["src"], "")] if attrs.get("src") else []
        sources += [(attrs[f], f"{kind}/{f}") for f in formats if attrs.get(f)]
        options = ["controls", 'preload="metadata"']
        for key in ("poster", "width", "height"):
            if attrs.get(key):
                options.append(f'{key}="{escape(attrs[key])}"')
        options += [
            flag for flag in ("loop", "autoplay", "muted") if attrs.get(flag) in ("on", "1", "true")
        ]
        inner = "".join(
            f'<source src="{escape(src)}"' + (f' type="{mime}"' if mime else "") + ">"
            for src, mime in sources
        )
        fallback = "".join(
            f'<a href="{escape(src)}">Download the {kind}</a>' for src, _ in sources[:1]
        )
        return (
            f'<div class="wp-{kind}"><{kind} {" ".join(options)}>{inner}{fallback}</{kind}></div>'
        )

    return render


_HANDLERS: dict[str, Handler] = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "embed": _embed,
    "video": _media("video", ("mp4", "m4v", "webm", "ogv", "flv")),
    "audio": _media("audio", ("mp3", "ogg", "m4a", "wav", "flac")),
}

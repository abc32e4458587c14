"""One pass over a Markdown body for what Hugo and Jekyll write in it before Markdown:
shortcodes, Liquid tags and variables, ``highlight`` and ``raw`` blocks.

Code (fenced blocks and inline spans) is left as written, except Hugo's escaped
``{{</* name */>}}`` which shows as ``{{< name >}}`` there too. What cannot be rendered
stays visible as code, never silently printed as text, and is reported with its line.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from ...errors import ContentError
from . import hugo, liquid

_SCAN = re.compile(
    r"""
    (?P<fence>^(?P<fchars>`{3,}|~{3,})[^\n]*\n.*?(?:^(?P=fchars)[ \t]*$|\Z))
  | (?P<code>(?P<ticks>`+)(?!`)[^\n]*?(?<!`)(?P=ticks)(?!`))
  | \{%-?\s*raw\s*-?%\}(?P<raw>.*?)\{%-?\s*endraw\s*-?%\}
  | \{%-?\s*highlight\s+(?P<lq_lang>[\w+\#.-]+)[^%]*?-?%\}\n?(?P<lq_code>.*?)\{%-?\s*endhighlight\s*-?%\}
  | \{\{<\s*highlight\s+["']?(?P<hg_lang>[\w+\#.-]+)["']?[^>]*?>\}\}\n?(?P<hg_code>.*?)\{\{<\s*/highlight\s*>\}\}
  | (?P<escaped>\{\{[<%]/\*.*?\*/[>%]\}\})
  | (?P<shortcode>\{\{(?P<delim>[<%])\s*(?P<closing>/)?\s*(?P<sc_name>[\w./-]+)(?P<sc_args>.*?)\s*[>%]\}\})
  | (?P<tag>\{%-?\s*(?P<tag_name>\w+)(?P<tag_args>.*?)-?%\})
  | (?P<output>\{\{-?(?P<expression>[^{}<%](?:[^{}]*?))-?\}\})
    """,
    re.S | re.M | re.X,
)
_UNESCAPE = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)


def preprocess(
    body: str, path: str, first_line: int, meta: dict[str, Any]
) -> tuple[str, list[str]]:
    """The body with shortcodes and Liquid handled, and the warnings (``path:line: …``)."""
    if "{{" not in body and "{%" not in body:  # most stories: nothing to do
        return body, []
    scan = _Pass(body, path, first_line, meta)
    return _SCAN.sub(scan.replace, body), scan.warnings


class _Pass:
    def __init__(self, body: str, path: str, first_line: int, meta: dict[str, Any]) -> None:
        self.body, self.path, self.first_line, self.meta = body, path, first_line, meta
        self.warnings: list[str] = []

    def line_of(self, match: re.Match[str]) -> int:
        return self.first_line + self.body.count("\n", 0, match.start())

    def visible(self, match: re.Match[str], why: str) -> str:
        """Keep what cannot be rendered as code, and say so."""
        self.warnings.append(str(ContentError(self.path, why, self.line_of(match))))
        return f'<code class="unrendered">{escape(match.group(0))}</code>'

    def replace(self, match: re.Match[str]) -> str:
        groups = match.groupdict()
        if groups["fence"] is not None or groups["code"] is not None:
            return _UNESCAPE.sub(r"{{\1\2\3}}", match.group(0))
        if groups["raw"] is not None:
            return groups["raw"]
        if groups["lq_code"] is not None:
            return _fenced(groups["lq_lang"], groups["lq_code"])
        if groups["hg_code"] is not None:
            return _fenced(groups["hg_lang"], groups["hg_code"])
        if groups["escaped"] is not None:
            return _UNESCAPE.sub(r"{{\1\2\3}}", match.group(0))
        if groups["shortcode"] is not None:
            return self.shortcode(match)
        if groups["tag"] is not None:
            name = groups["tag_name"]
            text = liquid.tag(name, groups["tag_args"], self.line_of(match))
            if text is None:
                return self.visible(match, f"Liquid tag '{name}' is not supported; left as text")
            return text
        text = liquid.output(groups["expression"].strip(), self.meta)
        if text is None:
            return self.visible(match, "Liquid variable is not supported; left as text")
        return text

    def shortcode(self, match: re.Match[str]) -> str:
        name = match.group("sc_name")
        handler = hugo.HANDLERS.get(name)
        if handler is None or match.group("closing"):
            return self.visible(match, f"Hugo shortcode '{name}' is not supported; left as text")
        args, named = hugo.parse_arguments(match.group("sc_args"))
        try:
            html = handler(args, named, meta=self.meta, line=self.line_of(match))
        except hugo.ShortcodeProblem as problem:
            return self.visible(match, f"{problem}; shortcode left as text")
        if name in hugo.BLOCK_SHORTCODES and _on_own_line(self.body, match.start(), match.end()):
            return f"\n\n{html}\n\n"  # a block of HTML, not a paragraph around it
        return html


def _on_own_line(text: str, start: int, end: int) -> bool:
    before = text[text.rfind("\n", 0, start) + 1 : start]
    line_end = text.find("\n", end)
    after = text[end : len(text) if line_end < 0 else line_end]
    return not before.strip() and not after.strip()


def _fenced(language: str, code: str) -> str:
    fence = "```"
    while fence in code:
        fence += "`"
    return f"\n{fence}{language}\n{code.rstrip(chr(10))}\n{fence}\n"

"""The house style of The Harbour Ledger, as a newsgen plugin (see docs/plugins.md).

Copy it to a site's ``plugins/house_style.py`` and name it in newsgen.yaml
(``plugins: [house_style]``). It adds:

- "per cent", never "%", after a number in article bodies (a Markdown extension);
- a ``kicker:`` front matter field, a few words shown over the headline, checked and
  kept in capitals (templates show it as ``article.extra.kicker``);
- the rule that a headline has no full stop at its end (an error naming the story);
- ``changed-urls.txt`` beside the output folder after each build: the addresses a CDN
  should purge.
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from newsgen.errors import ContentError
from newsgen.plugins import Article, Changes, Registry

KICKER_LENGTH = 24


class _PerCent(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # noqa: N802
        return f"{m.group(1)} per cent", m.start(0), m.end(0)


class PerCent(Extension):
    """``12%`` -> ``12 per cent`` in running text (code is left alone)."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's name)
        md.inlinePatterns.register(_PerCent(r"(\d)\s?%", md), "per-cent", 5)


def kicker(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("the kicker is a few words of text")
    if len(value.strip()) > KICKER_LENGTH:
        raise ValueError(f"a kicker has at most {KICKER_LENGTH} characters")
    return value.strip().upper()


def no_full_stop(article: Article) -> None:
    if article.title.endswith(".") and not article.title.endswith("..."):
        raise ContentError(article.source_path, "house style: no full stop after a headline")


def purge_list(output_dir: Path, changes: Changes) -> None:
    pages = [p for p in (*changes.modified, *changes.removed) if p.endswith("index.html")]
    urls = sorted("/" + p.removesuffix("index.html") for p in pages)
    (output_dir.parent / "changed-urls.txt").write_text("".join(f"{u}\n" for u in urls))


def register(registry: Registry) -> None:
    registry.markdown_extension(PerCent())
    registry.field("kicker", kicker)
    registry.on_article(no_full_stop)
    registry.on_build(purge_list)

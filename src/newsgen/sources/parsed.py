"""What reading a source yields, and the memo of earlier reads that reading consults.

The memo is the build state (``output/cache.py``); reading knows it only through
``SourceMemo``, so the first stage does not depend on the last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .filestats import StatKey
from .models import Article

Kept = tuple[Article, tuple[str, ...]]  # an article and the warnings of its source


@dataclass(frozen=True)
class ParsedDocument:
    """What parsing one source yields before site-wide settings apply."""

    source_path: str
    digest: str
    meta: dict[str, Any]
    yaml_text: str
    body_html: str
    text_start: str  # the first words of the body's plain text, for excerpts
    word_count: int
    warnings: tuple[str, ...] = ()  # "path:line: message", shown on every build


class SourceMemo(Protocol):
    """Parses and articles kept from earlier builds, looked up by a source's digest."""

    def digest_for(self, source_path: str, stat: StatKey) -> str | None: ...

    def remember_source(self, source_path: str, digest: str, stat: StatKey) -> None: ...

    def document(self, source_path: str, digest: str) -> ParsedDocument | None: ...

    def remember_document(self, document: ParsedDocument) -> None: ...

    def article(self, source_path: str, digest: str, key: str) -> Kept | None: ...

    def remember_article(
        self, article: Article, digest: str, key: str, warnings: tuple[str, ...] = ()
    ) -> None: ...

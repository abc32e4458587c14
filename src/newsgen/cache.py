"""State kept between builds: parsed sources and what each output file was rendered from.

Both live in the site's ``.newsgen-cache/`` folder. Each file carries a key made
of newsgen's version and the Markdown settings; a file that is corrupt, stale or
written by another version is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .markup import EXTENSION_CONFIGS, EXTENSIONS

log = logging.getLogger(__name__)

CACHE_KEY = hashlib.sha256(
    repr((__version__, EXTENSIONS, sorted(EXTENSION_CONFIGS.items()))).encode()
).hexdigest()


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """What parsing one source yields before site-wide settings apply."""

    source_path: str
    digest: str
    meta: dict[str, Any]
    yaml_text: str
    body_line: int
    body_html: str
    text_start: str  # the first words of the body's plain text, for excerpts
    word_count: int


StatKey = tuple[int, int]  # (mtime_ns, size)


class BuildCache:
    """The parse cache and the render manifest of one site, loaded once per build."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.stats: dict[str, tuple[StatKey, str]] = {}
        self.documents: dict[str, ParsedDocument] = {}
        self.manifest: dict[str, dict[str, tuple[str, StatKey]]] = {}
        if folder is not None:
            self._load()

    def digest_for(self, source_path: str, stat: os.stat_result) -> str | None:
        """The digest remembered for a file whose mtime and size did not change."""
        known = self.stats.get(source_path)
        if known and known[0] == (stat.st_mtime_ns, stat.st_size):
            return known[1]
        return None

    def remember(self, document: ParsedDocument, stat: os.stat_result) -> None:
        self.stats[document.source_path] = ((stat.st_mtime_ns, stat.st_size), document.digest)
        self.documents[document.digest] = document

    def rendered(self, output_dir: Path) -> dict[str, tuple[str, StatKey]]:
        """For one output folder: output path -> (fingerprint, stat of the file written)."""
        return self.manifest.setdefault(str(output_dir), {})

    def save(self, live_digests: set[str], live_paths: set[str]) -> None:
        """Write the cache, dropping entries of sources that are gone."""
        if self.folder is None:
            return
        self.documents = {d: doc for d, doc in self.documents.items() if d in live_digests}
        self.stats = {p: s for p, s in self.stats.items() if p in live_paths}
        state = {
            "key": CACHE_KEY,
            "stats": self.stats,
            "documents": self.documents,
            "manifest": self.manifest,
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("*\n")
        temporary = self.folder / f"state.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / "state.pickle")

    def _load(self) -> None:
        assert self.folder is not None
        path = self.folder / "state.pickle"
        if not path.exists():
            return
        try:
            with open(path, "rb") as handle:
                state = pickle.load(handle)
            if not isinstance(state, dict) or state.get("key") != CACHE_KEY:
                log.info("ignoring a cache written by another version")
                return
            stats, documents, manifest = state["stats"], state["documents"], state["manifest"]
            if not all(isinstance(x, dict) for x in (stats, documents, manifest)):
                raise TypeError("unexpected cache layout")
        except Exception as exc:  # any corruption means: start afresh
            log.warning("ignoring an unreadable cache (%s); it will be rebuilt", exc)
            return
        self.stats, self.documents, self.manifest = stats, documents, manifest

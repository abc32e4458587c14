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
import time
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
RACY_SECONDS = 2.0


class BuildCache:
    """The parse cache and the render manifest of one site, loaded once per build."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.stats: dict[str, tuple[StatKey, str]] = {}
        self.documents: dict[tuple[str, str], ParsedDocument] = {}  # (path, digest)
        self.manifest: dict[str, dict[str, tuple[str, StatKey]]] = {}
        self.outputs: dict[str, frozenset[str]] = {}
        self.dirty = False
        if folder is not None:
            self._load()

    def digest_for(self, source_path: str, stat: os.stat_result) -> str | None:
        """The digest remembered for a file whose mtime and size did not change."""
        known = self.stats.get(source_path)
        if known and known[0] == (stat.st_mtime_ns, stat.st_size):
            return known[1]
        return None

    def remember(self, document: ParsedDocument, stat: os.stat_result) -> None:
        """Keep the parsed document; keep the file's stat only when it can be trusted.

        A file modified in the last moments may be modified again within the file
        system's timestamp granularity without its mtime changing, so its stat is not
        remembered: the next build hashes it again (and still finds the parse cached).
        """
        path = document.source_path
        settled = time.time() - stat.st_mtime > RACY_SECONDS
        entry = ((stat.st_mtime_ns, stat.st_size), document.digest) if settled else None
        if (
            self.documents.get((path, document.digest)) is document
            and self.stats.get(path) == entry
        ):
            return
        self.dirty = True
        self.documents[(path, document.digest)] = document
        if entry:
            self.stats[path] = entry
        else:
            self.stats.pop(path, None)

    def rendered(self, output_dir: Path) -> dict[str, tuple[str, StatKey]]:
        """For one output folder: output path -> (fingerprint, stat of the file written).

        The caller updates it in place and must then set ``dirty``.
        """
        return self.manifest.setdefault(str(output_dir), {})

    def produced(self, output_dir: Path) -> frozenset[str] | None:
        """Every file the last build wrote into ``output_dir``, if it is known."""
        return self.outputs.get(str(output_dir))

    def remember_produced(self, output_dir: Path, files: set[str]) -> None:
        if self.outputs.get(str(output_dir)) != files:
            self.outputs[str(output_dir)] = frozenset(files)
            self.dirty = True

    def document(self, source_path: str, digest: str | None) -> ParsedDocument | None:
        return self.documents.get((source_path, digest)) if digest else None

    def save(self, live: set[tuple[str, str]]) -> None:
        """Write the cache, dropping entries of sources that are gone or changed."""
        if self.folder is None:
            return
        documents = {key: doc for key, doc in self.documents.items() if key in live}
        if len(documents) != len(self.documents):
            self.documents = documents
            paths = {path for path, _ in live}
            self.stats = {p: s for p, s in self.stats.items() if p in paths}
            self.dirty = True
        if not self.dirty:
            return
        state = {
            "key": CACHE_KEY,
            "stats": self.stats,
            "documents": self.documents,
            "manifest": self.manifest,
            "outputs": self.outputs,
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("*\n")
        temporary = self.folder / f"state.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / "state.pickle")
        self.dirty = False

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
            parts = [state[name] for name in ("stats", "documents", "manifest", "outputs")]
            if not all(isinstance(part, dict) for part in parts):
                raise TypeError("unexpected cache layout")
        except Exception as exc:  # any corruption means: start afresh
            log.warning("ignoring an unreadable cache (%s); it will be rebuilt", exc)
            return
        self.stats, self.documents, self.manifest, self.outputs = parts

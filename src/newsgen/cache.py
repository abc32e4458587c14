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
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .markup import EXTENSION_CONFIGS, EXTENSIONS
from .models import Article
from .pagespec import PlannedOutput

log = logging.getLogger(__name__)

_LAYOUT = 8  # raised whenever what the cache files hold changes shape
CACHE_KEY = hashlib.sha256(
    repr((_LAYOUT, __version__, EXTENSIONS, sorted(EXTENSION_CONFIGS.items()))).encode()
).hexdigest()


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


StatKey = tuple[int, int]  # (mtime_ns, size)
RACY_SECONDS = 2.0
SHARDS = 32


class BuildCache:
    """The parse cache and the render manifest of one site, loaded once per build.

    Parsed documents and articles are kept in ``SHARDS`` files by source path, so a
    rebuild after one edit rewrites one small file instead of the whole archive's.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.stats: dict[str, tuple[StatKey, str]] = {}
        self.documents: dict[tuple[str, str], ParsedDocument] = {}  # (path, digest)
        # (path, digest) -> (key of the settings it was made with, the article)
        self.articles: dict[tuple[str, str], tuple[str, Article]] = {}
        self.manifest: dict[str, dict[str, tuple[str, StatKey]]] = {}
        self.outputs: dict[str, frozenset[str]] = {}
        # planning memo: group key -> its outputs (see plan.py)
        self.plans: dict[str, tuple[PlannedOutput, ...]] = {}
        self.dirty = False  # the state file (stats, manifest, outputs) needs writing
        self._dirty_shards: set[int] = set()
        self.unreadable: list[str] = []  # cache files found corrupt, for the warning
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
        if self.documents.get((path, document.digest)) is not document:
            self.documents[(path, document.digest)] = document
            self._dirty_shards.add(_shard(path))
        if self.stats.get(path) != entry:
            self.dirty = True
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

    def remember_plans(self, plans: dict[str, tuple[PlannedOutput, ...]]) -> None:
        if plans != self.plans:
            self.plans = plans
            self.dirty = True

    def article(self, source_path: str, digest: str, key: str) -> Article | None:
        """The article made from this source with the settings ``key`` names, if kept."""
        found = self.articles.get((source_path, digest))
        return found[1] if found and found[0] == key else None

    def remember_article(self, article: Article, digest: str, key: str) -> None:
        self.articles[(article.source_path, digest)] = (key, article)
        self._dirty_shards.add(_shard(article.source_path))

    def document(self, source_path: str, digest: str | None) -> ParsedDocument | None:
        return self.documents.get((source_path, digest)) if digest else None

    def forget_except(self, live: set[tuple[str, str]]) -> None:
        """Drop the entries of sources that are gone or changed."""
        for key in [key for key in self.documents if key not in live]:
            del self.documents[key]
            self.articles.pop(key, None)
            self._dirty_shards.add(_shard(key[0]))
        paths = {path for path, _ in live}
        for path in [path for path in self.stats if path not in paths]:
            del self.stats[path]
            self.dirty = True

    def save(self) -> None:
        """Write what changed."""
        if self.folder is None:
            return
        if not self.dirty and not self._dirty_shards:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("*\n")
        for shard in sorted(self._dirty_shards):
            documents = {k: d for k, d in self.documents.items() if _shard(k[0]) == shard}
            articles = {k: a for k, a in self.articles.items() if k in documents}
            self._write(f"shard-{shard:02d}", {"documents": documents, "articles": articles})
        if self.dirty:
            state = {
                "stats": self.stats,
                "manifest": self.manifest,
                "outputs": self.outputs,
                "plans": self.plans,
            }
            self._write("state", state)
        self.dirty = False
        self._dirty_shards.clear()

    def _write(self, name: str, content: dict[str, Any]) -> None:
        assert self.folder is not None
        temporary = self.folder / f"{name}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump({"key": CACHE_KEY, **content}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / f"{name}.pickle")

    def _read(self, name: str, fields: tuple[str, ...]) -> list[dict] | None:
        """The fields of one cache file; None when it is missing, stale or corrupt."""
        assert self.folder is not None
        path = self.folder / f"{name}.pickle"
        if not path.exists():
            return None
        try:
            with open(path, "rb") as handle:
                content = pickle.load(handle)
            if not isinstance(content, dict) or content.get("key") != CACHE_KEY:
                log.info("ignoring %s, written by another version", path.name)
                return None
            parts = [content[field] for field in fields]
            if not all(isinstance(part, dict) for part in parts):
                raise TypeError("unexpected layout")
        except Exception as exc:  # any corruption means: start afresh
            self.unreadable.append(f"{path.name} ({exc})")
            return None
        return parts

    def _load(self) -> None:
        state = self._read("state", ("stats", "manifest", "outputs", "plans"))
        if state is not None:
            self.stats, self.manifest, self.outputs, self.plans = state
        for shard in range(SHARDS):
            content = self._read(f"shard-{shard:02d}", ("documents", "articles"))
            if content is not None:
                self.documents.update(content[0])
                self.articles.update(content[1])
        if self.unreadable:
            shown = ", ".join(self.unreadable[:3]) + (" …" if len(self.unreadable) > 3 else "")
            log.warning("ignoring %d unreadable cache file(s): %s", len(self.unreadable), shown)


def _shard(source_path: str) -> int:
    return zlib.crc32(source_path.encode()) % SHARDS

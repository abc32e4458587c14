"""The image cache: source digests by file stat, what each source is, and made files.

Lives in ``.newsgen-cache/images/``: ``index.pickle`` and a ``files/`` folder with one
file per derivative, named by its key. A rebuild reads the index and stats each source,
and decodes nothing (the build's manifest tells which published files are current).
A corrupt or foreign index is ignored.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from ...sources.images.probe import ImageInfo, probe
from ..cache import RACY_SECONDS
from ..staleness import StatKey, stat_key
from .derivatives import PROCESS_VERSION

log = logging.getLogger(__name__)

_KEY = ("newsgen-images", PROCESS_VERSION, 2)


class ImageStore:
    """One site's image cache, or a temporary one when the build uses no cache."""

    def __init__(self, cache_folder: Path | None) -> None:
        self._temporary = cache_folder is None
        if cache_folder is None:  # made only when a derivative is, removed after the build
            self.folder = Path(tempfile.gettempdir()) / f"newsgen-images-{os.getpid()}-{id(self)}"
        else:
            self.folder = cache_folder / "images"
        self.files = self.folder / "files"
        self.digests: dict[str, tuple[StatKey, str]] = {}  # source path -> (stat, digest)
        self.infos: dict[str, ImageInfo] = {}  # digest -> info
        self._dirty = False
        self._made: set[str] | None = None
        self._load()

    def info(self, path: Path) -> tuple[str, ImageInfo]:
        """The digest and info of the image at ``path``; raises ``ImageProblem``."""
        key = str(path)
        stat = stat_key(path)  # (-1, -1) when missing: never a remembered stat
        known = self.digests.get(key)
        if known and known[0] == stat and known[1] in self.infos:
            return known[1], self.infos[known[1]]
        info = probe(path)  # a missing or unreadable file raises here
        digest = _file_digest(path)
        self.infos[digest] = info
        if stat[0] >= 0 and time.time() - stat[0] / 1e9 > RACY_SECONDS:
            self.digests[key] = (stat, digest)
        self._dirty = True
        return digest, info

    def has(self, file_name: str) -> bool:
        """Whether the derivative is made; one listing of the folder, not a stat per file."""
        if self._made is None:
            self._made = set(os.listdir(self.files)) if self.files.is_dir() else set()
        return file_name in self._made

    def path(self, file_name: str) -> Path:
        return self.files / file_name

    def keep_only(self, file_names: set[str], sources: set[str]) -> None:
        """Forget sources and remove made files the site no longer uses."""
        if self.files.is_dir():
            for entry in os.scandir(self.files):
                if entry.name not in file_names:
                    os.remove(entry.path)
        for path in [p for p in self.digests if p not in sources]:
            del self.digests[path]
            self._dirty = True
        live = {digest for _, digest in self.digests.values()}
        for digest in [d for d in self.infos if d not in live]:
            del self.infos[digest]
            self._dirty = True

    def discard_temporary(self) -> None:
        if self._temporary:
            shutil.rmtree(self.folder, ignore_errors=True)

    def save(self) -> None:
        if self._temporary:
            self.discard_temporary()
            return
        if not self._dirty:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        state = {"key": _KEY, "digests": self.digests, "infos": self.infos}
        temporary = self.folder / f"index.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / "index.pickle")
        self._dirty = False

    def _load(self) -> None:
        path = self.folder / "index.pickle"
        if not path.exists():
            return
        try:
            with open(path, "rb") as handle:
                state: Any = pickle.load(handle)
            if not isinstance(state, dict) or state.get("key") != _KEY:
                return
            digests, infos = state["digests"], state["infos"]
        except Exception as exc:  # a damaged cache is rebuilt, never trusted
            log.warning("ignoring the unreadable image cache index (%s)", exc)
            return
        self.digests, self.infos = digests, infos


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

"""The search index: Pagefind run over the rendered pages, staged like every other output.

Why before the commit rather than on the committed output: the index then goes through
the same staging and ``commit_output`` as the pages, so a failed indexing leaves the
published site untouched, files of an older index are removed as stale, and a reader
never meets new pages with an index that does not know them yet.

Pagefind reads one folder, but after a small rebuild the current HTML is split between
staging (pages just rendered) and the output (pages found current). The pages are
therefore hard-linked (copied where links fail) into one input folder inside staging.
The CLI is used rather than Pagefind's Python API, whose per-page round trips cost about
0.1 s each. Pagefind only indexes elements marked ``data-pagefind-body`` (the article
bodies in the default theme) and its output is a function of the HTML, so the build
stays deterministic; when no page's fingerprint changed since the last build, the
previous index is kept without running Pagefind at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .errors import NewsgenError
from .output import holds, staged_path

SEARCH_DIR = "pagefind"
_STATE_FILE = "search.json"


@dataclass(frozen=True)
class SearchIndex:
    """``key``: what the index was built from (see ``index_key``); ``files``: every file
    of the index, relative to the output; ``staged``: those written to staging because
    they differ from the output."""

    key: str
    files: tuple[str, ...]
    staged: tuple[str, ...]


def index_key(pages: Iterable[tuple[str, str]]) -> str:
    """A digest of (output path, fingerprint) of every HTML page: equal keys, equal index."""
    digest = hashlib.sha256(_pagefind_version().encode())
    for path, fingerprint in sorted(pages):
        digest.update(f"{path}\0{fingerprint}\0".encode())
    return digest.hexdigest()


def build_search_index(
    rendered: Iterable[tuple[str, str]],
    output_dir: Path,
    staging_dir: Path,
    cache_dir: Path | None,
) -> SearchIndex:
    """Index the site's HTML pages into ``pagefind/``; ``rendered`` holds the
    (output path, fingerprint) of every page of the site."""
    pages = sorted((path, fingerprint) for path, fingerprint in rendered if path.endswith(".html"))
    key = index_key(pages)
    previous = _load_state(cache_dir, output_dir)
    if previous and previous["key"] == key:
        files = tuple(previous["files"])
        if all((output_dir / name).is_file() for name in files):
            return SearchIndex(key=key, files=files, staged=())
    work = staging_dir / ".search"
    source, bundle = work / "site", work / "bundle"
    try:
        for page, _ in pages:
            current = staged_path(staging_dir, page)
            _link(current if current.exists() else output_dir / page, source / page)
        _run_pagefind(source, bundle)
        files, staged = [], []
        for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
            relative = f"{SEARCH_DIR}/{path.relative_to(bundle).as_posix()}"
            files.append(relative)
            if not holds(output_dir / relative, path.read_bytes()):
                os.replace(path, staged_path(staging_dir, relative))
                staged.append(relative)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return SearchIndex(key=key, files=tuple(files), staged=tuple(staged))


def remember_index(cache_dir: Path | None, output_dir: Path, index: SearchIndex) -> None:
    """Record which index the output now holds, so an unchanged site skips Pagefind."""
    if cache_dir is None:
        return
    path = cache_dir / _STATE_FILE
    state = _read_json(path)
    state[str(output_dir)] = {"key": index.key, "files": list(index.files)}
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(state, sort_keys=True))
    os.replace(temporary, path)


def _run_pagefind(source: Path, bundle: Path) -> None:
    command = [
        sys.executable, "-m", "pagefind", "--site", str(source),
        "--output-path", str(bundle), "--silent",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise NewsgenError(f"search indexing with Pagefind failed: {' '.join(detail[:3])}")


def _pagefind_version() -> str:
    try:
        return version("pagefind")
    except PackageNotFoundError:
        return "unknown"


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def current_index_files(cache_dir: Path | None, output_dir: Path) -> tuple[str, ...]:
    """The files of the index the output holds now, as the last indexing left them."""
    state = _load_state(cache_dir, output_dir)
    return tuple(state["files"]) if state else ()


def _load_state(cache_dir: Path | None, output_dir: Path) -> dict | None:
    if cache_dir is None:
        return None
    entry = _read_json(cache_dir / _STATE_FILE).get(str(output_dir))
    if isinstance(entry, dict) and isinstance(entry.get("files"), list):
        return entry
    return None


def _read_json(path: Path) -> dict:
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}

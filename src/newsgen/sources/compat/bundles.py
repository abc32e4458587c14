"""Page bundles: ``story/index.md`` with ``photo.jpg`` beside it.

The resources are published in the story's own folder (``/news/story/photo.jpg``), and
relative paths to them are made root-relative in the body and in ``image``, so they
also work where the story is shown elsewhere: cards, feeds, ``og:image``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from ...errors import BuildFailed, ContentError
from ..config import SiteConfig
from ..models import Article, Page
from .filenames import BUNDLE_NAMES

_SOURCE_SUFFIXES = (".md", ".markdown")
_RELATIVE_ATTRIBUTE = re.compile(
    r'(<(?:img|a|source|video|audio)\b[^>]*?\s(?:src|href|poster)=")([^"]*)(")'
)
_NOT_RELATIVE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?|$)")


def folder_url(url: str) -> str:
    """The folder a page's resources go to: ``/a/b/`` or ``/a/b.html`` -> ``/a/b/``."""
    return url if url.endswith("/") else url.removesuffix(".html") + "/"


def resolve(path: str, url: str) -> str:
    """A path relative to the bundle made root-relative; any other left as it is."""
    if _NOT_RELATIVE.match(path):
        return path
    return folder_url(url) + path.removeprefix("./")


def resolve_body(body_html: str, url: str) -> str:
    """Relative ``src``, ``href`` and ``poster`` in the body made root-relative."""
    return _RELATIVE_ATTRIBUTE.sub(
        lambda m: m.group(1) + resolve(m.group(2), url) + m.group(3), body_html
    )


def resources(folder: Path) -> Iterable[str]:
    """Paths, relative to ``folder``, of its files that are not sources, hidden files
    or inside another bundle."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and not any((Path(dirpath, d, n)).exists() for n in BUNDLE_NAMES)
        )
        for name in sorted(filenames):
            if not name.startswith(".") and not name.endswith(_SOURCE_SUFFIXES):
                yield (Path(dirpath, name).relative_to(folder)).as_posix()


_BUNDLE_SOURCES = tuple(f"/{name}" for name in BUNDLE_NAMES)  # a source path holds its folder


def is_bundle(source_path: str) -> bool:
    """Whether the source at ``source_path`` is a bundle's (``story/index.md``)."""
    return source_path.endswith(_BUNDLE_SOURCES)


def bundle_files(
    config: SiteConfig, items: Iterable[Article | Page], statics: dict[str, Path]
) -> dict[str, Path]:
    """Output path -> file for the resources of every published bundle among ``items``;
    one that would replace a static file is an error naming both."""
    found: dict[str, Path] = {}
    errors = []
    for item in items:
        if not is_bundle(item.source_path):
            continue
        folder = (config.root / item.source_path).parent
        base = folder_url(item.url).lstrip("/")
        for relative in resources(folder):
            target = base + relative
            source = folder / relative
            if target in statics:
                shown = source.relative_to(config.root).as_posix()
                errors.append(
                    ContentError(shown, f"/{target} is also the static file {statics[target]}")
                )
            found[target] = source
    if errors:
        raise BuildFailed(errors)
    return found

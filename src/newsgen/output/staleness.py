"""What is still current: the one rule deciding which outputs a build writes again.

Every output has a fingerprint, a digest of everything it is made from: for a page,
its template, URL and ``PageSpec.deps`` with the site-wide digest; for a search bundle
file, the key of the bundle's pages. The build state remembers, for each output file,
the fingerprint it was written with and the file's stat just after writing. An output
is current exactly when both match: its inputs are the same and nobody touched the
file since. Anything else (new, changed inputs, edited or deleted by hand) is stale
and made again; nothing else is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

StatKey = tuple[int, int]  # (mtime_ns, size)
Manifest = dict[str, tuple[str, StatKey]]  # output path -> (fingerprint, stat as written)


def stat_key(path: str | Path) -> StatKey:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


@contextmanager
def _stats_in(output_dir: Path) -> Iterator[Callable[[str], StatKey]]:
    """``stat_key`` of paths relative to ``output_dir``. Where the platform allows, the
    folder is opened once and each path looked up from it, so the folder's own path is
    not resolved again for each of the tens of thousands of outputs of an archive."""
    try:
        folder = os.open(output_dir, os.O_RDONLY) if os.stat in os.supports_dir_fd else None
    except OSError:  # no output yet: every path is missing
        folder = None
    if folder is None:
        yield lambda path: stat_key(os.path.join(output_dir, path))
        return

    def stat(path: str) -> StatKey:
        try:
            found = os.stat(path, dir_fd=folder)
        except OSError:
            return (-1, -1)
        return (found.st_mtime_ns, found.st_size)

    try:
        yield stat
    finally:
        os.close(folder)


def is_current(path: str, fingerprint: str, manifest: Mapping[str, tuple[str, StatKey]],
               output_dir: Path) -> bool:  # fmt: skip
    """Whether ``path`` in the output was written from ``fingerprint`` and left as written."""
    return _is_current(path, fingerprint, manifest, lambda p: stat_key(os.path.join(output_dir, p)))


def _is_current(path: str, fingerprint: str, manifest: Mapping[str, tuple[str, StatKey]],
                stat: Callable[[str], StatKey]) -> bool:  # fmt: skip
    known = manifest.get(path)
    return known is not None and known[0] == fingerprint and known[1] == stat(path)


def stale_outputs(
    outputs: Sequence[tuple[str, str]], manifest: Mapping[str, tuple[str, StatKey]],
    output_dir: Path,
) -> list[int]:  # fmt: skip
    """The indices of the (path, fingerprint) ``outputs`` that must be made again."""
    with _stats_in(output_dir) as stat:
        return [
            index
            for index, (path, fingerprint) in enumerate(outputs)
            if not _is_current(path, fingerprint, manifest, stat)
        ]


def current_groups(
    manifest: Mapping[str, tuple[str, StatKey]], output_dir: Path, prefix: str
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """For outputs made in groups under ``prefix/<group>/`` with one fingerprint per group
    (search bundles): group -> (fingerprint, files), for the groups still intact."""
    groups: dict[str, list[str]] = {}
    for path in manifest:
        if path.startswith(prefix + "/"):
            groups.setdefault(path[len(prefix) + 1 :].split("/", 1)[0], []).append(path)
    intact = {}
    with _stats_in(output_dir) as stat:
        for group, files in groups.items():
            fingerprint = manifest[files[0]][0]
            if all(_is_current(f, fingerprint, manifest, stat) for f in files):
                intact[group] = (fingerprint, tuple(sorted(files)))
    return intact


def updated_manifest(
    previous: Mapping[str, tuple[str, StatKey]],
    produced: Iterable[tuple[str, str]],
    made: Iterable[str],
    output_dir: Path,
) -> Manifest:
    """The manifest after a build: every (path, fingerprint) ``produced``; for the paths
    in ``made`` (written or checked just now) the stat read now, for the rest the one
    remembered. Paths no longer produced are dropped."""
    made = set(made)
    manifest: Manifest = {}
    for path, fingerprint in produced:
        if path in made:
            manifest[path] = (fingerprint, stat_key(os.path.join(output_dir, path)))
        elif path in previous:
            manifest[path] = previous[path]
    return manifest

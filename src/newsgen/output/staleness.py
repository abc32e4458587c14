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

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import NamedTuple

from .. import __version__
from ..model.site import Site
from ..plan.pagespec import PlannedOutput
from ..render.templating import templates_digest
from ..sources.filestats import StatKey
from ..sources.parallel import InChild
from .manifest import Row, StoredManifest, read_manifest

Manifest = Mapping[str, Row]  # output path -> (fingerprint, stat as written)


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
    known = manifest.get(path)
    return (
        known is not None
        and known[0] == fingerprint
        and known[1] == stat_key(os.path.join(output_dir, path))
    )


def touched_outputs(manifest: Mapping[str, tuple[str, StatKey]], output_dir: Path) -> set[str]:
    """The outputs of ``manifest`` whose file is no longer as it was written (edited,
    replaced or deleted since). A stat of every output of the site: a build works it
    out in a second process while it reads and plans (see ``check_outputs``)."""
    with _stats_in(output_dir) as stat:
        return {path for path, (_, written) in manifest.items() if stat(path) != written}


class CheckedOutputs(NamedTuple):
    """What ``check_outputs`` found: the outputs ``touched`` since they were written (or
    whose row cannot be read), and the ``groups`` under the folder it was asked about
    that are intact (``current_groups``)."""

    touched: set[str]
    groups: dict[str, tuple[str, tuple[str, ...]]]


def check_outputs(
    database: str, state_key: str, output_dir: Path, groups_under: str = ""
) -> InChild[CheckedOutputs]:
    """``touched_outputs`` of the manifest of ``output_dir`` that the state's ``database``
    holds (if written under the ``state_key`` of the site's settings) and, given
    ``groups_under``, the ``current_groups`` there, worked out in a second process from
    the start of a build, at a lower priority: at 100,000 articles the site has some
    300,000 output files, whose rows take 0.4 s to read and whose stats a second, and the
    build needs the answer only once it has read and planned the site. Forked from the
    start, the process shares none of the build's memory (at its peak a forked copy
    counts the pages it shares as its own)."""
    job = partial(_checked, database, state_key, output_dir, groups_under)
    return InChild(job, fork=os.path.isfile(database), later=True)


def _checked(database: str, state_key: str, output_dir: Path, groups_under: str) -> CheckedOutputs:
    manifest, damaged = read_manifest(database, state_key, str(output_dir))
    touched = touched_outputs(manifest, output_dir)
    touched.update(damaged)
    groups = current_groups(manifest, touched, groups_under) if groups_under else {}
    return CheckedOutputs(touched, groups)


def stale_outputs(
    outputs: Iterable[tuple[str, str]], manifest: Mapping[str, tuple[str, StatKey]],
    touched: Set[str],
) -> list[int]:  # fmt: skip
    """The indices of the (path, fingerprint) ``outputs`` that must be made again:
    new, made from other inputs, or ``touched`` (``touched_outputs``)."""
    written = manifest.get
    return [
        index
        for index, (path, fingerprint) in enumerate(outputs)
        if (known := written(path)) is None or known[0] != fingerprint or path in touched
    ]


def stale_planned(
    outputs: Sequence[PlannedOutput],
    spans: Sequence[tuple[str, int, int]],
    whole: Set[str],
    manifest: Mapping[str, tuple[str, StatKey]],
    touched: Set[str],
) -> list[int]:
    """The indices of the planned ``outputs`` that must be made again (``stale_outputs``).
    The outputs of a group (``spans``: its key, where its outputs start and end) whose
    key is one the last build left ``whole`` in the output (its every output written
    from the plan that key names) are stale only if ``touched``: a publish at 100,000
    articles compared each of 184,000 outputs with its row, 0.25 s."""
    compared = [i for key, start, end in spans if key not in whole for i in range(start, end)]
    compared += range(spans[-1][2] if spans else 0, len(outputs))  # those planned alone
    pairs = ((outputs[i].output_path, outputs[i].fingerprint) for i in compared)
    stale = [compared[i] for i in stale_outputs(pairs, manifest, touched)]
    if touched:
        kept = (i for key, start, end in spans if key in whole for i in range(start, end))
        stale = sorted([*stale, *(i for i in kept if outputs[i].output_path in touched)])
    return stale


def current_groups(
    manifest: Mapping[str, tuple[str, StatKey]], touched: Set[str], prefix: str
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """For outputs made in groups under ``prefix/<group>/`` with one fingerprint per group
    (search bundles): group -> (fingerprint, files), for the groups still intact (none
    of their files ``touched``)."""
    start = prefix + "/"
    cut = len(start)
    groups: dict[str, list[str]] = {}
    for path in manifest:  # every output of the archive: kept to one test for most
        if path.startswith(start):
            end = path.find("/", cut)
            groups.setdefault(path[cut:end] if end > 0 else path[cut:], []).append(path)
    found = {}
    for group, files in groups.items():
        fingerprint = manifest[files[0]][0]
        if touched.isdisjoint(files) and all(manifest[f][0] == fingerprint for f in files):
            found[group] = (fingerprint, tuple(sorted(files)))
    return found


def manifest_changes(
    previous: StoredManifest,
    produced: Mapping[str, str],
    gone: Set[str],
    made: Iterable[str],
    output_dir: Path,
) -> dict[str, Row | None]:
    """The rows of the ``previous`` manifest a build changes: every output ``produced``
    (path -> fingerprint) in ``made`` (written or checked just now) gets the stat read
    now; its paths no longer produced (among ``gone``, the last build's files the build
    does not produce) go (None). The other rows stay: a publish changes a few dozen of an
    archive's 300,000."""
    changes: dict[str, Row | None] = dict.fromkeys(previous.every_path.intersection(gone))
    for path in produced.keys() & set(made):
        changes[path] = (produced[path], stat_key(os.path.join(output_dir, path)))
    return changes


def site_digest(site: Site, site_wide: str, drafts: bool, future: bool) -> str:
    """What every page may show, digested for every output's fingerprint: newsgen's
    version, the settings, the templates, the menu and footer, and ``site_wide`` (the
    images' settings). Not the tags nor the authors' file: a page shows the names of its
    own tags and what it shows of its stories' authors (``tag_names``, ``Site.bylines``),
    and a publish that brings a new tag, or a new reporter in the authors' file, must
    not make every page of the archive again."""
    config = site.config
    digest = hashlib.sha256()
    parts = [
        __version__,
        config.digest,
        config.state_key,
        config.base_url,
        templates_digest(config),
        site_wide,
        repr((drafts, future)),
        repr([(s.key, s.title, s.url) for s in site.sections]),
        repr([(p.title, p.url, p.slug) for p in site.pages]),
    ]
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()

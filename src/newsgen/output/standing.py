"""Whether the last build still stands: the whole plan memoised by every input of a site.

A build is a pure function of the site's files (sources, templates, static files,
``newsgen.yaml``, ``data/``), the build's options and the moment it runs; and its output
changes with the moment only at known times (a scheduled story's date, an expiry, a
banner's end, a story leaving the news sitemap), which the build computes as its *next
change*. So when every file is as the last build saw it and that next change has not
come, the last build's plan is this build's plan: nothing needs to be read, modelled or
planned, only each output checked to be as written (staleness.py's rule). This is the
same memo as plan.py's groups, at the size of the whole site; it is what keeps a build
with nothing changed quick at any archive size.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import NamedTuple

from .. import __version__
from ..errors import ContentError
from ..sources.config import SiteConfig
from ..sources.content import ListedSource, SourceListing, is_source
from ..sources.filestats import walk_stats
from ..sources.parallel import InChild
from .cache import BuildCache
from .commit import Changes, commit_output, discard_staging, stage_static, staging_dir_for
from .staterows import remembered_sources


@dataclass(frozen=True)
class StandingBuild:
    """What a build leaves for the next one to stand on: the digest of its inputs, its
    next change by itself, and what its report said beyond the files it changed."""

    inputs: str
    next_change: datetime | None
    statics: tuple[tuple[str, str], ...]  # (output path, source file) copied as they are
    articles: int
    pages: int
    warnings: tuple[ContentError, ...]
    drafts_left_out: int
    scheduled_left_out: int
    previews: tuple[tuple[str, str], ...]
    # the keys of the planning groups whose outputs it left whole (staleness.py)
    whole_groups: frozenset[str] = frozenset()

    def stands(self, inputs: str, now: datetime) -> bool:
        return self.inputs == inputs and (self.next_change is None or now < self.next_change)


def confirm_outputs(
    last: StandingBuild, cache: BuildCache, output_dir: Path, touched: Set[str]
) -> Changes | None:
    """The changes of a build whose inputs are the last one's, once every output is found
    as it was written, none ``touched`` (only static files are copied again where they
    differ); None if an output is not (then the build goes the whole way)."""
    produced = cache.produced(output_dir)
    if not cache.rendered(output_dir) or produced is None or touched:
        return None
    statics = {path: Path(source) for path, source in last.statics}
    staging = staging_dir_for(output_dir)
    try:
        staged = stage_static(statics, output_dir, staging)
        return commit_output(output_dir, staging, staged, produced, frozenset())
    except BaseException:
        discard_staging(staging)
        raise


class WalkedInputs(NamedTuple):
    """What the walk of a site's inputs found: a digest of every file (``input_digest``)
    and the sources under ``content/``, each with its stat and the digest of its bytes
    the state remembers for that stat (None: the build lists them, as it must where a
    link or a name that is not UTF-8 lies under ``content/``)."""

    files: str
    sources: SourceListing | None


def walk_inputs(
    folders: Sequence[Path], root: Path, database: str, site: str
) -> InChild[WalkedInputs]:
    """The walk of the input ``folders`` (the sources' folder first), in a second
    process (when there are any) while the build opens its state and restores its
    articles: at 100,000 sources the stats take 0.4 s, and reading the sources' rows of
    the state's ``database`` (if written under the ``site``'s key), digesting every file
    and listing the sources 0.3 s more."""
    job = partial(_walked, [str(folder) for folder in folders], str(root), database, site)
    return InChild(job, fork=bool(folders))


def _walked(folders: list[str], root: str, database: str, site: str) -> WalkedInputs:
    """Markdown sources count by their content digest (remembered by stat, as when
    reading them); other files by path, size and modification time."""
    known = remembered_sources(database, site)
    start = root + os.sep
    cut = len(start)
    walked = walk_stats(folders)
    listed: list[ListedSource] = []
    remembered = 0  # the sources listed that the state has a row for
    lines = []  # digested at once: 100,000 updates of a few bytes cost more
    for number, (files, _) in enumerate(walked):
        content = len(folders[number]) + 1 if number == 0 else 0  # where a source's path starts
        for path, mtime_ns, size in files:
            # the sources' paths as the state knows them; others as they are
            relative = path[cut:] if path.startswith(start) else path
            if path.endswith((".md", ".markdown")):
                stat = (mtime_ns, size)
                row = known.get(relative if _POSIX else relative.replace(os.sep, "/"))
                digest = row[1] if row is not None and row[0] == stat else None
                if content and is_source(path[content:]):
                    listed.append((path[content:], stat, digest))
                    remembered += row is not None
                if digest is None:
                    with open(path, "rb") as handle:
                        digest = hashlib.sha256(handle.read()).hexdigest()
                lines.append(f"{relative}\0{digest}\n")
            else:
                lines.append(f"{relative}\0{size}\0{mtime_ns}\n")
    text = "".join(lines).encode("utf-8", "surrogateescape")  # names may not be UTF-8
    digest = hashlib.sha256(text).hexdigest()
    plain = bool(walked) and not walked[0].irregular and not os.path.islink(folders[0])
    if not plain or not folders[0].startswith(start):
        return WalkedInputs(digest, None)
    gone: list[str] = []
    if remembered < len(known):  # some of the state's sources are not listed
        # the sources as the state names them: their path below the site's folder
        named = folders[0][cut:].replace(os.sep, "/") + "/"
        listed_here = {named + relative for relative, _, _ in listed}
        gone = [path for path in known if path not in listed_here]
    return WalkedInputs(digest, SourceListing.of(listed, gone))


_POSIX = os.sep == "/"


def input_digest(config: SiteConfig, options: Iterable[object], walked: WalkedInputs) -> str:
    """A digest of every file of the site (``walked``) and of the build's options."""
    digest = hashlib.sha256(f"{__version__}\0{config.digest}\0{config.base_url}\0".encode())
    digest.update(repr(tuple(options)).encode())
    digest.update(walked.files.encode())
    return digest.hexdigest()

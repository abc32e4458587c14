"""Static files that would land on a generated file's path, found before anything is written.

A file under ``static/`` (``static/index.html``, ``static/feed.xml``…) and a page the
site generates cannot both be the output file; rather than let one silently win, the
build stops with an error naming both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter
from pathlib import Path

from ..errors import BuildFailed, ContentError
from ..plan.pagespec import PlannedOutput
from ..plan.search_shards import SEARCH_DIR
from .commit import MARKER


def check_static_collisions(
    root: Path, statics: Mapping[str, Path], outputs: Sequence[PlannedOutput], search: bool = False
) -> None:
    """Raise ``BuildFailed`` naming every static file (or bundle resource) whose output
    path is also one of the planned ``outputs``, with what that output is made from.

    The outputs' paths are gathered without a Python step per output, and what they are
    made from only when one is claimed: a site has a few static files and, at 100,000
    articles, 184,000 outputs."""
    planned = set(map(attrgetter("output_path"), outputs))
    claimed = planned.intersection(statics)
    made_from = (
        {o.output_path: (o.url, o.source) for o in outputs if o.output_path in claimed}
        if claimed
        else {}
    )
    errors = []
    for relative, source in statics.items():
        if relative in made_from:
            url, origin = made_from[relative]
            what = f"the page {url} generated from {origin}"
        elif relative == MARKER:
            what = "newsgen's own marker file"
        elif search and relative.split("/", 1)[0] == SEARCH_DIR:
            what = f"the search index folder /{SEARCH_DIR}/"
        else:
            continue
        errors.append(
            ContentError(
                _shown(source, root),
                f"this file would be copied to {relative}, the output path of {what}; "
                "rename or remove one of them",
            )
        )
    if errors:
        raise BuildFailed(errors)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)

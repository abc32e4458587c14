"""Which search bundle each story is indexed in (see ``output/search.py`` for why
bundles): a block of the stories of one month, under ``/pagefind/<month>[-<n>]/``.

Every file of a Pagefind index is named by a hash of its content, so re-indexing a
bundle after an edit renames nearly every index chunk of it (about one chunk per 16
stories), and its time and memory grow with its stories. So a month is cut into blocks
counted from its oldest story (``2026-11``, ``2026-11-2``, ...), and a publish or an edit
re-indexes one block. The newest month is cut into blocks of ``BLOCK`` stories, so a
publish re-indexes at most that many however busy the month; an older month, which only
an edit touches, into as few equal blocks as hold at most ``BLOCK`` stories or a third
of the month each, whichever is more (so at most ``OLD_BLOCKS``), so the search page
merges about three bundles per month. When a month stops being the
newest, its blocks are cut again once. The block of a story is a function of the
published stories alone, so a rebuild still equals a cold build.
"""

from __future__ import annotations

from collections.abc import Sequence

SEARCH_DIR = "pagefind"

# 80 stories make about 5 index chunks, so an edit changes about 16 files of its bundle
BLOCK = 80
OLD_BLOCKS = 3


def shard_names(output_paths: Sequence[str], months: Sequence[str]) -> dict[str, str]:
    """The bundle of each article page (``output_paths`` of the stories newest first,
    ``months`` the month of each: ``Site.output_paths`` and ``Site.months``), by output
    path, newest bundle first."""
    by_month: dict[str, list[str]] = {}
    for path, month in zip(output_paths, months, strict=True):
        by_month.setdefault(month, []).append(path)
    shards: dict[str, str] = {}
    for index, (month, paths) in enumerate(by_month.items()):
        count = len(paths)
        starts = _block_starts(count, newest=index == 0)
        # block b holds the stories starts[b] to starts[b + 1] - 1 counted from the
        # oldest; the paths (position 0 the newest) are named newest block first
        ends = [*starts[1:], count]
        for block in range(len(starts) - 1, -1, -1):
            name = month if block == 0 else f"{month}-{block + 1}"
            newer = paths[count - ends[block] : count - starts[block]]
            shards.update(dict.fromkeys(newer, name))
    return shards


def _block_starts(count: int, newest: bool) -> list[int]:
    """Where each block of a month's ``count`` stories starts, counted from its oldest:
    every ``BLOCK`` stories in the newest month (a publish adds to the last block);
    in an older month as few blocks as hold at most ``max(BLOCK, count / OLD_BLOCKS)``
    stories, cut equal, so that an edit re-indexes half of a month of 83 stories, not
    80 of them."""
    if newest:
        return list(range(0, count, BLOCK))
    size = max(BLOCK, -(-count // OLD_BLOCKS))
    blocks = -(-count // size)
    return [block * count // blocks for block in range(blocks)]

"""Which search bundle holds each story: blocks of a month."""

from __future__ import annotations

from collections import Counter

import pytest

from newsgen.plan import search_shards


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_shards, "BLOCK", 5)
    monkeypatch.setattr(search_shards, "OLD_BLOCKS", 3)


def _sizes(months: list[str]) -> dict[str, int]:
    """Bundle -> how many stories it holds, for stories (newest first) of ``months``."""
    paths = [f"s{n}/index.html" for n in range(len(months))]
    return dict(Counter(search_shards.shard_names(paths, months).values()))


def test_the_newest_month_is_cut_every_block_from_its_oldest_story() -> None:
    # 12 stories: 5 + 5 from the oldest, and the 2 newest in the third block
    assert _sizes(["2026-11"] * 12) == {"2026-11": 5, "2026-11-2": 5, "2026-11-3": 2}


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (5, [5]),
        (6, [3, 3]),  # not 5 + 1: an edit re-indexes half the month
        (11, [3, 4, 4]),
        (16, [5, 5, 6]),  # a third of the month is more than a block: still three
        (31, [10, 10, 11]),
    ],
)
def test_an_older_month_is_cut_into_as_few_equal_blocks_as_hold_a_block_or_a_third(
    count: int, sizes: list[int]
) -> None:
    found = _sizes(["2026-11"] + ["2026-10"] * count)
    names = ["2026-10", *(f"2026-10-{n}" for n in range(2, len(sizes) + 1))]
    assert {name: found[name] for name in names} == dict(zip(names, sizes, strict=True))
    assert sum(1 for name in found if name.startswith("2026-10")) == len(sizes)

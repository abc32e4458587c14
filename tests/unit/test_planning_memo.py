"""The planning memo as the build state keeps it: read on lookup, or ahead of it."""

from __future__ import annotations

from newsgen.output.staterows import StoredPlans, plan_row
from newsgen.plan.pagespec import PlannedOutput


def _copy(text: str) -> str:
    """An equal string of its own (not the one object, as literals are)."""
    return "".join(list(text))


def _outputs(month: str) -> tuple[PlannedOutput, ...]:
    return tuple(
        PlannedOutput(
            output_path=f"world/story-{number}/index.html",
            url=f"/world/story-{number}/",
            fingerprint=f"f{number}",
            source=f"content/world/story-{number}.md",
            sitemap_part=_copy(month),
            lastmod="2026-11-02T09:30:00+00:00",
            search_shard=_copy(month),
        )
        for number in range(3)
    )


def _memo() -> StoredPlans:
    return StoredPlans({"good": plan_row(_outputs("2026-11")), "bad": b"m\xe9\x03"})


def test_entries_read_ahead_are_those_a_lookup_reads() -> None:
    memo = _memo()
    memo.read_ahead(lambda: False)
    assert memo.get("good") == _outputs("2026-11")
    assert memo.get("bad") is None and memo.damaged == {"bad"}  # its group planned again


def test_reading_ahead_stops_when_asked_and_lookups_read_the_rest() -> None:
    memo = _memo()
    memo.read_ahead(lambda: True)
    assert memo == _memo()  # nothing read yet
    assert memo.get("good") == _outputs("2026-11") and memo.get("bad") is None


def test_strings_a_memo_row_repeats_are_read_back_shared() -> None:
    written = _outputs("2026-11")
    assert written[0].sitemap_part is not written[2].search_shard
    outputs = StoredPlans({"good": plan_row(written)}).get("good")
    assert outputs[0].sitemap_part is outputs[2].search_shard

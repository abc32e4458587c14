"""Each golden site builds exactly its expected output, file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from .sites import GOLDEN, build_golden, differences, report, site_names, stored


def test_there_are_golden_sites() -> None:
    assert len(site_names()) >= 3


@pytest.mark.parametrize("name", site_names())
def test_golden_site_builds_its_expected_output(name: str, tmp_path: Path) -> None:
    built = build_golden(name, tmp_path)
    found = differences(stored(GOLDEN / name / "expected"), built)
    if found:
        pytest.fail(report(name, found), pytrace=False)


def test_the_comparison_names_missing_and_extra_files_and_shows_a_diff() -> None:
    want = {"a.html": b"<p>one</p>\n<p>two</p>\n", "gone.xml": b"<x/>", "logo.png": b"\x89PNG1"}
    have = {"a.html": b"<p>one</p>\n<p>2</p>\n", "new.json": b"{}", "logo.png": b"\x89PNG22"}
    found = differences(want, have)
    assert found[:2] == ["missing: gone.xml", "extra: new.json"]
    assert "-<p>two</p>\n+<p>2</p>" in found[2]
    assert found[3] == "differs: logo.png (binary, 5 bytes expected, 6 built)"
    assert "python tests/golden/regenerate.py" in report("x", found)

"""The package's type hints hold: mypy, configured in pyproject.toml, finds no error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_mypy_finds_no_type_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(
            "mypy found type errors (run `python -m mypy` at the repository root):\n"
            + result.stdout
            + result.stderr,
            pytrace=False,
        )
    assert result.stdout.startswith("Success: no issues found")

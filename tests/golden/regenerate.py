"""Rebuild every golden site (or those named) and store the output as its expected/.

    python tests/golden/regenerate.py [NAME ...]

Review the result with ``git diff tests/golden`` before committing it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root

from tests.golden.sites import (  # noqa: E402
    GOLDEN,
    build_golden,
    differences,
    site_names,
    stored,
    write_expected,
)


def main(names: list[str]) -> int:
    known = site_names()
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"no golden site {', '.join(unknown)}; there are: {', '.join(known)}")
        return 2
    for name in names or known:
        with tempfile.TemporaryDirectory() as work:
            built = build_golden(name, Path(work))
        changed = differences(stored(GOLDEN / name / "expected"), built)
        write_expected(name, built)
        print(f"{name}: {len(changed)} file(s) changed" if changed else f"{name}: unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

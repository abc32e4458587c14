"""The golden example sites: each folder beside this file holds ``site/``, a small site,
and ``expected/``, the output of building it at the fixed time ``NOW``.

A change to newsgen that changes what these sites build shows up as a readable diff in
``test_golden.py``; when the change is meant, ``python tests/golden/regenerate.py``
writes the new output into ``expected/`` for review with ``git diff``.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
from datetime import datetime, timezone
from pathlib import Path

from newsgen.build import BuildOptions, build_site
from newsgen.sources.config import load_config

GOLDEN = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)  # every golden build's "now"
REGENERATE = "python tests/golden/regenerate.py"
# Output folders copied as they are from the theme (css/, js/) or made by Pagefind (its
# index and ~700 KB of its own scripts): ``expected/`` keeps their digests, one list per
# site, instead of a copy of the same files in every site.
DIGESTED = ("css/", "js/", "pagefind/")
DIGESTS = "SHA256SUMS"
DIFF_LINES = 60  # of one file's diff shown
REPORT_CHARS = 20_000  # of the whole report


def site_names() -> list[str]:
    """The golden sites, by folder name."""
    return sorted(p.name for p in GOLDEN.iterdir() if (p / "site").is_dir())


def build_golden(name: str, work: Path) -> dict[str, bytes]:
    """Build golden site ``name`` from a copy in ``work`` (the build writes its cache into
    the site folder); return its ``snapshot``."""
    source = work / "site"
    # a build someone ran in the site folder itself leaves these: not part of the input
    ignored = shutil.ignore_patterns(".newsgen-cache", "public", ".*.lock", ".*.staging")
    shutil.copytree(GOLDEN / name / "site", source, ignore=ignored)
    output = work / "public"
    build_site(load_config(source), BuildOptions(output_dir=output, now=NOW, jobs=1))
    return snapshot(output)


def stored(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its path relative to it, with ``/`` separators."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def snapshot(output: Path) -> dict[str, bytes]:
    """The files of a built site as ``expected/`` keeps them: those under ``DIGESTED``
    as one list of SHA-256 digests."""
    files: dict[str, bytes] = {}
    digests = []
    for name, data in sorted(stored(output).items()):
        if name.startswith(DIGESTED):
            digests.append(f"{hashlib.sha256(data).hexdigest()}  {name}\n")
        else:
            files[name] = data
    if digests:
        files[DIGESTS] = "".join(digests).encode()
    return files


def write_expected(name: str, files: dict[str, bytes]) -> None:
    """Replace the expected output of golden site ``name`` with ``files``."""
    expected = GOLDEN / name / "expected"
    shutil.rmtree(expected, ignore_errors=True)
    for relative, data in files.items():
        path = expected / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def differences(want: dict[str, bytes], have: dict[str, bytes]) -> list[str]:
    """How ``have`` (built) differs from ``want`` (expected), file by file: missing and
    extra files by name, a unified diff for each text file that differs."""
    found = [f"missing: {name}" for name in sorted(want.keys() - have.keys())]
    found += [f"extra: {name}" for name in sorted(have.keys() - want.keys())]
    for name in sorted(want.keys() & have.keys()):
        if want[name] != have[name]:
            found.append(_file_diff(name, want[name], have[name]))
    return found


def _file_diff(name: str, old: bytes, new: bytes) -> str:
    try:
        old_text, new_text = old.decode(), new.decode()
    except UnicodeDecodeError:
        return f"differs: {name} (binary, {len(old)} bytes expected, {len(new)} built)"
    lines = list(
        difflib.unified_diff(
            old_text.splitlines(),
            new_text.splitlines(),
            f"expected/{name}",
            f"built/{name}",
            n=2,
            lineterm="",
        )
    )
    if not lines:  # only line endings differ
        return f"differs: {name} (line endings or a final newline)"
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"... {len(lines) - DIFF_LINES} more diff lines"]
    return f"differs: {name}\n" + "\n".join(_short(line) for line in lines)


def _short(line: str, width: int = 300) -> str:
    """A diff line cut to ``width`` characters: minified CSS or JSON is one long line."""
    return line if len(line) <= width else line[:width] + f"... ({len(line)} characters)"


def report(name: str, found: list[str]) -> str:
    """The failure message for golden site ``name``."""
    text = "\n\n".join(found)
    if len(text) > REPORT_CHARS:
        text = text[:REPORT_CHARS] + "\n... (report cut; the full output is in expected/)"
    hint = f"If the change is intended, run `{REGENERATE}` and review `git diff tests/golden`."
    return (
        f"golden site {name!r} builds differently from tests/golden/{name}/expected/ "
        f"({len(found)} file(s)). {hint}\n\n{text}\n\n{hint}"
    )

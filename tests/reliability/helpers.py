"""Shared by the reliability tests: folder snapshots, a small site, and running newsgen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..conftest import NOW, REPO, SiteMaker

# The build's "now" for builds run as a subprocess, so their output can be compared.
EPOCH = str(int(NOW.timestamp()))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes); empty folders as ``path/``."""
    found: dict[str, bytes] = {}
    if not folder.exists():
        return found
    for dirpath, dirnames, filenames in os.walk(folder):
        base = Path(dirpath)
        if not dirnames and not filenames and base != folder:
            found[base.relative_to(folder).as_posix() + "/"] = b""
        for name in filenames:
            found[(base / name).relative_to(folder).as_posix()] = (base / name).read_bytes()
    return found


def differences(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    """What differs between two snapshots, for readable assertion messages."""
    return sorted(
        [f"missing {p}" for p in want.keys() - got.keys()]
        + [f"extra {p}" for p in got.keys() - want.keys()]
        + [f"differs {p}" for p in want.keys() & got.keys() if got[p] != want[p]]
    )


def existing_site(root: Path) -> SiteMaker:
    """A ``SiteMaker`` for a site folder written before, leaving its files as they are
    (``SiteMaker(root)`` would write a fresh ``newsgen.yaml``)."""
    maker = SiteMaker.__new__(SiteMaker)
    maker.root = root
    return maker


def small_site(maker: SiteMaker, articles: int = 4, search: bool = False) -> None:
    """A site with a few articles in two sections, an author, a page and a static file."""
    maker.config(
        {"title": "Test Times", "base_url": "https://test.example", "timezone": "UTC",
         "search": search}
    )  # fmt: skip
    maker.authors({"ana": {"name": "Ana Lima", "bio": "Reports."}})
    for i in range(articles):
        section = ("world", "business")[i % 2]
        maker.article(
            f"{section}/story-{i}.md", f"Story {i}", f"2026-11-{10 + i:02d}T09:00:00Z",
            f"Paragraph {i}.", author="ana", tags=["Harbour"],
        )  # fmt: skip
    maker.write("content/pages/about.md", "---\ntitle: About\n---\nAbout us.\n")
    maker.write("static/extra.txt", "first version\n")


def edit_small_site(maker: SiteMaker) -> None:
    """Changes touching every kind of output: a retitled story (sidebars everywhere), a
    new section's story (new folders), a removed story (stale files), a static file."""
    maker.article(
        "world/story-0.md", "Story zero, retitled", "2026-11-10T09:00:00Z", "New words.",
        author="ana",
    )  # fmt: skip
    maker.article("science/new.md", "A new story", "2026-11-20T09:00:00Z", "Fresh.", author="ana")
    (maker.root / "content/business/story-1.md").unlink()
    maker.write("static/extra.txt", "second version\n")


def newsgen(*args: str, **kwargs) -> subprocess.Popen:
    """Start the ``newsgen`` command of this checkout with a fixed build time."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "SOURCE_DATE_EPOCH": EPOCH,
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "newsgen.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )

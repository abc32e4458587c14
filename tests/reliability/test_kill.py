"""``kill -9`` at many moments of a real build: the next build equals a clean one.

Each kill point starts from the same state (a site built, then edited so that every
page changes, stories come and go and a static file changes), runs ``newsgen build``
in a subprocess and kills it after a given time, alternately the whole process group
(as CI cancelling a job does) and the main process alone (its forked workers are
orphaned). Right after the kill, every file a web server would serve must be a whole
file of the old site or of the new one; after the next build, the output must equal a
clean build of the edited site byte for byte.

``NEWSGEN_KILL_POINTS`` sets how many kill points are tried (default 4),
``NEWSGEN_KILL_ARTICLES`` the site's size (default 120).
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import psutil
import yaml

from ..conftest import SiteMaker
from ..corpus import write_corpus
from .helpers import differences, existing_site, newsgen, snapshot

POINTS = int(os.environ.get("NEWSGEN_KILL_POINTS", "4"))
ARTICLES = int(os.environ.get("NEWSGEN_KILL_ARTICLES", "120"))


def _edit(root: Path) -> None:
    config = yaml.safe_load((root / "newsgen.yaml").read_text())
    config["title"] = "Corpus Courier, second edition"  # every page changes
    (root / "newsgen.yaml").write_text(yaml.safe_dump(config))
    stories = sorted((root / "content").glob("world/*.md"))
    for path in stories[:3]:
        path.unlink()
    maker = existing_site(root)
    for i in range(3):
        maker.article(f"weather/storm-{i}.md", f"Storm {i}", "2026-11-27T09:00:00Z", "Wind.")
    maker.write("static/notice.txt", "changed\n")


def _build(root: Path, *args: str) -> None:
    process = newsgen("build", "--source", str(root), *args)
    assert process.wait(300) == 0, process.stderr.read()


def test_a_build_killed_at_any_moment_is_completed_by_the_next(tmp_path: Path) -> None:
    base = SiteMaker(tmp_path / "base")
    write_corpus(base, ARTICLES, search=True)
    base.write("static/notice.txt", "first\n")
    _build(base.root)
    old = snapshot(base.output)

    clean = tmp_path / "clean"
    shutil.copytree(base.root, clean, ignore=shutil.ignore_patterns("public", ".newsgen-cache"))
    _edit(clean)
    _build(clean)
    new = snapshot(clean / "public")

    work = tmp_path / "work"

    def prepare() -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base.root, work, symlinks=True)
        _edit(work)

    prepare()
    started = time.monotonic()
    _build(work)
    duration = time.monotonic() - started
    assert differences(snapshot(work / "public"), new) == []

    for point in range(POINTS):
        prepare()
        delay = duration * (point + 0.5) / POINTS
        process = newsgen("build", "--source", str(work), start_new_session=True)
        time.sleep(delay)
        if point % 2:
            os.kill(process.pid, signal.SIGKILL)
        else:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        _assert_no_worker_survives(work)
        seen = snapshot(work / "public")
        torn = sorted(p for p, data in seen.items() if data not in (old.get(p), new.get(p)))
        assert torn == [], f"after a kill at {delay:.2f} s, served files of neither site"
        _build(work)
        assert differences(snapshot(work / "public"), new) == [], f"killed at {delay:.2f} s"
        assert not (work / ".public.staging").exists()
    print(f"{POINTS} kill points over a {duration:.2f} s build of {ARTICLES} articles")


def _assert_no_worker_survives(site: Path, timeout: float = 5) -> None:
    """The killed build's forked workers die with it (they would hold the lock)."""
    deadline = time.monotonic() + timeout
    while True:
        left = [
            p.pid
            for p in psutil.process_iter(["cmdline"])
            if "newsgen.cli" in (p.info["cmdline"] or []) and str(site) in p.info["cmdline"]
        ]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert left == [], "workers of the killed build outlived it"

"""One build at a time per output folder: racing builds, --no-wait, a killed holder."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from ..conftest import SiteMaker
from ..corpus import write_corpus
from .helpers import differences, newsgen, snapshot


@pytest.fixture
def corpus_site(site: SiteMaker) -> SiteMaker:
    write_corpus(site, 60)
    return site


def _wait_for_holder(lock: Path, timeout: float = 30) -> int:
    """The pid written into the lock file once a build holds it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = lock.read_text() if lock.exists() else ""
        if text.strip():
            return int(text.split()[0])
        time.sleep(0.01)
    raise AssertionError("no build took the lock")


def test_two_racing_builds_end_with_the_output_of_one(
    corpus_site: SiteMaker, tmp_path: Path
) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(corpus_site.root, clean)
    alone = newsgen("build", "--source", str(clean))
    assert alone.wait(120) == 0, alone.stderr.read()

    first = newsgen("build", "--source", str(corpus_site.root))
    _wait_for_holder(corpus_site.root / ".public.lock")  # the race starts once one holds it
    second = newsgen("build", "--source", str(corpus_site.root))
    codes = [first.wait(120), second.wait(120)]
    errs = [first.stderr.read(), second.stderr.read()]
    assert codes == [0, 0], errs
    waited = [err for err in errs if "waiting for newsgen build (pid" in err]
    assert len(waited) == 1, errs
    assert f"which is writing {corpus_site.output}" in waited[0]
    assert differences(snapshot(corpus_site.output), snapshot(clean / "public")) == []
    assert not (corpus_site.root / ".public.lock").read_text(), "released locks are emptied"


def test_no_wait_refuses_while_another_build_runs(corpus_site: SiteMaker) -> None:
    first = newsgen("build", "--source", str(corpus_site.root))
    holder = _wait_for_holder(corpus_site.root / ".public.lock")
    assert holder == first.pid
    second = newsgen("build", "--source", str(corpus_site.root), "--no-wait")
    assert second.wait(60) == 1
    err = second.stderr.read()
    assert err == (
        f"{corpus_site.output} is in use by newsgen build (pid {first.pid}); "
        "not waiting (--no-wait)\n"
    )
    assert first.wait(120) == 0


def test_the_lock_of_a_killed_build_is_taken_over(corpus_site: SiteMaker) -> None:
    first = newsgen("build", "--source", str(corpus_site.root), start_new_session=True)
    _wait_for_holder(corpus_site.root / ".public.lock")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    second = newsgen("build", "--source", str(corpus_site.root), "--no-wait")
    assert second.wait(120) == 0
    err = second.stderr.read()
    assert (
        f"taking over the lock of newsgen build (pid {first.pid}), which ended without releasing it"
    ) in err
    assert (corpus_site.output / "index.html").is_file()


def test_a_second_server_on_the_same_site_refuses_with_no_wait(site: SiteMaker) -> None:
    site.article("world/a.md", "A", "2026-11-01T09:00:00Z")
    first = newsgen("serve", "--source", str(site.root), "--port", "0")
    try:
        assert "Serving http://127.0.0.1:" in first.stdout.readline()
        second = newsgen("serve", "--source", str(site.root), "--port", "0", "--no-wait")
        assert second.wait(60) == 1
        err = second.stderr.read()
        output = site.root / ".newsgen-cache" / "serve-output"
        assert f"{output} is in use by newsgen serve (pid {first.pid})" in err, err
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(10)

"""A newcomer's first steps: ``newsgen init``, ``newsgen new``, a folder that is no site,
and the conventions of the command line."""

from __future__ import annotations

import argparse
import os
import pty
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
import yaml

from newsgen.build import BuildOptions, build_site
from newsgen.cli import _parser, main
from newsgen.commands.terminal import STAGE_NAMES
from newsgen.sources.config import load_config

from ..conftest import NOW, SiteMaker
from ..links import broken_links


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_makes_a_site_that_builds_strictly_and_passes_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "harbour-news"
    code, out, _ = _run(capsys, "init", str(folder))
    assert code == 0
    assert "created content/news/welcome.md" in out
    config = (folder / "newsgen.yaml").read_text()
    for key in ("title", "description", "base_url", "language", "timezone", "date_format",
                "sections", "recent_posts", "related_posts", "per_page", "excerpt_length",
                "output", "permalinks", "publisher", "feeds", "search", "cookie_notice"):  # fmt: skip
        assert f"\n# {key}:" in config or f"\n{key}:" in config, key
    assert yaml.safe_load(config)["title"] == "Harbour News"

    code, out, err = _run(capsys, "build", "--strict", "--source", str(folder))
    assert (code, err) == (0, "")
    assert out.startswith("built ") and "1 article," in out
    output = folder / "public"
    page = lxml.html.fromstring((output / "news/welcome-to-harbour-news/index.html").read_bytes())
    assert page.findtext(".//h1") == "Welcome to Harbour News"
    assert "1 min read" in page.findtext(".//span[@class='reading-time']")
    lead = page.find(".//figure[@class='lead-image']/img")
    assert (output / lead.get("src").lstrip("/")).is_file()
    assert page.xpath("//a[@rel='author' or contains(@href, '/authors/editor/')]")
    assert broken_links(output) == []
    authors = lxml.html.fromstring((output / "authors/index.html").read_bytes())
    assert "The Editor (1 article)" in authors.text_content()
    # The theme lends CSS, JS and icons, none of the example site's pictures.
    assert sorted(p.name for p in (output / "images").iterdir()) == ["welcome.svg"]
    assert (output / "css/site.css").is_file() and (output / "favicon.svg").is_file()

    assert _run(capsys, "check", "--source", str(folder))[0] == 0


def test_init_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.md").write_text("mine")
    code, out, err = _run(capsys, "init", str(tmp_path))
    assert code == 1 and "not empty" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"]
    assert (tmp_path / "notes.md").read_text() == "mine"


def test_new_writes_a_draft_dated_now_in_the_site_time_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = SiteMaker(tmp_path / "site")
    site.config({"title": "T", "timezone": "Asia/Tokyo", "sections": ["World", "Sports"]})
    monkeypatch.chdir(site.root)
    before = datetime.now().astimezone()
    code, out, _ = _run(capsys, "new", "Budget: what it means", "--author", "Ann Lee")
    assert code == 0
    assert out == "content/world/budget-what-it-means.md\n"
    text = (site.root / out.strip()).read_text()
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"] == "Budget: what it means"
    assert meta["author"] == "Ann Lee" and meta["draft"] is True
    assert meta["date"].utcoffset().total_seconds() == 9 * 3600
    assert abs((meta["date"] - before).total_seconds()) < 60

    code, out, _ = _run(capsys, "new", "Final score", "--section", "Sports")
    assert out == "content/sports/final-score.md\n"
    code, _, err = _run(capsys, "new", "Final score", "--section", "Sports")
    assert code == 1 and "already exists" in err

    code, out, _ = _run(capsys, "build")
    assert "left out: 2 drafts (include with --drafts)" in out
    assert _run(capsys, "build", "--drafts")[0] == 0
    page = site.html("world/budget-what-it-means/index.html")
    assert page.findtext(".//h1") == "Budget: what it means"


def test_summary_counts_drafts_and_scheduled_stories_left_out(
    site: SiteMaker, capsys: pytest.CaptureFixture[str]
) -> None:
    site.article("world/a.md", "Out now", "2020-01-01T00:00:00Z", "One")
    site.article("world/b.md", "Not yet", "2020-01-02T00:00:00Z", draft=True)
    site.article("world/c.md", "Later", "2999-01-01T00:00:00Z")
    code, out, _ = _run(capsys, "build", "--source", str(site.root))
    assert code == 0
    assert "1 article, " in out
    assert (
        "left out: 1 draft (include with --drafts); "
        "1 scheduled article dated later (include with --future)"
    ) in out
    page = site.html("world/out-now/index.html")
    assert page.findtext(".//span[@class='reading-time']") == "1 min read (1 word)"
    assert _run(capsys, "build", "-q", "--source", str(site.root))[1] == ""


def test_a_folder_without_newsgen_yaml_is_refused(
    site: SiteMaker, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site.article("world/a.md", "A", "2020-01-01T00:00:00Z")
    empty = site.root.parent / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    code, _, err = _run(capsys, "build")
    assert code == 1 and "no newsgen.yaml" in err and "newsgen init" in err
    assert list(empty.iterdir()) == []

    monkeypatch.chdir(site.root / "content")
    code, _, err = _run(capsys, "build")
    assert code == 1 and f"inside the site at {site.root}" in err
    assert not (site.root / "content" / "public").exists()

    (site.root / "newsgen.yaml").unlink()  # --source naming a folder of content: defaults
    assert _run(capsys, "build", "--source", str(site.root))[0] == 0
    assert (site.output / "world/a/index.html").is_file()


def test_every_option_has_help_and_python_m_newsgen_runs() -> None:
    def walk(parser: argparse.ArgumentParser):
        for action in parser._actions:
            yield parser.prog, action
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from walk(sub)

    missing = [
        (prog, action.dest)
        for prog, action in walk(_parser())
        if not action.help and not isinstance(action, argparse._SubParsersAction)
    ]
    assert missing == []
    result = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "--strict" in result.stdout and "-q, --quiet" in result.stdout


def test_a_terminal_sees_named_stages_from_the_start(site: SiteMaker) -> None:
    for number in range(30):
        site.article(f"world/s{number}.md", f"Story {number}", "2020-01-01T00:00:00Z")
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgen", "build", "--source", str(site.root)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal, env=env,
    )  # fmt: skip
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the build ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    out = process.communicate(timeout=120)[0].decode()
    os.close(controller)
    assert process.returncode == 0
    assert b"Reading sources" in shown
    assert out.startswith("built ")


def test_a_build_names_each_stage_it_enters(site: SiteMaker) -> None:
    site.article("world/a.md", "A", "2020-01-01T00:00:00Z")
    seen: list[str] = []
    build_site(
        load_config(site.root),
        BuildOptions(now=NOW, jobs=1),
        lambda stage, done, total: seen.append(stage),
    )
    assert list(dict.fromkeys(seen)) == ["render", "search", "write"]
    assert set(seen) <= set(STAGE_NAMES) and STAGE_NAMES["read"] == "Reading sources"

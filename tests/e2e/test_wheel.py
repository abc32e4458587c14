"""An installed wheel carries the default theme and builds a site that has none of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import lxml.html

from ..conftest import REPO, article_text


def test_installed_wheel_builds_a_site_without_templates(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("newsgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "newsgen/theme/templates/base.html" in names
    assert "newsgen/theme/static/css/site.css" in names
    assert "newsgen/theme/static/favicon.svg" in names
    # the example site's own pictures (newsgen/images/ is the code that processes them)
    assert not [n for n in names if n.startswith("newsgen/theme/") and "/images/" in n]

    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    borrow_dependencies(python)
    isolated = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        check=True,
    )
    site = tmp_path / "site"
    (site / "content" / "world").mkdir(parents=True)
    (site / "content" / "world" / "talks.md").write_text(
        article_text("Talks resume", "2026-11-01T09:00:00Z", "The talks resumed.", dateline="ROME")
    )
    (site / "newsgen.yaml").write_text("title: Bare Site\nsearch: false\n")
    result = subprocess.run(
        [str(environment / "bin" / "newsgen"), "build", "--source", str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=isolated,
    )
    assert result.returncode == 0, result.stderr
    located = subprocess.run(
        [str(python), "-c", "import newsgen, sys; sys.stdout.write(newsgen.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=isolated,
    ).stdout
    assert located.startswith(str(environment)), located  # the wheel, not the checkout
    page = lxml.html.fromstring((site / "public/world/talks-resume/index.html").read_bytes())
    assert page.findtext(".//h1") == "Talks resume"
    assert page.find(".//aside[@class='sidebar']") is not None
    assert (site / "public/css/site.css").stat().st_size > 1000
    assert not (site / "public/images").exists()  # no example pictures in a new site


def borrow_dependencies(python: Path) -> None:
    """Let the new environment import newsgen's dependencies from the one running the
    tests (a virtual environment or not), without network access: a ``.pth`` file lists
    this environment's package folders after the new one's. Only directories are added,
    so a ``.pth`` there (such as the checkout's editable install) is not followed."""
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    folders = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (Path(target) / "borrowed.pth").write_text("".join(f"{f}\n" for f in folders))

"""An installed wheel carries the default theme and builds a site that has none of its own."""

from __future__ import annotations

import subprocess
import sys
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

    environment = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(environment)
    python = environment / "bin" / "python"
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
    )
    assert result.returncode == 0, result.stderr
    located = subprocess.run(
        [str(python), "-c", "import newsgen, sys; sys.stdout.write(newsgen.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert located.startswith(str(environment)), located  # the wheel, not the checkout
    page = lxml.html.fromstring((site / "public/world/talks-resume/index.html").read_bytes())
    assert page.findtext(".//h1") == "Talks resume"
    assert page.find(".//aside[@class='sidebar']") is not None
    assert (site / "public/css/site.css").stat().st_size > 1000

"""The README's set-up, as far as a test can run it: a clone in a folder with nothing
beside it, a virtual environment in ``.venv``, the example site built there, and tests
that read files run from the clone, which must hold everything they read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from ..conftest import REPO
from .test_wheel import borrow_dependencies


def _setup_blocks() -> list[str]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("\n## Set up\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL)


def test_readme_set_up_is_two_blocks_using_a_virtual_environment() -> None:
    install, tests = _setup_blocks()
    assert "python3 -m venv .venv" in install and "apt-get install -y python3-venv" in install
    assert "pip install -e ." in install and "newsgen build" in install
    assert tests.strip() == "bash tests/run.sh"
    script = (REPO / "tests" / "run.sh").read_text()
    for package in ("python3-venv", "chromium", "nodejs npm", "default-jre-headless"):
        assert package in script
    assert ".venv/bin/python -m pytest" in script


def test_a_lone_clone_builds_the_example_and_tests_from_inside_itself(tmp_path: Path) -> None:
    if not (REPO / ".git").exists():
        raise AssertionError("the tests run from a git clone of the repository")
    lone = tmp_path / "lone"
    lone.mkdir()
    clone = lone / "newsgen"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    # uncommitted work in this checkout is part of what is tested
    status = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-m", "-o", "--exclude-standard"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    for name in status:
        if (REPO / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            (clone / name).write_bytes((REPO / name).read_bytes())
    assert sorted(p.name for p in lone.iterdir()) == ["newsgen"]

    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(clone / ".venv")], check=True
    )
    python = clone / ".venv" / "bin" / "python"
    borrow_dependencies(python)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
         "--no-deps", "--no-build-isolation", str(clone)],
        check=True, env=env,
    )  # fmt: skip
    build = subprocess.run(
        [str(clone / ".venv" / "bin" / "newsgen"), "build", "--strict", "-q"],
        cwd=clone, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert build.stdout == build.stderr == ""
    assert (clone / "public" / "index.html").is_file()
    assert (clone / "public" / "images" / "authors").is_dir()  # the example keeps its own

    tests = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "tests/e2e/test_syndication.py", "-k", "sitemap"],
        cwd=clone, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout and "skipped" not in tests.stdout

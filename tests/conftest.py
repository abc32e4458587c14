"""Shared fixtures: small sites written into a temporary folder, and output readers."""

from __future__ import annotations

import random
import shutil
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import lxml.html
import pytest
import yaml
from PIL import Image as PILImage

from newsgen.build import BuildOptions, BuildReport, build_site
from newsgen.sources.config import load_config

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def article_text(title: str, date: str, body: str = "Body text.", **fields: object) -> str:
    """A Markdown source with front matter made from ``fields``."""
    meta = {"title": title, "date": date, **fields}
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n{textwrap.dedent(body).strip()}\n"


class SiteMaker:
    """Writes a site folder: ``newsgen.yaml``, articles, pages and authors."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.config({"title": "Test Times", "base_url": "https://test.example", "timezone": "UTC"})

    def config(self, values: dict) -> None:
        (self.root / "newsgen.yaml").write_text(yaml.safe_dump(values, sort_keys=False))

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def article(self, relative: str, title: str, date: str, body: str = "Body text.", **fields):
        return self.write(f"content/{relative}", article_text(title, date, body, **fields))

    def photo(self, relative: str, width: int, height: int, **save: object) -> Path:
        """A generated picture (colour gradients) at ``relative``, saved with ``save``
        options (``exif=``, ``quality=``…) in the format its suffix names."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        photo(width, height).save(path, **save)
        return path

    def authors(self, authors: dict) -> None:
        self.write("data/authors.yaml", yaml.safe_dump(authors, sort_keys=False))

    def build(self, **options) -> BuildReport:
        options.setdefault("now", NOW)
        options.setdefault("jobs", 1)
        return build_site(load_config(self.root), BuildOptions(**options))

    @property
    def output(self) -> Path:
        return self.root / "public"

    def html(self, relative: str) -> lxml.html.HtmlElement:
        return parse_html(self.output / relative)


def photo(width: int, height: int, seed: int = 1) -> PILImage.Image:
    """A smooth picture with some detail: a few random colours blended across the frame."""
    rnd = random.Random(seed)
    small = PILImage.new("RGB", (4, 3))
    small.putdata([tuple(rnd.randrange(256) for _ in range(3)) for _ in range(12)])
    return small.resize((width, height), PILImage.Resampling.BICUBIC)


def parse_html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


@pytest.fixture
def site(tmp_path: Path) -> SiteMaker:
    return SiteMaker(tmp_path / "site")


def build_example(folder: Path) -> Path:
    """Copy the repository's example site into ``folder``, build it, return the output."""
    for name in ("content", "data", "newsgen.yaml", "static/images"):  # images: the example's
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, folder / name)
        else:
            shutil.copyfile(REPO / name, folder / name)
    output = folder / "public"
    build_site(load_config(folder), BuildOptions(output_dir=output, now=NOW, jobs=1))
    return output

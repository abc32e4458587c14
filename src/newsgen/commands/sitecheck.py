"""``newsgen check``: a build's warnings plus every internal link and image of the pages
it writes, found in the HTML itself (so templates' links are checked too)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..build import BuildOptions, BuildReport, Progress, build_site
from ..errors import ContentError
from ..sources.config import SiteConfig

# (element, attribute) pairs that make the browser fetch or go to an address.
_FOLLOWED = {
    ("a", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("iframe", "src"),
}


def check_site(
    config: SiteConfig, options: BuildOptions, progress: Progress | None = None
) -> tuple[BuildReport, list[ContentError]]:
    """Build into a temporary folder (the output folder is not touched) and return the
    report and every problem: the build's warnings, then the dead internal links."""
    with tempfile.TemporaryDirectory(prefix="newsgen-check-") as folder:
        output = Path(folder) / "site"
        report = build_site(
            config, replace(options, output_dir=output, use_cache=False, strict=False), progress
        )
        dead = dead_links(output, config.base_url)
    # A dead link in an article is a warning already, named by its source line.
    named = "\n".join(warning.message for warning in report.warnings)
    return report, [
        *report.warnings,
        *(link.problem() for link in dead if repr(link.url) not in named),
    ]


@dataclass(frozen=True)
class DeadLink:
    page: str  # the address of the page holding it
    url: str  # as written
    line: int
    image: bool

    def problem(self) -> ContentError:
        what = "image" if self.image else "link"
        return ContentError(self.page, f"{what} to {self.url!r} leads to no file", self.line)


def dead_links(output: Path, base_url: str = "") -> list[DeadLink]:
    """Every internal link or image of a page in ``output`` that no file serves."""
    problems = []
    base = base_url.rstrip("/")
    for folder, subfolders, files in os.walk(output):
        subfolders.sort()
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = Path(folder) / name
            page_url = "/" + path.relative_to(output).as_posix()
            if page_url.endswith("/index.html"):
                page_url = page_url[: -len("index.html")]
            collector = _Links()
            collector.feed(path.read_text(encoding="utf-8", errors="replace"))
            for element, url, line in collector.links:
                target = _internal(url, page_url, base)
                if target is not None and not _served(output, target):
                    problems.append(DeadLink(page_url, url, line, element == "img"))
    return problems


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (tag, name) in _FOLLOWED:
                self.links.append((tag, value, self.getpos()[0]))


def _internal(url: str, page_url: str, base: str) -> str | None:
    """The path on this site ``url`` leads to, or None when it leaves the site."""
    if base and (url == base or url.startswith(base + "/")):
        url = url[len(base) :] or "/"
    parts = urlsplit(urljoin(page_url, url))
    if parts.scheme or parts.netloc or url.startswith("#"):
        return None
    return unquote(parts.path)


def _served(output: Path, path: str) -> bool:
    candidate = output / path.lstrip("/")
    if path.endswith("/"):
        candidate = candidate / "index.html"
    return candidate.is_file() or (candidate / "index.html").is_file()

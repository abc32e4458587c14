"""The repository's example site, built as a new user would build it."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from ..conftest import build_example
from ..links import broken_links


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("example"))


def test_no_internal_link_of_the_example_site_is_broken(example: Path) -> None:
    assert len(list(example.rglob("*.html"))) > 50
    assert broken_links(example) == []


def test_the_reference_shaped_story_reads_like_the_reference_page(example: Path) -> None:
    page = lxml.html.fromstring(
        (example / "world/mediterranean-fisheries-pact-talks/index.html").read_bytes()
    )
    body = page.find_class("article-body")[0]
    first = body.find("p")
    assert first.find_class("dateline")[0].text_content() == "ROME —"
    assert [h.text_content() for h in body.findall("h2")]  # a subheading part-way down
    assert body.findall(".//blockquote")
    assert "\u201c" in body.text_content()  # quotes, with typographic marks
    assert "Nadia Okafor" in page.find_class("byline-foot")[0].text_content()
    recent = page.xpath("//aside[contains(@class, 'sidebar')]//li")
    assert len(recent) == 6
    for item in recent:
        assert item.xpath(".//a[normalize-space()='Read More']")
        assert item.xpath(".//time[@datetime]")
    notice = page.get_element_by_id("cookie-notice")
    assert "This website uses cookies." in notice.text_content()
    assert notice.xpath(".//a[normalize-space()='Read More']/@href") == ["/privacy-policy/"]

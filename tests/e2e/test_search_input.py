"""Pagefind is handed each article page cut down to what it reads: the bundle must be
byte for byte the one the whole pages give, and each result's image the story's own."""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path

import lxml.html

from newsgen.output.search import pagefind_command
from newsgen.output.search_input import search_copy

from ..conftest import build_example


def _pagefind(pages: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    site, bundle = folder / "site", folder / "bundle"
    for relative, html in pages.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(html)
    subprocess.run(pagefind_command(site, bundle), check=True, capture_output=True)
    return {
        p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()
    }


def _fragments(bundle: dict[str, bytes]) -> dict[str, dict]:
    found = {}
    for name, data in bundle.items():
        if name.startswith("fragment/"):
            text = gzip.decompress(data)
            fragment = json.loads(text[text.index(b"{") :])
            found[fragment["url"]] = fragment
    return found


def test_cut_down_pages_index_exactly_as_whole_ones(tmp_path):
    output = build_example(tmp_path / "site")
    pages = {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in sorted(output.rglob("*.html"))
        if b"data-pagefind-body" in p.read_bytes()
    }
    copies = {path: search_copy(html) for path, html in pages.items()}
    assert len(pages) >= 10 and all(copies.values())  # every story of the theme is cut down
    assert all(len(copies[path]) < len(html) / 2 for path, html in pages.items())

    whole = _pagefind(pages, tmp_path / "whole")
    cut = _pagefind({path: copy for path, copy in copies.items() if copy}, tmp_path / "cut")
    assert cut == whole

    # a story's result shows its own lead image, or none: never another story's
    # (Pagefind takes the first image of a page unless told which)
    with_lead = 0
    for url, fragment in _fragments(whole).items():
        page = lxml.html.fromstring(pages[url.strip("/") + "/index.html"])
        lead = page.xpath("//article//figure[contains(@class, 'lead-image')]//img/@src")
        assert fragment["meta"]["image"] == (lead[0] if lead else ""), url
        with_lead += bool(lead)
    assert 0 < with_lead < len(pages)  # both kinds of story were checked


def test_pages_pagefind_may_read_elsewhere_are_handed_over_whole():
    body = b'<article data-pagefind-body data-pagefind-meta="image:"><h1 data-pagefind-meta="title">T</h1></article>'
    page = b'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>%s</body></html>'
    assert search_copy(page % body) is not None
    # a filter outside the indexed element, or no title given in it: whole
    assert search_copy(page % (body + b'<p data-pagefind-filter="section">World</p>')) is None
    assert search_copy(page % body.replace(b' data-pagefind-meta="title"', b"")) is None
    # no image given: Pagefind would take the first image of the page, wherever it is
    assert search_copy(page % body.replace(b' data-pagefind-meta="image:"', b"")) is None
    # nested elements of the same name are kept whole
    nested = body.replace(b"</h1>", b"</h1><article><p>Inner</p></article><p>After</p>")
    copy = search_copy(page % nested)
    assert copy is not None and copy.endswith(b"<p>After</p></article></body></html>")
    # an element named alike is not one of them
    custom = body.replace(b"</h1>", b"</h1><article-card><p>Card</p></article-card><p>End</p>")
    copy = search_copy(page % custom)
    assert copy is not None and copy.endswith(b"<p>End</p></article></body></html>")
    # a script or a comment inside may hide a tag from the count: whole
    for hiding in (b'<script>document.write("</article>")</script>', b"<!-- <article> -->"):
        assert search_copy(page % body.replace(b"</h1>", b"</h1>" + hiding)) is None

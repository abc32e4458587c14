"""Done-when check of issue #3: a generated site of 1,000 articles, read whole."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ..conftest import REPO, SiteMaker
from ..corpus import SECTIONS, UNCONFIGURED_SECTION, Corpus, write_corpus
from ..links import broken_links
from ..listings import all_articles, read_listing

VNU = REPO / "tests" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTICLES = 1000
SAMPLED_ARTICLES = 100


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    maker = SiteMaker(tmp_path_factory.mktemp("large") / "site")
    corpus = write_corpus(maker, ARTICLES, seed=11, per_page=None)
    maker.build(jobs=2)
    return maker.output, corpus


def _listings(corpus: Corpus) -> dict[str, set[str]]:
    """Every listing's URL and the articles it must hold."""
    expected = {"/": {a.url for a in corpus.published}}
    for key in [k for k, _ in SECTIONS] + [UNCONFIGURED_SECTION]:
        expected[f"/{key}/"] = corpus.in_section(key)
    for tag in {t for a in corpus.published for t in a.tags}:
        expected[f"/tags/{tag}/"] = corpus.with_tag(tag)
    for author in {k for a in corpus.published for k in a.authors}:
        expected[f"/authors/{author}/"] = corpus.by_author(author)
    for year, month in corpus.months():
        expected[f"/{year}/{month:02d}/"] = corpus.in_month(year, month)
        expected.setdefault(f"/{year}/", set()).update(corpus.in_month(year, month))
    return expected


def test_every_listing_adds_up_and_every_link_resolves(built):
    output, corpus = built
    assert len(corpus.published) > 950
    for url, articles in _listings(corpus).items():
        pages = read_listing(output, url)
        listed = all_articles(pages)
        assert len(listed) == len(articles), url
        assert set(listed) == articles, url
        # the front page and the full pages below it, counted from the oldest
        assert len(pages) == max(1, len(articles) // corpus.per_page), url
    assert broken_links(output) == []


def test_pages_pass_the_nu_html_checker(built):
    """vnu over all ~1,700 pages took 34-53 s on a two-core machine, over the ~40 s budget,
    so it checks a sample: every page that is not an article (all listings with all their
    pages, the indexes, standalone pages, 404) and 100 articles spread over the archive."""
    output, corpus = built
    articles = sorted(corpus.published, key=lambda a: a.url)
    step = len(articles) // SAMPLED_ARTICLES
    sampled = {output / a.url.strip("/") / "index.html" for a in articles[::step]}
    article_files = {output / a.url.strip("/") / "index.html" for a in articles}
    others = {p for p in output.rglob("*.html") if p not in article_files}
    files = sorted(sampled | others)
    assert len(sampled) >= SAMPLED_ARTICLES and len(others) > 500
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[:5000]

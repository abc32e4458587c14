"""Custom permalink patterns are honoured on every page; colliding patterns are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.errors import BuildFailed

from ..conftest import SiteMaker
from ..corpus import Corpus, write_corpus
from ..links import broken_links
from ..listings import all_articles, page_tree, read_listing

CUSTOM = {
    "article": "/{year}/{month}/{slug}/",
    "tag": "/topics/{tag}/",
    "tags": "/topics/",
    "section": "/news/{section}/",
    "author": "/people/{author}/",
    "authors": "/people/",
    "page": "/info/{slug}/",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    maker = SiteMaker(tmp_path_factory.mktemp("permalinks") / "site")
    corpus = write_corpus(maker, 80, seed=3, per_page=4, permalinks=CUSTOM)
    maker.build()
    return maker.output, corpus


def _url(article) -> str:
    local = article.local()
    return f"/{local.year}/{local.month:02d}/{article.slug}/"


def test_no_link_is_broken_and_no_default_url_is_used(built):
    output, _ = built
    assert broken_links(output) == []
    for default in ("tags", "authors", "world", "about"):
        assert not (output / default).exists()


def test_articles_live_under_their_local_year_and_month(built):
    output, corpus = built
    assert any(a.date.month != a.local().month for a in corpus.published)
    for year, month in corpus.months():
        listed = all_articles(read_listing(output, f"/{year}/{month:02d}/"))
        expected = {
            _url(a) for a in corpus.published if (a.local().year, a.local().month) == (year, month)
        }
        assert set(listed) == expected
        assert all(url.startswith(f"/{year}/{month:02d}/") for url in listed)


def test_listings_and_their_pages_use_the_patterns(built):
    output, corpus = built
    home = all_articles(read_listing(output, "/"))
    assert sorted(home) == sorted(_url(a) for a in corpus.published)
    menu = page_tree(output, "/").xpath("//nav[@aria-label='Sections']//a/@href")
    assert menu[:2] == ["/news/world/", "/news/politics/"]
    largest = max({a.section for a in corpus.published}, key=lambda k: len(corpus.in_section(k)))
    pages = read_listing(output, f"/news/{largest}/")
    assert len(pages) > 1
    assert pages[-1].url == f"/news/{largest}/page/1/"
    tag = sorted({t for a in corpus.published for t in a.tags})[0]
    listed = all_articles(read_listing(output, f"/topics/{tag}/"))
    assert set(listed) == {_url(a) for a in corpus.published if tag in a.tags}
    crumbs = page_tree(output, f"/topics/{tag}/").xpath("//nav[@aria-label='Breadcrumb']//a/@href")
    assert crumbs == ["/", "/topics/"]
    assert set(all_articles(read_listing(output, "/people/ana-lima/"))) == {
        _url(a) for a in corpus.published if "ana-lima" in a.authors
    }


def test_article_pages_link_with_the_patterns(built):
    output, corpus = built
    article = next(a for a in corpus.published if a.tags and a.section == "world")
    tree = page_tree(output, _url(article))
    assert tree.xpath("//a[@rel='tag']/@href") == [f"/topics/{t}/" for t in article.tags]
    assert tree.xpath("//a[@rel='author']/@href") == [f"/people/{k}/" for k in article.authors]
    assert "/news/world/" in tree.xpath("//nav[@aria-label='Breadcrumb']//a/@href")
    footer = tree.xpath("//footer//a/@href")
    assert {"/info/about/", "/topics/", "/people/"} <= set(footer)


@pytest.mark.parametrize(
    ("permalinks", "page", "sources"),
    [
        ({}, "world", ("content/pages/world.md", "section listing 'world'")),
        ({"tag": "/{tag}/"}, None, ("section listing 'world'", "tag listing 'World'")),
        ({"article": "/{slug}/"}, "story", ("content/pages/story.md", "content/world/story.md")),
    ],
)
def test_two_pages_at_one_url_is_an_error_naming_both(site: SiteMaker, permalinks, page, sources):
    site.config({"title": "T", "permalinks": permalinks})
    site.article("world/story.md", "Story", "2026-01-05", tags=["World"])
    if page:
        site.write(f"content/pages/{page}.md", f"---\ntitle: {page.title()}\n---\nText.\n")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    (error,) = failure.value.errors
    assert all(source in str(error) for source in sources), str(error)
    assert "is also produced by" in str(error)

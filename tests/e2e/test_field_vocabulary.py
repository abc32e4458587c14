"""The field tables seen from a site: a registered front matter field reaches templates
and the build state, and bad values in each YAML file are named at ``path:line``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from newsgen.cli import main
from newsgen.output.statedb import state_key
from newsgen.sources.articlefields import register_article_field, unregister_article_field
from newsgen.sources.fields import Converter, FieldSpec, Invalid, ReadContext
from tests.conftest import SiteMaker

LISTING = (
    '{% for article in listing.items %}<p class="card">{{ article.title }}|'
    "{{ article.extra.rating | default('-') }}</p>{% endfor %}\n"
)
ARTICLE = (
    "<h1>{{ article.title }}</h1><p id=\"rating\">{{ article.extra.rating | default('-') }}</p>\n"
)


def _stars(value: Any, context: ReadContext) -> str:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise Invalid
    return "*" * value


STARS = Converter("a whole number of stars from 1 to 5", _stars, "stars")


@pytest.fixture
def rating() -> Iterator[Any]:
    """Registers ``rating`` with the ``teaser`` flag asked for, and removes it after."""
    names: list[str] = []

    def register(teaser: bool) -> None:
        register_article_field(FieldSpec("rating", STARS, default="unrated", teaser=teaser))
        names.append("rating")

    yield register
    for name in names[:1]:
        unregister_article_field(name)


def _reviews(site: SiteMaker) -> None:
    site.config({"title": "Reviews", "base_url": "https://r.example", "search": False})
    site.write("templates/listing.html", LISTING)
    site.write("templates/article.html", ARTICLE)
    site.article("reviews/film.md", "Film", "2026-11-01T10:00:00Z", rating=4)
    site.article("reviews/play.md", "Play", "2026-11-02T10:00:00Z")


def _text(site: SiteMaker, path: str, xpath: str) -> list[str]:
    return [element.text_content() for element in site.html(path).xpath(xpath)]


def test_a_registered_field_is_read_into_templates_and_rekeys_the_state(site, rating):
    _reviews(site)
    site.build()
    # unregistered, the key is an unknown one: kept as written
    assert _text(site, "reviews/film/index.html", "//p[@id='rating']") == ["4"]
    before = state_key()

    rating(teaser=True)
    assert state_key() != before  # the stored state is not trusted any more
    site.build()  # same sources, same state folder: they are read again
    assert _text(site, "reviews/film/index.html", "//p[@id='rating']") == ["****"]
    assert _text(site, "reviews/play/index.html", "//p[@id='rating']") == ["unrated"]
    assert _text(site, "reviews/index.html", "//p[@class='card']") == [
        "Play|unrated",
        "Film|****",
    ]
    fresh = site.root / "fresh"
    site.build(output_dir=fresh, use_cache=False)
    assert (fresh / "reviews/index.html").read_bytes() == (
        site.output / "reviews/index.html"
    ).read_bytes()


def test_a_bad_value_of_a_registered_field_is_an_error_at_its_line(site, rating, capsys):
    rating(teaser=False)
    _reviews(site)
    site.article("reviews/opera.md", "Opera", "2026-11-03T10:00:00Z", rating="great")
    assert main(["build", "--source", str(site.root), "-q"]) == 1
    err = capsys.readouterr().err
    expected = "content/reviews/opera.md:4: 'rating' must be a whole number of stars"
    assert f"{expected} from 1 to 5, not 'great'" in err


@pytest.mark.parametrize("teaser", [True, False])
def test_the_teaser_flag_decides_whether_listings_are_made_again(site, rating, teaser):
    rating(teaser=teaser)
    _reviews(site)
    site.build()
    site.article("reviews/film.md", "Film", "2026-11-01T10:00:00Z", rating=2)
    report = site.build()
    assert _text(site, "reviews/film/index.html", "//p[@id='rating']") == ["**"]
    cards = _text(site, "reviews/index.html", "//p[@class='card']")
    if teaser:
        assert cards == ["Play|unrated", "Film|**"]
        assert report.rendered > 2  # the story, its section, the home page...
    else:  # cards do not show it: only the story's own page is made again
        assert report.rendered == 1


def test_each_yaml_file_names_its_problems_at_their_line(site, capsys):
    site.config({"title": "T", "feeds": {"entries": 0, "per_tgs": True}, "per_page": "ten"})
    assert main(["build", "--source", str(site.root), "-q"]) == 1
    err = capsys.readouterr().err
    assert "newsgen.yaml:3: 'feeds.entries' must be a whole number of at least 1, not 0" in err
    assert "newsgen.yaml:4: unknown key 'feeds.per_tgs' (did you mean 'feeds.per_tag'?)" in err
    assert "newsgen.yaml:5: 'per_page' must be a whole number of at least 1, not 'ten'" in err

    site.config({"title": "T", "base_url": "https://t.example"})
    site.authors({"ana": {"name": "Ana"}, "bo": {"name": "Bo", "bio": ["x"], "lnks": {}}})
    site.write(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2026-11-02\nauthor: ana\ntype: opnion\n"
        "image:\n  src: /a.jpg\n  width: wide\n---\nBody.\n",
    )
    assert main(["build", "--source", str(site.root), "-q"]) == 1
    err = capsys.readouterr().err
    assert "data/authors.yaml:5: author 'bo': 'bio' must be text, not a list" in err
    assert "data/authors.yaml:7: author 'bo': unknown key 'lnks' (did you mean 'links'?)" in err
    assert (
        "content/news/a.md:5: 'type' must be one of report, opinion, analysis, review, "
        "sponsored, live, not 'opnion' (did you mean 'opinion'?)" in err
    )
    assert "content/news/a.md:8: 'image.width' must be a whole number, not 'wide'" in err
    assert "Traceback" not in err

"""The structure of a whole news site, checked on a generated site of a few hundred articles."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from pathlib import Path

import pytest

from newsgen.errors import BuildFailed
from newsgen.sources.markup import reading_minutes

from ..conftest import SiteMaker
from ..corpus import DESCRIBED, PAGES, SECTIONS, TAGS, UNCONFIGURED_SECTION, Corpus, write_corpus
from ..links import broken_links, resolve
from ..listings import all_articles, page_tree, read_listing

ARTICLES = 300


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Corpus]:
    maker = SiteMaker(tmp_path_factory.mktemp("structure") / "site")
    corpus = write_corpus(maker, ARTICLES)
    maker.build()
    return maker.output, corpus


def _crumbs(tree) -> list[tuple[str, str | None]]:
    items = tree.xpath("//nav[@aria-label='Breadcrumb']//li")
    return [(li.text_content().strip(), (li.xpath("a/@href") or [None])[0]) for li in items]


def test_menu_follows_the_configuration_and_every_section_has_its_page(built):
    output, corpus = built
    menu = page_tree(output, "/").xpath("//nav[@aria-label='Sections']//a")
    expected = [key for key, _ in SECTIONS] + [UNCONFIGURED_SECTION]
    assert [a.get("href") for a in menu][: len(expected)] == [f"/{key}/" for key in expected]
    assert [a.text for a in menu][: len(SECTIONS)] == [title for _, title in SECTIONS]
    assert corpus.in_section(UNCONFIGURED_SECTION), "the corpus has unconfigured articles"


def test_every_article_is_in_exactly_one_section_listing_newest_first(built):
    output, corpus = built
    seen: Counter[str] = Counter()
    dates = {a.url: a.date for a in corpus.published}
    for key in [k for k, _ in SECTIONS] + [UNCONFIGURED_SECTION]:
        listed = all_articles(read_listing(output, f"/{key}/"))
        assert set(listed) == corpus.in_section(key)
        assert [dates[u] for u in listed] == sorted((dates[u] for u in listed), reverse=True)
        seen.update(listed)
    assert seen == Counter(a.url for a in corpus.published)


def test_home_pages_add_up_to_every_published_article(built):
    output, corpus = built
    pages = read_listing(output, "/")
    published = len(corpus.published)
    per_page = corpus.per_page
    # full numbered pages counted from the oldest; the front page holds the rest
    assert len(pages) == published // per_page
    assert [len(p.articles) for p in pages[1:]] == [per_page] * (len(pages) - 1)
    assert per_page <= len(pages[0].articles) < 2 * per_page
    assert sum(len(p.articles) for p in pages) == published
    assert sorted(all_articles(pages)) == sorted(a.url for a in corpus.published)
    assert resolve(output, f"/page/{len(pages)}/") is None
    assert resolve(output, "/page/0/") is None
    assert _crumbs(page_tree(output, "/page/2/")) == [("Home", "/"), ("Page 2", None)]


def test_every_article_is_in_each_of_its_tags_listings_and_the_tag_index(built):
    output, corpus = built
    index = page_tree(output, "/tags/")
    links = index.xpath("//main//a/@href")
    used = {slug for a in corpus.published for slug in a.tags}
    assert {link for link in links if link.startswith("/tags/")} == {f"/tags/{t}/" for t in used}
    assert len(used) > len(TAGS) // 2
    for slug in sorted(used):
        pages = read_listing(output, f"/tags/{slug}/")
        listed = all_articles(pages)
        assert len(listed) == len(set(listed)) == len(corpus.with_tag(slug))
        assert set(listed) == corpus.with_tag(slug)


def test_pagination_has_numbered_prev_next_links_and_page_n_urls(built):
    output, corpus = built
    pages = read_listing(output, "/world/")
    newest = len(pages) - 1  # numbered pages, counted from the oldest
    assert newest >= 5
    front = page_tree(output, "/world/")
    nav = front.xpath("//nav[contains(@class, 'pagination')]")[0]
    assert nav.xpath(".//a[@rel='prev']") == []
    assert nav.xpath(".//a[@rel='next']/@href") == [f"/world/page/{newest}/"]
    numbers = [li.text_content() for li in nav.xpath(".//ol/li")]
    assert numbers == ["Latest", *(str(n) for n in range(newest, newest - 3, -1)), "…", "1"]
    second = page_tree(output, "/world/page/2/")
    nav = second.xpath("//nav[contains(@class, 'pagination')]")[0]
    assert nav.xpath(".//a[@rel='prev']/@href") == ["/world/page/3/"]
    assert nav.xpath(".//a[@rel='next']/@href") == ["/world/page/1/"]
    assert nav.xpath(".//*[@aria-current='page']")[0].text == "2"
    numbers = [li.text_content() for li in nav.xpath(".//ol/li")]
    assert numbers == ["Latest", "…", "4", "3", "2", "1"]
    assert nav.xpath(".//ol//a/@href")[0] == "/world/"
    assert _crumbs(second) == [("Home", "/"), ("World", "/world/"), ("Page 2", None)]
    assert resolve(output, f"/world/page/{newest + 1}/") is None
    assert page_tree(output, "/world/page/1/").xpath("//head/link[@rel='next']") == []
    assert page_tree(output, f"/world/page/{newest}/").xpath("//head/link[@rel='prev']/@href") == [
        "/world/"
    ]


def test_author_pages_exist_for_every_byline_and_list_their_articles(built):
    output, corpus = built
    for article in corpus.published:
        tree = page_tree(output, article.url)
        bylines = tree.xpath("//a[@rel='author']/@href")
        assert bylines == [f"/authors/{key}/" for key in article.authors], article.source
    for key in {k for a in corpus.published for k in a.authors}:
        assert set(all_articles(read_listing(output, f"/authors/{key}/"))) == corpus.by_author(key)
    ana = page_tree(output, "/authors/ana-lima/")
    assert ana.xpath("//h1")[0].text == DESCRIBED["ana-lima"]
    assert "Ana Lima reports for the Courier." in ana.xpath("//main")[0].text_content()
    guest = page_tree(output, "/authors/guest-contributor/")
    assert guest.xpath("//h1")[0].text == "Guest Contributor"
    assert "reports for the Courier" not in guest.xpath("//main")[0].text_content()
    assert page_tree(output, "/authors/silent-partner/").xpath("//h1")[0].text == "Silent Partner"


def test_archives_hold_exactly_their_months(built):
    output, corpus = built
    months = corpus.months()
    on_disk = {
        (int(p.parent.parent.name), int(p.parent.name))
        for p in output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html")
    }
    assert on_disk == months
    for year, month in sorted(months):
        listed = all_articles(read_listing(output, f"/{year}/{month:02d}/"))
        assert len(listed) == len(set(listed))
        assert set(listed) == corpus.in_month(year, month)
        assert _crumbs(page_tree(output, f"/{year}/{month:02d}/")) == [
            ("Home", "/"),
            (str(year), f"/{year}/"),
            (f"{calendar.month_name[month]} {year}", None),
        ]
    for year in {y for y, _ in months}:
        pages = read_listing(output, f"/{year}/")
        expected = set().union(*(corpus.in_month(year, m) for y, m in months if y == year))
        assert sorted(all_articles(pages)) == sorted(expected)
        nav = page_tree(output, f"/{year}/").xpath("//main//a")
        assert {
            (a.get("href"), a.text) for a in nav if re.fullmatch(r"\w+ \d{4}", a.text or "")
        } == {
            (f"/{year}/{m:02d}/", f"{calendar.month_name[m]} {year}")
            for y, m in months
            if y == year
        }


def test_an_article_late_on_a_months_last_day_is_filed_under_the_local_month(built):
    output, corpus = built
    late = [a for a in corpus.published if a.date.month != a.local().month]
    assert late
    for article in late:
        local = article.local()
        assert article.url in all_articles(
            read_listing(output, f"/{local.year}/{local.month:02d}/")
        )


def test_related_articles_never_include_the_article_and_share_a_tag_or_section(built):
    output, corpus = built
    by_url = {a.url: a for a in corpus.published}
    for article in corpus.published:
        tree = page_tree(output, article.url)
        related = tree.xpath("//section[@aria-labelledby='related-title']//a/@href")
        candidates = [  # only earlier stories: a new one never changes an older page
            other
            for other in corpus.published
            if (other.date, other.slug, other.source) < (article.date, article.slug, article.source)
            and (other.section == article.section or set(other.tags) & set(article.tags))
        ]
        assert len(related) == min(3, len(candidates)), article.source
        assert article.url not in related
        for url in related:
            assert by_url[url] in candidates


def test_standalone_pages_are_published_and_stay_out_of_listings(built):
    output, corpus = built
    page_urls = {f"/{slug}/" for slug, _ in PAGES}
    for slug, title in PAGES:
        tree = page_tree(output, f"/{slug}/")
        assert tree.xpath("//h1")[0].text == title
        assert _crumbs(tree) == [("Home", "/"), (title, None)]
    footer = page_tree(output, "/").xpath("//footer//a/@href")
    assert page_urls <= set(footer)
    listings = ["/", *(f"/{key}/" for key, _ in SECTIONS), "/authors/ana-lima/"]
    for url in listings:
        assert not page_urls & set(all_articles(read_listing(output, url)))


def test_drafts_and_future_articles_are_nowhere(built):
    output, corpus = built
    hidden = [a for a in corpus.articles if not a.published]
    assert hidden
    home = set(all_articles(read_listing(output, "/")))
    for article in hidden:
        assert resolve(output, article.url) is None
        assert article.url not in home


def test_article_page_shows_reading_time_updates_corrections_and_breadcrumbs(built):
    output, corpus = built
    corrected = [a for a in corpus.published if a.title.endswith("story 13")]
    assert corrected
    article = corrected[0]
    tree = page_tree(output, article.url)
    minutes = reading_minutes(article.words)
    reading = tree.xpath("//*[contains(@class, 'reading-time')]")[0].text_content()
    assert reading == f"{minutes} min read ({article.words} words)"
    assert tree.xpath("//*[contains(@class, 'updated')]")[0].text_content().startswith("Updated ")
    corrections = tree.xpath("//section[contains(@class, 'corrections')]//li")
    assert [li.text_content().split(": ", 1)[1] for li in corrections] == ["Fixed a name in 13."]
    section_title = dict(SECTIONS).get(article.section, article.section.title())
    assert _crumbs(tree) == [
        ("Home", "/"),
        (section_title, f"/{article.section}/"),
        (article.title, None),
    ]


def test_not_found_page_has_the_site_look(built):
    output, _ = built
    tree = page_tree(output, "/404.html")
    assert tree.xpath("//h1")[0].text == "Page not found"
    assert tree.xpath("//nav[@aria-label='Sections']//a/@href")[0] == "/world/"
    assert tree.xpath("//link[@rel='stylesheet']/@href")


def test_every_internal_link_of_the_site_resolves(built):
    output, _ = built
    assert broken_links(output) == []


def test_a_mistyped_author_key_is_an_error_with_a_hint(site):
    site.authors({"nadia-okafor": {"name": "Nadia Okafor"}})
    site.article("world/a.md", "A story", "2026-01-05", author="nadia-okafr")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert "did you mean 'nadia-okafor'?" in str(failure.value)
    assert "content/world/a.md" in str(failure.value)


def test_a_typo_in_authors_names_the_authors_line(site):
    site.authors({"nadia-okafor": {"name": "Nadia Okafor"}, "tomas-reyes": {"name": "T R"}})
    site.write(
        "content/world/b.md",
        "---\ntitle: B\ndate: 2026-01-05\nauthor: tomas-reyes\nauthors: [nadia-okafr]\n---\nx\n",
    )
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert "content/world/b.md:5: unknown author 'nadia-okafr'" in str(failure.value)


def test_an_author_name_without_letters_is_an_error_not_a_crash(site):
    site.article("world/a.md", "A story", "2026-01-05", author="★")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert "content/world/a.md:4: author '★' has no letters or digits" in str(failure.value)


def test_an_author_named_by_key_or_display_name_gets_one_page(site):
    nadia = {
        "name": "Nadia Okafor",
        "bio": "Diplomatic correspondent.",
        "avatar": "/images/nadia.svg",
        "links": {"Mastodon": "https://example.social/@nadia"},
    }
    site.authors({"nadia-okafor": nadia})
    site.write(
        "static/images/nadia.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"/>'
    )
    site.article("world/a.md", "By key", "2026-01-05", author="nadia-okafor")
    site.article("world/b.md", "By name", "2026-01-06", authors=["Nadia Okafor", "Jo Guest"])
    site.build()
    listed = all_articles(read_listing(site.output, "/authors/nadia-okafor/"))
    assert listed == ["/world/by-name/", "/world/by-key/"]
    assert all_articles(read_listing(site.output, "/authors/jo-guest/")) == ["/world/by-name/"]
    byline = site.html("world/by-name/index.html").xpath("//a[@rel='author']/@href")
    assert byline == ["/authors/nadia-okafor/", "/authors/jo-guest/"]
    page = site.html("authors/nadia-okafor/index.html").xpath("//main")[0]
    assert page.xpath(".//h1")[0].text == "Nadia Okafor"
    assert "Diplomatic correspondent." in page.text_content()
    assert "/images/nadia.svg" in page.xpath(".//img/@src")
    assert page.xpath(".//a[@rel='me']/@href") == ["https://example.social/@nadia"]
    guest = site.html("authors/jo-guest/index.html").xpath("//main")[0]
    assert guest.xpath(".//h1")[0].text == "Jo Guest" and not guest.xpath(".//img")


def test_a_rebuild_updates_the_month_counts_of_a_year_page_whose_articles_did_not_change(site):
    site.config({"title": "T", "per_page": 2, "recent_posts": 2})
    for day in (10, 11, 12, 13):
        site.article(f"world/nov-{day}.md", f"November {day}", f"2026-11-{day}T10:00:00Z")
    site.article("world/march.md", "March", "2026-03-02T10:00:00Z")
    site.build()
    site.article("world/april.md", "April", "2026-04-02T10:00:00Z")
    site.build()
    months = site.html("2026/index.html").xpath("//main//a[@href='/2026/04/']/..")
    assert months and "(1)" in months[0].text_content()


def test_a_configured_section_key_matches_the_articles_that_name_it(site):
    site.config({"title": "T", "sections": [{"key": "Local News", "title": "Local"}]})
    site.article("local-news/a.md", "A", "2026-01-05")
    site.article("elsewhere/b.md", "B", "2026-01-06", section="Local News")
    site.build()
    menu = site.html("index.html").xpath("//nav[@aria-label='Sections']//a")
    assert [(a.get("href"), a.text) for a in menu if a.text != "Search"] == [
        ("/local-news/", "Local")
    ]
    listed = all_articles(read_listing(site.output, "/local-news/"))
    assert listed == ["/local-news/b/", "/local-news/a/"]

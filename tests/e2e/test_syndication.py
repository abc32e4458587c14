"""Feeds, sitemaps, the Google News sitemap and robots.txt, read as a crawler would."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import lxml.etree
import pytest
import xmlschema

from newsgen.build import BuildOptions, load_and_build
from newsgen.model.site import assemble_site
from newsgen.plan import sitemaps
from newsgen.plan.pagespec import PlannedOutput
from newsgen.render.templating import create_environment
from newsgen.sources.config import load_config

from ..conftest import NOW
from ..links import resolve

XSD = Path(__file__).resolve().parents[1] / "xsd"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
BASE = "https://test.example"


def _schema(name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD / name))


def _news_schema() -> xmlschema.XMLSchema:
    schema = xmlschema.XMLSchema(str(XSD / "sitemap.xsd"), build=False)
    schema.import_schema(NEWS[1:-1], str(XSD / "sitemap-news.xsd"))
    schema.build()
    return schema


def _feed_site(site, count: int = 25, **feeds) -> None:
    site.config(
        {"title": "Test Times", "base_url": BASE, "timezone": "UTC", "feeds": feeds}
    )  # fmt: skip
    site.write(
        "static/images/x.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'
    )
    for number in range(count):
        section = "world" if number % 2 else "business"
        day = NOW - timedelta(hours=7 * number + 1)
        site.article(
            f"{section}/story-{number}.md",
            f"Story {number} & <friends>",
            day.isoformat(),
            f"Paragraph {number} with [a link](/world/) and ![pic](/images/x.svg).",
            author="Jo Writer",
            tags=["Harbour", f"Topic {number % 3}"],
            slug=f"story-{number}",
            updated=(day + timedelta(hours=2)).isoformat() if number == 3 else None,
        )


def _check_feed(path: Path, expected: int) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    entries = parsed.entries
    assert len(entries) == expected
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    for entry in entries:
        assert entry.title.startswith("Story ")
        assert entry.link.startswith(BASE + "/")
        assert entry.published_parsed is not None
    assert len({e.id for e in entries}) == len(entries)
    return parsed


def test_site_and_section_feeds_parse_clean_with_the_newest_entries(site):
    _feed_site(site)
    site.build()
    out = site.output
    for name in ("feed.xml", "atom.xml"):
        parsed = _check_feed(out / name, 20)
        assert parsed.entries[0].title == "Story 0 & <friends>"
        assert parsed.entries[0].link == f"{BASE}/business/story-0/"
        assert "content" not in parsed.entries[0]
        assert parsed.entries[0].summary == "Paragraph 0 with a link and ."
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    story3 = next(e for e in atom.entries if e.title.startswith("Story 3 "))
    assert story3.updated != story3.published
    world = _check_feed(out / "world/feed.xml", 12)
    assert all("/world/" in e.link for e in world.entries)
    _check_feed(out / "business/atom.xml", 13)
    assert not (out / "tags/harbour/feed.xml").exists()
    assert not (out / "authors/jo-writer/feed.xml").exists()


def test_json_feed_is_version_1_1_with_absolute_urls_and_dates(site):
    _feed_site(site, count=3)
    site.build()
    feed = json.loads((site.output / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{BASE}/feed.json"
    assert [i["title"] for i in feed["items"]] == [f"Story {n} & <friends>" for n in range(3)]
    for item in feed["items"]:
        assert item["url"].startswith(BASE + "/") and item["id"] == item["url"]
        assert W3C.match(item["date_published"]) and W3C.match(item["date_modified"])
        assert item["authors"] == [{"name": "Jo Writer", "url": f"{BASE}/authors/jo-writer/"}]


def test_tag_and_author_feeds_and_full_content_when_configured(site):
    _feed_site(site, count=5, per_tag=True, per_author=True, full_content=True, entries=3)
    site.build()
    out = site.output
    tag = _check_feed(out / "tags/topic-1/feed.xml", 2)
    assert [e.title for e in tag.entries] == ["Story 1 & <friends>", "Story 4 & <friends>"]
    _check_feed(out / "authors/jo-writer/atom.xml", 3)
    entry = _check_feed(out / "atom.xml", 3).entries[0]
    content = entry.content[0].value
    assert f'href="{BASE}/world/"' in content and f'src="{BASE}/images/x.svg"' in content
    page = site.html("tags/topic-1/index.html")
    hrefs = page.xpath("//link[@rel='alternate']/@href")
    assert f"{BASE}/tags/topic-1/feed.xml" in hrefs and f"{BASE}/feed.xml" in hrefs


def test_every_page_links_its_feeds_and_they_exist(site):
    _feed_site(site, count=4)
    site.build()
    out = site.output
    for path in out.rglob("*.html"):
        page = site.html(path.relative_to(out).as_posix())
        links = page.xpath("//head/link[@rel='alternate']")
        types = {link.get("type") for link in links}
        assert types == {"application/rss+xml", "application/atom+xml", "application/feed+json"}
        for link in links:
            assert link.get("href").startswith(BASE + "/")
            assert resolve(out, link.get("href")[len(BASE) :]) is not None, link.get("href")


def test_feed_is_rendered_again_when_an_article_changes(site):
    _feed_site(site, count=2)
    site.build()
    site.article(
        "business/story-0.md",
        "A new headline",
        (NOW - timedelta(hours=1)).isoformat(),
        slug="story-0",
    )
    site.build()
    titles = [e.title for e in feedparser.parse((site.output / "feed.xml").read_bytes()).entries]
    assert titles[0] == "A new headline"


def _locs(path: Path, tag: str = "url") -> list[str]:
    return [
        e.text for e in lxml.etree.parse(str(path)).iter(f"{SM}{tag}") for e in e.iter(f"{SM}loc")
    ]


def _sitemap_urls(out: Path) -> list:
    """The ``url`` elements of every part of the sitemap index, each part validated."""
    _schema("siteindex.xsd").validate(str(out / "sitemap.xml"))
    found = []
    for part in _locs(out / "sitemap.xml", "sitemap"):
        assert part.startswith(f"{BASE}/sitemap-") and part.endswith(".xml"), part
        path = out / part[len(BASE) + 1 :]
        _schema("sitemap.xsd").validate(str(path))
        found += list(lxml.etree.parse(str(path)).iter(f"{SM}url"))
    return found


def test_sitemap_lists_every_indexable_page_with_w3c_lastmod(site):
    _feed_site(site, count=4)
    site.write("content/pages/about.md", "---\ntitle: About\n---\nWho we are.\n")
    site.build()
    out = site.output
    entries = _sitemap_urls(out)
    locs = [u.findtext(f"{SM}loc") for u in entries]
    assert len(locs) == len(set(locs))
    for loc in locs:
        assert loc.startswith(BASE + "/")
        assert resolve(out, loc[len(BASE) :]) is not None, loc
    for entry in entries:
        lastmod = entry.findtext(f"{SM}lastmod")
        assert lastmod is None or W3C.match(lastmod), lastmod
    expected = {
        f"{BASE}/{p.parent.relative_to(out).as_posix()}/".replace(f"{BASE}/./", f"{BASE}/")
        for p in out.rglob("index.html")
        if p.parent.name != "search"
    }
    assert set(locs) == expected
    article = next(u for u in entries if u.findtext(f"{SM}loc") == f"{BASE}/world/story-3/")
    assert article.findtext(f"{SM}lastmod") == "2026-11-27T16:00:00+00:00"
    robots = (out / "robots.txt").read_text()
    assert f"Sitemap: {BASE}/sitemap.xml\n" in robots
    assert f"Sitemap: {BASE}/news-sitemap.xml\n" in robots


def test_sitemap_parts_are_one_per_month_of_stories_and_one_for_other_pages(site):
    _feed_site(site, count=3)
    site.article("world/old.md", "An older story", "2025-03-04T10:00:00Z")
    site.build()
    out = site.output
    parts = _locs(out / "sitemap.xml", "sitemap")
    assert parts == [
        f"{BASE}/sitemap-pages.xml",
        f"{BASE}/sitemap-2026-11.xml",
        f"{BASE}/sitemap-2025-03.xml",
    ]
    assert _locs(out / "sitemap-2025-03.xml") == [f"{BASE}/world/an-older-story/"]
    assert f"{BASE}/world/" in _locs(out / "sitemap-pages.xml")
    # a new story this month changes that month's part, the pages part (the listings) and
    # at most the index (when the parts' newest change moves)
    before = {p.name: p.read_bytes() for p in out.glob("sitemap*.xml")}
    site.article("world/newer.md", "A newer story", "2026-11-28T09:00:00Z")
    site.build()
    after = {p.name: p.read_bytes() for p in out.glob("sitemap*.xml")}
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed - {"sitemap.xml"} == {"sitemap-pages.xml", "sitemap-2026-11.xml"}


def test_a_parts_last_change_is_its_latest_moment_across_a_change_of_offset(site):
    """Where the clocks go back, a story written an hour later reads earlier on the clock:
    the index dates the month's part by the later moment, not the later text."""
    site.config({"title": "Test Times", "base_url": BASE, "timezone": "Europe/Berlin"})
    site.article("world/before.md", "Before the change", "2026-10-25T02:30:00+02:00")
    site.article("world/after.md", "After the change", "2026-10-25T02:10:00+01:00")
    site.build()
    index = lxml.etree.parse(str(site.output / "sitemap.xml"))
    parts = {
        element.findtext(f"{SM}loc"): element.findtext(f"{SM}lastmod")
        for element in index.iter(f"{SM}sitemap")
    }
    assert parts[f"{BASE}/sitemap-2026-10.xml"] == "2026-10-25T02:10:00+01:00"
    lastmods = [
        e.text
        for e in lxml.etree.parse(str(site.output / "sitemap-2026-10.xml")).iter(f"{SM}lastmod")
    ]
    assert sorted(lastmods) == ["2026-10-25T02:10:00+01:00", "2026-10-25T02:30:00+02:00"]


def test_large_site_gets_a_sitemap_index_of_parts(site, monkeypatch):
    monkeypatch.setattr(sitemaps, "MAX_URLS", 10)
    _feed_site(site, count=12)
    site.build()
    out = site.output
    parts = _locs(out / "sitemap.xml", "sitemap")
    assert len(parts) >= 3
    urls = []
    for part in parts:
        found = _locs(out / part[len(BASE) + 1 :])
        assert 0 < len(found) <= 10
        urls += found
    assert len(urls) == len(set(urls)) and f"{BASE}/world/story-1/" in urls
    assert len(_sitemap_urls(out)) == len(urls)


def test_the_real_limit_splits_50001_urls_into_two_parts(tmp_path):
    (tmp_path / "newsgen.yaml").write_text(f"base_url: {BASE}\n")
    config = load_config(tmp_path)
    env = create_environment(config)
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    pages = [
        PlannedOutput(f"a/{n}/index.html", f"{BASE}/a/{n}/", "", "", "2026-01", moment.isoformat())
        for n in range(50_001)
    ]
    site = assemble_site(config, [], [], [], now=moment, drafts=False, future=False)

    specs = sitemaps.plan_sitemaps(site, {"2026-01": pages})
    assert [s.url for s in specs] == [
        "/sitemap.xml",
        "/sitemap-2026-01.xml",
        "/sitemap-2026-01-2.xml",
    ]
    rendered = {
        s.url: env.get_template(s.template).render(s.context.variables()).encode() for s in specs
    }
    index = lxml.etree.fromstring(rendered["/sitemap.xml"])
    _schema("siteindex.xsd").validate(index)
    assert [e.text for e in index.iter(f"{SM}loc")] == [
        f"{BASE}/sitemap-2026-01.xml",
        f"{BASE}/sitemap-2026-01-2.xml",
    ]
    first = lxml.etree.fromstring(rendered["/sitemap-2026-01.xml"])
    assert len(first.findall(f"{SM}url")) == 50_000
    last = lxml.etree.fromstring(rendered["/sitemap-2026-01-2.xml"])
    _schema("sitemap.xsd").validate(last)
    assert [e.text for e in last.iter(f"{SM}loc")] == [f"{BASE}/a/50000/"]


def test_news_sitemap_keeps_exactly_the_last_two_days(site):
    site.config(
        {
            "title": "Test Times",
            "base_url": BASE,
            "language": "de",
            "publisher": {"name": "Times & Co"},
        }
    )
    ages = {"fresh": 1, "yesterday": 30, "edge": 47, "old": 49, "older": 24 * 10}
    for slug, hours in ages.items():
        site.article(
            f"world/{slug}.md",
            f"{slug} <title>",
            (NOW - timedelta(hours=hours)).isoformat(),
            slug=slug,
        )
    site.article("world/later.md", "later", (NOW + timedelta(hours=1)).isoformat(), slug="later")
    site.build(future=True)
    path = site.output / "news-sitemap.xml"
    _news_schema().validate(str(path))
    tree = lxml.etree.parse(str(path))
    urls = tree.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == [
        f"{BASE}/world/{s}/" for s in ("fresh", "yesterday", "edge")
    ]
    for url in urls:
        news = url.find(f"{NEWS}news")
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Times & Co"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "de"
        assert W3C.match(news.findtext(f"{NEWS}publication_date"))
        assert news.findtext(f"{NEWS}title").endswith(" <title>")


def test_news_sitemap_is_capped_and_absent_without_recent_news(site, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_MAX", 2)
    for number in range(3):
        site.article(
            f"world/s{number}.md", f"S{number}", (NOW - timedelta(hours=number + 1)).isoformat()
        )
    site.build()
    assert len(lxml.etree.parse(str(site.output / "news-sitemap.xml")).findall(f"{SM}url")) == 2
    for number in range(3):
        site.article(f"world/s{number}.md", f"S{number}", "2020-01-01T00:00:00+00:00")
    site.build()
    assert not (site.output / "news-sitemap.xml").exists()
    assert "news-sitemap" not in (site.output / "robots.txt").read_text()


def test_base_url_override_reaches_feeds_sitemaps_and_canonical(site, tmp_path):
    _feed_site(site, count=2)
    out = tmp_path / "served"
    options = BuildOptions(output_dir=out, now=NOW, jobs=1)
    load_and_build(site.root, options, base_url="http://127.0.0.1:8000/")
    local = "http://127.0.0.1:8000"
    parts = _locs(out / "sitemap.xml", "sitemap")
    locs = [loc for part in parts for loc in _locs(out / part[len(local) + 1 :])]
    assert parts and locs and all(loc.startswith(local + "/") for loc in [*parts, *locs])
    assert feedparser.parse((out / "feed.xml").read_bytes()).entries[0].link.startswith(local + "/")
    assert f"Sitemap: {local}/sitemap.xml" in (out / "robots.txt").read_text()
    html = (out / "world/story-1/index.html").read_text()
    assert f'<link rel="canonical" href="{local}/world/story-1/">' in html
    assert BASE not in html


@pytest.mark.parametrize(
    "name", ["feed.xml", "atom.xml", "sitemap.xml", "sitemap-pages.xml", "news-sitemap.xml"]
)
def test_xml_outputs_are_well_formed_with_hostile_titles(site, name):
    hostile = 'He said "</script><!-- \u2028\u2029 & \x01'
    site.article(
        "world/h.md", hostile, (NOW - timedelta(hours=1)).isoformat(), slug="h", summary=hostile
    )
    site.build()
    lxml.etree.parse(str(site.output / name))
    if not name.startswith("sitemap"):
        assert "&lt;/script&gt;&lt;!--" in (site.output / name).read_text()

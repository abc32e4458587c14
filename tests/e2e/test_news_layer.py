"""The news layer: story types, live blogs, breaking news, embargo and expiry, corrections,
paywalls and previews, read from the built pages, feeds, sitemaps and JSON-LD."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from pathlib import Path

import feedparser
import lxml.etree
import lxml.html
import pytest

from newsgen.cli import main

from ..conftest import NOW

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LIVE_BODY = """
The storm reaches the coast this morning.

## 09:30 Winds pick up

Gusts of 100 km/h on the pier.

## 11:15 Ferries *cancelled*

All crossings are off.

## 2026-11-28 10:05

The harbour master speaks.
"""
PAID_BODY = """
The free opening paragraph.

<!-- paywall -->

The subscribers-only paragraph about the port deal.
"""


def _json_ld(page, kind: str) -> dict:
    for script in page.xpath("//script[@type='application/ld+json']"):
        block = json.loads(script.text)
        if block["@type"] == kind:
            return block
    raise AssertionError(f"no {kind} JSON-LD")


def _article_ld(page) -> dict:
    blocks = [json.loads(s.text) for s in page.xpath("//script[@type='application/ld+json']")]
    return next(b for b in blocks if b["@type"] != "BreadcrumbList")


def _texts(page, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in page.xpath(xpath)]


def _card(page, url: str):
    (card,) = page.xpath(f"//article[contains(@class,'card')][.//a[@href='{url}']]")
    return card


def _sitemap_urls(output: Path, name: str = "sitemap.xml") -> set[str]:
    """The page URLs of the sitemap, following an index to its parts."""
    tree = lxml.etree.parse(str(output / name))
    locs = {loc.text for loc in tree.iter(f"{SM}loc")}
    if tree.getroot().tag != f"{SM}sitemapindex":
        return locs
    return set().union(*(_sitemap_urls(output, loc.rsplit("/", 1)[1]) for loc in locs))


def _indexed(output: Path) -> int:
    """How many pages the search index holds: one Pagefind fragment each, in any bundle."""
    return sum(1 for _ in (output / "pagefind").glob("*/fragment/*"))


def _feed_links(output: Path) -> set[str]:
    return {entry.link for entry in feedparser.parse(str(output / "feed.xml")).entries}


def _next(site, capsys, at, drafts: bool = False) -> str:
    """What ``newsgen next`` prints when run at ``at``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(at.timestamp())))
        capsys.readouterr()
        status = main(["next", "--source", str(site.root), *(["--drafts"] if drafts else [])])
    out = capsys.readouterr().out
    assert status == 0
    return out


@pytest.fixture
def quiet(site):
    site.config({"title": "Test Times", "base_url": "https://test.example", "search": False})
    return site


@pytest.mark.parametrize(
    ("kind", "schema", "label"),
    [
        (None, "NewsArticle", None),
        ("report", "ReportageNewsArticle", "Report"),
        ("opinion", "OpinionNewsArticle", "Opinion"),
        ("analysis", "AnalysisNewsArticle", "Analysis"),
        ("review", "ReviewNewsArticle", "Review"),
        ("sponsored", "AdvertiserContentArticle", "Sponsored"),
    ],
)
def test_story_types_are_labelled_and_typed(quiet, kind, schema, label) -> None:
    fields = {"type": kind} if kind else {}
    quiet.article("world/a.md", "A story", "2026-11-27T10:00:00Z", **fields)
    quiet.build()
    page = quiet.html("world/a-story/index.html")
    assert _article_ld(page)["@type"] == schema
    shown = _texts(page, "//p[@class='kicker']//span[contains(@class,'label')]")
    card = _texts(_card(quiet.html("index.html"), "/world/a-story/"), ".//span[@class!='']")
    assert shown == ([label] if label else [])
    assert (label in card) if label else not any(t in card for t in ("Report", "Opinion"))
    sponsored = page.xpath("//p[@class='sponsored-notice']")
    assert bool(sponsored) == (kind == "sponsored")


def test_live_blog_page_card_and_json_ld(quiet, capsys) -> None:
    quiet.article(
        "world/live.md", "Storm live", "2026-11-28T09:00:00Z", LIVE_BODY,
        type="live", live_until="2026-11-28T20:00:00Z",
    )  # fmt: skip
    quiet.article("world/old.md", "Old news", "2026-11-01T09:00:00Z")
    quiet.build()
    page = quiet.html("world/storm-live/index.html")
    updates = page.xpath("//section[@data-live-updates]/article[@class='live-update']")
    assert [u.get("id") for u in updates] == [
        "update-20261128-1115", "update-20261128-1005", "update-20261128-0930",
    ]  # fmt: skip
    times = [u.xpath(".//time/@datetime")[0] for u in updates]
    assert times == [
        "2026-11-28T11:15:00+00:00",
        "2026-11-28T10:05:00+00:00",
        "2026-11-28T09:30:00+00:00",
    ]
    assert [u.xpath(".//h2/a/@href")[0] for u in updates] == [f"#{u.get('id')}" for u in updates]
    assert _texts(page, "//section[@data-live-updates]//h2")[0] == "11:15 Ferries cancelled"
    assert page.xpath("//section[@data-live-updates]//h2/em/text()") == ["cancelled"]
    assert "The storm reaches" in page.xpath("string(//div[@class='article-body']/p[1])")
    assert _texts(page, "//p[@class='kicker']//span[contains(@class,'badge-live')]") == ["Live"]
    assert page.xpath("//script[@src='/js/live.js']")
    assert page.xpath("//span[@class='updated']/time/@datetime") == ["2026-11-28T11:15:00+00:00"]

    blog = _json_ld(page, "LiveBlogPosting")
    assert blog["coverageStartTime"] == "2026-11-28T09:00:00+00:00"
    assert blog["coverageEndTime"] == "2026-11-28T20:00:00+00:00"
    assert blog["dateModified"] == "2026-11-28T11:15:00+00:00"
    first = blog["liveBlogUpdate"][0]
    assert (first["headline"], first["datePublished"]) == ("Ferries cancelled", times[0])
    assert first["articleBody"] == "All crossings are off."
    assert [u["headline"] for u in blog["liveBlogUpdate"]][1:] == [
        "The harbour master speaks.", "Winds pick up",
    ]  # fmt: skip

    card = _card(quiet.html("index.html"), "/world/storm-live/")
    assert "Live" in _texts(card, ".//span[contains(@class,'badge-live')]")
    assert card.xpath(".//span[@class='card-updated']/time/@datetime") == [times[0]]
    assert _next(quiet, capsys, NOW).strip() == "2026-11-28T20:00:00+00:00"

    # after live_until: no badge on the page or the card, no polling, "Live blog" label
    later = NOW + timedelta(hours=9)
    report = quiet.build(now=later)
    page = quiet.html("world/storm-live/index.html")
    assert not page.xpath("//*[contains(@class,'badge-live')]")
    assert not page.xpath("//script[@src='/js/live.js'] | //*[@data-live-poll]")
    assert _texts(page, "//p[@class='kicker']//span") == ["Live blog"]
    card = _card(quiet.html("index.html"), "/world/storm-live/")
    assert not card.xpath(".//*[contains(@class,'badge-live')]")
    written = report.written
    assert 0 < written < 12  # the story's page and its listings, not every page
    assert _next(quiet, capsys, later).strip() == "2026-11-30T09:00:00+00:00"  # leaves news sitemap


def test_breaking_banner_file_home_page_and_its_end(quiet, capsys) -> None:
    quiet.config({"title": "T", "base_url": "https://test.example", "search": False, "per_page": 2})
    quiet.article(
        "world/quake.md", "Quake hits <the> coast", "2026-11-28T11:00:00Z",
        breaking=True, breaking_until="2026-11-28T15:00:00Z",
    )  # fmt: skip
    for number in range(3):
        quiet.article(f"world/s{number}.md", f"Story {number}", f"2026-11-0{number + 1}T09:00:00Z")
    quiet.build()
    data = json.loads((quiet.output / "breaking.json").read_text())
    assert data == {
        "breaking": [
            {
                "title": "Quake hits <the> coast",
                "url": "/world/quake-hits-the-coast/",
                "until": "2026-11-28T15:00:00+00:00",
            }
        ]
    }
    home = quiet.html("index.html")
    (banner,) = home.xpath("//div[@id='breaking-banner']")
    assert banner.xpath(".//a/@href") == ["/world/quake-hits-the-coast/"]
    assert banner.xpath("string(.//a)") == "Quake hits <the> coast"
    assert banner.get("data-until") == "2026-11-28T15:00:00+00:00"
    story = quiet.html("world/story-0/index.html")  # other pages: only the script, no banner
    assert not story.xpath("//*[@id='breaking-banner']")
    (older,) = home.xpath("//nav[@class='pagination']//a[@rel='next']/@href")
    assert not quiet.html(f"{older.strip('/')}/index.html").xpath("//*[@id='breaking-banner']")
    assert story.xpath("//script[@src='/js/breaking.js'][@defer]")
    assert _next(quiet, capsys, NOW).strip() == "2026-11-28T15:00:00+00:00"

    report = quiet.build(now=NOW + timedelta(hours=4))
    assert json.loads((quiet.output / "breaking.json").read_text()) == {"breaking": []}
    assert not quiet.html("index.html").xpath("//*[@id='breaking-banner']")
    assert report.written == 2  # breaking.json and the home page: nothing else changes


def test_embargo_and_expiry_over_time(site, capsys) -> None:
    site.article("world/old.md", "Old story", "2026-11-01T09:00:00Z", "Old words.")
    site.article(
        "world/gone.md", "Withdrawn story", "2026-11-02T09:00:00Z", "The albatross returned.",
        expires="2026-11-28T18:00:00Z",
    )  # fmt: skip
    site.article("world/soon.md", "Embargoed story", "2026-11-28T16:00:00Z", "Not yet.")
    site.build()
    gone = "https://test.example/world/withdrawn-story/"
    soon = "https://test.example/world/embargoed-story/"
    assert gone in _sitemap_urls(site.output) and gone in _feed_links(site.output)
    assert soon not in _feed_links(site.output)
    assert not (site.output / "world/embargoed-story/index.html").exists()
    assert _indexed(site.output) == 2
    assert _next(site, capsys, NOW).strip() == "2026-11-28T16:00:00+00:00"

    site.build(now=NOW + timedelta(hours=5))  # 17:00: the embargo is over
    assert soon in _feed_links(site.output)
    assert site.html("world/embargoed-story/index.html").xpath("//h1/text()") == ["Embargoed story"]
    assert _next(site, capsys, NOW + timedelta(hours=5)).strip() == "2026-11-28T18:00:00+00:00"

    later = NOW + timedelta(hours=7)  # 19:00: the withdrawn story has expired
    site.build(now=later)
    page = site.html("world/withdrawn-story/index.html")
    assert page.xpath("//h1/text()") == ["This story is no longer available"]
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert "albatross" not in (site.output / "world/withdrawn-story/index.html").read_text()
    assert not page.xpath("//script[@type='application/ld+json'][contains(., 'NewsArticle')]")
    assert gone not in _sitemap_urls(site.output) | _feed_links(site.output)
    for listing in ("index.html", "world/index.html", "2026/index.html", "2026/11/index.html"):
        assert not site.html(listing).xpath("//a[@href='/world/withdrawn-story/']"), listing
    fragment = json.loads((site.output / "recent-posts.json").read_text())["html"]
    recent = lxml.html.fromstring(fragment).xpath("//a/@href")  # the always-current Recent Posts
    assert "/world/withdrawn-story/" not in recent and "/world/embargoed-story/" in recent
    assert _indexed(site.output) == 2  # old and embargoed
    assert _next(site, capsys, later).strip() == "2026-11-30T16:00:00+00:00"
    assert _next(site, capsys, NOW + timedelta(days=3)) == ""


def test_build_summary_names_the_next_change(quiet, capsys) -> None:
    quiet.article("world/soon.md", "Soon", "2026-12-01T06:00:00+01:00")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
        assert main(["build", "--source", str(quiet.root), "--jobs", "1"]) == 0
    assert "next change at 2026-12-01T05:00:00+00:00" in capsys.readouterr().out


def test_corrections_and_updates_in_page_and_json_ld(quiet) -> None:
    quiet.article(
        "world/a.md", "Fixed story", "2026-11-20T09:00:00Z", updated="2026-11-21T10:00:00Z",
        corrections=[
            {"date": "2026-11-22T08:30:00Z", "text": "An earlier version misspelt the mayor's name."},
            {"date": "2026-11-21T12:00:00Z", "text": "The vote was 5-4, not 4-5."},
        ],
    )  # fmt: skip
    quiet.build()
    page = quiet.html("world/fixed-story/index.html")
    news = _json_ld(page, "NewsArticle")
    assert news["dateModified"] == "2026-11-22T08:30:00+00:00"
    assert news["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2026-11-21T12:00:00+00:00",
         "text": "The vote was 5-4, not 4-5."},
        {"@type": "CorrectionComment", "datePublished": "2026-11-22T08:30:00+00:00",
         "text": "An earlier version misspelt the mayor's name."},
    ]  # fmt: skip
    assert _texts(page, "//span[@class='updated']") == ["Updated November 22, 2026, 08:30"]


def test_paywall_markup_json_ld_and_feeds(quiet) -> None:
    quiet.config(
        {"title": "T", "base_url": "https://test.example", "search": False,
         "feeds": {"full_content": True}},
    )  # fmt: skip
    quiet.article(
        "world/paid.md", "Port deal", "2026-11-27T09:00:00Z", PAID_BODY, access="subscribers"
    )
    quiet.article("world/all.md", "All paid", "2026-11-26T09:00:00Z", "Members only text.",
                  access="subscribers", summary="A teaser.")  # fmt: skip
    quiet.build()
    page = quiet.html("world/port-deal/index.html")
    news = _json_ld(page, "NewsArticle")
    assert news["isAccessibleForFree"] is False
    part = news["hasPart"]
    assert (part["@type"], part["isAccessibleForFree"]) == ("WebPageElement", False)
    selector = part["cssSelector"]
    assert selector.startswith(".")
    (paid,) = page.xpath(f"//div[contains(concat(' ', @class, ' '), ' {selector[1:]} ')]")
    assert "subscribers-only paragraph" in paid.text_content()
    assert "free opening" not in paid.text_content()
    assert "free opening" in page.xpath("string(//div[@class='article-body'])")

    feed_text = "".join(
        (quiet.output / name).read_text() for name in ("feed.xml", "atom.xml", "feed.json")
    )
    assert "free opening paragraph" in feed_text
    assert "subscribers-only" not in feed_text and "Members only" not in feed_text
    assert "subscribers-only" not in (quiet.output / "index.html").read_text()
    assert "Members only" not in (quiet.output / "index.html").read_text()
    (free,) = [
        e for e in feedparser.parse(str(quiet.output / "feed.xml")).entries if "port" in e.link
    ]
    assert "free opening" in free.content[0].value


def test_previews_are_private_and_linked_from_nowhere(site, capsys) -> None:
    site.article("world/pub.md", "Published story", "2026-11-27T09:00:00Z", tags=["port"])
    site.article("world/draft.md", "Draft story", "2026-11-27T10:00:00Z", "Draft words.",
                 draft=True, tags=["port"])  # fmt: skip
    site.article("culture/soon.md", "Scheduled story", "2026-12-02T10:00:00Z", "Soon words.")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NEWSGEN_PREVIEW_SECRET", raising=False)
        assert main(["build", "--source", str(site.root), "--preview"]) == 1
        assert "NEWSGEN_PREVIEW_SECRET" in capsys.readouterr().err
        assert not site.output.exists()
        secret = "s3cret-for-the-newsroom-only"
        patch.setenv("NEWSGEN_PREVIEW_SECRET", secret)
        patch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
        assert main(["build", "--source", str(site.root), "--preview", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    previews = {}
    for source, slug in (
        ("content/world/draft.md", "draft-story"),
        ("content/culture/soon.md", "scheduled-story"),
    ):
        token = hmac.new(secret.encode(), source.encode(), hashlib.sha256).hexdigest()[:32]
        url = f"/preview/{token}/{slug}/"
        assert f"preview {source}: https://test.example{url}" in out
        previews[url] = site.html(f"preview/{token}/{slug}/index.html")
    for page in previews.values():
        assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert "Preview" in page.xpath("string(//div[@class='preview-bar'])")
        assert not page.xpath("//*[@data-pagefind-body]")
    draft = previews[next(u for u in previews if "draft" in u)]
    assert draft.xpath("//h1/text()") == ["Draft story"]
    assert "Draft words." in draft.xpath("string(//div[@class='article-body'])")
    assert draft.xpath("//ul[@class='tags']//a/@href") == ["/tags/port/"]

    # linked from no page, feed or sitemap; not in the search index
    everything = "".join(
        p.read_text(errors="replace") for p in site.output.rglob("*")
        if p.is_file() and "preview" not in p.parts and p.suffix in (".html", ".xml", ".json", ".txt")
    )  # fmt: skip
    for url in previews:
        assert url.split("/")[2] not in everything
    assert "Draft story" not in everything and "Scheduled story" not in everything
    assert _indexed(site.output) == 1
    assert not (site.output / "world/draft-story").exists()

    # a build without --preview takes them down
    site.build()
    assert not (site.output / "preview").exists()


def test_news_fields_errors_name_the_line(quiet, capsys) -> None:
    quiet.article("world/a.md", "A", "2026-11-27T09:00:00Z", type="opinon")
    quiet.article("world/b.md", "B", "2026-11-27T09:00:00Z", breaking=True)
    quiet.article("world/c.md", "C", "2026-11-27T09:00:00Z", live_until="2026-11-28T09:00:00Z")
    quiet.article("world/d.md", "D", "2026-11-27T09:00:00Z", expires="2026-11-26T09:00:00Z")
    quiet.article("world/e.md", "E", "2026-11-27T09:00:00Z", "## 25:70 Late\n\nText.", type="live")
    assert main(["build", "--source", str(quiet.root)]) == 1
    err = capsys.readouterr().err
    assert "content/world/a.md:4: 'type' must be one of" in err and "did you mean 'opinion'" in err
    assert "content/world/b.md:4: 'breaking: true' needs 'breaking_until'" in err
    assert "content/world/c.md:4: 'live_until' is for live blogs" in err
    assert "content/world/d.md:4: 'expires' must be after the story's date" in err
    assert "content/world/e.md:4: live update heading '25:70 Late' has no valid time" in err
    assert "Traceback" not in err


def test_full_content_feeds_carry_a_live_blog_whole(quiet) -> None:
    quiet.config(
        {"title": "T", "base_url": "https://test.example", "search": False,
         "feeds": {"full_content": True}},
    )  # fmt: skip
    quiet.article("world/live.md", "Storm live", "2026-11-28T09:00:00Z", LIVE_BODY, type="live")
    quiet.build()
    (entry,) = feedparser.parse(str(quiet.output / "feed.xml")).entries
    body = lxml.html.fromstring(entry.content[0].value)
    assert _texts(body, "//h2") == [
        "11:15 Ferries cancelled", "10:05", "09:30 Winds pick up",
    ]  # fmt: skip
    assert "The storm reaches the coast" in body.text_content()

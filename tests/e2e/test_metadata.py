"""Head metadata of every page: canonical URL, Open Graph, Twitter card and JSON-LD."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ..conftest import NOW

BASE = "https://test.example"
HOSTILE = [
    'a "quoted" title',
    "ends </script> here",
    "opens <!-- a comment",
    "line\u2028separator",
    "para\u2029separator",
    "</SCRIPT><script>alert(1)</script> & 'x'",
]


def _site(site) -> None:
    site.config(
        {
            "title": "Test Times",
            "base_url": BASE,
            "description": "News & more",
            "publisher": {"name": "Times Co", "logo": "/images/logo.png"},
        }
    )
    site.authors({"jo": {"name": "Jo Writer", "bio": "Reporter."}})
    for number, text in enumerate(HOSTILE):
        site.article(
            f"world/h{number}.md",
            f"Title {text}",
            (NOW - timedelta(hours=number + 1)).isoformat(),
            f"Body {number}.",
            slug=f"h{number}",
            summary=f"Summary {text}",
            author="jo",
            tags=[f"Tag {text}", "Harbour"],
            image={"src": "/images/lead.jpg", "alt": text} if number % 2 else None,
        )
    site.write("content/pages/about.md", "---\ntitle: About\nsummary: Who we are\n---\nUs.\n")
    site.photo("static/images/lead.jpg", 1600, 900)


def _json_ld(page) -> list[dict]:
    return [json.loads(s.text) for s in page.xpath("//script[@type='application/ld+json']")]


def _meta(page, key: str) -> list[str]:
    return page.xpath(f"//head/meta[@property='{key}' or @name='{key}']/@content")


@pytest.mark.parametrize("number", range(len(HOSTILE)))
def test_article_json_ld_survives_hostile_titles(site, number):
    _site(site)
    site.build()
    page = site.html(f"world/h{number}/index.html")
    blocks = _json_ld(page)
    assert [b["@type"] for b in blocks] == ["NewsArticle", "BreadcrumbList"]
    article, crumbs = blocks
    url = f"{BASE}/world/h{number}/"
    assert article["headline"] == f"Title {HOSTILE[number]}"
    assert article["description"] == " ".join(f"Summary {HOSTILE[number]}".split())
    assert article["datePublished"] == (NOW - timedelta(hours=number + 1)).isoformat()
    assert article["dateModified"] == article["datePublished"]
    assert article["author"] == [
        {"@type": "Person", "name": "Jo Writer", "url": f"{BASE}/authors/jo/"}
    ]
    assert article["publisher"]["name"] == "Times Co"
    assert article["publisher"]["logo"]["url"] == f"{BASE}/images/logo.png"
    assert article["mainEntityOfPage"]["@id"] == url
    assert article["articleSection"] == "World"
    assert article["keywords"] == [f"Tag {HOSTILE[number]}", "Harbour"]
    if number % 2:
        images = article["image"]
        assert [(i["width"], i["height"]) for i in images] == [(1200, 675), (1200, 900), (900, 900)]
        assert all(i["url"].startswith(f"{BASE}/images/lead.") for i in images)
        assert [i["url"] for i in images] == _meta(page, "og:image")
    else:
        assert "image" not in article
    assert [i["item"] for i in crumbs["itemListElement"]] == [f"{BASE}/", f"{BASE}/world/", url]
    raw = (site.output / f"world/h{number}/index.html").read_text(encoding="utf-8")
    for script in raw.split('<script type="application/ld+json">')[1:]:
        body = script.split("</script>", 1)[0]
        assert "<" not in body and "\u2028" not in body and "\u2029" not in body
    assert page.findtext(".//title") == f"Title {HOSTILE[number]} | Test Times"
    assert _meta(page, "og:title") == [f"Title {HOSTILE[number]}"]


def test_article_open_graph_and_twitter_card(site):
    _site(site)
    site.build()
    page = site.html("world/h1/index.html")
    assert _meta(page, "og:type") == ["article"]
    assert _meta(page, "og:url") == [f"{BASE}/world/h1/"]
    shares = _meta(page, "og:image")
    assert len(shares) == 3 and all(url.startswith(f"{BASE}/images/lead.") for url in shares)
    assert _meta(page, "og:image:width") == ["1200", "1200", "900"]
    assert _meta(page, "og:image:height") == ["675", "900", "900"]
    assert _meta(page, "twitter:image") == shares[:1]
    assert _meta(page, "article:published_time") == [(NOW - timedelta(hours=2)).isoformat()]
    assert _meta(page, "article:modified_time") == [(NOW - timedelta(hours=2)).isoformat()]
    assert _meta(page, "article:section") == ["World"]
    assert _meta(page, "article:tag") == [f"Tag {HOSTILE[1]}", "Harbour"]
    assert _meta(page, "twitter:card") == ["summary_large_image"]
    plain = site.html("world/h0/index.html")
    assert _meta(plain, "og:image") == [] and _meta(plain, "twitter:card") == ["summary"]


def test_home_page_describes_the_website_and_publisher(site):
    _site(site)
    site.build()
    blocks = _json_ld(site.html("index.html"))
    assert [b["@type"] for b in blocks] == ["WebSite", "Organization"]
    assert blocks[0]["url"] == f"{BASE}/" and blocks[0]["description"] == "News & more"
    assert blocks[1]["logo"]["url"] == f"{BASE}/images/logo.png"


def test_every_page_has_its_canonical_and_open_graph_tags(site):
    _site(site)
    site.build()
    out = site.output
    pages = sorted(out.rglob("*.html"))
    kinds = set()
    for path in pages:
        relative = path.relative_to(out).as_posix()
        page = site.html(relative)
        expected = BASE + "/" + relative.removesuffix("index.html")
        canonical = page.xpath("//head/link[@rel='canonical']/@href")
        assert canonical == [expected], relative
        assert _meta(page, "og:url") == [expected]
        assert len(_meta(page, "og:title")) == 1 and _meta(page, "og:title")[0]
        assert _meta(page, "og:site_name") == ["Test Times"]
        assert len(_meta(page, "description")) == 1
        kinds.update(_meta(page, "og:type"))
        for block in _json_ld(page):
            assert block["@context"] == "https://schema.org"
        noindex = _meta(page, "robots") == ["noindex"]
        assert noindex == (relative in ("404.html", "search/index.html"))
    assert kinds == {"article", "website"}
    about = site.html("about/index.html")
    assert _meta(about, "description") == ["Who we are"]
    assert len(pages) > 15

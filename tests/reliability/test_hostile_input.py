"""Generated input (Hypothesis): every front matter, configuration and authors file either
builds or fails with ``path:line`` messages, never a traceback, never touching the output
on failure; hostile strings stay text in every format the site is written in.

``NEWSGEN_HYPOTHESIS_EXAMPLES`` sets the examples per test (default 40).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newsgen.build import BuildOptions, load_and_build
from newsgen.errors import BuildFailed, NewsgenError

from ..conftest import NOW, SiteMaker
from .helpers import differences, small_site, snapshot

EXAMPLES = int(os.environ.get("NEWSGEN_HYPOTHESIS_EXAMPLES", "40"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ERROR_LINE = re.compile(r"^(?:content|data|newsgen\.yaml|static|templates)[^:\n]*:\d+: \S")

CONTROLS = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 0x7F, 0x85)]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]  # fmt: skip
PIECES = [
    "<script>alert(1)</script>", "</script>", '"><img src=x onerror=alert(1)>', "' onmouseover='x",
    "]]>", "<![CDATA[", "<!--", "-->", "&amp;", "&#0;", "&lt;", "{{ site.title }}", "{% raw %}",
    "javascript:alert(1)", "../", "%2e%2e%2f", "\\", "?#", "\u2028", "\u2029", "\ufeff",
    "\u200b", "😀", "名字", "—", "…", " ", "\t", "\n", "\r\n", "---", "\"", "'", "`",
]  # fmt: skip
ALPHABET = [*"<>&\"'/\\=:#-[]{}%!?|* \t\nab", "é", "名", *CONTROLS, *BIDI]

hostile = st.one_of(
    st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=30),
    st.lists(st.sampled_from(PIECES + BIDI + CONTROLS), min_size=1, max_size=5).map("".join),
    st.builds(
        lambda piece, n: (piece * n)[: 40 * n], st.sampled_from(PIECES), st.integers(50, 300)
    ),
)
# A hostile string with something visible in it, so the field is not simply empty.
named = st.builds(lambda a, b: f"{a}x{b}", hostile, hostile)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), hostile,
    st.dates(), st.datetimes(), st.just("2026-11-02"), st.just("2026-11-02T09:00:00+01:00"),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
raw_yaml = st.text(alphabet=st.sampled_from(list("-:{}[]\"'\n #&*!|>%@`,?ab1\t")), max_size=60)

CONFIG_KEYS = ("title", "description", "base_url", "language", "timezone", "date_format",
               "recent_posts", "related_posts", "per_page", "excerpt_length", "search",
               "cookie_notice", "sections", "permalinks", "publisher", "feeds")  # fmt: skip


@pytest.fixture
def built(tmp_path: Path) -> SiteMaker:
    site = SiteMaker(tmp_path / "site")
    small_site(site)
    _build(site)
    return site


def _build(site: SiteMaker) -> None:
    load_and_build(site.root, BuildOptions(now=NOW, jobs=1))


def _build_or_fail(site: SiteMaker) -> bool:
    """Build; True if it worked. A failure must be ``path:line`` lines with the output
    left exactly as it was; anything else (a traceback) fails the test."""
    before = snapshot(site.output)
    try:
        _build(site)
    except BuildFailed as error:
        lines = str(error).splitlines()
        assert lines[-1].startswith("build failed: ")
        assert lines[:-1] and all(ERROR_LINE.match(line) for line in lines[:-1]), lines
        assert differences(snapshot(site.output), before) == []
        event("failed with path:line messages")
        return False
    except NewsgenError as error:
        raise AssertionError(f"an error without its line: {error}") from None
    event("built")
    return True


def _front(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\nBody.\n"


def _mostly(plausible: st.SearchStrategy) -> st.SearchStrategy:
    """Seven times in eight a plausible value, else anything at all."""
    return st.one_of(*[plausible] * 7, values)


DATE = st.sampled_from(["2026-11-02", "2026-11-02T09:00:00+01:00", "2026-11-02 09:00:00 +0100"])
FRONT = {
    "updated": DATE, "author": named, "authors": st.lists(named, max_size=2),
    "section": named, "category": named, "categories": st.lists(named, max_size=2),
    "tags": st.lists(named, max_size=3), "summary": named, "dateline": named, "slug": named,
    "draft": st.booleans(),
    "image": st.fixed_dictionaries({"src": named}, optional={"alt": named, "caption": named,
                                    "credit": named, "width": st.integers(), "height": values}),
    "corrections": st.lists(st.fixed_dictionaries({"date": DATE, "text": named}), max_size=2),
}  # fmt: skip


@SETTINGS
@given(
    st.one_of(
        st.fixed_dictionaries(
            {"title": _mostly(named), "date": _mostly(DATE)},
            optional={**{key: _mostly(s) for key, s in FRONT.items()}, "extra": values},
        ).map(_front),
        raw_yaml.map(lambda text: f"---\n{text}\n---\nBody.\n"),
    )
)
def test_any_front_matter_builds_or_fails_with_its_line(built: SiteMaker, source: str) -> None:
    built.write("content/world/generated.md", source)
    _build_or_fail(built)


@SETTINGS
@given(
    st.one_of(
        st.fixed_dictionaries(
            {}, optional={key: st.one_of(values, hostile) for key in CONFIG_KEYS}
        ).map(lambda raw: yaml.safe_dump(raw, allow_unicode=True)),
        st.dictionaries(st.one_of(st.sampled_from(CONFIG_KEYS), hostile), values, max_size=4).map(
            lambda raw: yaml.safe_dump(raw, allow_unicode=True)
        ),
        raw_yaml,
    )
)
def test_any_configuration_builds_or_fails_with_its_line(built: SiteMaker, text: str) -> None:
    built.write("newsgen.yaml", text)
    _build_or_fail(built)


author = st.fixed_dictionaries(
    {}, optional={"name": st.one_of(named, values), "bio": st.one_of(hostile, values),
                  "avatar": st.one_of(hostile, values), "links": values}
)  # fmt: skip


@SETTINGS
@given(
    st.one_of(
        st.dictionaries(
            st.one_of(st.just("ana"), hostile), st.one_of(author, values), max_size=3
        ).map(lambda raw: yaml.safe_dump(raw, allow_unicode=True)),
        raw_yaml,
    )
)
def test_any_authors_file_builds_or_fails_with_its_line(built: SiteMaker, text: str) -> None:
    built.write("data/authors.yaml", text)
    _build_or_fail(built)


def visible(text: str) -> str:
    """What a reader is shown: without the control characters newsgen drops, with runs
    of white space as one space."""
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text)
    return re.sub(r"\s+", " ", text).strip()


@SETTINGS
@given(
    title=named,
    summary=named,
    tags=st.lists(named, min_size=1, max_size=2),
    author=named,
    slug=st.one_of(st.none(), named),
)
def test_hostile_strings_stay_text_in_every_format(
    built: SiteMaker, title: str, summary: str, tags: list[str], author: str, slug: str | None
) -> None:
    fields = {"summary": summary, "tags": tags, "author": author}
    if slug is not None:
        fields["slug"] = slug
    built.article("world/hostile.md", title, "2026-11-27T09:00:00Z", "Body.", **fields)
    if not _build_or_fail(built):
        return
    # what the YAML parser hands newsgen (it reads U+0085 as a line break, for one)
    title, author = _as_read(title), _as_read(author)
    tags = [_as_read(tag) for tag in tags]
    out, base = built.output, "https://test.example"
    # JSON Feed: the newest item is this story
    item = json.loads((out / "feed.json").read_text())["items"][0]
    assert visible(item["title"]) == visible(title)
    assert [visible(a["name"]) for a in item["authors"]] == [visible(author)]
    assert item["tags"] and {visible(t) for t in item["tags"]} <= {visible(t) for t in tags}
    url = item["url"]
    assert url.startswith(base + "/world/") and _clean_url(url)
    # the story's page: text where text belongs, in the body, the head and JSON-LD
    page = lxml.html.fromstring((out / urlsplit(url).path.lstrip("/") / "index.html").read_bytes())
    assert visible(page.findtext(".//h1")) == visible(title)
    assert visible(page.find(".//title").text_content()).startswith(visible(title))
    og = page.xpath("//meta[@property='og:title']/@content")
    assert [visible(v) for v in og] == [visible(title)]
    graphs = [json.loads(s.text) for s in page.xpath("//script[@type='application/ld+json']")]
    article = next(g for g in _flatten(graphs) if g.get("@type") == "NewsArticle")
    assert visible(article["headline"]) == visible(title)
    # RSS and Atom: well-formed XML holding the same text
    rss = lxml.etree.fromstring((out / "feed.xml").read_bytes())
    assert visible(rss.findtext("channel/item/title")) == visible(title)
    categories = {visible(c.text) for c in rss.findall("channel/item[1]/category")}
    assert categories == {visible(t) for t in item["tags"]}
    atom = lxml.etree.fromstring((out / "atom.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert visible(atom.find("a:entry/a:title", ns).text) == visible(title)
    # sitemap: every address clean, this story's among them
    locs = _sitemap_locs(out, "sitemap.xml", base)
    assert url in locs and all(_clean_url(loc) for loc in locs)
    # nothing anywhere became markup: no handler attributes, no scripts but the theme's
    for path in out.rglob("*.html"):
        tree = lxml.html.fromstring(path.read_bytes())
        assert not tree.xpath("//@*[starts-with(name(), 'on')]"), path
        for script in tree.iter("script"):
            assert script.get("type") == "application/ld+json" or script.get("src"), path
        for href in tree.xpath("//a/@href"):
            assert not href.lower().lstrip().startswith("javascript:"), (path, href)


def _sitemap_locs(out: Path, name: str, base: str) -> list[str]:
    """Every address of a sitemap, following a sitemap index into its parts."""
    tree = lxml.etree.fromstring((out / name).read_bytes())
    locs = [loc.text for loc in tree.iter("{*}loc")]
    if lxml.etree.QName(tree).localname != "sitemapindex":
        return locs
    assert all(loc.startswith(base + "/") for loc in locs), locs
    return [page for loc in locs for page in _sitemap_locs(out, loc[len(base) + 1 :], base)]


def _as_read(text: str) -> str:
    return yaml.safe_load(yaml.safe_dump(text, allow_unicode=True))


def _clean_url(url: str) -> bool:
    return not re.search(r"[\s<>\"'\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]", url)


def _flatten(graphs: list) -> list[dict]:
    found = []
    for graph in graphs:
        items = graph if isinstance(graph, list) else graph.get("@graph", [graph])
        found += [item for item in items if isinstance(item, dict)]
    return found

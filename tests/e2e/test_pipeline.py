"""Building small sites end to end and reading the pages that come out."""

from __future__ import annotations

import gc
import hashlib
import json
from pathlib import Path

import lxml.html
import pytest

from newsgen.cli import main
from newsgen.errors import BuildFailed

from ..links import broken_links, resolve


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _news_site(site, count: int = 9) -> None:
    site.config(
        {
            "title": "Test Times",
            "base_url": "https://test.example",
            "timezone": "Europe/Rome",
            "recent_posts": 3,
            "sections": ["World", "Business"],
        }
    )
    for number in range(count):
        section = "world" if number % 2 else "business"
        site.article(
            f"{section}/story-{number}.md",
            f"Story number {number}",
            f"2026-11-{number + 1:02d}T10:00:00+01:00",
            f"Paragraph about story {number}.\n\n## Details\n\nMore text.",
            author="Jo Writer",
            tags=["Harbour", f"Topic {number % 3}"],
            dateline="ROME" if number == 0 else "",
            slug=f"story-{number}",
        )


def test_article_page_has_headline_byline_time_dateline_and_tags(site):
    _news_site(site)
    site.build()
    page = site.html("business/story-0/index.html")
    assert page.findtext(".//h1") == "Story number 0"
    time = page.find(".//header//time")
    assert time.get("datetime") == "2026-11-01T10:00:00+01:00"
    assert time.text == "November 1, 2026"
    assert page.find(".//a[@rel='author']").text == "Jo Writer"
    first_paragraph = page.find(".//div[@class='article-body']/p")
    assert first_paragraph.find("span[@class='dateline']").text == "ROME —"
    assert [a.text for a in page.findall(".//ul[@class='tags']//a")] == ["Harbour", "Topic 0"]
    assert page.find(".//h2[@id='details']") is not None


def _sidebar_titles(page) -> list[str]:
    return [a.text for a in page.findall(".//aside[@class='sidebar']//h3/a")]


def test_recent_posts_list_the_stories_up_to_each_page_and_the_newest_for_script(site):
    _news_site(site)
    site.build()
    newest = site.html("business/story-8/index.html")
    assert _sidebar_titles(newest) == ["Story number 7", "Story number 6", "Story number 5"]
    older = site.html("world/story-5/index.html")  # built with the stories before it
    items = older.findall(".//aside[@class='sidebar']//li")
    assert [li.findtext("h3/a") for li in items] == [f"Story number {n}" for n in (4, 3, 2)]
    for item in items:
        read_more = item.find(".//a[@class='read-more']")
        assert read_more.text == "Read More"
        assert read_more.get("href") == item.find("h3/a").get("href")
        assert item.find("time").text.startswith("November")
    assert _sidebar_titles(site.html("business/story-0/index.html")) == []
    home = site.html("index.html")
    assert _sidebar_titles(home) == [f"Story number {n}" for n in (8, 7, 6)]
    # the always-current fragment the pages' script swaps in: one more than a sidebar
    aside = older.find(".//aside[@class='sidebar']")
    assert aside.get("data-count") == "3"
    fragment_url = aside.get("data-recent-posts")  # followed as the page's script does
    fragment = json.loads(resolve(site.output, fragment_url).read_text())
    fresh = lxml.html.fromstring(fragment["html"])
    assert [a.text for a in fresh.findall(".//h3/a")] == [f"Story number {n}" for n in (8, 7, 6, 5)]


def test_recent_posts_baked_puts_the_newest_on_every_page(site):
    _news_site(site)
    site.config({"recent_posts": 3, "recent_posts_baked": True})
    site.build()
    older = site.html("world/story-1/index.html")
    assert _sidebar_titles(older) == [f"Story number {n}" for n in (8, 7, 6)]
    assert older.find(".//aside[@class='sidebar']").get("data-recent-posts") is None
    assert _sidebar_titles(site.html("business/story-8/index.html")) == [
        f"Story number {n}" for n in (7, 6, 5)
    ]
    assert not (site.output / "recent-posts.json").exists()


def test_every_internal_link_resolves(site):
    _news_site(site)
    site.build()
    assert broken_links(site.output) == []


def test_drafts_and_future_articles_are_left_out_unless_asked_for(site):
    _news_site(site, 2)
    site.article("world/draft.md", "Secret draft", "2026-11-20T10:00:00Z", draft=True)
    site.article("world/later.md", "From the future", "2027-01-01T10:00:00Z")
    site.build()
    assert not (site.output / "world/secret-draft/index.html").exists()
    assert not (site.output / "world/from-the-future/index.html").exists()
    everything = " ".join(p.read_text() for p in site.output.rglob("*.html"))
    assert "Secret draft" not in everything and "From the future" not in everything
    site.build(drafts=True, future=True)
    assert (site.output / "world/secret-draft/index.html").exists()
    assert (site.output / "world/from-the-future/index.html").exists()


def test_two_builds_are_byte_identical(site, tmp_path):
    _news_site(site)
    site.build()
    first = _digests(site.output)
    other = tmp_path / "again"
    site.build(output_dir=other, use_cache=False)
    assert _digests(other) == first


def test_bad_input_reports_every_error_with_path_and_line_and_keeps_output(site, capsys):
    _news_site(site, 3)
    site.build()
    before = _digests(site.output)
    site.write("content/world/bad-yaml.md", "---\ntitle: A\ndate: [oops\n---\nBody\n")
    site.write("content/world/no-title.md", "---\ndate: 2026-11-02\n---\nBody\n")
    site.write("content/world/bad-date.md", "---\ntitle: B\ndate: someday\n---\nBody\n")
    site.write(
        "content/world/latin1.md",
        "---\ntitle: C\ndate: 2026-11-02\n---\nCaf\xe9\n".encode("latin-1"),
    )
    site.article("world/twin.md", "Twin", "2026-11-03T10:00:00Z", slug="story-1")
    site.write(
        "content/world/typed.md",
        "---\ntitle: D\ndate: 2026-11-02\ntags: {a: 1}\ndraft: maybe\n---\nx\n",
    )
    code = main(["build", "--source", str(site.root), "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (
        "content/world/bad-yaml.md:4: invalid YAML" in err
        or "content/world/bad-yaml.md:3: invalid YAML" in err
    )
    assert "content/world/no-title.md:1: missing required field 'title'" in err
    assert "content/world/bad-date.md:3: 'date' must be a date like 2026-01-28" in err
    assert "2026-01-28 09:30:00 +0100, not 'someday'" in err
    assert "content/world/latin1.md:5: not valid UTF-8" in err
    assert "content/world/typed.md:4: 'tags' must be" in err
    assert "content/world/typed.md:5: 'draft' must be true or false" in err
    assert (
        "content/world/twin.md: URL /world/story-1/ is also produced by content/world/story-1.md"
        in err
    )
    assert "build failed: 7 errors" in err
    assert _digests(site.output) == before


def test_same_url_twice_names_both_files(site):
    _news_site(site, 1)
    site.article("business/copy.md", "Copy", "2026-11-05T10:00:00Z", slug="story-0")
    with pytest.raises(BuildFailed) as caught:
        site.build()
    message = str(caught.value)
    assert "content/business/copy.md" in message and "content/business/story-0.md" in message


def test_template_errors_name_the_template_and_line(site):
    _news_site(site, 1)
    site.write(
        "templates/page.html",
        "{% extends 'base.html' %}\n{% block content %}\n{{ nope.missing }}\n{% endblock %}\n",
    )
    site.write("content/pages/about.md", "---\ntitle: About\n---\nUs.\n")
    with pytest.raises(BuildFailed) as caught:
        site.build()
    assert "templates/page.html:3: undefined" in str(caught.value).replace(str(site.root) + "/", "")


def test_site_templates_override_the_theme_file_by_file(site):
    _news_site(site, 2)
    site.write(
        "templates/_recent_posts.html",
        '<aside class="sidebar"><p id="mine">{{ recent_posts | length }} latest</p></aside>\n',
    )
    site.build()
    page = site.html("world/story-1/index.html")
    assert page.get_element_by_id("mine").text == "1 latest"
    assert page.find(".//h1").text == "Story number 1"  # article.html still from the theme


def test_static_files_are_copied_and_stale_files_removed(site):
    _news_site(site, 2)
    site.write("static/robots-extra.txt", "hello")
    site.build()
    assert (site.output / "robots-extra.txt").read_text() == "hello"
    assert (site.output / "css/site.css").exists()  # from the theme
    (site.root / "content/world/story-1.md").unlink()
    site.build()
    assert not (site.output / "world/story-1/index.html").exists()
    assert not (site.output / "world/story-1").exists()
    assert (site.output / "robots-extra.txt").read_text() == "hello"
    (site.root / "static/robots-extra.txt").unlink()
    site.build()
    assert not (site.output / "robots-extra.txt").exists()
    assert (site.output / "css/site.css").exists()


def test_unchanged_files_are_not_rewritten(site):
    _news_site(site, 3)
    site.build()
    page = site.output / "world/story-1/index.html"
    before = page.stat().st_mtime_ns
    report = site.build()
    assert report.written == 0
    assert page.stat().st_mtime_ns == before


def test_refuses_to_write_over_sources(site):
    _news_site(site, 1)
    for target in (site.root, site.root / "content", site.root.parent):
        with pytest.raises(Exception, match="refusing"):
            site.build(output_dir=target)
    assert (site.root / "content/business/story-0.md").exists()


def test_config_errors_are_reported_together(site, capsys):
    site.config({"title": True, "per_pgae": 3, "timezone": "Mars/Olympus"})
    assert main(["build", "--source", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "newsgen.yaml:1: 'title' must be text, not true" in err
    assert "newsgen.yaml:2: unknown key 'per_pgae' (did you mean 'per_page'?)" in err
    assert "newsgen.yaml:3: 'timezone' must be a time zone name like Europe/Rome" in err


@pytest.mark.parametrize("keep_model", [False, True])
def test_the_collector_is_paused_only_for_a_process_that_ends_after_the_build(site, keep_model):
    """``newsgen serve`` and library callers get the collector back; the ``newsgen``
    command (``keep_model``) ends at once, and a collection would only scan the model."""
    _news_site(site, 3)
    assert gc.isenabled()
    try:
        report = site.build(keep_model=keep_model)
        assert report.articles == 3
        assert gc.isenabled() is not keep_model
    finally:
        gc.enable()

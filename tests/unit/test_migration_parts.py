"""The parts of moving in: WordPress paragraph rules, shortcodes, lossless Markdown,
old paths as aliases, front matter permalinks, and Hugo shortcode arguments."""

from __future__ import annotations

from newsgen.importers.html_markdown import BodyWriter
from newsgen.importers.links import OldSite
from newsgen.importers.wp_shortcodes import ShortcodeReport, render_shortcodes
from newsgen.importers.wpautop import wpautop
from newsgen.sources.aliases import normalize_alias
from newsgen.sources.compat.hugo import parse_arguments
from newsgen.sources.compat.more import split_more
from newsgen.sources.compat.permalinks import front_matter_url


def test_wpautop_makes_paragraphs_and_breaks_but_leaves_blocks_and_pre_alone():
    text = "One\ntwo\n\nThree<pre>a\n\nb</pre>\n<ul>\n<li>x</li>\n</ul>\n<!--more-->\nFour"
    assert wpautop(text) == (
        "<p>One<br />\ntwo</p>\n<p>Three</p>\n<pre>a\n\nb</pre>\n<ul>\n<li>x</li>\n</ul>\n"
        "<!--more-->\n<p>Four</p>\n"
    )
    assert wpautop("<blockquote>Quoted</blockquote>") == "<blockquote><p>Quoted</p></blockquote>\n"
    assert wpautop("   \n") == ""


def test_wordpress_shortcodes_escaped_words_and_unknown_ones():
    report = ShortcodeReport()
    html = render_shortcodes(
        '[[gallery]] [sic] [Editor\'s note] [poll id="3"] [caption align="alignleft"]<img src="a.jpg"> Cap[/caption]',
        {},
        (),
        report,
    )
    assert html.startswith('[gallery] [sic] [Editor\'s note] [poll id="3"] ')
    assert html.endswith(
        '<figure class="wp-caption alignleft"><img src="a.jpg"><figcaption class="wp-caption-text">'
        "Cap</figcaption></figure>"
    )
    assert dict(report.unknown) == {"poll": 1}


def test_bodies_are_markdown_only_when_nothing_is_lost():
    writer = BodyWriter()
    assert writer.write('<p>Plain <em>text</em> &amp; a <a href="/x/">link</a>.</p>') == (
        "Plain *text* & a [link](/x/).\n",
        True,
    )
    kept, markdown = writer.write('<p class="lede">Styled</p><p>{{ not a shortcode }}</p>')
    assert not markdown
    assert (
        kept
        == '<div class="wp-content">\n<p class="lede">Styled</p><p>&#123;{ not a shortcode }}</p>\n</div>\n'
    )


def test_old_site_urls_are_known_by_path_or_id_query():
    old = OldSite("https://paper.example/news")
    assert old.key("http://www.paper.example/news/2024/05/a-story") == "/news/2024/05/a-story/"
    assert old.key("https://paper.example/news/?p=12&amp;utm=x") == "/news/?p=12"
    assert old.key("https://other.example/2024/05/a-story/") is None
    assert (
        old.upload("https://paper.example/news/wp-content/uploads/2024/05/a%20b.jpg")
        == "2024/05/a b.jpg"
    )
    assert old.upload("https://paper.example/wp-content/uploads/../../etc/passwd") is None


def test_aliases_and_permalinks_are_normalised():
    assert normalize_alias("old.html", "/posts/story/") == ("/posts/old.html", "")
    assert normalize_alias("https://old.example/a/b", "/x/") == ("/a/b/", "")
    assert normalize_alias("/?p=4", "/x/") == ("/?p=4", "")
    assert normalize_alias("/café/", "/x/") == ("/caf%C3%A9/", "")
    # no file can be named with a NUL, and a newline would split a --changes line
    control = "an alias must not hold control characters, written or percent-encoded"
    for alias in ("/old\0path/", "/old%00path/", "/a%0Ab/", "/a\x7fb/"):
        assert normalize_alias(alias, "/x/") == ("", control), alias
    values = {
        "year": "2024",
        "month": "05",
        "day": "06",
        "title": "t",
        "slug": "t",
        "categories": "news",
    }
    assert front_matter_url("/:categories/:year/:title.html", values) == ("/news/2024/t.html", "")
    assert front_matter_url("about", values) == ("/about/", "")
    assert (
        front_matter_url("/../x/", values)[1] == "a permalink may not contain '.' or '..' folders"
    )


def test_more_ends_the_excerpt_and_leaves_the_page():
    body, before = split_more("<p>Lead.</p>\n<!--more-->\n<p>Rest.</p>")
    assert (body, before) == ("<p>Lead.</p>\n<p>Rest.</p>", "<p>Lead.</p>\n")
    assert split_more("<p>No separator.</p>") == ("<p>No separator.</p>", None)


def test_hugo_shortcode_arguments():
    assert parse_arguments('src="a b.jpg" alt=`raw "quote"` 42 caption="say \\"hi\\""') == (
        ["42"],
        {"src": "a b.jpg", "alt": 'raw "quote"', "caption": 'say "hi"'},
    )

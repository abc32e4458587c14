import pytest

from newsgen.sources.typography import smarten


@pytest.mark.parametrize(
    "html, expected",
    [
        ('<p>He said "yes".</p>', "<p>He said \u201cyes\u201d.</p>"),
        ("<p>It's the workers' union</p>", "<p>It\u2019s the workers\u2019 union</p>"),
        ("<p>'Quoted' in the '90s</p>", "<p>\u2018Quoted\u2019 in the \u201990s</p>"),
        ("<p>Wait... now -- or --- never</p>", "<p>Wait\u2026 now \u2013 or \u2014 never</p>"),
        ('<p><em>"Inside"</em> tags</p>', "<p><em>\u201cInside\u201d</em> tags</p>"),
    ],
)
def test_punctuation_becomes_typographic(html, expected):
    assert smarten(html) == expected


def test_code_attributes_and_scripts_are_left_alone():
    html = '<p><a href="/a--b/" title="x">"go"</a> <code>"raw" -- x</code></p><pre><code>it\'s</code></pre>'
    out = smarten(html)
    assert '<a href="/a--b/" title="x">\u201cgo\u201d</a>' in out
    assert '<code>"raw" -- x</code>' in out
    assert "<pre><code>it's</code></pre>" in out

import pytest

from newsgen.errors import ContentError
from newsgen.sources.frontmatter import split_front_matter


def test_splits_meta_and_body_and_knows_the_body_line():
    front = split_front_matter("---\ntitle: A\ndate: 2026-01-01\n---\nHello\n", "a.md")
    assert front.meta["title"] == "A"
    assert front.body == "Hello\n"
    assert front.body_line == 5


def test_yaml_error_names_the_line_in_the_markdown_file():
    text = "---\ntitle: A\ndate: [unclosed\nauthor: x\n---\nbody"
    with pytest.raises(ContentError) as caught:
        split_front_matter(text, "content/world/a.md")
    assert caught.value.path == "content/world/a.md"
    assert caught.value.line in (4, 5)
    assert str(caught.value).startswith("content/world/a.md:")


@pytest.mark.parametrize(
    "text, message",
    [
        ("title: A\n", "missing front matter"),
        ("---\ntitle: A\nbody", "not closed"),
        ("---\n- a\n- b\n---\n", "mapping"),
    ],
)
def test_malformed_front_matter_is_reported(text, message):
    with pytest.raises(ContentError, match=message):
        split_front_matter(text, "x.md")

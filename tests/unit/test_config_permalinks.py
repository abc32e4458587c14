"""Validating the ``permalinks`` of ``newsgen.yaml``."""

from __future__ import annotations

import pytest
import yaml

from newsgen.errors import BuildFailed
from newsgen.sources.config import default_permalinks, load_config


def _load(tmp_path, permalinks):
    (tmp_path / "newsgen.yaml").write_text(yaml.safe_dump({"permalinks": permalinks}))
    return load_config(tmp_path)


def test_defaults_and_overrides(tmp_path):
    config = _load(tmp_path, {"article": "/{year}/{month}/{slug}/", "tag": "/topics/{tag}"})
    assert config.permalinks == {
        **default_permalinks(),
        "article": "/{year}/{month}/{slug}/",
        "tag": "/topics/{tag}/",
    }
    assert _load(tmp_path, {"page": "/{slug}.html"}).permalinks["page"] == "/{slug}.html"


@pytest.mark.parametrize(
    ("permalinks", "message"),
    [
        (
            {"articles": "/{slug}/"},
            "unknown key 'permalinks.articles' (did you mean 'permalinks.article'?)",
        ),
        ({"tag": "tags/{tag}/"}, "must be a pattern starting with '/'"),
        ({"tag": 5}, "must be a pattern starting with '/'"),
        ({"tag": "/tags/{name}/"}, "unknown field {name}; allowed: {tag}"),
        ({"article": "/{section}/"}, "must contain {slug}"),
        ({"month": "/{year}/m/"}, "must contain {month}"),
        ({"tags": "/tags/{tag}/"}, "unknown field {tag}; allowed: none"),
        ({"article": "/{slug"}, "unbalanced"),
        ({"article": "/{}/"}, "unknown field {}"),
        ({"year": "/{year:>4}/"}, "without a conversion or format"),
        ({"section": "/{section}.html"}, "a listing needs a folder URL"),
    ],
)
def test_bad_patterns_are_errors_at_their_own_line(tmp_path, permalinks, message):
    with pytest.raises(BuildFailed) as failure:
        _load(tmp_path, permalinks)
    (error,) = failure.value.errors
    assert message in str(error)
    assert error.line == 2  # permalinks: on line 1, the pattern below it


def test_every_bad_pattern_is_reported_at_once(tmp_path):
    with pytest.raises(BuildFailed) as failure:
        _load(tmp_path, {"tag": "/t/", "author": "/a/{x}/"})
    assert len(failure.value.errors) == 2

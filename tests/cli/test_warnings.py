"""A journalist's mistakes become ``path:line`` warnings; ``--strict`` makes them errors
and leaves the output untouched; ``newsgen check`` adds the dead links of the built pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.cli import main

from ..conftest import SiteMaker


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def newsroom(site: SiteMaker) -> SiteMaker:
    site.config(
        {
            "title": "Test Times",
            "base_url": "https://test.example",
            "sections": ["Sports", "World"],
        }
    )
    site.authors({"ann-lee": {"name": "Ann Lee"}, "bo-chen": {"name": "Bo Chen"}})
    site.write("static/images/pier.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.article(
        "world/talks.md", "Talks resume", "2026-01-05T09:00:00Z",
        "Talks resumed. ![Pier](/images/pier.svg)", author="ann-lee",
    )  # fmt: skip
    return site


MISTAKES = [
    (  # a misspelt key
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\nauther: ann-lee\n---\nText.\n",
        "content/world/storm.md:4: warning: unknown front matter key 'auther' "
        "(did you mean 'author'?)",
    ),
    (
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\nsectoin: sports\n---\nText.\n",
        "content/world/storm.md:4: warning: unknown front matter key 'sectoin' "
        "(did you mean 'section'?)",
    ),
    (  # an author nobody described
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\nauthor: Bo Chenn\n---\nText.\n",
        "content/world/storm.md:4: warning: author 'Bo Chenn' is not described in "
        "data/authors.yaml (did you mean 'bo-chen'?)",
    ),
    (  # a section missing from the configuration
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\nsection: sprots\n---\nText.\n",
        "content/world/storm.md:4: warning: section 'sprots' is not among the sections of "
        "newsgen.yaml (did you mean 'sports'?",
    ),
    (  # an image that is not there
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\nimage: /images/storm.jpg\n---\nText.\n",
        "content/world/storm.md:4: warning: image '/images/storm.jpg' is not a file of the site",
    ),
    (
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\n---\nThe sky.\n\n![Sky](/images/sky.png)\n",
        "content/world/storm.md:7: warning: image '/images/sky.png' is not a file of the site",
    ),
    (  # a link to an article that does not exist
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\n---\nSee [the talks](/world/talk-resume/).\n",
        "content/world/storm.md:5: warning: link to '/world/talk-resume/' leads nowhere "
        "(did you mean '/world/talks-resume/'?)",
    ),
    (  # the site's own address among links to other sites: still checked
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\n---\nSee [a wire](https://wire.example/a) "
        "and [the talks](https://test.example/world/talk-resume/).\n",
        "content/world/storm.md:5: warning: link to 'https://test.example/world/talk-resume/' "
        "leads nowhere (did you mean '/world/talks-resume/'?)",
    ),
    (
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\n---\nSee [the talks](talks.md).\n",
        "content/world/storm.md:5: warning: link to 'talks.md' leads nowhere "
        "(link to the article's address '/world/talks-resume/' instead)",
    ),
    (  # tags written as one text
        "---\ntitle: Storm\ndate: 2026-01-06T09:00:00Z\ntags: Transport, Roads\n---\nText.\n",
        "content/world/storm.md:4: warning: 'tags: Transport, Roads' is one tag named "
        "'Transport, Roads'; for several tags write a list: tags: [Transport, Roads]",
    ),
]


@pytest.mark.parametrize(("source", "expected"), MISTAKES)
def test_each_mistake_is_a_warning_and_an_error_with_strict(
    newsroom: SiteMaker, capsys: pytest.CaptureFixture[str], source: str, expected: str
) -> None:
    root = str(newsroom.root)
    code, out, err = _run(capsys, "build", "--strict", "--source", root)
    assert (code, err) == (0, "") and out.startswith("built ")
    before = _snapshot(newsroom.output)

    newsroom.write("content/world/storm.md", source)
    code, out, err = _run(capsys, "build", "--strict", "--source", root)
    assert code == 1 and out == ""
    assert expected.replace(": warning:", ":") in err
    assert err.rstrip().endswith("build failed: 1 error")
    assert _snapshot(newsroom.output) == before  # untouched

    code, out, err = _run(capsys, "build", "--source", root)
    assert code == 0 and out.startswith("built ")
    warning, count = err.splitlines()
    assert warning.startswith(expected) and count == "1 warning (--strict makes them errors)"
    assert len(list(newsroom.output.rglob("storm/index.html"))) == 1  # published all the same


def test_check_reports_a_dead_template_link_and_a_missing_image(
    newsroom: SiteMaker, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(newsroom.root)
    assert _run(capsys, "check", "--source", root)[0] == 0
    newsroom.write(
        "templates/404.html",
        '{% extends "base.html" %}{% block content %}'
        '<a href="/lost-and-found/">Lost</a><img src="/images/none.png" alt="">'
        "{% endblock %}",
    )
    newsroom.article(
        "world/storm.md", "Storm", "2026-01-06T09:00:00Z", "Sky.\n\n![Sky](/images/sky.png)"
    )
    code, out, err = _run(capsys, "check", "--source", root)
    assert code == 1
    lines = out.splitlines()
    assert "content/world/storm.md:7: image '/images/sky.png' is not a file of the site" in lines
    assert any(
        line.startswith("/404.html:") and "link to '/lost-and-found/' leads to no file" in line
        for line in lines
    )
    assert any("image to '/images/none.png' leads to no file" in line for line in lines)
    # the article's missing image is reported once, at its source line
    assert sum("/images/sky.png" in line for line in lines) == 1
    assert err.strip() == f"check failed: {len(lines)} problems"
    assert not newsroom.output.exists()  # check builds elsewhere


def test_yaml_mistakes_explain_the_fix(
    newsroom: SiteMaker, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(newsroom.root)
    assert _run(capsys, "build", "--source", root)[0] == 0
    before = _snapshot(newsroom.output)
    newsroom.write(
        "content/world/budget.md",
        "---\ntitle: Budget: what it means\ndate: 2026-01-06T09:00:00Z\n---\nText.\n",
    )
    newsroom.write("content/world/leap.md", "---\ntitle: Leap\ndate: 2026-02-30\n---\nText.\n")
    newsroom.write(
        "content/world/tab.md",
        "---\ntitle: Tab\ndate: 2026-01-06\nimage:\n\tsrc: /images/pier.svg\n---\nText.\n",
    )
    code, _, err = _run(capsys, "build", "--source", root)
    assert code == 1
    assert (
        "content/world/budget.md:2: invalid YAML: mapping values are not allowed in this "
        'context; put the value in quotes: title: "Budget: what it means"'
    ) in err
    assert "content/world/leap.md:3: invalid YAML: impossible date '2026-02-30'" in err
    assert "content/world/tab.md:5: invalid YAML: " in err
    assert "indent with spaces, not tabs" in err
    assert "Traceback" not in err and "build failed: 3 errors" in err
    assert _snapshot(newsroom.output) == before


def test_a_key_given_twice_in_newsgen_yaml_is_an_error(
    newsroom: SiteMaker, capsys: pytest.CaptureFixture[str]
) -> None:
    newsroom.write("newsgen.yaml", "title: One\nper_page: 5\ntitle: Two\n")
    code, _, err = _run(capsys, "build", "--source", str(newsroom.root))
    assert code == 1
    assert "newsgen.yaml:3: invalid YAML: the key 'title' is given twice (first on line 1)" in err


def test_a_site_without_base_url_is_warned(
    site: SiteMaker, capsys: pytest.CaptureFixture[str]
) -> None:
    site.config({"title": "No address"})
    site.article("world/a.md", "A", "2020-01-01T00:00:00Z")
    code, _, err = _run(capsys, "build", "--source", str(site.root))
    assert code == 0
    assert err.startswith(
        "newsgen.yaml: warning: base_url is not set, so feeds, sitemaps and social cards "
        "point at http://localhost:8000"
    )


def test_a_language_that_is_not_a_language_tag_is_an_error_at_its_line(site, capsys) -> None:
    site.config({"title": "T", "base_url": "https://t.example", "language": "<b>en</b>"})
    site.article("world/a.md", "A story", "2026-11-01T10:00:00Z")
    assert main(["build", "--source", str(site.root), "-q"]) == 1
    assert "newsgen.yaml:3: 'language' must be a language tag" in capsys.readouterr().err


def test_a_time_zone_name_too_long_for_a_file_is_an_error_at_its_line(site, capsys) -> None:
    site.config({"title": "T", "base_url": "https://t.example", "timezone": "Europe/" + "x" * 300})
    site.article("world/a.md", "A story", "2026-11-01T10:00:00Z")
    assert main(["build", "--source", str(site.root), "-q"]) == 1
    assert "newsgen.yaml:3: 'timezone' must be a time zone name" in capsys.readouterr().err

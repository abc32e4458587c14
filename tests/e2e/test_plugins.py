"""Plugins and Markdown extensions: every extension point and event seen in the built
site, in worker processes too; an installed plugin found by its entry point; a changed
plugin rebuilds what it affects (a rebuild equals a cold build); broken plugins are
errors naming the plugin, the event and the line, with the output left as it was."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from newsgen.build import BuildOptions, build_site
from newsgen.cli import main
from newsgen.errors import BuildFailed
from newsgen.render import pages as render
from newsgen.sources import content
from newsgen.sources.articlefields import ARTICLE_FIELDS
from newsgen.sources.config import load_config

from ..conftest import NOW, SiteMaker, parse_html

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plugins"
ARTICLE = "news/new-e-mail-rules/index.html"
PAGE_TEMPLATE = """\
{% extends "base.html" %}
{% block content %}
<article class="page">
<h1>{{ page.title | shout }}</h1>
<p class="kicker">{{ page.extra.kicker }}</p>
<p class="motto">{{ motto }}</p>
<p class="edition">{{ edition }}</p>
<p class="count">{{ story_count() }}</p>
{{ page.body_html | safe }}
</article>
{% endblock %}
"""
BODY = """\
The [[TK]] figure is ~~old~~ new at the EU.

## Reaction

Quorum
:   The members needed for a vote.

*[EU]: European Union
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def newsroom_site(site: SiteMaker, **settings: object) -> SiteMaker:
    """A site with the ``newsroom`` plugin (every hook) and Markdown extensions from
    newsgen.yaml; two articles and an About page shown through a template of its own."""
    site.config(
        {
            "title": "Test Times",
            "description": "Local news.",
            "base_url": "https://test.example",
            "search": False,
            "plugins": ["newsroom"],
            "markdown": {"extensions": ["pymdownx.tilde", "abbr"]},
            **settings,
        }
    )
    for name in ("newsroom.py", "newsroom_words.py"):
        site.write(f"plugins/{name}", (FIXTURE / name).read_text())
    site.write("templates/page.html", PAGE_TEMPLATE)
    site.article("news/rules.md", "New e-mail rules", "2026-11-01 10:00", BODY, kicker="Council")
    site.article("news/other.md", "Budget passes", "2026-11-02 10:00", "Plain text.")
    site.write("content/pages/about.md", "---\ntitle: About\nkicker: Who we are\n---\nAbout us.\n")
    return site


def test_every_extension_point_and_event_shows_in_the_built_site(site: SiteMaker) -> None:
    newsroom_site(site)
    report = site.build()

    story = site.html(ARTICLE)
    assert story.xpath("string(//h1)") == "New email rules"  # on_article
    body = story.xpath("//div[@class='article-body']")[0]
    assert body.xpath("string(.//mark[@class='tk'])") == "TK"  # an Extension object
    assert body.xpath("string(.//dl/dt)") == "Quorum"  # an extension by name
    assert body.xpath("string(.//h2/a[@class='headerlink'])") == "¶"  # own one, set otherwise
    assert body.xpath("string(.//del)") == "old"  # pymdownx.tilde from newsgen.yaml
    assert body.xpath("string(.//abbr/@title)") == "European Union"  # abbr from newsgen.yaml
    assert "(house edition)" in story.xpath("string(//p[@class='footer-description'])")

    about = site.html("about/index.html")
    assert about.xpath("string(//h1)") == "ABOUT!"  # a filter
    assert about.xpath("string(//p[@class='kicker'])") == "WHO WE ARE"  # a field
    assert about.xpath("string(//p[@class='motto'])") == "Facts first"  # a global
    assert about.xpath("string(//p[@class='edition'])") == "page.html edition"  # on_page
    assert about.xpath("string(//p[@class='count'])") == "2"  # on_site, through a global
    home = site.html("index.html")
    assert "New email rules" in home.xpath("string(//main)")  # listings see on_article too

    written = [*report.changes.added, *report.changes.modified, *report.changes.removed]
    listed = (site.root / "changed.txt").read_text().split()  # on_build
    assert listed == sorted(written) and ARTICLE in listed
    assert "kicker" not in ARTICLE_FIELDS  # the plugin's field leaves with its build


def test_plugins_work_in_worker_processes(site: SiteMaker, tmp_path: Path, monkeypatch) -> None:
    """Parsing and rendering forked into workers give the same site as one process."""
    newsroom_site(site)
    one = site.build(jobs=1, output_dir=tmp_path / "one", use_cache=False)
    monkeypatch.setattr(content, "PARALLEL_PARSE_THRESHOLD", 0)
    monkeypatch.setattr(render, "POOL_THRESHOLD", 0)
    two = site.build(jobs=2, output_dir=tmp_path / "two", use_cache=False)
    assert one.rendered == two.rendered > 20
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    page = parse_html(tmp_path / "two" / "about/index.html")
    assert [p.text for p in page.xpath("//p[@class='edition']")] == ["page.html edition"]
    story = parse_html(tmp_path / "two" / ARTICLE)
    assert [m.text for m in story.xpath("//mark[@class='tk']")] == ["TK"]


def test_a_changed_plugin_rebuilds_what_it_affects(site: SiteMaker, tmp_path: Path) -> None:
    newsroom_site(site)
    site.build()
    assert site.build().written == 0  # nothing changed: the quick path
    words = site.root / "plugins/newsroom_words.py"  # a neighbour module of the plugin
    words.write_text(words.read_text().replace('"email"', '"E-post"'))
    report = site.build()
    assert site.html(ARTICLE).xpath("string(//h1)") == "New E-post rules"
    assert ARTICLE in report.changes.modified and "index.html" in report.changes.modified

    assert tree(site.output) == tree(cold_build(site, tmp_path / "cold"))


def test_markdown_settings_take_part_in_the_build_state(site: SiteMaker, tmp_path: Path) -> None:
    site.config({"title": "T", "base_url": "https://t.example", "search": False})
    site.article("news/a.md", "A story", "2026-11-01 10:00", "It was ~~old~~.")
    site.build()
    assert "~~old~~" in site.html("news/a-story/index.html").xpath("string(//main)")
    site.config(
        {
            "title": "T",
            "base_url": "https://t.example",
            "search": False,
            "markdown": {
                "extensions": ["pymdownx.tilde"],
                "extension_configs": {
                    "pymdownx.tilde": {"subscript": False},
                    "toc": {"permalink": True},
                },
            },
        }
    )
    site.build()
    page = site.html("news/a-story/index.html")
    assert page.xpath("string(//div[@class='article-body']//del)") == "old"
    assert tree(site.output) == tree(cold_build(site, tmp_path / "cold"))


def test_an_installed_plugin_is_found_by_its_entry_point(
    site: SiteMaker, tmp_path: Path, monkeypatch
) -> None:
    packages = tmp_path / "installed"
    monkeypatch.syspath_prepend(str(packages))
    _install_wire(packages, "1.0", "Wire")
    site.config(
        {"title": "T", "base_url": "https://t.example", "search": False, "plugins": ["wire"]}
    )
    site.article("news/a.md", "Harbour reopens", "2026-11-01 10:00")
    site.build()
    assert (
        site.html("news/harbour-reopens/index.html").xpath("string(//h1)")
        == "Harbour reopens (Wire)"
    )

    _install_wire(packages, "1.1", "Agency")  # an upgrade: a new version of the package
    monkeypatch.delitem(sys.modules, "newsgen_wire")
    report = site.build()
    assert "news/harbour-reopens/index.html" in report.changes.modified
    assert (
        site.html("news/harbour-reopens/index.html").xpath("string(//h1)")
        == "Harbour reopens (Agency)"
    )


def _install_wire(folder: Path, version: str, credit: str) -> None:
    """A package ``newsgen-wire`` as pip would leave it: a module and its dist-info."""
    for old in folder.glob("newsgen_wire-*.dist-info"):
        shutil.rmtree(old)
    info = folder / f"newsgen_wire-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: newsgen-wire\nVersion: {version}\n"
    )
    (info / "entry_points.txt").write_text("[newsgen.plugins]\nwire = newsgen_wire\n")
    (folder / "newsgen_wire.py").write_text(
        textwrap.dedent(
            f"""
            import dataclasses

            def register(registry):
                registry.on_article(
                    lambda a: dataclasses.replace(a, title=a.title + " ({credit})")
                )
            """
        )
    )


def cold_build(site: SiteMaker, folder: Path) -> Path:
    """The site copied without its output and build state, built there: its output."""
    shutil.copytree(site.root, folder, ignore=shutil.ignore_patterns("public", ".newsgen-cache"))
    build_site(load_config(folder), BuildOptions(now=NOW, jobs=1))
    return folder / "public"


BROKEN = {
    "config": (
        "def register(registry):\n    registry.on_config(lambda config: 'x')\n",
        "plugins/house.py: plugin 'house' failed in on_config: TypeError: returned str, "
        "not SiteConfig or None",
    ),
    "raises": (
        "def register(registry):\n"
        "    registry.on_site(check)\n"
        "\n"
        "def check(site):\n"
        "    return 1 / 0\n",
        "plugins/house.py:5: plugin 'house' failed in on_site: ZeroDivisionError: division by zero",
    ),
    "page": (
        "def register(registry):\n"
        "    @registry.on_page\n"
        "    def add(page):\n"
        "        page.context['x'] = page.context['missing']\n",
        "plugins/house.py:4: plugin 'house' failed in on_page: KeyError: 'missing' (for 2026/11/index.html and 19 more)",
    ),
    "import": (
        "import newsgen_no_such_module\n",
        "newsgen.yaml:5: plugin 'house' cannot be loaded: plugins/house.py:1: "
        "ModuleNotFoundError: No module named 'newsgen_no_such_module'",
    ),
    "syntax": (
        "def register(registry)\n    pass\n",
        "newsgen.yaml:5: plugin 'house' cannot be loaded: plugins/house.py:1: SyntaxError",
    ),
    "no register": (
        "RULES = []\n",
        "newsgen.yaml:5: plugin 'house' (plugins/house.py) has no register",
    ),
    "own field": (
        "def register(registry):\n    registry.field('title')\n",
        "plugins/house.py:2: plugin 'house' failed in register: ValueError: front matter field "
        "'title' is newsgen's own",
    ),
    "field value": (
        "def register(registry):\n    registry.field('desk', lambda v: int(v))\n",
        "content/news/a.md:4: 'desk': invalid literal for int() with base 10: 'metro'",
    ),
    "house rule": (  # a problem with the site, reported as the plugin words it
        "from newsgen.errors import ContentError\n"
        "def register(registry):\n"
        "    @registry.on_article\n"
        "    def rule(article):\n"
        "        if article.title.endswith('.'):\n"
        "            raise ContentError(article.source_path, 'no full stop after a headline', 2)\n",
        "content/news/a.md:2: no full stop after a headline",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_plugin_is_an_error_and_the_output_stays(
    site: SiteMaker, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    site.config({"title": "T", "base_url": "https://t.example", "search": False})
    site.write("plugins/house.py", "def register(registry):\n    pass\n")
    site.write(
        "content/news/a.md",
        "---\ntitle: Council meets.\ndate: 2026-11-01\ndesk: metro\n---\nText.\n",
    )
    site.build()
    before = tree(site.output)
    text = (site.root / "newsgen.yaml").read_text()
    site.write("newsgen.yaml", text + "plugins:\n  - house\n")
    source, message = BROKEN[case]
    site.write("plugins/house.py", source)
    code = main(["build", "--source", str(site.root), "-q"])
    _, err = capsys.readouterr()
    assert code == 1
    assert message in err and "Traceback" not in err
    assert len(err.splitlines()) == 2  # the error, once, and "build failed: 1 error"
    assert tree(site.output) == before


def test_unknown_plugins_and_extensions_are_errors_at_their_lines(site: SiteMaker) -> None:
    site.write("plugins/newsroom.py", "def register(registry):\n    pass\n")
    site.write(
        "newsgen.yaml",
        "title: T\nplugins:\n  - newsroom\n  - newsrom\nmarkdown:\n"
        "  extensions:\n    - abbr\n    - pymdownx.nothing\n"
        "  extension_configs:\n    toc: {nope: 1}\n    footnotes: {}\n    smarty: {}\n",
    )
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert [str(e) for e in failed.value.errors] == [
        "newsgen.yaml:4: unknown plugin 'newsrom' (did you mean 'newsroom'?): no "
        "plugins/newsrom.py and no installed package declares it (entry point group "
        "newsgen.plugins)",
        "newsgen.yaml:8: markdown extension 'pymdownx.nothing' cannot be imported (No module "
        "named 'pymdownx.nothing'); is it installed?",
        "newsgen.yaml:10: markdown extension 'toc' has no setting 'nope'",
        "newsgen.yaml:12: markdown.extension_configs names 'smarty', which is not an extension "
        "in use (add it to markdown.extensions)",
    ]


def test_the_documented_house_style_plugin(site: SiteMaker) -> None:
    example = Path(__file__).resolve().parents[2] / "docs/examples/house_style.py"
    site.config(
        {"title": "T", "base_url": "https://t.example", "search": False, "plugins": ["house_style"]}
    )
    site.write("plugins/house_style.py", example.read_text())
    site.article(
        "news/a.md", "Rates rise", "2026-11-01 10:00", "Up 12% and `5%` in code.", kicker="Economy"
    )
    site.build()
    body = site.html("news/rates-rise/index.html").xpath("//div[@class='article-body']")[0]
    assert body.xpath("string(.)").strip() == "Up 12 per cent and 5% in code."
    site.article(
        "news/b.md", "Rates fall.", "2026-11-02 10:00", kicker="Business and the world economy"
    )
    site.article("news/a.md", "Rates rise", "2026-11-01 10:00", "Up 12% today.")  # published
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert [str(e) for e in failed.value.errors] == [
        "content/news/b.md:4: 'kicker': a kicker has at most 24 characters",
    ]
    site.article("news/b.md", "Rates fall.", "2026-11-02 10:00", kicker="Business")
    with pytest.raises(BuildFailed) as failed:
        site.build()
    assert [str(e) for e in failed.value.errors] == [
        "content/news/b.md: house style: no full stop after a headline",
    ]
    site.article("news/b.md", "Rates fall", "2026-11-02 10:00", kicker="Business")
    report = site.build()
    purged = (site.root / "changed-urls.txt").read_text().split()
    changed = [p for p in report.changes.modified if p.endswith("index.html")]
    assert purged == sorted("/" + p.removesuffix("index.html") for p in changed)
    assert "/news/rates-rise/" in purged and "/" in purged  # the edited story, the front
    assert "/news/rates-fall/" not in purged  # new: nothing to purge


def test_newsgen_next_reads_the_site_as_the_build_does(
    site: SiteMaker, capsys: pytest.CaptureFixture[str]
) -> None:
    """``newsgen next`` sees what a plugin's on_article makes of a story."""
    site.config({"title": "T", "plugins": ["embargo"]})
    site.write(
        "plugins/embargo.py",
        "import dataclasses, datetime\n"
        "def register(registry):\n"
        "    registry.on_article(lambda a: dataclasses.replace(\n"
        "        a, expires=a.date + datetime.timedelta(days=3650)))\n",
    )
    site.article("news/a.md", "Harbour reopens", "2026-11-01 10:00")
    assert main(["next", "--source", str(site.root)]) == 0
    assert capsys.readouterr().out.strip() == "2036-10-29T10:00:00+00:00"

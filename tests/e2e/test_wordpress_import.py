"""``newsgen import wordpress``: hand-written WXR 1.0, 1.1 and 1.2 exports imported,
built, and checked the way a newsroom moving in would: every story is there, every old
URL leads to it, and nothing of the text is lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.etree
import pytest
import yaml

from newsgen.build import BuildOptions, build_site
from newsgen.cli import main
from newsgen.sources.config import load_config
from tests.conftest import NOW, parse_html, photo
from tests.links import broken_links, resolve
from tests.wxr_maker import write_large_export

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wordpress"
VNU = (
    Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
COURIER = FIXTURES / "courier-wxr-1.2.xml"
WP = "{http://wordpress.org/export/1.2/}"


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    """A copy of wp-content/uploads holding all but one of the files the export names."""
    folder = tmp_path / "uploads" / "2024" / "05"
    folder.mkdir(parents=True)
    photo(300, 200).save(folder / "dredger.jpg")
    photo(120, 80, seed=2).save(folder / "tide-chart.png")
    (folder / "crossing.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    return tmp_path / "uploads"


def run_import(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["import", "wordpress", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def build(site: Path, **options: object) -> Path:
    build_site(load_config(site), BuildOptions(now=NOW, jobs=1, **options))
    return site / "public"


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def follow(output: Path, url: str) -> Path:
    """The page an old URL ends on, following redirect pages (meta refresh + canonical)."""
    for _ in range(3):
        page = resolve(output, url)
        assert page is not None, f"{url} leads nowhere"
        if page.suffix != ".html":
            return page
        tree = parse_html(page)
        refresh = tree.xpath('//meta[@http-equiv="refresh"]/@content')
        if not refresh:
            return page
        target = refresh[0].split("url=", 1)[1]
        assert tree.xpath('//link[@rel="canonical"]/@href') == [target]
        assert tree.xpath("//a/@href") == [target]
        url = urlsplit(target).path
    raise AssertionError(f"{url}: redirect loop")


def redirect_rules(output: Path) -> dict[str, str]:
    """``_redirects`` as old URL (``/path`` or ``/path?query``) -> new URL."""
    rules = {}
    for line in (output / "_redirects").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        assert parts[-1] == "301"
        old = parts[0] + ("?" + "&".join(parts[1:-2]) if len(parts) > 3 else "")
        rules[unquote(old)] = parts[-2]
    return rules


def exported_items(export: Path) -> list[dict[str, str]]:
    """Read the fixture independently of newsgen: each item's id, type, status, links."""
    items = []
    for item in lxml.etree.parse(str(export)).iter("item"):
        items.append(
            {
                "id": item.findtext(f"{WP}post_id"),
                "type": item.findtext(f"{WP}post_type"),
                "status": item.findtext(f"{WP}status"),
                "link": item.findtext("link"),
                "guid": item.findtext("guid"),
                "parent": item.findtext(f"{WP}post_parent"),
                "password": item.findtext(f"{WP}post_password") or "",
                "date": item.findtext(f"{WP}post_date"),
            }
        )
    return items


def test_imported_site_builds_and_every_old_url_resolves(tmp_path, uploads, capsys):
    site = tmp_path / "courier"
    code, out, err = run_import(capsys, COURIER, "--source", site, "--uploads", uploads)
    assert code == 0, err
    output = build(site)
    assert broken_links(output) == []
    rules = redirect_rules(output)
    items = exported_items(COURIER)
    public = {
        i["id"]: i
        for i in items
        if i["type"] in ("post", "page") and i["status"] == "publish" and not i["password"]
    }
    assert sorted(public) == ["101", "102", "103", "104", "110", "111", "112"]
    for item in public.values():
        story = follow(output, urlsplit(item["link"]).path)
        assert "http-equiv" not in story.read_text()
        # ?p=ID (and ?page_id=ID) can only be answered by the host's _redirects
        assert resolve(output, rules[f"/?p={item['id']}"]) == story
        guid = urlsplit(item["guid"])
        assert resolve(output, rules[f"{guid.path}?{guid.query}"]) == story
    for item in items:
        if item["type"] != "attachment":
            continue
        landing = follow(output, urlsplit(item["link"]).path)
        assert resolve(output, rules[f"/?attachment_id={item['id']}"]) == landing
        parent = public.get(item["parent"])
        if parent:  # an attached file's page leads to its story, an unattached one to the file
            assert landing == follow(output, urlsplit(parent["link"]).path)
        else:
            assert landing.read_bytes() == (uploads / "2024/05/tide-chart.png").read_bytes()
    # old archives and the feed lead to their newsgen pages
    assert follow(output, "/category/politics/") == output / "politics" / "index.html"
    assert follow(output, "/tag/council/") == output / "tags" / "council-committees" / "index.html"
    assert follow(output, "/author/mreyes/") == output / "authors" / "mreyes" / "index.html"
    assert follow(output, "/feed/") == output / "feed.xml"
    # drafts, scheduled, private, trashed, protected and menu items are not published
    for hidden in ("Budget row", "Regatta", "Staff rota", "Old test post", "Subscribers"):
        assert not any(hidden in p.read_text() for p in output.rglob("*.html")), hidden
    assert resolve(output, "/2020/01/01/home/") is None  # the menu item
    # every page, redirect pages included, is valid HTML
    pages = sorted(map(str, output.rglob("*.html")))
    checked = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr[:3000]


def test_import_keeps_the_stories_whole(tmp_path, uploads, capsys):
    site = tmp_path / "courier"
    code, out, _ = run_import(capsys, COURIER, "--source", site, "--uploads", uploads)
    assert code == 0
    dredging = front_matter(site / "content" / "politics" / "harbour-dredging-plan.md")
    assert dredging["section"] == "politics"  # Yoast's primary category, not the first
    assert dredging["tags"] == ["Local News", "Harbour", "Council & Committees"]
    assert dredging["author"] == "mreyes"
    assert dredging["summary"] == "The council voted to dredge the inner harbour."
    assert dredging["image"] == {
        "src": "/uploads/2024/05/dredger.jpg",
        "alt": "A dredger at the quay",
        "caption": "The dredger Tern at the north quay.",
    }
    assert dredging["date"] == "2024-05-06T09:30:00+02:00"
    authors = yaml.safe_load((site / "data" / "authors.yaml").read_text(encoding="utf-8"))
    assert authors == {"mreyes": {"name": "María Reyes"}, "tokafor": {"name": "Tunde Okafor"}}
    config = yaml.safe_load((site / "newsgen.yaml").read_text(encoding="utf-8"))
    assert {s["key"]: s["title"] for s in config["sections"]}["local-news"] == "Local News"
    assert "أخبار" in [s["title"] for s in config["sections"]]
    draft = front_matter(site / "content" / "politics" / "budget-row-first-draft.md")
    assert draft["draft"] is True
    assert front_matter(site / "content" / "local-news" / "regatta-preview.md")["date"].startswith(
        "2031-07-01"
    )

    output = build(site, future=True)
    original = (uploads / "2024" / "05" / "dredger.jpg").read_bytes()
    assert (output / "uploads" / "2024" / "05" / "dredger.jpg").read_bytes() == original
    page = parse_html(output / "politics" / "harbour-dredging-plan" / "index.html")
    shares = page.xpath('//meta[@property="og:image"]/@content')  # crops of dredger.jpg
    assert shares and all(
        s.startswith("https://courier.example.com/uploads/2024/05/dredger.") for s in shares
    )
    figure = page.xpath('//figure[@id="attachment_201"]')[0]
    (src,) = figure.xpath(".//img/@src")
    assert src.startswith("/uploads/2024/05/dredger.")
    assert figure.xpath("string(.//figcaption)") == "The dredger Tern at the north quay."
    body = page.xpath("string(//article)")
    assert "C:\\Users\\Public\\Harbour" in body and "dredge \\\\ deepen" in body and "🚢" in body
    assert "Councillors also asked" in body  # the text after <!--more--> is on the page
    assert (
        "<!--more-->"
        not in (output / "politics" / "harbour-dredging-plan" / "index.html").read_text()
    )
    links = page.xpath("//div[@class='article-body']//a/@href")
    assert "/local-news/ferry-timetable-changes/" in links
    assert "/local-news/fish-market-reopens/#reactions" in links

    ferry = parse_html(output / "local-news" / "ferry-timetable-changes" / "index.html")
    text = ferry.xpath("string(//article)")
    assert "]]> stays as typed" in text and "x < y && y > z" in text
    assert "مرحبا بكم في الميناء" in text
    assert "[contact-form-7 id=" in text  # an unknown shortcode is kept, and reported
    assert len(ferry.xpath('//div[contains(@class, "gallery")]/figure')) == 2
    assert ferry.xpath("//iframe/@src") == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]
    assert ferry.xpath("//video/source/@src") == ["/uploads/2024/05/crossing.mp4"]
    assert ferry.xpath("//h1/text()") == ["Ferry timetable changes & what they mean"]
    # a block-editor post: already HTML, its block comments gone, its embed a player
    lifeboat = output / "local-news" / "lifeboat-rescue" / "index.html"
    assert "wp:" not in lifeboat.read_text()
    rescue = parse_html(lifeboat)
    assert rescue.xpath("//iframe/@src") == ["https://player.vimeo.com/video/76979871"]
    assert [p.text_content() for p in rescue.xpath("//div[@class='article-body']//p")] == [
        "The lifeboat launched at 02:10 in a force 7.",
        "Both sailors were unhurt.The crew thanked the coastguard.",
    ]
    scheduled = output / "local-news" / "regatta-preview" / "index.html"
    assert scheduled.is_file()

    summary = out.splitlines()
    assert "imported 7 posts (1 scheduled) and 2 pages; 1 of them drafts" in out
    for line in (
        "skipped 1 private posts",
        "skipped 1 trash posts",
        "skipped 1 navigation menu items",
        "skipped 1 password-protected posts",
        "skipped 1 auto-draft posts",
        "skipped 1 items of type 'revision'",
        "skipped 2 comments (newsgen has none)",
        "unknown shortcode [contact-form-7] kept as text 1 time(s)",
        "missing: wp-content/uploads/2024/05/ferry-map.jpg (used by attachment 203)",
        "missing: gallery attachment 299",
    ):
        assert f"  {line}" in summary, line


def test_import_is_deterministic_and_never_overwrites(tmp_path, uploads, capsys):
    first, second = tmp_path / "one", tmp_path / "two"
    assert run_import(capsys, COURIER, "--source", first, "--uploads", uploads)[0] == 0
    assert run_import(capsys, COURIER, "--source", second, "--uploads", uploads)[0] == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative

    story = first / "content" / "local-news" / "fish-market-reopens.md"
    story.write_text("---\ntitle: Edited by hand\n---\n", encoding="utf-8")
    code, _, err = run_import(capsys, COURIER, "--source", first, "--uploads", uploads)
    assert code == 1
    assert "already exist; use --force" in err and "newsgen.yaml" in err
    assert story.read_text(encoding="utf-8") == "---\ntitle: Edited by hand\n---\n"
    assert run_import(capsys, COURIER, "--source", first, "--uploads", uploads, "--force")[0] == 0
    assert (
        story.read_bytes()
        == (second / "content" / "local-news" / "fish-market-reopens.md").read_bytes()
    )


def test_malformed_export_is_an_error_with_its_line_and_writes_nothing(tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "newsgen.cli", "import", "wordpress", str(FIXTURES / "malformed.xml"),
         "--source", str(site)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "malformed.xml:10: not a readable WordPress export" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists()


def test_wxr_1_0_and_https_namespaced_1_1_exports(tmp_path, capsys):
    gazette = tmp_path / "gazette"
    assert run_import(capsys, FIXTURES / "gazette-wxr-1.0.xml", "--source", gazette)[0] == 0
    harvest = front_matter(gazette / "content" / "farming" / "harvest-festival.md")
    assert harvest["tags"] == ["Harvest"]  # 1.0 lists each term twice
    assert harvest["author"] == "editor"  # 1.0 has no author list: the login names them
    assert "base_url: http://gazette.example.org\n" in (gazette / "newsgen.yaml").read_text()
    output = build(gazette)
    # WordPress lived in /news/: its URLs lead to the new ones at the root
    page = follow(output, "/news/2009/09/harvest-festival/")
    assert page == output / "farming" / "harvest-festival" / "index.html"
    assert follow(output, "/news/contact/") == output / "contact" / "index.html"
    assert redirect_rules(output)["/news/?p=7"] == "/farming/harvest-festival/"
    assert parse_html(page).xpath("//div[@class='article-body']//a/@href") == [
        "/farming/harvest-festival-2008/"
    ]

    bulletin = tmp_path / "bulletin"
    code, out, _ = run_import(capsys, FIXTURES / "bulletin-wxr-1.1.xml", "--source", bulletin)
    assert code == 0 and "imported 2 posts" in out
    output = build(bulletin)
    page = parse_html(output / "campus" / "inscriptions" / "index.html")
    assert page.xpath("//div[@class='article-body']//a/@href") == ["/campus/bibliotheque-horaires/"]
    assert "Claire Dupont" in page.xpath("string(//article)")
    library = parse_html(output / "campus" / "bibliotheque-horaires" / "index.html")
    assert library.xpath("//h1/text()") == ["Bibliothèque : horaires d’été"]
    assert "« salles de groupe »" in library.xpath("string(//article)")


def test_a_large_export_is_streamed(tmp_path):
    export = tmp_path / "large.xml"
    write_large_export(export, stories=300, paragraphs=3, comments=35)
    size = export.stat().st_size
    assert size > 15_000_000
    script = (
        "import resource, sys; from pathlib import Path;"
        "from newsgen.importers.wordpress import import_wordpress;"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        "report = import_wordpress(Path(sys.argv[1]), Path(sys.argv[2]));"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        "print(report.posts, report.comments, (after - before) * 1024)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(export), str(tmp_path / "site")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    posts, comments, grown = map(int, result.stdout.split())
    assert (posts, comments) == (300, 300 * 35)
    assert grown < size / 2, f"memory grew by {grown} bytes for a {size}-byte export"
    assert len(list((tmp_path / "site" / "content" / "news").glob("*.md"))) == 300

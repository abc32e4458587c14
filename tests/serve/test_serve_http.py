"""``newsgen serve`` over real HTTP: files, types, safety, concurrency, rebuilds, errors."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from newsgen.errors import NewsgenError
from newsgen.serve.livereload import EVENTS_PATH
from newsgen.serve.server import PreviewServer, default_output_dir
from tests.conftest import SiteMaker
from tests.serve.helpers import (
    DEADLINE,
    badges,
    current_recent_titles,
    fetch,
    get,
    headline,
    poll,
    recent_titles,
    running,
)

REPO = Path(__file__).resolve().parents[2]


def small_site(site: SiteMaker) -> SiteMaker:
    site.article("news/harbour.md", "Harbour reopens", "2025-03-01 09:00", "The harbour reopened.")
    site.article("news/ferry.md", "Ferry returns", "2025-03-02 09:00", "The ferry is back.")
    site.article("news/budget.md", "Budget passes", "2025-03-03 09:00", "Councillors agreed.")
    site.article("news/plan.md", "Draft plan", "2025-03-04 09:00", "Not yet.", draft=True)
    site.article("news/later.md", "Future story", "2099-01-01 09:00", "Embargoed.")
    site.write("static/data.json", '{"a": 1}')
    return site


def test_pages_and_static_files_are_served_with_their_types(site: SiteMaker) -> None:
    small_site(site)
    with running(site.root) as server:
        home = get(server, "/")
        assert home.status == 200
        assert home.headers["content-type"] == "text/html; charset=utf-8"
        assert int(home.headers["content-length"]) == len(home.body)
        assert "Harbour reopens" in home.text
        assert 'id="newsgen-live-reload"' in home.text
        article = get(server, "/news/harbour-reopens/")
        assert article.status == 200 and headline(article.text) == "Harbour reopens"
        assert f'href="{server.url}/news/harbour-reopens/"' in article.text  # base_url is local
        redirect = get(server, "/news/harbour-reopens")
        assert redirect.status == 301 and redirect.headers["location"] == "/news/harbour-reopens/"
        css = get(server, "/css/site.css")
        assert css.status == 200 and css.headers["content-type"] == "text/css; charset=utf-8"
        js = get(server, "/js/site.js")
        assert js.headers["content-type"] == "text/javascript; charset=utf-8"
        assert b"newsgen-live-reload" not in js.body
        assert get(server, "/favicon.svg").headers["content-type"] == "image/svg+xml"
        assert get(server, "/data.json").headers["content-type"] == "application/json"
        missing = get(server, "/no/such/page/")
        assert missing.status == 404 and "Page not found" in missing.text
        head = get(server, "/news/harbour-reopens/", method="HEAD")
        assert head.status == 200 and head.body == b""
        assert head.headers["content-length"] == article.headers["content-length"]


def test_drafts_and_future_articles_are_shown_and_marked(site: SiteMaker) -> None:
    small_site(site)
    with running(site.root) as server:
        draft = get(server, "/news/draft-plan/")
        assert draft.status == 200 and "Draft" in badges(draft.text)
        future = get(server, "/news/future-story/")
        assert future.status == 200 and "Scheduled" in badges(future.text)
        assert "Scheduled" not in badges(get(server, "/news/harbour-reopens/").text)
    with running(site.root, drafts=False, future=False) as server:
        assert get(server, "/news/draft-plan/").status == 404
        assert get(server, "/news/future-story/").status == 404


def test_the_preview_never_touches_the_public_output(site: SiteMaker) -> None:
    small_site(site)
    with running(site.root) as server:
        assert get(server, "/").status == 200
    assert not site.output.exists()
    served = default_output_dir(site.root)
    assert (served / "index.html").is_file()
    for path in served.rglob("*.html"):
        assert b"__newsgen" not in path.read_bytes(), path  # injected at serve time only
    site.build(drafts=True, future=True)
    for path in site.output.rglob("*"):
        if path.is_file():
            assert b"__newsgen" not in path.read_bytes(), path


TRAVERSALS = [
    "/../newsgen.yaml",
    "/../../../../etc/passwd",
    "/news/../../newsgen.yaml",
    "/%2e%2e/newsgen.yaml",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/%2e%2e%2fnewsgen.yaml",
    "/..%2f..%2fetc%2fpasswd",
    "/css%2f..%2f..%2f..%2fnewsgen.yaml",
    "/%2fetc%2fpasswd",
    "//etc/passwd",
    "/..%5c..%5cnewsgen.yaml",
    "/%252e%252e/newsgen.yaml",
    "/%c0%ae%c0%ae/newsgen.yaml",
    "/news/%00/index.html",
    "etc/passwd",
    "http://127.0.0.1/../newsgen.yaml",
    "/leak.yaml",
    "/leak-folder/newsgen.yaml",
    "/__newsgen/../newsgen.yaml",
]


def test_traversal_and_symlinks_out_of_the_output_are_refused(site: SiteMaker) -> None:
    small_site(site)
    secret = "secret-marker-31337"
    site.write("data/secret.txt", secret)
    with open(site.root / "newsgen.yaml", "a") as handle:
        handle.write(f"# {secret}\n")
    with running(site.root) as server:
        output = default_output_dir(site.root)
        os.symlink(site.root / "newsgen.yaml", output / "leak.yaml")
        os.symlink(site.root, output / "leak-folder")
        os.symlink(output / "index.html", output / "inside.html")  # stays inside: allowed
        for target in TRAVERSALS:
            response = get(server, target)
            assert response.status == 404, target
            assert secret not in response.text, target
        assert get(server, "/inside.html").status == 200


def test_fifty_requests_at_once_are_all_answered(site: SiteMaker) -> None:
    small_site(site)
    with running(site.root) as server:
        targets = ["/", "/news/harbour-reopens/", "/css/site.css", "/nope/", "/tags/"] * 10
        with ThreadPoolExecutor(max_workers=50) as pool:
            responses = list(pool.map(lambda target: get(server, target), targets))
    assert len(responses) == 50
    assert [r.status for r in responses] == [200, 200, 200, 404, 200] * 10
    assert all(r.body for r in responses)


def test_edits_additions_and_deletions_are_served(site: SiteMaker) -> None:
    small_site(site)
    with running(site.root) as server:
        home = f"{server.url}/"
        assert "Budget passes" in recent_titles(fetch(home))
        assert "Budget passes" in current_recent_titles(server.url)
        site.article("news/budget.md", "Budget passes at last", "2025-03-03 09:00", "Agreed.")
        poll(
            lambda: (
                headline(fetch(f"{server.url}/news/budget-passes-at-last/"))
                == "Budget passes at last"
            ),
            "the edited article",
        )
        poll(
            lambda: "Budget passes at last" in current_recent_titles(server.url),
            "the sidebar to follow the edit",
        )
        assert "Budget passes at last" in recent_titles(fetch(home))
        poll(lambda: get(server, "/news/budget-passes/").status == 404, "the old URL to go")

        site.article("news/storm.md", "Storm warning issued", "2025-03-05 09:00", "Winds.")
        poll(
            lambda: (
                headline(fetch(f"{server.url}/news/storm-warning-issued/"))
                == "Storm warning issued"
            ),
            "the new article",
        )
        poll(
            lambda: "Storm warning issued" in current_recent_titles(server.url),
            "the sidebar to list the new article",
        )
        assert "Storm warning issued" in fetch(f"{server.url}/")

        (site.root / "content/news/storm.md").unlink()
        poll(
            lambda: get(server, "/news/storm-warning-issued/").status == 404, "the deleted article"
        )
        poll(
            lambda: "Storm warning issued" not in current_recent_titles(server.url),
            "the sidebar to drop it",
        )


def test_configuration_static_and_data_changes_are_picked_up(site: SiteMaker) -> None:
    small_site(site)
    with running(site.root) as server:
        site.config(
            {"title": "Evening Times", "base_url": "https://test.example", "timezone": "UTC"}
        )
        poll(
            lambda: "<title>Evening Times</title>" in fetch(f"{server.url}/"), "the new site title"
        )
        site.write("static/css/extra.css", "body { color: red; }")
        poll(lambda: get(server, "/css/extra.css").status == 200, "the new static file")
        assert get(server, "/css/extra.css").body == b"body { color: red; }"
        site.authors({"ana": {"name": "Ana Lopes", "bio": "Harbour reporter."}})
        poll(lambda: get(server, "/authors/ana/").status == 200, "the new author page")


def served_state(page: str) -> dict:
    start = page.index("var served = ") + len("var served = ")
    return json.loads(page[start : page.index(";\n", start)])


def test_a_build_error_is_shown_until_fixed_while_the_last_good_site_is_served(
    site: SiteMaker,
) -> None:
    small_site(site)
    messages: list[str] = []
    with running(site.root, messages) as server:
        url = f"{server.url}/news/ferry-returns/"
        good = served_state(fetch(url))
        assert good["errors"] == []
        site.write(
            "content/news/ferry.md",
            "---\ntitle: Ferry returns\ndate: 2025-03-02\ntags: [a, b\n---\nBody\n",
        )

        def broken() -> dict | None:
            state = served_state(fetch(url))
            return state if state["errors"] else None

        state = poll(broken, "the error to be shown")
        assert state["errors"][0]["path"] == "content/news/ferry.md"
        assert state["errors"][0]["line"] == 5
        assert "invalid YAML" in state["errors"][0]["message"]
        assert headline(fetch(url)) == "Ferry returns"  # the last good page is still there
        assert any("content/news/ferry.md:5: invalid YAML" in m for m in messages)

        event = read_first_event(server.port)
        assert event["errors"] and event["version"] == good["version"]

        site.article("news/ferry.md", "Ferry returns again", "2025-03-02 09:00", "Fixed.")
        fixed = poll(
            lambda: (
                (s := served_state(fetch(f"{server.url}/news/ferry-returns-again/")))["errors"]
                == []
                and s
            ),
            "the error to clear",
        )
        assert fixed["version"] != good["version"]
        assert read_first_event(server.port) == fixed


def read_first_event(port: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", EVENTS_PATH)
        response = connection.getresponse()
        assert response.getheader("content-type") == "text/event-stream"
        line = response.fp.readline().decode()
        assert line.startswith("data: ")
        return json.loads(line[len("data: ") :])
    finally:
        connection.close()


def test_a_site_broken_from_the_start_is_served_once_fixed(site: SiteMaker) -> None:
    site.write("content/news/ferry.md", "---\ndate: 2025-03-02\n---\nNo title.\n")
    with running(site.root) as server:
        first = get(server, "/")
        assert first.status == 404
        assert served_state(first.text)["errors"][0] == {
            "path": "content/news/ferry.md",
            "line": 1,
            "message": "missing required field 'title'",
        }
        site.article("news/ferry.md", "Ferry returns", "2025-03-02 09:00", "Back.")

        def fixed() -> bool:
            response = get(server, "/")
            return response.status == 200 and not served_state(response.text)["errors"]

        poll(fixed, "the fixed site to be served without errors")


def test_folders_without_their_slash_redirect_within_the_site(site: SiteMaker) -> None:
    small_site(site)
    with running(site.root) as server:
        for target in ("/news", "//news", "///news"):
            response = get(server, target)
            assert response.status == 301, target
            assert response.headers["location"] == "/news/", target


def test_a_broken_template_is_reported_with_its_line(site: SiteMaker) -> None:
    small_site(site)
    messages: list[str] = []
    with running(site.root, messages) as server:
        site.write(
            "templates/404.html",
            "{% extends 'base.html' %}\n{% block content %}\n{{ oops(\n{% endblock %}\n",
        )
        state = poll(
            lambda: (s := served_state(fetch(f"{server.url}/")))["errors"] and s,
            "the template error",
        )
        assert state["errors"][0]["path"].endswith("templates/404.html")
        assert state["errors"][0]["line"] in (3, 4)
        (site.root / "templates/404.html").unlink()
        poll(lambda: not served_state(fetch(f"{server.url}/"))["errors"], "the error to clear")


def test_ctrl_c_stops_the_command_cleanly(site: SiteMaker) -> None:
    small_site(site)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsgen.cli", "serve", "--source", str(site.root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        line = process.stdout.readline()
        assert line.startswith("Serving http://127.0.0.1:"), line
        url = line.split()[1]
        assert "Harbour reopens" in fetch(url)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=DEADLINE) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        process.stdout.close()
        process.stderr.close()


def test_a_busy_port_is_a_clear_error(site: SiteMaker) -> None:
    small_site(site)
    with running(site.root) as server:
        with pytest.raises(NewsgenError, match="cannot listen on 127.0.0.1"):
            PreviewServer(site.root, port=server.port, report=lambda m: None).start()

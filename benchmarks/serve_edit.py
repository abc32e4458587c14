"""How long after saving one article does ``newsgen serve`` serve the updated page?

Generates a site of 1,000 articles (~600 words each) in a temporary folder, starts a
``PreviewServer`` on a free port, then edits one article several times (an old story's
title, the newest story's title, the newest story's last paragraph). For each edit it
prints the time from saving until the article's URL first serves the change, and until
an open page would have reloaded (the build's event on ``/__newsgen/events``).

    PYTHONPATH=src python benchmarks/serve_edit.py [--articles 1000] [--edits 5]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from newsgen.serve.livereload import EVENTS_PATH
from newsgen.serve.server import PreviewServer

SECTIONS = ("world", "politics", "business", "technology", "science", "culture")
WORDS = (
    "harbour council budget ferry wind turbine port alder quay market cargo tide survey "
    "residents vote plan funding cable research festival report minister officials week "
    "said would could after before during local regional national city coast island"
).split()


def article_text(number: int, title: str, rng: random.Random) -> str:
    date = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(hours=7 * number)
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(100)).capitalize() + "." for _ in range(6)
    ]
    tags = sorted({rng.choice(WORDS) for _ in range(3)})
    return (
        f"---\ntitle: {title}\nslug: story-{number}\ndate: {date.isoformat()}\n"
        f"author: Reporter {number % 12}\ntags: [{', '.join(tags)}]\n---\n"
        + "\n\n".join(paragraphs)
        + "\n"
    )


def make_site(root: Path, count: int) -> list[Path]:
    rng = random.Random(1)
    (root / "newsgen.yaml").write_text(
        "title: Benchmark Times\nbase_url: https://bench.example\ntimezone: UTC\n"
    )
    paths = []
    for number in range(count):
        section = SECTIONS[number % len(SECTIONS)]
        path = root / "content" / section / f"story-{number:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(number, f"Story number {number}", rng))
        paths.append(path)
    return paths


def wait_for(url: str, needle: str, deadline: float) -> float:
    """When ``url`` first serves ``needle`` (polled every 20 ms)."""
    while time.perf_counter() < deadline:
        with urllib.request.urlopen(url, timeout=5) as response:
            if needle in response.read().decode():
                return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError(f"{url} never showed {needle!r}")


def open_events(server: PreviewServer) -> http.client.HTTPResponse:
    """The event stream an open page listens to; its first event is the current state."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request("GET", EVENTS_PATH)
    response = connection.getresponse()
    response.fp.readline()
    response.fp.readline()
    return response


def wait_for_reload(events: http.client.HTTPResponse, url: str, needle: str) -> float:
    """When an open page would have reloaded: the next good build's event, then the page."""
    while True:
        line = events.fp.readline().decode()
        if line.startswith("data: ") and not json.loads(line[6:])["errors"]:
            break
    with urllib.request.urlopen(url, timeout=5) as response:
        if needle not in response.read().decode():
            raise AssertionError(f"{url} reloaded without {needle!r}")
    return time.perf_counter()


def edit_title(text: str, mark: str) -> tuple[str, str]:
    """The source with a new title, and what the page then shows."""
    lines = text.split("\n")
    title = f"Title {mark}"
    return "\n".join(
        [lines[0], f"title: {title}", *lines[2:]]
    ), f">{title}</h1>"  # any h1 attributes


def edit_body(text: str, mark: str) -> tuple[str, str]:
    """The source with a word appended to its last paragraph, and that word."""
    return text.rstrip("\n").rstrip(".") + f" {mark}.\n", f" {mark}.</p>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        paths = make_site(root, args.articles)
        started = time.perf_counter()
        messages: list[str] = []
        server = PreviewServer(root, port=0, report=messages.append)
        server.start()
        print(
            f"{args.articles} articles: first build and start in {time.perf_counter() - started:.2f} s"
            f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        try:
            # The title of an older story (not in Recent Posts: its own page and listings
            # change), the title of the newest (in every page's Recent Posts: all pages
            # change) and the last paragraph of the newest (its own page only).
            cases = (
                ("old article title", args.articles // 2, edit_title),
                ("newest article title", -1, edit_title),
                ("newest article body", -1, edit_body),
            )
            for label, index, edit_text in cases:
                path = paths[index]
                number = int(path.stem.split("-")[1])
                url = f"{server.url}/{path.parent.name}/story-{number}/"
                figures = []
                del messages[:]
                for edit in range(args.edits):
                    text, needle = edit_text(path.read_text(), f"Edited{edit}")
                    events = open_events(server)
                    saved = time.perf_counter()
                    path.write_text(text)
                    served = wait_for(url, needle, saved + 60) - saved
                    reloaded = wait_for_reload(events, url, needle) - saved
                    events.close()
                    figures.append((served, reloaded))
                    server.wait_idle(timeout=60)
                for name, column in (("served updated", 0), ("open page reloaded", 1)):
                    times = sorted(f[column] * 1000 for f in figures)
                    print(
                        f"edit {label}: {name} in median {times[len(times) // 2]:.0f} ms "
                        f"(min {times[0]:.0f}, max {times[-1]:.0f}) over {args.edits} edits"
                    )
                print("  server:", "; ".join(m.replace("built in ", "") for m in messages))
        finally:
            server.stop()


if __name__ == "__main__":
    main()

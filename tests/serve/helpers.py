"""Starting a ``PreviewServer`` on a free port and talking to it over real HTTP."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import lxml.html

from newsgen.serve.server import PreviewServer

T = TypeVar("T")
DEADLINE = 20.0  # seconds; generous for a loaded CI machine


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def get(server: PreviewServer, target: str, method: str = "GET") -> Response:
    """Request ``target`` exactly as written (no normalisation of ``..`` or escapes)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        return Response(response.status, headers, response.read())
    finally:
        connection.close()


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def poll(check: Callable[[], T | None], what: str, deadline: float = DEADLINE) -> T:
    """``check()`` until it returns something truthy, or fail after ``deadline`` seconds."""
    end = time.monotonic() + deadline
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {deadline} s waiting for {what}")
        time.sleep(0.05)


@contextmanager
def running(root: Path, messages: list[str] | None = None, **options) -> Iterator[PreviewServer]:
    log = messages if messages is not None else []
    server = PreviewServer(root, port=0, report=log.append, **options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def headline(html: str) -> str:
    """The text of the page's first ``<h1>``, or "" when it has none."""
    tree = lxml.html.fromstring(html)
    found = tree.find(".//h1")
    return found.text_content().strip() if found is not None else ""


def badges(html: str) -> list[str]:
    """The texts of the page's badges (Draft, Scheduled)."""
    return [b.text_content() for b in lxml.html.fromstring(html).find_class("badge")]


def current_recent_titles(server_url: str) -> list[str]:
    """The headlines of the always-current Recent Posts that every page's script shows."""
    return recent_titles(json.loads(fetch(f"{server_url}/recent-posts.json"))["html"])


def recent_titles(html: str) -> list[str]:
    """The headlines listed in the page's Recent Posts sidebar."""
    tree = lxml.html.fromstring(html)
    return [
        a.text_content().strip() for a in tree.xpath("//aside[contains(@class, 'sidebar')]//h3/a")
    ]

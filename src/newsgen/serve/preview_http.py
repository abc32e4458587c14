"""The preview's HTTP side: files of the output folder only, pretty URLs, live-reload events.

Request paths are decoded once and checked segment by segment; encoded slashes are
refused outright, and the resolved file must lie inside the output folder (so symlinks
leading out of it are refused too). Anything refused is answered like a missing page.
"""

from __future__ import annotations

import mimetypes
import socket
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .livereload import EVENTS_PATH, RESERVED_PREFIX, BuildState, Snapshot, inject

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
}
_KEEPALIVE_SECONDS = 15.0
_FALLBACK_404 = (
    b"<!DOCTYPE html><html><head><meta charset=utf-8><title>Not found</title></head>"
    b"<body><h1>Not found</h1></body></html>"
)


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


@dataclass(frozen=True)
class Resolved:
    """A file to send, or (``redirect``) the URL a folder without its slash moves to."""

    file: Path | None = None
    redirect: str | None = None


def resolve(output_dir: Path, target: str) -> Resolved | None:
    """The file of ``output_dir`` a request target names, or None if there is none."""
    raw = urlsplit(target).path
    if not raw.startswith("/") or "%2f" in raw.lower() or "%5c" in raw.lower():
        return None
    path = unquote(raw, errors="strict") if "%" in raw else raw
    if "\\" in path or "\0" in path:
        return None
    segments = [s for s in path.split("/") if s]
    if any(s in (".", "..") for s in segments):
        return None
    root = output_dir.resolve()
    candidate = root.joinpath(*segments)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root):
        return None
    if real.is_dir():
        index = real / "index.html"
        if not index.is_file() or not index.resolve().is_relative_to(root):
            return None
        if not path.endswith("/"):  # one leading slash: "//host/" would leave the site
            return Resolved(redirect="/" + raw.lstrip("/") + "/")
        return Resolved(file=index)
    return Resolved(file=real) if real.is_file() else None


class PreviewHTTPServer(ThreadingHTTPServer):
    """Serves ``output_dir``; each request in its own thread."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 makes a burst of connections wait for SYN retries

    def __init__(self, address: tuple[str, int], output_dir: Path, state: BuildState) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)
        self.output_dir = output_dir
        self.state = state


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections end, so their threads do too

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for build results."""

    def _answer(self, send_body: bool) -> None:
        request_path = urlsplit(self.path).path
        if request_path == EVENTS_PATH:
            self._events()
            return
        resolved = None
        if not request_path.startswith(RESERVED_PREFIX):
            try:
                resolved = resolve(self.server.output_dir, self.path)
            except UnicodeDecodeError:
                resolved = None
        if resolved is not None and resolved.redirect:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", resolved.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if resolved is not None and resolved.file is not None:
            self._send_file(HTTPStatus.OK, resolved.file, send_body)
            return
        not_found = self.server.output_dir / "404.html"
        self._send_file(HTTPStatus.NOT_FOUND, not_found, send_body)

    def _send_file(self, status: HTTPStatus, path: Path, send_body: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            if status != HTTPStatus.NOT_FOUND:  # removed by a rebuild since it was resolved
                self._send_file(
                    HTTPStatus.NOT_FOUND, self.server.output_dir / "404.html", send_body
                )
                return
            data, path = _FALLBACK_404, Path("404.html")
        kind = content_type(path)
        if kind.startswith("text/html"):
            data = inject(data, self.server.state.snapshot)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-sent events: the current state at once, then one event per build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        state = self.server.state
        snapshot: Snapshot | None = state.snapshot
        serial = -1
        try:
            while not state.closed:
                if snapshot is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    self.wfile.write(f"data: {snapshot.as_json()}\n\n".encode())
                    serial = snapshot.serial
                self.wfile.flush()
                snapshot = state.wait_after(serial, _KEEPALIVE_SECONDS)
        except (BrokenPipeError, ConnectionResetError):
            return

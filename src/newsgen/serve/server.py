"""``newsgen serve``: build into a private folder, serve it, rebuild on change, reload pages.

``PreviewServer`` is the whole preview (used by the CLI and the tests): it binds first,
so the local address is known and becomes the build's ``base_url``, builds, then serves
from one thread and rebuilds from another whenever the watcher reports a burst of
changes. Changes that arrive during a rebuild make one more rebuild, not one each.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from ..build import BuildOptions, BuildReport, load_and_build
from ..errors import NewsgenError
from ..output.lock import output_lock
from ..sources.config import SiteConfig
from .livereload import BuildState, build_errors
from .preview_http import PreviewHTTPServer
from .watch import SourceWatcher

Report = Callable[[str], None]
# Seconds without edits before the search index is brought up to date.
SEARCH_DELAY = 1.0
# How long ``newsgen serve`` waits, once told to stop, for a rebuild under way to end
# before leaving without it (a build cut short leaves nothing half-written behind).
STOP_SECONDS = 0.5


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_output_dir(root: Path) -> Path:
    """Inside the site's cache folder, so drafts never land in the deployable output."""
    return SiteConfig(root=root.resolve()).cache_dir / "serve-output"


class PreviewServer:
    """A live preview of the site at ``root``; ``port=0`` picks a free port."""

    def __init__(
        self,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        drafts: bool = True,
        future: bool = True,
        output_dir: Path | None = None,
        report: Report = _to_stderr,
        wait: bool = True,
    ) -> None:
        self.root = Path(root).resolve()
        self.host = host
        self.options = BuildOptions(
            output_dir=output_dir or default_output_dir(self.root), drafts=drafts, future=future,
            wait_for_lock=wait,
        )  # fmt: skip
        self.report = report
        self.state = BuildState()
        self._requested_port = port
        self._http: PreviewHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._watcher = SourceWatcher(self.root, self.request_rebuild)
        self._stopped = False
        self._pending = False
        self._building = False
        self._work = threading.Condition()
        self._held = ExitStack()  # the output folder's lock, for as long as the server runs

    @property
    def port(self) -> int:
        assert self._http is not None, "start() first"
        return self._http.server_address[1]

    @property
    def url(self) -> str:
        """The site's address, without a trailing slash (it is the build's base_url)."""
        host = self.host if self.host not in ("", "0.0.0.0", "::") else "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Bind, lock the output folder (another server or build of it is waited for),
        watch, build once (errors are shown, not raised), then serve."""
        try:
            self._http = PreviewHTTPServer(
                (self.host, self._requested_port), self.options.output_dir, self.state
            )
        except OSError as error:
            raise NewsgenError(
                f"cannot listen on {self.host}:{self._requested_port}: {error.strerror} "
                "(is another server running? try --port)"
            ) from error
        self._held.enter_context(
            output_lock(self.options.output_dir, self.options.wait_for_lock, "serve")
        )
        self._watcher.start()  # before the build, so edits made during it are not missed
        self._build()
        self._threads = [
            threading.Thread(
                target=self._http.serve_forever, args=(0.1,), name="newsgen-http", daemon=True
            ),
            threading.Thread(target=self._rebuild_loop, name="newsgen-rebuild", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 30) -> bool:
        """Stop watching, end open event streams and the server; wait for the threads.

        Returns False if a rebuild under way had not ended within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        with self._work:
            self._stopped = True
            self._work.notify_all()
        self._watcher.stop()
        self.state.close()
        if self._http is not None:
            if self._threads:  # serve_forever runs: shutdown() waits for it to return
                self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        ended = not any(thread.is_alive() for thread in self._threads)
        if ended:
            self._held.close()
        return ended

    def request_rebuild(self) -> None:
        with self._work:
            self._pending = True
            self._work.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no rebuild is running or asked for; False on timeout."""
        with self._work:
            return self._work.wait_for(lambda: not (self._pending or self._building), timeout)

    def _rebuild_loop(self) -> None:
        """Rebuild on request; once edits pause for ``SEARCH_DELAY``, refresh the search
        index, which quick rebuilds leave as it was (Pagefind reads the whole site)."""
        search_owed = False
        while True:
            with self._work:
                asked = self._work.wait_for(
                    lambda: self._pending or self._stopped,
                    timeout=SEARCH_DELAY if search_owed else None,
                )
                if self._stopped:
                    return
                self._pending = False
                self._building = True
            try:
                if asked:
                    report = self._build("first")
                    if report is not None and not report.complete:
                        report = self._build("quick")
                else:
                    report = self._build("search")
                if report is not None:
                    search_owed = asked
            finally:
                with self._work:
                    self._building = False
                    self._work.notify_all()

    def _build(self, kind: str = "full") -> BuildReport | None:
        """A build of ``kind``: "full" (the first); after an edit, "first" (the pages of
        the edited articles only) then "quick" (the rest), both leaving the search index
        as it was; or "search" (brings the search index up to date)."""
        started = time.perf_counter()
        options = replace(
            self.options,
            refresh_search=kind in ("full", "search"),
            changed_pages_first=kind == "first",
        )
        try:
            report = load_and_build(self.root, options, base_url=self.url)
        except NewsgenError as error:
            self.report(str(error))
            self.state.failed(build_errors(error))
            return None
        except Exception as error:  # a bug: keep serving the last good site, say why
            self.report("".join(traceback.format_exception(error)).rstrip())
            self.state.failed(build_errors(error))
            return None
        # Open pages reload once per edit: after "quick" when "first" left work for it,
        # and after "search" only if pages changed (a fresh index alone is nothing new).
        if kind == "search":
            reload = report.rendered > 0
        elif kind == "first":
            reload = report.complete
        else:
            reload = True
        if reload:
            self.state.succeeded()
        seconds = time.perf_counter() - started
        what = "search index brought up to date" if kind == "search" else "built"
        self.report(
            f"{what} in {seconds:.2f} s: {report.rendered} of {report.pages} pages rendered, "
            f"{report.written} files written, {report.removed} removed"
        )
        return report


def serve(
    source: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = True,
    future: bool = True,
    open_browser: bool = False,
    wait: bool = True,
) -> int:
    """Run the preview until Ctrl-C or SIGTERM; what ``newsgen serve`` calls.

    Either signal stops it within a second: a rebuild still running then is abandoned,
    which is safe, since a build cut short never leaves the output half-written.
    """
    server = PreviewServer(source, host=host, port=port, drafts=drafts, future=future, wait=wait)
    handlers = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.start()
        shown = [kind for kind, on in (("drafts", drafts), ("future articles", future)) if on]
        extra = f" ({' and '.join(shown)} shown)" if shown else ""
        print(f"Serving {server.url}/{extra}; press Ctrl-C to stop", flush=True)
        if open_browser:
            webbrowser.open(f"{server.url}/")
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        for sig in handlers:  # a second Ctrl-C must not cut the stopping short
            signal.signal(sig, signal.SIG_IGN)
        ended = server.stop(timeout=STOP_SECONDS)
        print("\nnewsgen serve stopped", file=sys.stderr, flush=True)
        if not ended:  # a rebuild is under way: leave without it
            sys.stdout.flush()
            os._exit(0)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends the server like Ctrl-C does (whatever SIGINT's handler was)."""
    raise KeyboardInterrupt

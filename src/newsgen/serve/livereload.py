"""What open preview pages learn about rebuilds: the build state, and the script that reads it.

The server injects ``script_tag`` into every HTML response (never into files on disk).
The script subscribes to ``EVENTS_PATH`` (server-sent events); each event carries the
current ``version`` and the errors of the last build. A page reloads when the version of
a good build differs from the one it was served with, and shows an overlay listing the
errors while the last build failed.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import BuildFailed, ContentError, NewsgenError
from ..render.templating import json_script

RESERVED_PREFIX = "/__newsgen/"
EVENTS_PATH = RESERVED_PREFIX + "events"


@dataclass(frozen=True)
class BuildError:
    """One error as the overlay shows it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Snapshot:
    """The state after one build: ``serial`` counts builds, ``version`` good builds."""

    serial: int
    version: str
    errors: tuple[BuildError, ...]

    def as_dict(self) -> dict[str, Any]:
        errors = [{"path": e.path, "line": e.line, "message": e.message} for e in self.errors]
        return {"version": self.version, "errors": errors}

    def as_json(self) -> str:
        return json.dumps(self.as_dict())


def build_errors(error: BaseException) -> tuple[BuildError, ...]:
    """The errors of a failed build, one per file and line where known."""
    found: Sequence[BaseException] = error.errors if isinstance(error, BuildFailed) else [error]
    result = []
    for item in found:
        if isinstance(item, ContentError):
            result.append(BuildError(item.path, item.line, item.message))
        elif isinstance(item, NewsgenError):
            result.append(BuildError("", None, str(item)))
        else:
            result.append(BuildError("", None, f"internal error: {type(item).__name__}: {item}"))
    return tuple(result)


class BuildState:
    """The latest snapshot, shared by the rebuilder (writer) and request threads (readers)."""

    def __init__(self) -> None:
        # A fresh token per server, so pages left open across a restart reload too.
        self._token = secrets.token_hex(4)
        self._good = 0
        self._snapshot = Snapshot(0, f"{self._token}-0", ())
        self._closed = False
        self._changed = threading.Condition()

    @property
    def snapshot(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    @property
    def closed(self) -> bool:
        with self._changed:
            return self._closed

    def succeeded(self) -> None:
        with self._changed:
            self._good += 1
            self._publish(())

    def failed(self, errors: tuple[BuildError, ...]) -> None:
        with self._changed:
            self._publish(errors)

    def _publish(self, errors: tuple[BuildError, ...]) -> None:
        version = f"{self._token}-{self._good}"
        self._snapshot = Snapshot(self._snapshot.serial + 1, version, errors)
        self._changed.notify_all()

    def wait_after(self, serial: int, timeout: float) -> Snapshot | None:
        """The first snapshot newer than ``serial``, or None on timeout or when closed."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._closed or self._snapshot.serial > serial, timeout=timeout
            )
            if self._closed or self._snapshot.serial <= serial:
                return None
            return self._snapshot

    def close(self) -> None:
        """Wake every waiting request so the server can stop."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def inject(html: bytes, snapshot: Snapshot) -> bytes:
    """``html`` with the live-reload script before its last ``</body>`` (or at the end)."""
    tag = script_tag(snapshot).encode("utf-8")
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html + tag
    at = ends[-1].start()
    return html[:at] + tag + html[at:]


def script_tag(snapshot: Snapshot) -> str:
    state = json_script(snapshot.as_dict())
    source = _SCRIPT.replace("__STATE__", str(state)).replace("__EVENTS__", EVENTS_PATH)
    return f'<script id="newsgen-live-reload">{source}</script>\n'


_SCRIPT = """
(function () {
  var served = __STATE__;
  var overlay = null;
  function show(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "newsgen-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 monospace;padding:2rem";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("h2");
    title.textContent = "newsgen: build failed (the page shows the last good build)";
    title.style.cssText = "color:#ff8080;font:bold 18px monospace;margin:0 0 1rem";
    overlay.appendChild(title);
    errors.forEach(function (error) {
      var item = document.createElement("pre");
      item.className = "newsgen-error";
      var where = error.path ? error.path + (error.line ? ":" + error.line : "") + ": " : "";
      item.textContent = where + error.message;
      item.style.cssText = "white-space:pre-wrap;margin:0 0 .75rem";
      overlay.appendChild(item);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.onclick = hide;
    overlay.appendChild(close);
  }
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function update(state) {
    if (state.errors.length) { show(state.errors); return; }
    hide();
    if (state.version !== served.version) { location.reload(); }
  }
  function start() {
    update(served);
    if (!window.EventSource) { return; }
    var events = new EventSource("__EVENTS__");
    events.onmessage = function (message) { update(JSON.parse(message.data)); };
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
"""

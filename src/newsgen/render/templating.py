"""The one Jinja environment: site templates over the packaged theme, strict and escaping."""

from __future__ import annotations

import hashlib
import json
import re
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import ContentError
from ..sources import urls
from ..sources.config import SiteConfig
from ..sources.dates import format_date, w3c
from ..sources.theme import template_dirs
from .picture import avatar, picture


def templates_digest(config: SiteConfig) -> str:
    """A digest of every template file that could be used, for knowing when pages are stale."""
    digest = hashlib.sha256()
    for folder in template_dirs(config):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
        digest.update(b"\1")
    return digest.hexdigest()


def create_environment(config: SiteConfig, use_cache: bool = True) -> jinja2.Environment:
    """The environment; compiled templates are kept in the site's cache folder."""
    cache = None
    if use_cache:
        folder = config.cache_dir / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        cache = _BytecodeCache(str(folder))
    env = jinja2.Environment(
        bytecode_cache=cache,
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(config)]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=without_controls,
    )
    zone = config.tz

    def date_filter(moment: datetime, pattern: str | None = None) -> str:
        return format_date(moment, pattern or config.date_format, zone)

    env.filters["date"] = date_filter
    env.filters["w3c"] = w3c
    env.filters["absolute"] = lambda url: urls.absolute(config.base_url, url)
    env.filters["json_script"] = json_script
    env.filters["xml_text"] = xml_text
    env.globals["picture"] = picture
    env.globals["avatar"] = avatar
    env.filters.update(config.additions.filters)  # plugins' (see plugins/); theirs win
    env.globals.update(config.additions.globals)
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept on disk, unless the disk refuses them (full, read-only):
    they are a saving, and the build must not fail for want of one."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def json_script(value: Any) -> Markup:
    """JSON safe to place inside ``<script>``: no ``</script>``, ``<!--`` or line separators
    can end the element or the string, and the result is still valid JSON."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(text)


# Characters XML 1.0 forbids even escaped: C0 controls but tab and newlines, lone
# surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# Control characters (but tab and newlines), C1 controls included, lone surrogates and
# non-characters: nothing a reader can see, and invalid in XML or a parse error in HTML.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def without_controls(value: Any) -> Any:
    """Every value a template prints, with control characters removed (front matter may
    carry them, say pasted from a wire service); Markup stays Markup."""
    if isinstance(value, str) and _CONTROLS.search(value):
        cleaned = _CONTROLS.sub("", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


def xml_text(value: str) -> str:
    """``value`` without the characters no XML document may hold; autoescape does the rest."""
    return _NOT_XML.sub("", str(value))


def template_error(exc: BaseException, output_path: str) -> ContentError:
    """A rendering failure as ``template:line: message``, found from the traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "template"
        return ContentError(_short(name), f"template syntax error: {exc.message}", exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return ContentError(output_path, f"template not found: {exc.name}")
    where, line = "", None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".json")):
            where, line = filename, lineno
    message = f"{type(exc).__name__}: {exc} (while rendering {output_path})"
    if isinstance(exc, jinja2.UndefinedError):
        message = f"undefined: {exc} (while rendering {output_path})"
    return ContentError(_short(where) if where else output_path, message, line)


def _short(filename: str) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)

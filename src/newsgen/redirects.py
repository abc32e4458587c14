"""Old URLs that keep working: ``aliases:`` (Hugo), ``redirect_from:`` (Jekyll) and
``data/redirects.yaml``.

A static site redirects with a small page at the old path (a meta refresh to the new
URL, with a canonical link to it and a plain link for the reader), and with a
``_redirects`` file for hosts that read one (Netlify, Cloudflare Pages). An old URL
with a query (``/?p=123``) can only be served by such a host: it is in ``_redirects``
alone. A redirect page that would replace a page of the site is an error naming both.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from . import urls
from .contexts import RedirectContext, RedirectRulesContext
from .errors import BuildFailed, ContentError, read_utf8
from .yamlload import key_line, load_yaml

if TYPE_CHECKING:
    from .feeds import MakeSpec
    from .pagespec import PageSpec, PlannedOutput
    from .site import Site

ALIAS_FIELDS = ("aliases", "redirect_from")
REDIRECTS_FILE = "data/redirects.yaml"
REDIRECTS_URL = "/_redirects"
_SAFE = "/%:@!$&'()*+,;=-._~"


@dataclass(frozen=True)
class Redirect:
    old: str  # site-absolute path, maybe with a query; percent-encoded
    new: str  # site-absolute URL of the page, or an absolute URL elsewhere
    source: str  # the file that asked for it


def normalize_alias(alias: str, page_url: str) -> tuple[str, str]:
    """An alias as a site-absolute, percent-encoded path (with its query), and a problem.

    A full URL counts for its path; a relative path is relative to the folder holding
    the page's own (Hugo's rule); a path without extension is a folder.
    """
    text = alias.strip()
    if not text:
        return "", "an alias must not be empty"
    parts = urlsplit(text)
    path = parts.path if parts.scheme in ("http", "https") else text.split("?", 1)[0]
    query = parts.query if parts.scheme in ("http", "https") or "?" in text else ""
    if not path.startswith("/"):
        parent = posixpath.dirname(page_url.rstrip("/"))
        path = posixpath.join(parent or "/", path)
    path = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        path += "/"
    encoded = quote(unquote(path), safe=_SAFE)
    return encoded + (f"?{query}" if query else ""), ""


def aliases_of(meta: dict[str, Any], page_url: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The normalized aliases in front matter, and (field, problem) for bad ones."""
    found: list[str] = []
    problems: list[tuple[str, str]] = []
    for field in ALIAS_FIELDS:
        value = meta.get(field)
        if value is None:
            continue
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            problems.append((field, f"'{field}' must be a path or a list of paths"))
            continue
        for alias in values:
            path, problem = normalize_alias(alias, page_url)
            if problem:
                problems.append((field, problem))
            elif path not in found:
                found.append(path)
    return found, problems


def site_redirects(site: Site) -> tuple[list[Redirect], list[ContentError]]:
    """Every redirect the site asks for: its stories' and pages' aliases, then the file's."""
    found = [
        Redirect(alias, item.url, item.source_path)
        for item in (*site.articles, *site.pages)
        for alias in item.aliases
        if alias != item.url
    ]
    listed, errors = _listed(site)
    return found + listed, errors


def _listed(site: Site) -> tuple[list[Redirect], list[ContentError]]:
    """``data/redirects.yaml``: a mapping of old path to new URL."""
    path = site.config.root / REDIRECTS_FILE
    if not path.exists():
        return [], []
    try:
        text = read_utf8(path, REDIRECTS_FILE)
        raw = load_yaml(text, REDIRECTS_FILE) or {}
    except ContentError as error:
        return [], [error]
    if not isinstance(raw, dict):
        return [], [ContentError(REDIRECTS_FILE, "must map old paths to new URLs", 1)]
    found, errors = [], []
    for old, new in raw.items():
        line = key_line(text, str(old)) or key_line(text, f'"{old}"') or key_line(text, f"'{old}'")
        path, problem = normalize_alias(str(old), "/")
        if not problem and not (
            isinstance(new, str) and new.startswith(("/", "http://", "https://"))
        ):
            problem = f"the new URL of {old!r} must start with '/' or http(s)://"
        if problem:
            errors.append(ContentError(REDIRECTS_FILE, problem, line))
        else:
            found.append(Redirect(path, new.strip(), REDIRECTS_FILE))
    return found, errors


def plan_redirects(site: Site, outputs: Sequence[PlannedOutput], make: MakeSpec) -> list[PageSpec]:
    """A redirect page per old path, and ``/_redirects`` listing every redirect;
    ``outputs`` are the site's other outputs, which no redirect page may replace."""
    redirects, errors = site_redirects(site)
    taken = {output.output_path: output.source for output in outputs}
    claimed: dict[str, Redirect] = {}
    specs = []
    for redirect in redirects:
        if "?" in redirect.old:
            continue
        output = urls.output_path(unquote(redirect.old))
        if output in taken:
            errors.append(
                ContentError(
                    redirect.source,
                    f"the redirect from {redirect.old} would replace the page of {taken[output]}",
                )
            )
        elif output in claimed and claimed[output].new != redirect.new:
            first, second = sorted((claimed[output].source, redirect.source))
            errors.append(
                ContentError(second, f"{redirect.old} is also redirected elsewhere by {first}")
            )
        elif output not in claimed:
            claimed[output] = redirect
            target = urls.absolute(site.config.base_url, redirect.new)
            context = RedirectContext(target=target)
            specs.append(
                make(unquote(redirect.old), "redirect.html", context, (target,), redirect.source)
            )
    if errors:
        raise BuildFailed(errors)
    if redirects and (site.config.root / "static" / "_redirects").exists():
        return specs  # the site writes its own file
    if redirects:
        rules = tuple(_rules(redirects))
        context = RedirectRulesContext(rules=rules)
        specs.append(make(REDIRECTS_URL, "redirects.txt", context, rules, "redirects"))
    return specs


def _rules(redirects: Iterable[Redirect]) -> Iterator[str]:
    """Lines of ``_redirects``: ``/old /new 301``; a query is matched as Netlify does."""
    seen = set()
    for redirect in sorted(redirects, key=lambda r: (r.old, r.new)):
        if redirect.old in seen:
            continue
        seen.add(redirect.old)
        path, _, query = redirect.old.partition("?")
        new = quote(redirect.new, safe=_SAFE + "?#")
        matches = " ".join(p for p in query.split("&") if p) if query else ""
        yield " ".join(part for part in (path, matches, new, "301") if part)

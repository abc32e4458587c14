"""Old URLs that keep working: ``aliases:`` (Hugo), ``redirect_from:`` (Jekyll) and
``data/redirects.yaml``.

A static site redirects with a small page at the old path (a meta refresh to the new
URL, with a canonical link to it and a plain link for the reader), and with a
``_redirects`` file for hosts that read one (Netlify, Cloudflare Pages). An old URL
with a query (``/?p=123``) can only be served by such a host: it is in ``_redirects``
alone. A redirect page that would replace a page of the site is an error naming both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote, unquote

from ..errors import BuildFailed, ContentError, read_utf8
from ..model.site import Site
from ..sources import urls
from ..sources.aliases import URL_SAFE, normalize_alias
from ..sources.models import Article, Page
from ..sources.yamlload import key_line, load_yaml
from .contexts import RedirectContext, RedirectRulesContext
from .pagespec import PageSpec, PlannedOutput
from .specs import plain_spec

REDIRECTS_FILE = "data/redirects.yaml"
REDIRECTS_URL = "/_redirects"


@dataclass(frozen=True)
class Redirect:
    old: str  # site-absolute path, maybe with a query; percent-encoded
    new: str  # site-absolute URL of the page, or an absolute URL elsewhere
    source: str  # the file that asked for it


def site_redirects(site: Site) -> tuple[list[Redirect], list[ContentError]]:
    """Every redirect the site asks for: its stories' and pages' aliases, then the file's."""
    items: list[Article | Page] = [*site.aliased, *site.pages]
    found = [
        Redirect(alias, item.url, item.source_path)
        for item in items
        for alias in item.aliases
        if alias != item.url
    ]
    listed, errors = _listed(site)
    return found + listed, errors


def _listed(site: Site) -> tuple[list[Redirect], list[ContentError]]:
    """``data/redirects.yaml``: a mapping of old path to new URL."""
    if not (site.config.root / REDIRECTS_FILE).exists():
        return [], []
    try:
        text = read_utf8(site.config.root / REDIRECTS_FILE, REDIRECTS_FILE)
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


def plan_redirects(site: Site, outputs: Sequence[PlannedOutput]) -> list[PageSpec]:
    """A redirect page per old path, and ``/_redirects`` listing every redirect;
    ``outputs`` are the site's other outputs, which no redirect page may replace."""
    redirects, errors = site_redirects(site)
    # the outputs at the paths of redirect pages (most sites have none), by path
    wanted = {urls.output_path(unquote(r.old)) for r in redirects if "?" not in r.old}
    taken = {o.output_path: o.source for o in outputs if o.output_path in wanted} if wanted else {}
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
                plain_spec(
                    site,
                    unquote(redirect.old),
                    "redirect.html",
                    context,
                    (target,),
                    redirect.source,
                )
            )
    if errors:
        raise BuildFailed(errors)
    if redirects and (site.config.root / "static" / "_redirects").exists():
        return specs  # the site writes its own file
    if redirects:
        rules = tuple(_rules(redirects))
        rules_file = RedirectRulesContext(rules=rules)
        specs.append(
            plain_spec(site, REDIRECTS_URL, "redirects.txt", rules_file, rules, "redirects")
        )
    return specs


def _rules(redirects: Iterable[Redirect]) -> Iterator[str]:
    """Lines of ``_redirects``: ``/old /new 301``; a query is matched as Netlify does."""
    seen = set()
    for redirect in sorted(redirects, key=lambda r: (r.old, r.new)):
        if redirect.old in seen:
            continue
        seen.add(redirect.old)
        path, _, query = redirect.old.partition("?")
        new = quote(redirect.new, safe=URL_SAFE + "?#")
        matches = " ".join(p for p in query.split("&") if p) if query else ""
        yield " ".join(part for part in (path, matches, new, "301") if part)

"""``sitemap.xml`` (an index of monthly parts), the Google News sitemap and ``robots.txt``."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..model.schedule import NEWS_WINDOW
from ..model.site import Site
from ..sources import urls
from ..sources.models import Article
from .contexts import (
    NewsSitemapContext,
    RobotsContext,
    SitemapContext,
    SitemapEntry,
    SitemapIndexContext,
)
from .pagespec import PageSpec, PlannedOutput
from .specs import plain_spec

# The sitemap protocol's limit of URLs per file; tests lower it to exercise the index.
MAX_URLS = 50_000
# Google News takes the articles of the last two days, at most 1,000 per sitemap.
NEWS_MAX = 1_000
SITEMAP_URL = "/sitemap.xml"
PAGES_PART = "pages"  # the sitemap part of every page but stories and numbered listings
NEWS_SITEMAP_URL = "/news-sitemap.xml"


@dataclass(frozen=True)
class NewsEntry:
    loc: str
    title: str
    published: datetime


def sitemap_parts(outputs: Iterable[PlannedOutput]) -> dict[str, list[PlannedOutput]]:
    """The outputs that belong in the sitemap, in plan order, grouped by part: article
    pages by the month of their story, the rest in ``pages``. The outputs themselves,
    which hold what a sitemap lists of them (URL, last change): a part is made into
    entries only if it is rendered (``SitemapContext``), and the parts list the whole
    archive."""
    groups: dict[str, list[PlannedOutput]] = {PAGES_PART: []}
    for output in outputs:
        part = output.sitemap_part
        if part:
            found = groups.get(part)
            if found is None:
                found = groups[part] = []
            found.append(output)
    return groups


def plan_sitemaps(
    site: Site,
    groups: Mapping[str, Sequence[PlannedOutput]],
    limit: int | None = None,
) -> list[PageSpec]:
    """``sitemap.xml``, an index of parts: ``sitemap-pages.xml`` for the front pages of
    listings and other pages, and one ``sitemap-YYYY-MM.xml`` per month of stories,
    newest first, with the stories of the month and the numbered listing pages whose
    newest story is of the month (planner.py). A publish or an edit thus changes one
    month's part and the small pages part, not a file listing every listing page of the
    archive. A part above ``limit`` URLs is split (``sitemap-2026-11-2.xml``)."""
    limit = limit or MAX_URLS
    base_url = site.config.base_url
    ordered = [PAGES_PART, *sorted((g for g in groups if g != PAGES_PART), reverse=True)]
    specs = []
    parts = []
    for group in ordered:
        entries = groups.get(group, ())
        if not entries:
            continue
        for number, start in enumerate(range(0, len(entries), limit), 1):
            chunk = entries[start : start + limit]
            suffix = "" if number == 1 else f"-{number}"
            spec, lastmod = _urlset(site, f"/sitemap-{group}{suffix}.xml", chunk)
            specs.append(spec)
            parts.append(SitemapEntry(spec.url, lastmod, base_url))
    index_deps = [_entry_dep(part) for part in parts]
    context = SitemapIndexContext(parts=tuple(parts))
    index = plain_spec(site, SITEMAP_URL, "sitemap-index.xml", context, index_deps, "sitemap")
    return [index, *specs]


def _urlset(site: Site, url: str, pages: Sequence[PlannedOutput]) -> tuple[PageSpec, str]:
    """One part of the sitemap, and the latest change of its pages (as its text).

    Its dependency is one digest of the entries, not a string per entry kept with the
    spec: one line per entry, made in one pass and hashed at once, as a part lists up
    to 50,000 URLs and the parts list the whole archive. A line holds the entry's URL as
    planned, not made absolute: the site's address is in every output's fingerprint."""
    lines = [f"{page.url} {page.lastmod}\n" for page in pages]
    digest = hashlib.sha256("".join(lines).encode()).hexdigest()
    context = SitemapContext(pages=tuple(pages), base_url=site.config.base_url)
    spec = plain_spec(site, url, "sitemap.xml", context, [digest], "sitemap")
    return spec, _latest([page.lastmod for page in pages if page.lastmod])


def _latest(moments: Sequence[str]) -> str:
    """The latest of ``isoformat`` texts (the first, of equal moments), compared as
    moments: a site's offset changes with daylight saving time, and its text with it.
    Texts with one offset compare as their moments (``isoformat`` writes a fraction of a
    second in six digits, and none for 0: "+", "-" and the end sort before "."), so
    only the latest text of each offset is read as a date: a part lists up to 50,000
    pages, and reading each took 0.04 s of a publish at 100,000 articles."""
    latest: dict[str, str] = {}  # offset -> the latest text with it
    for moment in moments:
        offset = moment[26:] if moment[19:20] == "." else moment[19:]
        known = latest.get(offset)
        if known is None or moment > known:
            latest[offset] = moment
    if not latest:
        return ""
    candidates = list(latest.values())
    dates = list(map(datetime.fromisoformat, candidates))
    best = max(dates)
    tied = [text for text, date in zip(candidates, dates, strict=True) if date == best]
    return min(tied, key=moments.index)


def _entry_dep(entry: SitemapEntry) -> str:
    return f"{entry.loc} {entry.modified}"


def news_articles(site: Site) -> list[Article]:
    """The newest articles published in the two days up to the build, at most ``NEWS_MAX``."""
    start, end = site.build_time - NEWS_WINDOW, site.build_time
    found: list[Article] = []
    for article in site.articles:  # newest first: the window is at the start
        if article.date < start or len(found) == NEWS_MAX:
            break
        if article.date <= end:
            found.append(article)
    return found


def plan_news_sitemap(site: Site) -> list[PageSpec]:
    """The Google News sitemap, or nothing when no article is recent enough (an empty
    ``urlset`` is not valid). Its deps are the teaser digests of exactly the articles in the
    window."""
    articles = news_articles(site)
    if not articles:
        return []
    config = site.config
    entries = [NewsEntry(urls.absolute(config.base_url, a.url), a.title, a.date) for a in articles]
    context = NewsSitemapContext(
        entries=tuple(entries),
        publication=config.publisher.name or config.title,
        language=config.language,
    )
    deps = [a.teaser_digest for a in articles]
    return [plain_spec(site, NEWS_SITEMAP_URL, "news-sitemap.xml", context, deps, "news sitemap")]


def plan_robots(site: Site, has_news: bool) -> PageSpec:
    """``robots.txt`` allowing everything and naming the sitemaps."""
    base = site.config.base_url
    sitemaps = [urls.absolute(base, SITEMAP_URL)]
    if has_news:
        sitemaps.append(urls.absolute(base, NEWS_SITEMAP_URL))
    context = RobotsContext(sitemaps=tuple(sitemaps))
    return plain_spec(site, "/robots.txt", "robots.txt", context, sitemaps, "robots.txt")

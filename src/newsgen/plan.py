"""Every output of the site as a ``PageSpec``: which template, which context, which URL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from . import feeds, sitemaps, urls
from .compat.layouts import template_for
from .errors import BuildFailed, ContentError
from .models import Article
from .pagination import paginate
from .redirects import plan_redirects
from .site import Site

Breadcrumbs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PageSpec:
    """One file to write. ``deps`` are digests of everything page-specific it shows, so an
    unchanged fingerprint means the file need not be rendered again."""

    url: str
    output_path: str
    template: str
    context: dict[str, Any] = field(compare=False)
    deps: tuple[str, ...]
    source: str
    sidebar_for: str | None = ""  # URL the Recent Posts leave out; None: no sidebar

    def fingerprint(self, global_digest: str) -> str:
        parts = "\0".join((global_digest, self.template, self.url, *self.deps))
        return hashlib.sha256(parts.encode()).hexdigest()


def plan_site(site: Site) -> list[PageSpec]:
    """All pages of the site; two outputs at one path are an error naming both sources."""
    specs = [
        *plan_articles(site),
        *plan_pages(site),
        *plan_listings(site),
        *plan_indexes(site),
        _spec(site, "/404.html", "404.html", {}, (), "404 page"),
    ]
    if site.config.search:
        crumbs = (("Home", "/"), ("Search", ""))
        specs.append(
            _spec(site, urls.SEARCH_URL, "search.html", {"breadcrumbs": crumbs}, (), "search page")
        )
    specs += plan_syndication(site, specs)
    specs += plan_redirects(site, specs, partial(_spec, site, sidebar_for=None))
    check_collisions(specs)
    return specs


def plan_syndication(site: Site, pages: Sequence[PageSpec]) -> list[PageSpec]:
    """Feeds, sitemaps and ``robots.txt``: outputs without sidebar, made from ``pages``."""

    def make(
        url: str, template: str, context: dict[str, Any], deps: Iterable[str], source: str
    ) -> PageSpec:
        return _spec(site, url, template, context, deps, source, sidebar_for=None)

    entries = sitemaps.sitemap_entries(site, pages)
    news = sitemaps.plan_news_sitemap(site, make)
    return [
        *feeds.plan_feeds(site, make),
        *sitemaps.plan_sitemaps(site.config.base_url, entries, make),
        *news,
        sitemaps.plan_robots(site, bool(news), make),
    ]


def sidebar_deps(site: Site, exclude: str) -> tuple[str, ...]:
    return tuple(a.teaser_digest for a in site.recent(site.config.recent_posts, exclude))


def _spec(
    site: Site,
    url: str,
    template: str,
    context: dict[str, Any],
    deps: Iterable[str],
    source: str,
    sidebar_for: str | None = "",
) -> PageSpec:
    sidebar = sidebar_deps(site, sidebar_for) if sidebar_for is not None else ()
    return PageSpec(
        url=url,
        output_path=urls.output_path(url),
        template=template,
        context=context,
        deps=(*deps, "|", *sidebar),
        source=source,
        sidebar_for=sidebar_for,
    )


def plan_articles(site: Site) -> Iterator[PageSpec]:
    for article in site.articles:
        yield plan_article(site, article)


def plan_article(site: Site, article: Article) -> PageSpec:
    """The page of one article, with its related articles chosen."""
    section = site.section(article.section)
    related = site.related(article, site.config.related_posts)
    scheduled = article.date > site.build_time  # shown only by builds with --future
    context = {
        "article": article,
        "scheduled": scheduled,
        "authors": site.article_authors[article.url],
        "tags": site.article_tags[article.url],
        "section": section,
        "related": related,
        "breadcrumbs": (("Home", "/"), (section.title, section.url), (article.title, "")),
    }
    deps = (article.digest, *(a.teaser_digest for a in related), f"scheduled={scheduled}")
    template = template_for(site.config, article.source_path, article.extra, "article.html")
    return _spec(site, article.url, template, context, deps, article.source_path, article.url)


def plan_pages(site: Site) -> Iterator[PageSpec]:
    for page in site.pages:
        context = {"page": page, "breadcrumbs": (("Home", "/"), (page.title, ""))}
        template = template_for(site.config, page.source_path, page.extra, "page.html")
        yield _spec(site, page.url, template, context, (page.digest,), page.source_path)


def plan_listings(site: Site) -> Iterator[PageSpec]:
    permalinks = site.config.permalinks
    yield from _listing(site, "/", "home", site.config.title, site.articles, (), "home page")
    for section in site.sections:
        crumbs = (("Home", "/"), (section.title, ""))
        yield from _listing(
            site, section.url, "section", section.title, section.articles, crumbs,
            f"section listing '{section.key}'", section=section,
        )  # fmt: skip
    for listing in site.tags:
        tag = listing.tag
        crumbs = (("Home", "/"), ("Tags", permalinks["tags"]), (tag.name, ""))
        yield from _listing(
            site, tag.url, "tag", tag.name, listing.articles, crumbs,
            f"tag listing '{tag.name}'", tag=tag,
        )  # fmt: skip
    for listing in site.authors:
        author = listing.author
        crumbs = (("Home", "/"), ("Authors", permalinks["authors"]), (author.name, ""))
        yield from _listing(
            site, author.url, "author", author.name, listing.articles, crumbs,
            f"author page '{author.key}'", author=author,
        )  # fmt: skip
    for year in site.years:
        crumbs = (("Home", "/"), (str(year.year), ""))
        yield from _listing(
            site, year.url, "year", str(year.year), year.articles, crumbs,
            f"archive {year.year}", months=year.months,
            extra_deps=tuple(f"{m.month}:{len(m.articles)}" for m in year.months),
        )  # fmt: skip
        for month in year.months:
            title = month.title
            crumbs = (("Home", "/"), (str(year.year), year.url), (title, ""))
            yield from _listing(
                site, month.url, "month", title, month.articles, crumbs,
                f"archive {month.year}-{month.month:02d}",
            )  # fmt: skip


def plan_indexes(site: Site) -> Iterator[PageSpec]:
    permalinks = site.config.permalinks
    tag_deps = tuple(f"{t.tag.slug}:{len(t.articles)}" for t in site.tags)
    yield _spec(
        site, permalinks["tags"], "tags.html",
        {"tags": site.tags, "breadcrumbs": (("Home", "/"), ("Tags", ""))}, tag_deps, "tag index",
    )  # fmt: skip
    author_deps = tuple(f"{a.author.key}:{len(a.articles)}" for a in site.authors)
    yield _spec(
        site, permalinks["authors"], "authors.html",
        {"authors": site.authors, "breadcrumbs": (("Home", "/"), ("Authors", ""))},
        author_deps, "author index",
    )  # fmt: skip


def _listing(
    site: Site,
    base_url: str,
    kind: str,
    title: str,
    articles: Sequence[Article],
    breadcrumbs: Breadcrumbs,
    source: str,
    extra_deps: tuple[str, ...] = (),
    **extra: Any,
) -> Iterator[PageSpec]:
    """The pages of one listing; ``extra_deps`` is what else they show (a year's months)."""
    for page in paginate(articles, site.config.per_page, base_url):
        crumbs = breadcrumbs
        if page.number > 1:  # the home page has no trail of its own; its page 2 has one
            last = crumbs[-1][0] if crumbs else "Home"
            crumbs = (*crumbs[:-1], (last, base_url), (f"Page {page.number}", ""))
        context = {
            "kind": kind,
            "title": title,
            "listing": page,
            "breadcrumbs": crumbs,
            "authors_of": site.article_authors,
            **extra,
        }
        deps = (f"{page.number}/{page.total}", *extra_deps, *(a.teaser_digest for a in page.items))
        yield _spec(site, page.url, "listing.html", context, deps, source)


def check_collisions(specs: Sequence[PageSpec]) -> None:
    """Two outputs at one path: an error that names both of their sources."""
    errors = find_collisions((spec.output_path, spec.url, spec.source) for spec in specs)
    if errors:
        raise BuildFailed(errors)


def find_collisions(outputs: Iterable[tuple[str, str, str]]) -> list[ContentError]:
    """For (output path, URL, source) triples, an error for each path claimed twice."""
    seen: dict[str, str] = {}
    errors = []
    for output_path, url, source in outputs:
        if output_path not in seen:
            seen[output_path] = source
            continue
        first, second = sorted((seen[output_path], source))
        errors.append(
            ContentError(
                second, f"URL {url} is also produced by {first}; give one of them another slug"
            )
        )
    return errors

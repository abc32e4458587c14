"""Every output of the site as a ``PageSpec``: which template, which context, which URL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from . import feeds, search, sitemaps, urls
from .compat.layouts import template_for
from .errors import BuildFailed, ContentError
from .models import Article
from .pagination import paginate
from .redirects import plan_redirects
from .site import Site
from .views import RECENT_POSTS_URL

Breadcrumbs = tuple[tuple[str, str], ...]


# The Recent Posts a page carries: (index in ``Site.articles`` of the first story
# shown, URL of a story to leave out). ``NEWEST`` is the newest stories.
Sidebar = tuple[int, str]
NEWEST: Sidebar = (0, "")


@dataclass(frozen=True)
class PageSpec:
    """One file to write. ``deps`` are digests of everything page-specific it shows, so an
    unchanged fingerprint means the file need not be rendered again. ``sidebar`` is
    None for outputs that are not full pages (feeds, sitemaps, fragments)."""

    url: str
    output_path: str
    template: str
    context: dict[str, Any] = field(compare=False)
    deps: tuple[str, ...]
    source: str
    sidebar: Sidebar | None = NEWEST

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
        bundles = search_bundles(site)
        context = {"breadcrumbs": crumbs, "bundles": bundles}
        specs.append(_spec(site, urls.SEARCH_URL, "search.html", context, bundles, "search page"))
    if not site.config.recent_posts_baked:
        specs.append(plan_recent_posts(site))
    specs += plan_syndication(site, specs)
    specs += plan_redirects(site, specs, partial(_spec, site, sidebar=None))
    check_collisions(specs)
    return specs


def plan_syndication(site: Site, pages: Sequence[PageSpec]) -> list[PageSpec]:
    """Feeds, sitemaps and ``robots.txt``: outputs without sidebar, made from ``pages``."""

    def make(
        url: str, template: str, context: dict[str, Any], deps: Iterable[str], source: str
    ) -> PageSpec:
        return _spec(site, url, template, context, deps, source, sidebar=None)

    entries = sitemaps.sitemap_entries(site, pages)
    news = sitemaps.plan_news_sitemap(site, make)
    return [
        *feeds.plan_feeds(site, make),
        *sitemaps.plan_sitemaps(site.config.base_url, entries, make),
        *news,
        sitemaps.plan_robots(site, bool(news), make),
    ]


def plan_recent_posts(site: Site) -> PageSpec:
    """The always-current Recent Posts: one small fragment that every page's script swaps
    in, one story more than a sidebar shows, so a story's own page can leave itself out."""
    newest = site.recent(site.config.recent_posts + 1)
    context = {"recent_posts": newest, "fragment": True}
    deps = [a.teaser_digest for a in newest]
    return _spec(
        site, RECENT_POSTS_URL, "recent-posts.json", context, deps, "recent posts", sidebar=None
    )


def search_bundles(site: Site) -> tuple[str, ...]:
    """The URL of each search index bundle, newest first: one per month of stories."""
    return tuple(
        f"/{search.SEARCH_DIR}/{shard}/" for shard in search.shard_keys(site.config, site.articles)
    )


def sidebar_deps(site: Site, sidebar: Sidebar) -> tuple[str, ...]:
    start, exclude = sidebar
    return tuple(a.teaser_digest for a in site.recent(site.config.recent_posts, start, exclude))


def sidebar_as_of(site: Site, newest_shown: Article | None, own: bool = False) -> Sidebar:
    """The Recent Posts of a page whose newest story is ``newest_shown``: the stories
    published up to it (before it, for the story's ``own`` page). With
    ``recent_posts_baked``, the newest stories on every page instead."""
    if newest_shown is None:
        return NEWEST
    if site.config.recent_posts_baked:
        return (0, newest_shown.url if own else "")
    return (site.positions[newest_shown.url] + (1 if own else 0), "")


def _spec(
    site: Site,
    url: str,
    template: str,
    context: dict[str, Any],
    deps: Iterable[str],
    source: str,
    sidebar: Sidebar | None = NEWEST,
) -> PageSpec:
    shown = sidebar_deps(site, sidebar) if sidebar is not None else ()
    return PageSpec(
        url=url,
        output_path=urls.output_path(url),
        template=template,
        context=context,
        deps=(*deps, "|", *shown),
        source=source,
        sidebar=sidebar,
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
    sidebar = sidebar_as_of(site, article, own=True)
    template = template_for(site.config, article.source_path, article.extra, "article.html")
    return _spec(site, article.url, template, context, deps, article.source_path, sidebar)


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
    """The pages of one listing; ``extra_deps`` is what else its front page shows (a
    year's months)."""
    for page in paginate(articles, site.config.per_page, base_url):
        crumbs = breadcrumbs
        if not page.front:  # the home page has no trail of its own; its older pages have one
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
        deps = (
            page.prev_url or "",
            page.next_url or "",
            f"gap={page.gap}",
            *(url for _, url in page.links),
            *(extra_deps if page.front else ()),
            *(a.teaser_digest for a in page.items),
        )
        sidebar = sidebar_as_of(site, page.items[0] if page.items else None)
        yield _spec(site, page.url, "listing.html", context, deps, source, sidebar)


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

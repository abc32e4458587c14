"""Every output of the site: planned as ``PageSpec``s, or known from the last build.

Article pages and listings, nearly all of a site's pages, are planned in groups: one
article's page, or all pages of one listing. Each group has a key, a digest of
everything its pages are made from: for an article, its own digest, the archive before
it (which gives its related stories and Recent Posts) and the site-wide digest; for a
listing, the teasers of its stories and the archive below each of its pages. The keys
are cheap (one pass over the archive), and a group whose key the last build planned
is not planned again: its outputs (path, fingerprint, sitemap and search facts) come
from the memo. So a publish plans the new story's page and the listings it enters,
not 100,000 pages. Whether an output is rendered is still decided by its fingerprint
alone (see staleness.py); the memo only saves working the fingerprint out again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..errors import BuildFailed, ContentError
from ..model.breaking import breaking_deps, breaking_items
from ..model.site import Site
from ..model.views import RECENT_POSTS_URL
from ..sources import urls
from ..sources.dates import month_key
from ..sources.models import Article
from . import feeds, search_shards, sitemaps
from .layouts import template_for
from .metadata import is_indexable, page_lastmod
from .newsplan import plan_news_pages, with_banner
from .pagespec import NEWEST, PageSpec, PlannedOutput, Sidebar
from .pagination import newest_positions, paginate
from .redirects import plan_redirects

Breadcrumbs = tuple[tuple[str, str], ...]
Memo = Mapping[str, tuple[PlannedOutput, ...]]


@dataclass(frozen=True)
class PageGroup:
    """Pages planned together; ``key`` digests everything they are made from."""

    key: str
    make: Callable[[], list[PageSpec]]


@dataclass
class Plan:
    """Every output of the site in plan order; the specs of those planned by this build
    (the others are planned on demand, for an output found stale); and the memo to keep
    for the next build (group key -> its outputs)."""

    outputs: list[PlannedOutput] = field(default_factory=list)
    specs: dict[str, PageSpec] = field(default_factory=dict)
    memo: dict[str, tuple[PlannedOutput, ...]] = field(default_factory=dict)
    groups: dict[str, PageGroup] = field(default_factory=dict)  # output path -> its group

    def spec(self, output_path: str) -> PageSpec:
        if output_path not in self.specs:
            self.specs.update((s.output_path, s) for s in self.groups[output_path].make())
        return self.specs[output_path]


def plan_site(site: Site, global_digest: str, memo: Memo | None = None) -> Plan:
    """All outputs of the site; two outputs at one path are an error naming both sources."""
    memo = memo or {}
    plan = Plan()
    chain = archive_chain(site)
    for group in [
        *article_groups(site, chain, global_digest),
        *listing_groups(site, chain, global_digest),
    ]:
        known = memo.get(group.key)
        if known is None:
            specs = group.make()
            plan.specs.update((spec.output_path, spec) for spec in specs)
            known = tuple(planned_output(site, spec, global_digest) for spec in specs)
        plan.memo[group.key] = known
        plan.outputs += known
        plan.groups.update((output.output_path, group) for output in known)
    singles = [
        *plan_pages(site),
        *plan_indexes(site),
        _spec(site, "/404.html", "404.html", {}, (), "404 page"),
        *plan_news_pages(site, lambda *args: _spec(site, *args)),
    ]
    if site.config.search:
        crumbs = (("Home", "/"), ("Search", ""))
        bundles = search_bundles(site)
        context = {"breadcrumbs": crumbs, "bundles": bundles}
        singles.append(_spec(site, urls.SEARCH_URL, "search.html", context, bundles, "search page"))
    if not site.config.recent_posts_baked:
        singles.append(plan_recent_posts(site))
    _add(plan, site, singles, global_digest)
    _add(plan, site, plan_syndication(site, plan.outputs), global_digest)
    redirects = plan_redirects(site, plan.outputs, partial(_spec, site, sidebar=None))
    _add(plan, site, redirects, global_digest)
    check_collisions(plan.outputs)
    return plan


def _add(plan: Plan, site: Site, specs: Iterable[PageSpec], global_digest: str) -> None:
    for spec in specs:
        plan.specs[spec.output_path] = spec
        plan.outputs.append(planned_output(site, spec, global_digest))


def planned_output(site: Site, spec: PageSpec, global_digest: str) -> PlannedOutput:
    """What the build keeps of a spec: fingerprint, source, sitemap and search facts."""
    part, lastmod, shard = "", None, ""
    if spec.sidebar is not None and is_indexable(spec.template):
        article = spec.context.get("article")  # an article's page, whatever its layout
        part = sitemaps.PAGES_PART
        if article is not None:
            part = month_key(article.date, site.config.tz)
            shard = search_shards.shard_of(site.config, article) if site.config.search else ""
        lastmod = page_lastmod(site, spec.template, spec.context)
    return PlannedOutput(
        output_path=spec.output_path,
        url=spec.url,
        fingerprint=spec.fingerprint(global_digest),
        source=spec.source,
        sitemap_part=part,
        lastmod=lastmod,
        search_shard=shard,
    )


def archive_chain(site: Site) -> list[str]:
    """For each position in ``site.articles`` (newest first), a digest of the teasers of
    the article there and of every older one; the last entry stands for none."""
    chain = [""] * (len(site.articles) + 1)
    for position in range(len(site.articles) - 1, -1, -1):
        text = chain[position + 1] + site.articles[position].teaser_digest
        chain[position] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return chain


def _group_key(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()


def _newest_key(site: Site) -> str:
    """With ``recent_posts_baked``, every page shows the newest stories."""
    if not site.config.recent_posts_baked:
        return ""
    return "".join(a.teaser_digest for a in site.recent(site.config.recent_posts + 1))


def article_groups(site: Site, chain: Sequence[str], global_digest: str) -> Iterator[PageGroup]:
    """One group per article page: its inputs are the article and the archive before it."""
    newest = _newest_key(site)
    for position, article in enumerate(site.articles):
        scheduled = str(article.date > site.build_time)
        key = _group_key(
            global_digest, "article", article.digest, chain[position + 1], scheduled, newest
        )
        yield PageGroup(key, lambda article=article: [plan_article(site, article)])


def plan_syndication(site: Site, outputs: Sequence[PlannedOutput]) -> list[PageSpec]:
    """Feeds, sitemaps and ``robots.txt``: outputs without sidebar; the sitemaps list
    ``outputs``."""

    def make(
        url: str, template: str, context: dict[str, Any], deps: Iterable[str], source: str
    ) -> PageSpec:
        return _spec(site, url, template, context, deps, source, sidebar=None)

    entries = sitemaps.sitemap_entries(site.config.base_url, outputs)
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
        f"/{search_shards.SEARCH_DIR}/{shard}/"
        for shard in search_shards.shard_keys(site.config, site.articles)
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


def listing_groups(site: Site, chain: Sequence[str], global_digest: str) -> Iterator[PageGroup]:
    """One group per listing (home, sections, tags, authors, years, months)."""
    permalinks = site.config.permalinks
    group = partial(_listing_group, chain, global_digest + _newest_key(site), site)
    home = group("/", "home", site.config.title, site.articles, (), "home page")
    banner = breaking_deps(breaking_items(site))  # the front page carries the banner

    def home_pages() -> list[PageSpec]:
        return [with_banner(site, s) if s.url == "/" else s for s in home.make()]

    yield PageGroup(_group_key(home.key, *banner), home_pages)
    for section in site.sections:
        crumbs = (("Home", "/"), (section.title, ""))
        yield group(
            section.url, "section", section.title, section.articles, crumbs,
            f"section listing '{section.key}'", section=section,
        )  # fmt: skip
    for listing in site.tags:
        tag = listing.tag
        crumbs = (("Home", "/"), ("Tags", permalinks["tags"]), (tag.name, ""))
        yield group(
            tag.url, "tag", tag.name, listing.articles, crumbs,
            f"tag listing '{tag.name}'", tag=tag,
        )  # fmt: skip
    for listing in site.authors:
        author = listing.author
        crumbs = (("Home", "/"), ("Authors", permalinks["authors"]), (author.name, ""))
        yield group(
            author.url, "author", author.name, listing.articles, crumbs,
            f"author page '{author.key}'", author=author,
        )  # fmt: skip
    for year in site.years:
        crumbs = (("Home", "/"), (str(year.year), ""))
        yield group(
            year.url, "year", str(year.year), year.articles, crumbs,
            f"archive {year.year}", months=year.months,
            extra_deps=tuple(f"{m.month}:{len(m.articles)}" for m in year.months),
        )  # fmt: skip
        for month in year.months:
            title = month.title
            crumbs = (("Home", "/"), (str(year.year), year.url), (title, ""))
            yield group(
                month.url, "month", title, month.articles, crumbs,
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


def _listing_group(
    chain: Sequence[str],
    global_digest: str,
    site: Site,
    base_url: str,
    kind: str,
    title: str,
    articles: Sequence[Article],
    breadcrumbs: Breadcrumbs,
    source: str,
    extra_deps: tuple[str, ...] = (),
    **extra: Any,
) -> PageGroup:
    """A listing as a group: its inputs are its stories' teasers and, for each page's
    Recent Posts, the archive from that page's newest story down."""
    below = [
        chain[site.positions[articles[i].url]]
        for i in newest_positions(len(articles), site.config.per_page)
    ]
    key = _group_key(
        global_digest, kind, base_url, title, source, *extra_deps,
        *(a.teaser_digest for a in articles), "|", *below,
    )  # fmt: skip

    def make() -> list[PageSpec]:
        return list(
            _listing(
                site, base_url, kind, title, articles, breadcrumbs, source, extra_deps, **extra
            )
        )

    return PageGroup(key, make)


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


def check_collisions(outputs: Sequence[PlannedOutput]) -> None:
    """Two outputs at one path: an error that names both of their sources."""
    errors = find_collisions((out.output_path, out.url, out.source) for out in outputs)
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

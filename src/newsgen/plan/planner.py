"""Every output of the site: planned as ``PageSpec``s, or known from the last build.

Article pages and listings, nearly all of a site's pages, are planned in groups: a
block of stories' pages, a listing's front page, or a listing's numbered pages. Each
group has a key, a digest of everything its pages are made from: for a block, its
stories' digests, the archive from its newest story down (which gives their related
stories and Recent Posts) and the site-wide digest; for a listing's pages, the teasers
of their stories and the archive below each page. The keys are cheap (slices of the
site's tuples), and a group whose key the last build planned is not planned again: its
outputs (path, fingerprint, sitemap and search facts) come from the memo. So a publish
plans the newest block's pages and the front pages of the listings the story enters,
not 100,000 pages. Whether an output is rendered is still decided by its fingerprint
alone (see staleness.py); the memo only saves working the fingerprint out again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter

from ..errors import BuildFailed, ContentError
from ..model.site import Site, blocks_from_oldest, tag_names
from ..model.views import RECENT_POSTS_URL
from ..sources import urls
from ..sources.dates import month_key
from ..sources.models import Article
from . import feeds, search_shards, sitemaps
from .contexts import (
    ArticleContext,
    ListingContext,
    NotFoundContext,
    PageContext,
    RecentPostsContext,
    SearchContext,
)
from .layouts import template_for
from .listings import listing_groups, plan_indexes
from .newsplan import plan_news_pages
from .pagespec import PageSpec, PlannedOutput
from .redirects import plan_redirects
from .specs import PageGroup, archive_chain, group_key, make_spec, newest_key, sidebar_as_of

Memo = Mapping[str, tuple[PlannedOutput, ...]]


@dataclass
class Plan:
    """Every output of the site in plan order; the specs of those planned by this build
    (the others are planned on demand, for an output found stale); and the memo to keep
    for the next build (group key -> its outputs)."""

    outputs: list[PlannedOutput] = field(default_factory=list)
    specs: dict[str, PageSpec] = field(default_factory=dict)
    memo: dict[str, tuple[PlannedOutput, ...]] = field(default_factory=dict)
    # (key, start, end) of each group's outputs in ``outputs``, in order, and the groups;
    # the outputs planned alone (pages, feeds, sitemaps...) come after the last
    spans: list[tuple[str, int, int]] = field(default_factory=list)
    groups: list[PageGroup] = field(default_factory=list)
    # article page -> its search bundle (search_shards.py), when search is on
    search_shards: dict[str, str] = field(default_factory=dict)
    # every output's path -> its fingerprint (``fingerprints``), made once it is planned
    produced: dict[str, str] = field(default_factory=dict)
    _group_of: dict[str, PageGroup] | None = None  # output path -> its group, once asked

    def spec(self, output_path: str) -> PageSpec:
        """The spec of an output, planned with its group if the memo gave the group's
        outputs (an output found stale whose group is unchanged: rarely)."""
        if output_path not in self.specs:
            if self._group_of is None:
                self._group_of = {
                    output.output_path: group
                    for group, (_, start, end) in zip(self.groups, self.spans, strict=True)
                    for output in self.outputs[start:end]
                }
            self.specs.update((s.output_path, s) for s in self._group_of[output_path].make())
        return self.specs[output_path]


def plan_site(
    site: Site,
    global_digest: str,
    memo: Memo | None = None,
    blocks: Mapping[str, str] | None = None,
) -> Plan:
    """All outputs of the site; two outputs at one path are an error naming both sources.
    ``blocks``: each article page's search bundle, if worked out already (``shard_names``)."""
    memo = memo or {}
    plan = Plan()
    chain = archive_chain(site)
    outputs = plan.outputs
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
        plan.spans.append((group.key, len(outputs), len(outputs) + len(known)))
        plan.groups.append(group)
        outputs += known
    singles = [
        *plan_pages(site),
        *plan_indexes(site),
        make_spec(site, "/404.html", "404.html", NotFoundContext(), (), "404 page"),
        *plan_news_pages(site),
    ]
    if site.config.search:
        crumbs = (("Home", "/"), ("Search", ""))
        plan.search_shards = dict(
            search_shards.shard_names(site.output_paths, site.months) if blocks is None else blocks
        )
        bundles = tuple(
            f"/{search_shards.SEARCH_DIR}/{shard}/"
            for shard in dict.fromkeys(plan.search_shards.values())
        )  # newest first
        context = SearchContext(breadcrumbs=crumbs, bundles=bundles)
        singles.append(
            make_spec(site, urls.SEARCH_URL, "search.html", context, bundles, "search page")
        )
    if not site.config.recent_posts_baked:
        singles.append(plan_recent_posts(site))
    _add(plan, site, singles, global_digest)
    _add(plan, site, plan_syndication(site, plan.outputs), global_digest)
    redirects = plan_redirects(site, plan.outputs)
    _add(plan, site, redirects, global_digest)
    plan.produced = fingerprints(plan.outputs)
    return plan


def _add(plan: Plan, site: Site, specs: Iterable[PageSpec], global_digest: str) -> None:
    for spec in specs:
        plan.specs[spec.output_path] = spec
        plan.outputs.append(planned_output(site, spec, global_digest))


def planned_output(site: Site, spec: PageSpec, global_digest: str) -> PlannedOutput:
    """What the build keeps of a spec: fingerprint, source, sitemap and search facts."""
    part, lastmod, shard = "", "", ""
    if spec.meta is not None and spec.meta.indexable:
        part = sitemaps.PAGES_PART
        context = spec.context
        if isinstance(context, ArticleContext):  # an article's page, whatever its layout
            part = month_key(context.article.date, site.config.tz)
            shard = part if site.config.search else ""  # the month; its block: search_shards
        elif isinstance(context, ListingContext) and not context.listing.front:
            # a numbered page is full and keeps its stories: it goes with its newest one
            part = month_key(context.listing.items[0].date, site.config.tz)
        lastmod = spec.meta.modified.isoformat() if spec.meta.modified else ""
    return PlannedOutput(
        output_path=spec.output_path,
        url=spec.url,
        fingerprint=spec.fingerprint(global_digest),
        source=spec.source,
        sitemap_part=part,
        lastmod=lastmod,
        search_shard=shard,
    )


# Stories per group of article pages (``article_groups``); tests lower it.
ARTICLE_BLOCK = 256


def article_groups(site: Site, chain: Sequence[str], global_digest: str) -> Iterator[PageGroup]:
    """The article pages in blocks of ``ARTICLE_BLOCK`` stories, counted from the oldest,
    so that a publish leaves every block but the newest as it was. A block's key digests
    what its pages are made from: its stories' digests, the archive from its newest story
    down (``chain``: the Recent Posts and related stories of each page, which come from
    the stories before it), which of them are scheduled, and the site-wide digest. It is
    worked out from the block's slices of the site's tuples, not story by story: at
    100,000 articles the stories' own keys took 0.18 s of every publish and their memo
    entries 0.13 s more than the blocks' do; a block is planned again at about 60 us a
    story. The names of its stories' tags are in their digests, but for the few stories
    that show a tag as another story spells it (``Site.respelled``)."""
    count = len(site.articles)
    respelled = site.respelled
    respelled_at = [position for position, _ in respelled]
    newest = newest_key(site)
    # the scheduled stories shown (``future``) are the newest: count them, newest first
    scheduled = 0
    while scheduled < count and site.articles[scheduled].date > site.build_time:
        scheduled += 1
    for top, end in blocks_from_oldest(count, ARTICLE_BLOCK):
        later = str(max(0, min(scheduled, end) - top))
        digests = "".join(site.digests[top:end])
        names = respelled[bisect_left(respelled_at, top) : bisect_left(respelled_at, end)]
        key = group_key(global_digest, "articles", digests, chain[top], later, newest, repr(names))
        yield PageGroup(key, partial(_planned_articles, site, site.articles[top:end]))


def plan_syndication(site: Site, outputs: Sequence[PlannedOutput]) -> list[PageSpec]:
    """Feeds, sitemaps and ``robots.txt``: outputs without sidebar; the sitemaps list
    ``outputs``."""
    parts = sitemaps.sitemap_parts(outputs)
    news = sitemaps.plan_news_sitemap(site)
    return [
        *feeds.plan_feeds(site),
        *sitemaps.plan_sitemaps(site, parts),
        *news,
        sitemaps.plan_robots(site, bool(news)),
    ]


def plan_recent_posts(site: Site) -> PageSpec:
    """The always-current Recent Posts: one small fragment that every page's script swaps
    in, one story more than a sidebar shows, so a story's own page can leave itself out."""
    newest = site.recent(site.config.recent_posts + 1)
    context = RecentPostsContext(recent_posts=newest)
    deps = [a.teaser_digest for a in newest]
    return make_spec(
        site, RECENT_POSTS_URL, "recent-posts.json", context, deps, "recent posts", sidebar=None
    )


def _planned_articles(site: Site, articles: Sequence[Article]) -> list[PageSpec]:
    return [plan_article(site, article) for article in articles]


def plan_article(site: Site, article: Article) -> PageSpec:
    """The page of one article, with its related articles chosen."""
    section = site.section(article.section)
    related = site.related(article, site.config.related_posts)
    context = ArticleContext.of(site, article, section, related)
    deps = (
        article.digest,
        *(a.teaser_digest for a in related),
        f"scheduled={context.scheduled}",
        tag_names(context.tags),
        site.bylines[context.authors],
    )
    sidebar = sidebar_as_of(site, article, own=True)
    template = template_for(site.config, article.source_path, article.extra, "article.html")
    return make_spec(site, article.url, template, context, deps, article.source_path, sidebar)


def plan_pages(site: Site) -> Iterator[PageSpec]:
    for page in site.pages:
        context = PageContext(page=page, breadcrumbs=(("Home", "/"), (page.title, "")))
        template = template_for(site.config, page.source_path, page.extra, "page.html")
        yield make_spec(site, page.url, template, context, (page.digest,), page.source_path)


def fingerprints(outputs: Sequence[PlannedOutput]) -> dict[str, str]:
    """Each output's path -> its fingerprint, made in one call; two outputs at one path
    are an error that names both of their sources."""
    produced = dict(map(_PATH_AND_FINGERPRINT, outputs))
    if len(produced) != len(outputs):
        errors = find_collisions((out.output_path, out.url, out.source) for out in outputs)
        if errors:
            raise BuildFailed(errors)
    return produced


_PATH_AND_FINGERPRINT = attrgetter("output_path", "fingerprint")


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

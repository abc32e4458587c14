"""Seeded synthetic news corpus, written as equivalent sites for each tool.

``generate_corpus(root, n)`` writes the same N articles once per site copy
(``sites`` selects which; all by default):

* ``root/newsgen`` -- the newsgen site format (``newsgen.yaml`` with the
  default configuration, search included; YAML front matter,
  ``data/authors.yaml``);
* ``root/newsgen-nosearch`` -- the same with ``search: false``;
* ``root/hugo``    -- the same Markdown files plus ``hugo.toml`` and the
  layouts from ``benchmarks/hugo_theme``;
* ``root/pelican`` -- the same bodies with Pelican's ``Key: value`` metadata
  header (Pelican 4.12 does not read YAML front matter without a plugin, and a
  plugin would add work to every parse that the other tools don't do), plus a
  generated ``pelicanconf.py`` that uses ``benchmarks/pelican_theme`` and
  Pelican's content cache.

Everything is derived from a ``random.Random(seed)`` and a fixed end date, so
two runs with the same (n, seed) produce byte-identical corpora.

``edit_old_article`` and ``add_new_article`` mutate every copy the same way; they are the changes measured by the incremental-rebuild cases.  A small
manifest (``root/manifest.json``) records what was generated so that those
functions know which files to touch.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
HUGO_THEME = BENCH_DIR / "hugo_theme"
PELICAN_THEME = BENCH_DIR / "pelican_theme"

SITE_TITLE = "Benchmark Gazette"
BASE_URL = "https://bench.example.org"
SECTIONS = ["world", "politics", "business", "technology", "science", "culture", "sport", "opinion"]
RECENT_POSTS = 6
PER_PAGE = 10
#: Items in the RSS feed; the same limit is configured for every tool.
FEED_ITEMS = 20
N_AUTHORS = 40
N_TAGS = 200
#: Articles are dated over the three years that end here (fixed, so that the
#: corpus does not depend on the day it is generated).
END_DATE = datetime(2025, 6, 30, 18, 0, tzinfo=timezone.utc)
SPAN = timedelta(days=3 * 365)

MANIFEST = "manifest.json"

#: Every site copy the corpus can hold, and the metadata format its articles use.
SITES: dict[str, str] = {
    "newsgen": "yaml",
    "newsgen-nosearch": "yaml",
    "hugo": "yaml",
    "pelican": "pelican",
}

_WORDS = """
the a of to and in that for on with as by at from about after before over under
between against during without within across through into government minister
council city country market company report officials police court election vote
voters party leader president parliament committee budget tax economy growth
inflation prices rates bank investors shares profits workers union strike talks
deal agreement plan policy reform law bill proposal crisis war peace border
troops ceasefire refugees aid summit climate energy oil gas power grid solar wind
emissions water drought flood storm weather science researchers study data
results scientists university hospital health patients doctors vaccine disease
virus treatment schools students teachers children families housing rent homes
transport rail roads airport flights traffic technology software startup users
platform network security privacy phones chips artificial intelligence model
museum gallery festival film music theatre book author artist season match team
coach players league final goal win defeat record fans stadium tournament
year month week day morning evening night today yesterday recently later early
said says told added warned announced confirmed denied expected reported argued
new old big small major minor key local national global regional public private
first last next final strong weak high low rising falling higher lower more less
many several few most some other same different important critical possible
clear uncertain likely unlikely significant political economic social cultural
""".split()

_TITLE_WORDS = """
Minister Council Market Election Budget Talks Deal Reform Crisis Summit Storm
Drought Vaccine Strike Startup Museum Festival Final Record Border Energy Rates
Housing Schools Rail Court Study League Union Climate Grid Privacy Chips Peace
Profits Inflation Hospital Airport Theatre Stadium Parliament Refugees Emissions
""".split()

_TITLE_VERBS = """
faces backs rejects delays unveils weighs defends questions expands cuts wins
loses warns signs blocks approves reviews extends ends launches
""".split()

_FIRST_NAMES = """
Ada Ben Carla David Elena Farid Grace Hugo Ines Jonas Kofi Lena Marta Nikos Olga
Pablo Quinn Rosa Samir Tara Umar Vera Wen Ximena Yusuf Zoe
""".split()

_LAST_NAMES = """
Abbott Brennan Castillo Dubois Eriksen Fischer Gallo Haddad Ibarra Jensen Kowalski
Lindqvist Moreau Novak Okafor Petrov Quiroga Rossi Sato Tanaka Ueda Vargas Weber
Yilmaz Zhang
""".split()

_TAG_TOPICS = """
elections climate energy housing health education transport trade inflation jobs
ai security privacy space football tennis cricket cinema music books art theatre
migration diplomacy defence courts policing water farming food tourism startups
banking markets tax pensions science research oceans wildlife cities
""".split()

_TAG_QUALIFIERS = """
europe asia africa americas policy reform crisis data local global analysis
""".split()


@dataclass(frozen=True)
class Article:
    """One article, independent of any tool's file format."""

    section: str
    slug: str
    title: str
    date: datetime
    author: str
    tags: list[str]
    summary: str
    body: str

    def yaml_front_matter(self) -> str:
        """Front matter for newsgen and Hugo (same file for both)."""
        tags = ", ".join(self.tags)
        return (
            "---\n"
            f'title: "{self.title}"\n'
            f"date: {self.date.isoformat()}\n"
            f"author: {self.author}\n"
            f"tags: [{tags}]\n"
            f'summary: "{self.summary}"\n'
            f"slug: {self.slug}\n"
            "---\n\n"
        )

    def pelican_header(self, author_name: str) -> str:
        """Pelican's Markdown metadata header: same fields, ``Key: value`` form."""
        return (
            f"Title: {self.title}\n"
            f"Date: {self.date.isoformat()}\n"
            f"Author: {author_name}\n"
            f"Category: {self.section}\n"
            f"Tags: {', '.join(self.tags)}\n"
            f"Summary: {self.summary}\n"
            f"Slug: {self.slug}\n\n"
        )


@dataclass
class Manifest:
    """What ``generate_corpus`` wrote; lets the mutators find their files."""

    n: int
    seed: int
    #: The site copies written (keys of ``SITES``).
    sites: list[str]
    authors: dict[str, str]  # key -> display name
    tags: list[str]
    #: (section, slug, ISO date) of every article, in generation order.
    articles: list[tuple[str, str, str]]
    edits: int = 0
    additions: int = 0

    @classmethod
    def load(cls, root: Path) -> Manifest:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        data["articles"] = [tuple(a) for a in data["articles"]]
        return cls(**data)

    def save(self, root: Path) -> None:
        (root / MANIFEST).write_text(json.dumps(asdict(self)), encoding="utf-8")


class _TextMaker:
    """Cheap seeded prose: enough variety for Markdown parsers and templates."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self, link: bool = False) -> str:
        words = self.rng.choices(_WORDS, k=self.rng.randint(8, 20))
        if link:
            i = self.rng.randrange(len(words) - 1)
            target = f"{words[i]}-{words[i + 1]}-{self.rng.randrange(10_000)}"
            words[i : i + 2] = [f"[{words[i]} {words[i + 1]}](https://example.org/{target})"]
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def paragraph(self) -> str:
        count = self.rng.randint(3, 6)
        link_at = self.rng.randrange(count) if self.rng.random() < 0.6 else -1
        return " ".join(self.sentence(link=i == link_at) for i in range(count))

    def title(self) -> str:
        words = [
            self.rng.choice(_TITLE_WORDS),
            self.rng.choice(_TITLE_VERBS),
            *self.rng.choices(_WORDS[40:], k=self.rng.randint(2, 5)),
        ]
        return " ".join(words).capitalize().replace('"', "")

    def body(self) -> str:
        """600-900 words: intro, 3-5 ``##`` sections, one quote, one list, links."""
        target = self.rng.randint(615, 860)
        n_sections = self.rng.randint(3, 5)
        headings = [
            " ".join(self.rng.choices(_WORDS[40:], k=self.rng.randint(2, 5))).capitalize()
            for _ in range(n_sections)
        ]
        quote = f"{self.sentence()} {self.sentence()}"
        quote_block = (
            f"> {quote}\n>\n> -- {self.rng.choice(_FIRST_NAMES)} {self.rng.choice(_LAST_NAMES)}"
        )
        items = [self.sentence() for _ in range(self.rng.randint(3, 6))]
        list_block = "\n".join(f"- {item}" for item in items)
        # Prose fills whatever the fixed blocks leave of the target.
        budget = target - sum(len(h.split()) for h in headings) - len(quote.split()) - 2
        budget -= sum(len(i.split()) for i in items)
        paragraphs: list[str] = []
        while budget > 0:
            para = self.paragraph() if budget > 120 else " ".join(self.sentence() for _ in range(2))
            paragraphs.append(para)
            budget -= len(para.split())
        # Deal the paragraphs out: the first is the intro, the rest spread
        # over the sections; the quote and the list land in random sections.
        blocks = [paragraphs.pop(0)]
        per_section = max(1, len(paragraphs) // n_sections)
        quote_in, list_in = self.rng.randrange(n_sections), self.rng.randrange(n_sections)
        for s, heading in enumerate(headings):
            blocks.append(f"## {heading}")
            if s == quote_in:
                blocks.append(quote_block)
            if s == list_in:
                blocks.append(list_block)
            take = len(paragraphs) if s == n_sections - 1 else per_section
            blocks.extend(paragraphs[:take])
            del paragraphs[:take]
        return "\n\n".join(blocks) + "\n"


def _make_authors(rng: random.Random) -> dict[str, str]:
    authors: dict[str, str] = {}
    while len(authors) < N_AUTHORS:
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        authors.setdefault(f"{first}-{last}".lower(), f"{first} {last}")
    return dict(sorted(authors.items()))


def _make_tags(rng: random.Random) -> list[str]:
    candidates = list(_TAG_TOPICS) + [f"{t}-{q}" for t in _TAG_TOPICS for q in _TAG_QUALIFIERS]
    return [candidates[i] for i in sorted(rng.sample(range(len(candidates)), N_TAGS))]


def _make_article(rng: random.Random, index: int, date: datetime, manifest: Manifest) -> Article:
    text = _TextMaker(rng)
    title = text.title()
    slug = "-".join(title.lower().split()[:6]) + f"-{index}"
    # Zipf-like tag popularity: a few tags are on many articles, most on few.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(manifest.tags))]
    tags = sorted(set(rng.choices(manifest.tags, weights=weights, k=rng.randint(2, 5))))
    summary = text.sentence().replace('"', "")
    return Article(
        section=rng.choice(SECTIONS),
        slug=slug,
        title=title,
        date=date,
        author=rng.choice(list(manifest.authors)),
        tags=tags,
        summary=summary,
        body=text.body(),
    )


def _write_article(root: Path, article: Article, manifest: Manifest) -> None:
    texts = {
        "yaml": article.yaml_front_matter() + article.body,
        "pelican": article.pelican_header(manifest.authors[article.author]) + article.body,
    }
    for site in manifest.sites:
        path = root / site / "content" / article.section / f"{article.slug}.md"
        path.write_text(texts[SITES[site]], encoding="utf-8")


def _authors_yaml(authors: dict[str, str], rng: random.Random) -> str:
    lines = []
    for key, name in authors.items():
        beat = rng.choice(SECTIONS)
        lines.append(f"{key}:\n  name: {name}\n  bio: {name} covers {beat} for the Gazette.\n")
    return "".join(lines)


def _newsgen_config(search: bool) -> str:
    # The site's own settings only; everything else (search included) keeps
    # newsgen's defaults unless ``search`` is False.
    return (
        f"title: {SITE_TITLE}\n"
        f"base_url: {BASE_URL}\n"
        "language: en\n"
        "timezone: UTC\n"
        f"sections: [{', '.join(SECTIONS)}]\n"
        f"recent_posts: {RECENT_POSTS}\n"
        f"per_page: {PER_PAGE}\n"
    ) + ("" if search else "search: false\n")


def _hugo_config() -> str:
    # Only the pages the other tools make: no taxonomy index, sitemap,
    # robots.txt, 404 page, per-section/per-tag feeds or /page/1/ aliases.
    return f"""\
baseURL = "{BASE_URL}/"
title = "{SITE_TITLE}"
locale = "en"
timeZone = "UTC"
pluralizeListTitles = false
disableKinds = ["taxonomy", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false

[params]
recentPosts = {RECENT_POSTS}

[pagination]
pagerSize = {PER_PAGE}
disableAliases = true

[taxonomies]
tag = "tags"

[outputs]
home = ["html", "rss"]
section = ["html"]
term = ["html"]

[services.rss]
limit = {FEED_ITEMS}
"""


def _pelican_config(site: Path) -> str:
    # Pelican writes many extra pages by default (authors, archives, per
    # category feeds...); switch off everything the other tools don't make.
    return f"""\
# Generated by benchmarks/corpus.py -- do not edit.
AUTHOR = "Benchmark Gazette"
SITENAME = "{SITE_TITLE}"
SITEURL = "{BASE_URL}"
RELATIVE_URLS = False
PATH = "content"
ARTICLE_PATHS = [""]
PAGE_PATHS = []
STATIC_PATHS = []
USE_FOLDER_AS_CATEGORY = True
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"
THEME = {str(PELICAN_THEME)!r}
PLUGIN_PATHS = [{str(PELICAN_THEME / "plugins")!r}]
PLUGINS = ["site_recent_posts"]
THEME_STATIC_PATHS = []
DELETE_OUTPUT_DIRECTORY = False

# Pelican's fastest set-up for rebuilds: keep the parsed articles between
# builds (they are re-read only when their file's mtime changed), at the
# "generator" layer (whole Article objects; no plugin here alters them), and
# store the cache uncompressed.
CACHE_PATH = {str(site / "cache")!r}
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "generator"
CHECK_MODIFIED_METHOD = "mtime"
GZIP_CACHE = False

DEFAULT_PAGINATION = {PER_PAGE}
PAGINATED_TEMPLATES = {{"index": None, "tag": None, "category": None, "author": None}}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)
RECENT_POSTS = {RECENT_POSTS}

ARTICLE_URL = "{{category}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{category}}/{{slug}}/index.html"
CATEGORY_URL = "{{slug}}/"
CATEGORY_SAVE_AS = "{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
AUTHOR_SAVE_AS = ""
DIRECT_TEMPLATES = ["index"]
INDEX_SAVE_AS = "index.html"

FEED_DOMAIN = SITEURL
FEED_ALL_RSS = "index.xml"
FEED_MAX_ITEMS = {FEED_ITEMS}
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
"""


def _set_up_site(root: Path, site: str, authors_yaml: str) -> None:
    """Everything of one site copy except its articles."""
    folder = root / site
    for section in SECTIONS:
        (folder / "content" / section).mkdir(parents=True)
    if site == "pelican":
        (folder / "pelicanconf.py").write_text(_pelican_config(folder), encoding="utf-8")
        return
    (folder / "data").mkdir()
    (folder / "data" / "authors.yaml").write_text(authors_yaml, encoding="utf-8")
    if site == "hugo":
        (folder / "hugo.toml").write_text(_hugo_config(), encoding="utf-8")
        shutil.copytree(HUGO_THEME / "layouts", folder / "layouts")
    else:
        config = _newsgen_config(search=site != "newsgen-nosearch")
        (folder / "newsgen.yaml").write_text(config, encoding="utf-8")


def generate_corpus(
    root: Path, n: int, seed: int = 7, sites: Iterable[str] = tuple(SITES)
) -> Manifest:
    """Write an N-article corpus as ``root/<site>`` for each of ``sites``.

    ``root`` is wiped first.  The articles do not depend on which sites are
    written.  Returns the manifest (also saved in ``root``).
    """
    root = Path(root)
    wanted = [site for site in SITES if site in set(sites)]
    unknown = set(sites) - set(SITES)
    if unknown:
        raise ValueError(f"unknown site copies: {sorted(unknown)}")
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    authors = _make_authors(rng)
    manifest = Manifest(
        n=n, seed=seed, sites=wanted, authors=authors, tags=_make_tags(rng), articles=[]
    )
    authors_yaml = _authors_yaml(authors, rng)
    for site in wanted:
        _set_up_site(root, site, authors_yaml)

    span_minutes = int(SPAN.total_seconds() // 60)
    for index in range(n):
        date = END_DATE - timedelta(minutes=rng.randrange(span_minutes))
        article = _make_article(rng, index, date, manifest)
        _write_article(root, article, manifest)
        manifest.articles.append((article.section, article.slug, article.date.isoformat()))

    manifest.save(root)
    return manifest


def _article_paths(root: Path, manifest: Manifest, section: str, slug: str) -> list[Path]:
    return [root / site / "content" / section / f"{slug}.md" for site in manifest.sites]


def edit_old_article(root: Path) -> list[Path]:
    """Append a paragraph to the body of the oldest article, in every copy.

    Only the body changes (title, summary, date, tags stay), so a smart
    generator needs to re-render that one article page (and its search
    index).  Each call appends a different paragraph, so repeated calls are
    repeated real edits.  Returns the paths written.
    """
    root = Path(root)
    manifest = Manifest.load(root)
    section, slug, _ = min(manifest.articles, key=lambda a: a[2])
    manifest.edits += 1
    rng = random.Random(f"{manifest.seed}-edit-{manifest.edits}")
    paragraph = f"\n**Update {manifest.edits}:** {_TextMaker(rng).paragraph()}\n"
    paths = _article_paths(root, manifest, section, slug)
    for path in paths:
        with path.open("a", encoding="utf-8") as f:
            f.write(paragraph)
    manifest.save(root)
    return paths


def add_new_article(root: Path) -> list[Path]:
    """Publish one story: an article dated an hour after every other one, in every copy.

    Each call adds another, newer story, so repeated calls are repeated
    publishes.  Being the newest, it enters the Recent Posts sidebar, the
    home page, its section's and tags' first listing pages and the feed.
    Returns the paths written.
    """
    root = Path(root)
    manifest = Manifest.load(root)
    manifest.additions += 1
    rng = random.Random(f"{manifest.seed}-add-{manifest.additions}")
    latest = max(datetime.fromisoformat(a[2]) for a in manifest.articles)
    article = _make_article(
        rng, manifest.n + manifest.additions, latest + timedelta(hours=1), manifest
    )
    _write_article(root, article, manifest)
    manifest.articles.append((article.section, article.slug, article.date.isoformat()))
    manifest.save(root)
    return _article_paths(root, manifest, article.section, article.slug)

"""A seeded generator of whole news sites for tests, and what a reader should find in them.

``write_corpus`` writes articles, standalone pages and authors through a ``SiteMaker``
and returns a ``Corpus`` that says, independently of newsgen, where every article must
show up: its section, tags, author pages and (site-local) year and month.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from slugify import slugify

from .conftest import NOW, SiteMaker

TIMEZONE = "Europe/Amsterdam"
# Configured, in menu order; "opinion" also gets articles but is not configured.
SECTIONS = (("world", "World"), ("politics", "Politics"), ("business", "Business"),
            ("science", "Science"), ("culture", "Culture"))  # fmt: skip
UNCONFIGURED_SECTION = "opinion"
DESCRIBED = {
    "ana-lima": "Ana Lima",
    "bo-svensson": "Bo Svensson",
    "chidi-obi": "Chidi Obi",
    "dora-keller": "Dora Keller",
    "emil-novak": "Emil Novak",
}
UNDESCRIBED = ("Guest Contributor", "Sam Stringer")
TAGS = (
    "Harbour", "Climate", "Energy", "Trade", "Elections", "Courts", "Housing", "Transport",
    "Health", "Schools", "Fisheries", "Tourism", "Budget", "Music", "Film", "Research",
    "Space", "Ocean", "Jobs", "Weather", "AI", "Rail", "Ferries", "Art",
)  # fmt: skip
PAGES = (("about", "About us"), ("contact", "Contact"), ("privacy", "Privacy policy"))
WORDS = (
    "harbour council ferry budget vote court river market school tide port city storm "
    "report minister festival trade fleet wind bridge museum research island tram"
).split()


@dataclass(frozen=True)
class CorpusArticle:
    source: str  # relative to the site folder
    title: str
    slug: str
    section: str
    date: datetime
    tags: tuple[str, ...]  # tag slugs
    authors: tuple[str, ...]  # author page keys
    words: int
    published: bool

    @property
    def url(self) -> str:
        return f"/{self.section}/{self.slug}/"

    def local(self, zone: str = TIMEZONE) -> datetime:
        return self.date.astimezone(ZoneInfo(zone))


@dataclass(frozen=True)
class Corpus:
    articles: tuple[CorpusArticle, ...]  # every source written, published or not
    per_page: int

    @property
    def published(self) -> tuple[CorpusArticle, ...]:
        return tuple(a for a in self.articles if a.published)

    def in_section(self, key: str) -> set[str]:
        return {a.url for a in self.published if a.section == key}

    def with_tag(self, slug: str) -> set[str]:
        return {a.url for a in self.published if slug in a.tags}

    def by_author(self, key: str) -> set[str]:
        return {a.url for a in self.published if key in a.authors}

    def in_month(self, year: int, month: int) -> set[str]:
        return {a.url for a in self.published if (a.local().year, a.local().month) == (year, month)}

    def months(self) -> set[tuple[int, int]]:
        return {(a.local().year, a.local().month) for a in self.published}


DEFAULT_PER_PAGE = 10  # what the issue asks for when newsgen.yaml says nothing


def write_corpus(
    maker: SiteMaker, count: int, seed: int = 7, per_page: int | None = 7, **config: object
) -> Corpus:
    """Write a site of ``count`` articles (a few drafts and future ones among them).

    Dates spread over about two years before ``NOW``; some fall late on a month's last
    day in UTC, so their Amsterdam month is the next one. ``per_page=None`` leaves it to
    the default; ``config`` adds settings.
    """
    rng = random.Random(seed)
    maker.config(
        {
            "title": "Corpus Courier",
            "base_url": "https://corpus.example",
            "timezone": TIMEZONE,
            **({"per_page": per_page} if per_page else {}),
            "sections": [{"key": key, "title": title} for key, title in SECTIONS],
            **config,
        }
    )
    maker.authors(
        {
            key: {"name": name, "bio": f"{name} reports for the Courier."}
            for key, name in DESCRIBED.items()
        }
        | {"silent-partner": {"name": "Silent Partner", "bio": "Has not written yet."}}
    )
    for slug, title in PAGES:
        maker.write(
            f"content/pages/{slug}.md", f"---\ntitle: {title}\nslug: {slug}\n---\nAbout {title}.\n"
        )
    section_keys = [key for key, _ in SECTIONS] + [UNCONFIGURED_SECTION]
    articles = [_article(maker, rng, number, section_keys) for number in range(count)]
    return Corpus(tuple(articles), per_page or DEFAULT_PER_PAGE)


def _article(
    maker: SiteMaker, rng: random.Random, number: int, sections: list[str]
) -> CorpusArticle:
    section = rng.choice(sections)
    title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} story {number}"
    slug = slugify(title)
    if number % 11 == 0:  # late on a month's last day in UTC: next month in Amsterdam
        first = datetime(2025 + number % 2, number % 12 + 1, 1, tzinfo=timezone.utc)
        date = first - timedelta(minutes=30)
        if date > NOW:
            date = date.replace(year=date.year - 1)
    else:
        date = NOW - timedelta(minutes=rng.randrange(1, 700 * 24 * 60))
    published, fields = True, {}
    if number % 97 == 5:
        fields["draft"], published = True, False
    elif number % 97 == 6:
        date, published = NOW + timedelta(days=3), False
    tags = rng.sample(TAGS, rng.randrange(0, 4))
    authors, named = _authors(rng)
    if number % 13 == 0:
        fields["updated"] = (date + timedelta(hours=5)).isoformat()
        fields["corrections"] = [
            {"date": (date + timedelta(hours=6)).isoformat(), "text": f"Fixed a name in {number}."}
        ]
    words = [rng.choice(WORDS) for _ in range(rng.randrange(40, 500))]
    body = "\n\n".join(
        " ".join(words[i : i + 60]).capitalize() + "." for i in range(0, len(words), 60)
    )
    source = f"content/{section}/{slug}.md"
    maker.article(
        f"{section}/{slug}.md", title, date.isoformat(), body,
        author=named, tags=tags, summary=f"Summary of story {number}.", **fields,
    )  # fmt: skip
    return CorpusArticle(
        source, title, slug, section, date, tuple(slugify(t) for t in tags), authors,
        len(words), published,
    )  # fmt: skip


def _authors(rng: random.Random) -> tuple[tuple[str, ...], list[str]]:
    """(author page keys, names as front matter gives them): keys, display names, guests."""
    keys: list[str] = []
    named: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2))):
        roll = rng.random()
        if roll < 0.5:
            key = rng.choice(list(DESCRIBED))
            name = key
        elif roll < 0.85:
            key = rng.choice(list(DESCRIBED))
            name = DESCRIBED[key]
        else:
            name = rng.choice(UNDESCRIBED)
            key = slugify(name)
        if key not in keys:
            keys.append(key)
            named.append(name)
    return tuple(keys), named

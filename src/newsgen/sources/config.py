"""Site configuration: ``newsgen.yaml`` read into a frozen, validated ``SiteConfig``."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from string import Formatter
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import BuildFailed, ContentError, NewsgenError, read_utf8
from .additions import Additions, PluginName, read_plugin_names, unknown_plugins
from .fields import (
    FLAG,
    TEXT,
    Converter,
    FieldSpec,
    FieldTable,
    Invalid,
    KeyPath,
    ReadContext,
    checked,
    must_be,
    table,
    unknown_key,
    whole,
)
from .images.settings import IMAGE_SETTING_FIELDS, ImageSettings
from .listing_kinds import LISTING_KINDS
from .markup_settings import MARKDOWN, MarkdownSettings
from .site_files import link_problem
from .urls import slugify
from .yamlload import load_yaml, path_line

CONFIG_NAME = "newsgen.yaml"
# The folders of a site that hold its sources (beside ``newsgen.yaml``).
SOURCE_FOLDERS = ("content", "templates", "static", "data", "plugins")


class PermalinkRule(NamedTuple):
    """What a permalink pattern of one page kind may be: ``required`` are the fields that
    tell two pages of the kind apart (a pattern without them would put them all at one
    URL); a listing puts page n at ``…/page/n/`` under its URL, so that URL must be a folder."""

    default: str
    fields: frozenset[str]
    required: frozenset[str] = frozenset()
    listing: bool = False


_PAGE_PERMALINKS = {
    "article": PermalinkRule(
        "/{section}/{slug}/", frozenset({"section", "slug", "year", "month", "day"}),
        frozenset({"slug"}),
    ),
    "page": PermalinkRule("/{slug}/", frozenset({"slug"}), frozenset({"slug"})),
}  # fmt: skip


def permalink_rules() -> dict[str, PermalinkRule]:
    """Every permalink key: articles, pages, then each listing kind and its index page
    (from the table in listing_kinds.py)."""
    rules = dict(_PAGE_PERMALINKS)
    for kind in LISTING_KINDS.values():
        if kind.permalink:
            rules[kind.name] = PermalinkRule(kind.permalink, kind.fields, kind.required, True)
        if kind.index:
            rules[kind.index.key] = PermalinkRule(kind.index.permalink, frozenset())
    return rules


def default_permalinks() -> dict[str, str]:
    return {key: rule.default for key, rule in permalink_rules().items()}


@dataclass(frozen=True)
class ConfiguredSection:
    """A section named in newsgen.yaml: its key (the URL part) and its title."""

    key: str
    title: str


@dataclass(frozen=True)
class Publisher:
    name: str
    logo: str
    url: str


@dataclass(frozen=True)
class FeedOptions:
    """``feeds:``; ``switched_on`` holds the listing kinds' feed options set to true
    (``per_tag``, ``per_author``)."""

    entries: int = 20
    full_content: bool = False
    switched_on: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SiteConfig:
    """Everything ``newsgen.yaml`` can say, with its defaults."""

    root: Path
    title: str = "newsgen site"
    description: str = ""
    base_url: str = "http://localhost:8000"
    language: str = "en"
    timezone: str = "UTC"
    date_format: str = "%B %-d, %Y"
    sections: tuple[ConfiguredSection, ...] = ()
    recent_posts: int = 6
    recent_posts_baked: bool = False
    related_posts: int = 3
    per_page: int = 10
    excerpt_length: int = 160
    output: str = "public"
    permalinks: dict[str, str] = field(default_factory=default_permalinks)
    publisher: Publisher = Publisher("", "", "")
    feeds: FeedOptions = FeedOptions()
    search: bool = True
    cookie_notice: bool = True
    images: ImageSettings = ImageSettings()
    markdown: MarkdownSettings = MarkdownSettings()
    plugins: tuple[PluginName, ...] = ()
    additions: Additions = Additions()  # what the plugins add (newsgen/plugins/ fills it in)
    digest: str = ""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def output_dir(self) -> Path:
        return (self.root / self.output).resolve()

    @property
    def cache_dir(self) -> Path:
        return self.root / ".newsgen-cache"

    @property
    def state_key(self) -> str:
        """What parsed sources and planned pages depend on beyond newsgen and the
        sources: the Markdown settings and the plugins' code (part of the build state's key)."""
        return f"{self.markdown.key}\0{self.additions.digest}"

    def section_title(self, key: str) -> str:
        for section in self.sections:
            if section.key == key:
                return section.title
        return key.replace("-", " ").title()

    def with_overrides(self, **changes: Any) -> SiteConfig:
        return replace(self, **changes)


# a BCP 47 language tag as pages (<html lang>) and feeds carry it: en, pt-BR, zh-Hant-TW
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
Fail = Callable[[str, KeyPath], None]  # records a problem at a path below the key


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        return False
    return True


def _with_problems(
    read: Callable[[Any, Fail], Any], kind: type
) -> Callable[[Any, ReadContext], Any]:
    """A converter from a reader of a ``kind`` value that reports each problem to ``fail``."""

    def convert(value: Any, context: ReadContext) -> Any:
        if not isinstance(value, kind):
            raise Invalid
        return read(value, context.problem)

    convert.__qualname__ = read.__qualname__
    return convert


def _sections(raw: list[Any], fail: Fail) -> tuple[ConfiguredSection, ...]:
    sections = []
    for number, item in enumerate(raw, 1):
        if isinstance(item, str):
            sections.append(
                ConfiguredSection(slugify(item), item if item != item.lower() else item.title())
            )
        elif isinstance(item, dict) and isinstance(item.get("key"), str):
            for key in item:
                if key not in ("key", "title"):
                    where = (number - 1, key)
                    fail(unknown_key(str(key), ("key", "title"), f"sections[{number}]."), where)
            title = item.get("title", item["key"].title())
            # Articles name their section by slug, so the configured key must be one too.
            sections.append(ConfiguredSection(slugify(item["key"]), str(title)))
        else:
            fail(
                must_be(f"sections[{number}]", "a name or a mapping with a key", item),
                (number - 1,),
            )
    return tuple(sections)


def _permalinks(raw: dict[Any, Any], fail: Fail) -> dict[str, str]:
    rules = permalink_rules()
    permalinks = default_permalinks()
    for kind, pattern in raw.items():
        if kind not in rules:
            fail(unknown_key(str(kind), rules, "permalinks."), (kind,))
            continue
        if not isinstance(pattern, str) or not pattern.startswith("/"):
            fail(must_be(f"permalinks.{kind}", "a pattern starting with '/'", pattern), (kind,))
            continue
        problem = _pattern_problem(rules[kind], pattern)
        if problem:
            fail(f"permalink {kind} {pattern!r}: {problem}", (kind,))
            continue
        permalinks[kind] = pattern if pattern.endswith(("/", ".html")) else pattern + "/"
    return permalinks


PUBLISHER_FIELDS = FieldTable(
    [FieldSpec(name, TEXT, default="") for name in ("name", "logo", "url")]
)


def feed_fields() -> FieldTable:
    """``feeds:``: ``entries``, ``full_content`` (the whole story in each entry) and the
    option of each listing kind whose feeds are switched on (``per_tag``, ``per_author``)."""
    switches = sorted({kind.feed_option for kind in LISTING_KINDS.values() if kind.feed_option})
    return FieldTable(
        [
            FieldSpec("entries", whole(1), default=FeedOptions.entries),
            FieldSpec("full_content", FLAG, default=False),
            *(FieldSpec(switch, FLAG, default=False) for switch in switches),
        ]
    )


def _read_feeds(value: Any, context: ReadContext) -> dict[str, Any]:
    """``feeds:`` read with the table of the listing kinds known when it is read."""
    return table(feed_fields(), "").read(value, context)


def _feed_options(values: dict[str, Any]) -> FeedOptions:
    switched_on = frozenset(key for key, on in values.items() if on is True)
    options = {key: values[key] for key in ("entries", "full_content")}
    return FeedOptions(**options, switched_on=switched_on - {"full_content"})


_TEXT_KEYS = ("title", "description", "date_format", "output")
CONFIG_FIELDS = FieldTable(
    [
        *(FieldSpec(key, TEXT, default=getattr(SiteConfig, key)) for key in _TEXT_KEYS),
        FieldSpec(
            "base_url",
            checked(
                TEXT,
                lambda url: url.startswith(("http://", "https://")),
                "an address starting with http:// or https://",
                "http",
            ),
            default=SiteConfig.base_url,
        ),
        FieldSpec(
            "language",
            checked(
                TEXT,
                lambda tag: bool(_LANGUAGE_TAG.match(tag)),
                "a language tag like en or pt-BR",
                "bcp47",
            ),
            default=SiteConfig.language,
        ),
        FieldSpec(
            "timezone",
            checked(TEXT, _is_zone, "a time zone name like Europe/Rome", "zone"),
            default=SiteConfig.timezone,
        ),
        *(
            FieldSpec(key, whole(1), default=getattr(SiteConfig, key))
            for key in ("recent_posts", "related_posts", "per_page", "excerpt_length")
        ),
        *(
            FieldSpec(key, FLAG, default=getattr(SiteConfig, key))
            for key in ("recent_posts_baked", "search", "cookie_notice")
        ),
        FieldSpec(
            "sections",
            Converter(
                "a list of section names or {key, title} mappings",
                _with_problems(_sections, list),
            ),
        ),
        FieldSpec(
            "permalinks",
            Converter("a mapping of page kind to pattern", _with_problems(_permalinks, dict)),
        ),
        FieldSpec("publisher", table(PUBLISHER_FIELDS, "a mapping with name, logo, url")),
        FieldSpec(
            "feeds",
            Converter(
                "a mapping with entries, full_content, per_tag, per_author", _read_feeds, "feeds"
            ),
        ),
        FieldSpec(
            "images",
            table(IMAGE_SETTING_FIELDS, "a mapping with enabled, widths, formats, quality"),
        ),
        FieldSpec("markdown", MARKDOWN),
        FieldSpec("plugins", Converter("a list of plugin names", read_plugin_names, "plugins")),
    ]
)


def load_config(root: Path) -> SiteConfig:
    """Read ``root/newsgen.yaml`` (absent means all defaults); report every error at once."""
    root = root.resolve()
    if not root.is_dir():
        raise NewsgenError(f"{root}: no such site folder")
    path = root / CONFIG_NAME
    shown = str(path.relative_to(root))
    problem = link_problem(path, str(root))
    if problem:
        raise BuildFailed([ContentError(shown, problem)])
    try:
        text = read_utf8(path, shown) if path.exists() else ""
        raw = load_yaml(text, shown, unique_keys=True) if text.strip() else {}
    except ContentError as error:
        raise BuildFailed([error]) from None
    if not isinstance(raw, dict):
        raise BuildFailed([ContentError(shown, "the configuration must be a mapping of keys", 1)])
    return _validate(root, raw, text, shown)


def _validate(root: Path, raw: dict[str, Any], text: str, shown: str) -> SiteConfig:
    read, problems = CONFIG_FIELDS.read(raw)
    names = read["plugins"] or ()
    places = [("plugins", raw["plugins"].index(name)) for name in names]
    unknown = unknown_plugins(names, root)
    problems += [(place, m) for place, m in zip(places, unknown, strict=True) if m]
    if problems:
        raise BuildFailed(
            ContentError(shown, message, path_line(text, path) or 1) for path, message in problems
        )
    # a key given no value (``sections:``) keeps its default, as in front matter
    values = {key: read[key] for key in CONFIG_FIELDS.names if raw.get(key) is not None}
    if "base_url" in values:
        values["base_url"] = values["base_url"].rstrip("/")
    if names:  # each with its line, for the errors of loading it
        lines = [path_line(text, place) or 1 for place in places]
        values["plugins"] = tuple(map(PluginName, names, lines))
    title = values.get("title", SiteConfig.title)
    publisher = read["publisher"] or {"name": title, "logo": "", "url": ""}
    values["publisher"] = Publisher(**publisher)
    if "feeds" in values:
        values["feeds"] = _feed_options(values["feeds"])
    if "images" in values:
        values["images"] = ImageSettings(
            **{**values["images"], "quality": dict(read["images"]["quality"])}
        )
    digest = hashlib.sha256(repr(sorted(raw.items(), key=str)).encode()).hexdigest()
    return SiteConfig(root=root, digest=digest, **values)


def _pattern_problem(rule: PermalinkRule, pattern: str) -> str | None:
    """Why ``pattern`` cannot be a permalink under ``rule``, or None when it can."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in Formatter().parse(pattern)]
    except ValueError:
        return "unbalanced '{' or '}'"
    used = set()
    for name, spec, conversion in fields:
        if name is None:
            continue
        if spec or conversion:
            return f"write {{{name}}} without a conversion or format"
        if name not in rule.fields:
            allowed = ", ".join("{" + f + "}" for f in sorted(rule.fields)) or "none"
            return f"unknown field {{{name}}}; allowed: {allowed}"
        used.add(name)
    missing = rule.required - used
    if missing:
        return "must contain " + " and ".join("{" + f + "}" for f in sorted(missing))
    if rule.listing and pattern.endswith(".html"):
        return "a listing needs a folder URL ending in '/' (page 2 goes under it)"
    return None

"""Site configuration: ``newsgen.yaml`` read into a frozen, validated ``SiteConfig``."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from string import Formatter
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import BuildFailed, ContentError, NewsgenError, read_utf8
from .additions import Additions, PluginName, parse_plugin_names
from .images.settings import ImageSettings, parse_image_settings
from .markup import EXTENSIONS
from .markup_settings import MarkdownSettings, parse_markdown_settings
from .site_files import link_problem
from .urls import slugify
from .yamlload import key_line, load_yaml

CONFIG_NAME = "newsgen.yaml"
# The folders of a site that hold its sources (beside ``newsgen.yaml``).
SOURCE_FOLDERS = ("content", "templates", "static", "data", "plugins")

DEFAULT_PERMALINKS: dict[str, str] = {
    "article": "/{section}/{slug}/",
    "page": "/{slug}/",
    "section": "/{section}/",
    "tag": "/tags/{tag}/",
    "tags": "/tags/",
    "author": "/authors/{author}/",
    "authors": "/authors/",
    "year": "/{year}/",
    "month": "/{year}/{month}/",
}
PERMALINK_FIELDS: dict[str, frozenset[str]] = {
    "article": frozenset({"section", "slug", "year", "month", "day"}),
    "page": frozenset({"slug"}),
    "section": frozenset({"section"}),
    "tag": frozenset({"tag"}),
    "tags": frozenset(),
    "author": frozenset({"author"}),
    "authors": frozenset(),
    "year": frozenset({"year"}),
    "month": frozenset({"year", "month"}),
}
# The fields that tell two pages of a kind apart: a pattern without them would put them all
# at one URL.
PERMALINK_REQUIRED: dict[str, frozenset[str]] = {
    "article": frozenset({"slug"}),
    "page": frozenset({"slug"}),
    "section": frozenset({"section"}),
    "tag": frozenset({"tag"}),
    "author": frozenset({"author"}),
    "year": frozenset({"year"}),
    "month": frozenset({"year", "month"}),
}
# Listings put page n at ``…/page/n/`` under their URL, so that URL must be a folder.
LISTING_KINDS = frozenset({"section", "tag", "author", "year", "month"})


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
    entries: int = 20
    full_content: bool = False
    per_tag: bool = False
    per_author: bool = False


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
    permalinks: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PERMALINKS))
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
        sources: the Markdown settings and the plugins' code (the build state's key)."""
        return f"{self.markdown.key}\0{self.additions.digest}"

    def section_title(self, key: str) -> str:
        for section in self.sections:
            if section.key == key:
                return section.title
        return key.replace("-", " ").title()

    def with_overrides(self, **changes: Any) -> SiteConfig:
        return replace(self, **changes)


_SIMPLE_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "description": str,
    "base_url": str,
    "language": str,
    "timezone": str,
    "date_format": str,
    "recent_posts": int,
    "recent_posts_baked": bool,
    "related_posts": int,
    "per_page": int,
    "excerpt_length": int,
    "output": str,
    "search": bool,
    "cookie_notice": bool,
}
_KNOWN_KEYS = set(_SIMPLE_TYPES) | {
    "sections", "permalinks", "publisher", "feeds", "images", "markdown", "plugins",
}  # fmt: skip
_TYPE_NAMES = {str: "a string", int: "a whole number", bool: "true or false"}
# a BCP 47 language tag as pages (<html lang>) and feeds carry it: en, pt-BR, zh-Hant-TW
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
Fail = Callable[[str], None]  # records one problem with a part of the configuration


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
    errors: list[ContentError] = []
    values: dict[str, Any] = {}

    def fail(key: str, message: str) -> None:
        errors.append(ContentError(shown, message, key_line(text, key) or 1))

    def fail_at(key: str) -> Callable[[str, int | None], None]:
        """``fail`` at a line within ``key``'s value (its own line when None)."""
        return lambda message, line: errors.append(
            ContentError(shown, message, line or key_line(text, key) or 1)
        )

    for key, value in raw.items():
        if key not in _KNOWN_KEYS:
            hint = difflib.get_close_matches(str(key), sorted(_KNOWN_KEYS), n=1)
            suffix = f" (did you mean {hint[0]!r}?)" if hint else ""
            fail(str(key), f"unknown key {key!r}{suffix}")
            continue
        if key in _SIMPLE_TYPES:
            expected = _SIMPLE_TYPES[key]
            if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
                fail(key, f"{key} must be {_TYPE_NAMES[int]}, not {value!r}")
            elif not isinstance(value, expected):
                fail(key, f"{key} must be {_TYPE_NAMES[expected]}, not {value!r}")
            elif expected is int and value < 1:
                fail(key, f"{key} must be at least 1, not {value}")
            else:
                values[key] = value

    if "language" in values and not _LANGUAGE_TAG.match(values["language"]):
        fail(
            "language",
            f"language must be a language tag like en or pt-BR, not {values['language']!r}",
        )
        del values["language"]
    if "timezone" in values:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
            fail(
                "timezone",
                f"unknown time zone {values['timezone']!r} (use a name like Europe/Rome)",
            )
            del values["timezone"]
    if "base_url" in values:
        base = values["base_url"].rstrip("/")
        if not base.startswith(("http://", "https://")):
            fail("base_url", "base_url must start with http:// or https://")
        values["base_url"] = base
    if "sections" in raw:
        values["sections"] = _sections(raw["sections"], lambda m: fail("sections", m))
    if "permalinks" in raw:
        values["permalinks"] = _permalinks(raw["permalinks"], lambda m: fail("permalinks", m))
    if "publisher" in raw:
        publisher = _mapping_of_strings(
            raw["publisher"], "publisher", {"name", "logo", "url"}, lambda m: fail("publisher", m)
        )
        values["publisher"] = Publisher(
            publisher.get("name", ""), publisher.get("logo", ""), publisher.get("url", "")
        )
    if "feeds" in raw:
        values["feeds"] = _feeds(raw["feeds"], lambda m: fail("feeds", m))
    if "images" in raw:
        values["images"] = parse_image_settings(raw["images"], lambda m: fail("images", m))
    if "markdown" in raw:
        values["markdown"] = parse_markdown_settings(
            raw["markdown"], text, EXTENSIONS, fail_at("markdown")
        )
    if "plugins" in raw:
        values["plugins"] = parse_plugin_names(raw["plugins"], text, root, fail_at("plugins"))

    if errors:
        raise BuildFailed(errors)
    if "publisher" not in values:
        values["publisher"] = Publisher(values.get("title", SiteConfig.title), "", "")
    digest = hashlib.sha256(repr(sorted(raw.items(), key=str)).encode()).hexdigest()
    return SiteConfig(root=root, digest=digest, **values)


def _sections(raw: Any, fail: Fail) -> tuple[ConfiguredSection, ...]:
    if not isinstance(raw, list):
        fail("sections must be a list of section names or {key, title} mappings")
        return ()
    sections = []
    for item in raw:
        if isinstance(item, str):
            sections.append(
                ConfiguredSection(slugify(item), item if item != item.lower() else item.title())
            )
        elif isinstance(item, dict) and isinstance(item.get("key"), str):
            extra = set(item) - {"key", "title"}
            if extra:
                fail(f"unknown section field(s): {', '.join(sorted(map(str, extra)))}")
            title = item.get("title", item["key"].title())
            # Articles name their section by slug, so the configured key must be one too.
            sections.append(ConfiguredSection(slugify(item["key"]), str(title)))
        else:
            fail(f"section {item!r} must be a name or a mapping with a key")
    return tuple(sections)


def _permalinks(raw: Any, fail: Fail) -> dict[str, str]:
    permalinks = dict(DEFAULT_PERMALINKS)
    if not isinstance(raw, dict):
        fail("permalinks must be a mapping of page kind to pattern")
        return permalinks
    for kind, pattern in raw.items():
        if kind not in PERMALINK_FIELDS:
            fail(f"unknown permalink kind {kind!r} (known: {', '.join(PERMALINK_FIELDS)})")
            continue
        if not isinstance(pattern, str) or not pattern.startswith("/"):
            fail(f"permalink {kind} must be a pattern starting with '/'")
            continue
        problem = _pattern_problem(kind, pattern)
        if problem:
            fail(f"permalink {kind} {pattern!r}: {problem}")
            continue
        permalinks[kind] = pattern if pattern.endswith(("/", ".html")) else pattern + "/"
    return permalinks


def _pattern_problem(kind: str, pattern: str) -> str | None:
    """Why ``pattern`` cannot be a permalink of ``kind``, or None when it can."""
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
        if name not in PERMALINK_FIELDS[kind]:
            allowed = ", ".join("{" + f + "}" for f in sorted(PERMALINK_FIELDS[kind])) or "none"
            return f"unknown field {{{name}}}; allowed: {allowed}"
        used.add(name)
    missing = PERMALINK_REQUIRED.get(kind, frozenset()) - used
    if missing:
        return "must contain " + " and ".join("{" + f + "}" for f in sorted(missing))
    if kind in LISTING_KINDS and pattern.endswith(".html"):
        return "a listing needs a folder URL ending in '/' (page 2 goes under it)"
    return None


def _mapping_of_strings(raw: Any, name: str, allowed: set[str], fail: Fail) -> dict[str, str]:
    if not isinstance(raw, dict):
        fail(f"{name} must be a mapping")
        return {}
    result = {}
    for key, value in raw.items():
        if key not in allowed:
            fail(f"unknown {name} field {key!r} (known: {', '.join(sorted(allowed))})")
        elif not isinstance(value, str):
            fail(f"{name}.{key} must be a string")
        else:
            result[key] = value
    return result


def _feeds(raw: Any, fail: Fail) -> FeedOptions:
    if not isinstance(raw, dict):
        fail("feeds must be a mapping")
        return FeedOptions()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "entries":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                fail("feeds.entries must be a whole number of at least 1")
            else:
                values[key] = value
        elif key in ("full_content", "per_tag", "per_author"):
            if not isinstance(value, bool):
                fail(f"feeds.{key} must be true or false")
            else:
                values[key] = value
        else:
            fail(f"unknown feeds field {key!r}")
    return FeedOptions(**values)

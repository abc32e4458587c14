"""Reading a WordPress export (WXR) as a stream of small records.

Every WXR version WordPress has written (1.0 to 1.2) is RSS 2.0 with elements in the
``wp:``, ``excerpt:``, ``content:`` and ``dc:`` namespaces; the namespace URIs differ
between versions and, in exports that passed through other tools, in their scheme
(``http`` or ``https``). Elements are matched by what their namespace *is*, not by
its exact URI. The file is read with ``iterparse`` and every ``<item>`` is dropped once
read, so a large export is never held whole; entities are not expanded and nothing
is fetched from the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import ContentError

_NAMESPACES = (
    (re.compile(r"^(?:https?://)?(?:www\.)?wordpress\.org/export/\d+\.\d+/excerpt/?$"), "excerpt"),
    (re.compile(r"^(?:https?://)?(?:www\.)?wordpress\.org/export/\d+\.\d+/?$"), "wp"),
    (re.compile(r"^(?:https?://)?purl\.org/rss/1\.0/modules/content/?$"), "content"),
    (re.compile(r"^(?:https?://)?purl\.org/dc/elements/1\.1/?$"), "dc"),
)


@dataclass(frozen=True)
class Channel:
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    version: str = ""


@dataclass(frozen=True)
class WpAuthor:
    login: str
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class Term:
    kind: str  # "category" or "tag"
    slug: str
    name: str
    term_id: str = ""
    parent: str = ""


@dataclass(frozen=True)
class ItemTerm:
    kind: str  # "category", "tag" or another taxonomy's name
    slug: str
    name: str


@dataclass(frozen=True)
class Item:
    """One ``<item>``: a post, page, attachment, menu item… ``line`` is where it starts."""

    line: int
    post_id: int
    post_type: str
    status: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_modified: str = ""
    post_name: str = ""
    post_parent: int = 0
    menu_order: int = 0
    password: str = ""
    attachment_url: str = ""
    terms: tuple[ItemTerm, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    comments: int = 0


Record = Channel | WpAuthor | Term | Item


def read_export(path: Path, shown: str, with_content: bool = True) -> Iterator[Record]:
    """The export's records in file order: authors and terms, items, then the channel.

    ``with_content=False`` leaves post bodies out (a first pass that only needs the
    structure). A malformed file raises ``ContentError`` with the line.
    """
    names: dict[str, str] = {}
    channel: dict[str, str] = {}
    parser = etree.iterparse(
        str(path),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        huge_tree=True,
    )
    try:
        for _, element in parser:
            tag = _name(element.tag, names)
            if tag == "item":
                yield _item(element, names, with_content, shown)
                _drop(element)
            elif tag == "wp:author":
                yield _author(element, names)
                _drop(element)
            elif tag in ("wp:category", "wp:tag"):
                yield _term(element, names, tag)
                _drop(element)
            elif tag in ("title", "link", "description", "language", "wp:wxr_version",
                         "wp:base_site_url", "wp:base_blog_url"):  # fmt: skip
                parent = element.getparent()
                if parent is not None and _name(parent.tag, names) == "channel":
                    channel.setdefault(tag, (element.text or "").strip())
    except etree.XMLSyntaxError as error:
        line = error.lineno or None
        message = re.sub(r",? line \d+, column \d+$", "", error.msg or str(error))
        raise ContentError(shown, f"not a readable WordPress export: {message}", line) from None
    except OSError as error:
        raise ContentError(shown, f"cannot read the export: {error.strerror or error}") from None
    if not channel and not names:
        raise ContentError(shown, "not a WordPress export: no RSS channel found", 1)
    yield Channel(
        title=channel.get("title", ""),
        link=channel.get("link", ""),
        description=channel.get("description", ""),
        language=channel.get("language", ""),
        base_site_url=channel.get("wp:base_site_url", ""),
        base_blog_url=channel.get("wp:base_blog_url", ""),
        version=channel.get("wp:wxr_version", ""),
    )


def _name(tag: object, names: dict[str, str]) -> str:
    """``{uri}local`` as ``prefix:local`` for the namespaces WXR uses."""
    if not isinstance(tag, str):
        return ""
    if tag in names:
        return names[tag]
    name = tag
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        prefix = next((p for pattern, p in _NAMESPACES if pattern.match(uri)), uri)
        name = f"{prefix}:{local}"
    names[tag] = name
    return name


def _drop(element: etree._Element) -> None:
    """Free a read element and the finished siblings before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _children(element: etree._Element, names: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in element:
        tag = _name(child.tag, names)
        if tag and tag not in values:
            values[tag] = child.text or ""
    return values


def _author(element: etree._Element, names: dict[str, str]) -> WpAuthor:
    values = _children(element, names)
    return WpAuthor(
        login=values.get("wp:author_login", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip(),
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
    )


def _term(element: etree._Element, names: dict[str, str], tag: str) -> Term:
    values = _children(element, names)
    if tag == "wp:category":
        return Term(
            "category",
            values.get("wp:category_nicename", "").strip(),
            values.get("wp:cat_name", "").strip(),
            values.get("wp:term_id", "").strip(),
            values.get("wp:category_parent", "").strip(),
        )
    return Term(
        "tag",
        values.get("wp:tag_slug", "").strip(),
        values.get("wp:tag_name", "").strip(),
        values.get("wp:term_id", "").strip(),
    )


def _number(text: str) -> int:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else 0


def _item(element: etree._Element, names: dict[str, str], with_content: bool, shown: str) -> Item:
    values: dict[str, str] = {}
    terms: list[ItemTerm] = []
    meta: dict[str, str] = {}
    comments = 0
    for child in element:
        tag = _name(child.tag, names)
        if tag == "category":
            domain = child.get("domain", "category")
            kind = {"post_tag": "tag", "tag": "tag"}.get(domain, domain)
            name = (child.text or "").strip()
            slug = (child.get("nicename") or "").strip()
            if name and not any(t.kind == kind and t.name == name for t in terms):
                terms.append(ItemTerm(kind, slug, name))
            elif slug:  # WXR 1.0 wrote each category twice, once without nicename
                terms = [
                    ItemTerm(kind, slug, name) if t == ItemTerm(kind, "", name) else t
                    for t in terms
                ]
        elif tag == "wp:postmeta":
            pair = _children(child, names)
            meta.setdefault(pair.get("wp:meta_key", ""), pair.get("wp:meta_value", ""))
        elif tag == "wp:comment":
            comments += 1
        elif tag and tag not in values:
            values[tag] = child.text or ""
    post_id = _number(values.get("wp:post_id", ""))
    line = element.sourceline or 1
    if not post_id:
        raise ContentError(shown, "an <item> without a wp:post_id", line)
    excerpt = values.get("excerpt:encoded", "")
    return Item(
        line=line,
        post_id=post_id,
        post_type=values.get("wp:post_type", "post").strip() or "post",
        status=values.get("wp:status", "publish").strip() or "publish",
        title=values.get("title", "").strip(),
        link=values.get("link", "").strip(),
        guid=values.get("guid", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", "") if with_content else "",
        excerpt=excerpt,
        post_date=values.get("wp:post_date", "").strip(),
        post_date_gmt=values.get("wp:post_date_gmt", "").strip(),
        post_modified=values.get("wp:post_modified", "").strip(),
        post_name=values.get("wp:post_name", "").strip(),
        post_parent=_number(values.get("wp:post_parent", "")),
        menu_order=_number(values.get("wp:menu_order", "")),
        password=values.get("wp:post_password", ""),
        attachment_url=values.get("wp:attachment_url", "").strip(),
        terms=tuple(terms),
        meta=meta,
        comments=comments,
    )

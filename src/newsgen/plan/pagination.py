"""Splitting a listing into pages that keep their URL and content as stories are added.

Pages are counted from the oldest story: page 1 holds the oldest ``per_page`` stories,
page 2 the next, and so on. The front page (the listing's own URL) holds the newest
stories: everything not on a numbered page, between ``per_page`` and ``2 * per_page - 1``
of them. Publishing a story changes the front page only; every ``per_page`` stories the
front page's oldest ``per_page`` move to a new numbered page, whose neighbours within
``WINDOW`` gain a link to it. A numbered page never depends on how many pages exist
beyond that window, so the archive's older pages stay byte for byte the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..sources.urls import page_url

T = TypeVar("T")

# Pages linked by number either side of the current one, with the front page and page 1.
WINDOW = 2


@dataclass(frozen=True)
class ListingPage(Generic[T]):
    """One page of a listing, newest stories first.

    ``number`` is 0 for the front page. ``links`` are (number, url), newest first,
    of the numbered pages to link: page 1 and those within ``WINDOW`` of this one (for
    the front page, the ``WINDOW + 1`` newest). ``prev_url`` is the newer neighbour,
    ``next_url`` the older one. ``gap`` says numbered pages lie between the front page
    and the first of ``links``.
    """

    number: int
    items: tuple[T, ...]
    url: str
    first_url: str
    prev_url: str | None
    next_url: str | None
    links: tuple[tuple[int, str], ...]
    gap: bool = False

    @property
    def front(self) -> bool:
        return self.number == 0


def numbered_pages(count: int, per_page: int) -> int:
    """How many numbered pages a listing of ``count`` stories has below its front page."""
    return max(0, count // per_page - 1)


def newest_positions(count: int, per_page: int) -> list[int]:
    """Where each page's newest story sits in the listing (newest first): the front
    page's, then numbered page n's, from the newest page down."""
    numbered = numbered_pages(count, per_page)
    return [0, *(count - n * per_page for n in range(numbered, 0, -1))] if count else []


def listing_page(items: Sequence[T], per_page: int, base_url: str, number: int) -> ListingPage[T]:
    """Page ``number`` of a listing whose stories are ``items`` (newest first): 0 is the
    front page at ``base_url``, n the numbered page at ``…/page/n/``. Each page is made
    alone: a publish plans a listing's front page again, not the archive's every page."""
    numbered = numbered_pages(len(items), per_page)

    def url(number: int) -> str:
        return base_url if number == 0 else page_url(base_url, number)

    if number == 0:
        near = range(max(1, numbered - WINDOW), numbered + 1)
        newer, older, start, stop = None, numbered, 0, len(items) - numbered * per_page
    else:
        near = range(max(1, number - WINDOW), min(numbered, number + WINDOW) + 1)
        newer = number + 1 if number < numbered else 0
        older = number - 1
        # page n holds stories (n-1)*per_page+1 .. n*per_page counted from the oldest
        start = len(items) - number * per_page
        stop = start + per_page
    links = sorted({1, *near} if numbered else set(), reverse=True)
    return ListingPage(
        number=number,
        items=tuple(items[start:stop]),
        url=url(number),
        first_url=base_url,
        prev_url=None if newer is None else url(newer),
        next_url=url(older) if older else None,
        links=tuple((n, url(n)) for n in links),
        gap=number != 0 and number + WINDOW < numbered,
    )

"""Splitting a listing into numbered pages with their URLs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .urls import page_url

T = TypeVar("T")

# Pages linked by number either side of the current one; the first and last are always
# linked. A window keeps a deep archive's pages from each carrying thousands of links.
WINDOW = 2


@dataclass(frozen=True)
class ListingPage(Generic[T]):
    """One page of a listing; ``links`` are (number, url) of the pages to link by number:
    the first, the last, and those within ``WINDOW`` of this one."""

    number: int
    total: int
    items: tuple[T, ...]
    url: str
    first_url: str
    prev_url: str | None
    next_url: str | None
    links: tuple[tuple[int, str], ...]


def paginate(items: Sequence[T], per_page: int, base_url: str) -> list[ListingPage[T]]:
    """Page 1 at ``base_url``, page n at ``…/page/n/``; never an empty page but the first."""
    total = max(1, -(-len(items) // per_page))
    urls = [page_url(base_url, n) for n in range(1, total + 1)]
    pages = []
    for number in range(1, total + 1):
        near = range(max(1, number - WINDOW), min(total, number + WINDOW) + 1)
        shown = sorted({1, total, *near})
        chunk = tuple(items[(number - 1) * per_page : number * per_page])
        pages.append(
            ListingPage(
                number=number,
                total=total,
                items=chunk,
                url=urls[number - 1],
                first_url=base_url,
                prev_url=urls[number - 2] if number > 1 else None,
                next_url=urls[number] if number < total else None,
                links=tuple((n, urls[n - 1]) for n in shown),
            )
        )
    return pages

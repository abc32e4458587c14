"""Splitting a listing into numbered pages with their URLs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .urls import page_url

T = TypeVar("T")


@dataclass(frozen=True)
class ListingPage(Generic[T]):
    """One page of a listing; ``links`` are (number, url) of every page of it."""

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
    links = tuple((n, page_url(base_url, n)) for n in range(1, total + 1))
    pages = []
    for number in range(1, total + 1):
        chunk = tuple(items[(number - 1) * per_page : number * per_page])
        pages.append(
            ListingPage(
                number=number,
                total=total,
                items=chunk,
                url=links[number - 1][1],
                first_url=base_url,
                prev_url=links[number - 2][1] if number > 1 else None,
                next_url=links[number][1] if number < total else None,
                links=links,
            )
        )
    return pages

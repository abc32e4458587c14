"""``listing_page``: the front page at the listing's URL with the newest stories, numbered
pages counted from the oldest under ``page/n/``, older pages unchanged by new stories."""

from __future__ import annotations

import pytest

from newsgen.plan.pagination import ListingPage, listing_page, numbered_pages


def paginate(items: list[int], per_page: int, base_url: str) -> list[ListingPage[int]]:
    """Every page of a listing: the front page, then page n down to 1."""
    numbers = (0, *range(numbered_pages(len(items), per_page), 0, -1))
    return [listing_page(items, per_page, base_url, number) for number in numbers]


def _newest_first(count: int) -> list[int]:
    """Stories numbered 1 (oldest) to ``count`` (newest), newest first."""
    return list(range(count, 0, -1))


def test_pages_are_counted_from_the_oldest_story():
    pages = paginate(_newest_first(23), 10, "/world/")
    assert [p.url for p in pages] == ["/world/", "/world/page/1/"]
    assert pages[0].front and pages[0].number == 0 and pages[1].number == 1
    assert pages[0].items == tuple(range(23, 10, -1))  # 13: the newest, up to 2 pages' worth
    assert pages[1].items == tuple(range(10, 0, -1))  # stories 1-10, newest first
    assert [(p.prev_url, p.next_url) for p in pages] == [
        (None, "/world/page/1/"),
        ("/world/", None),
    ]
    assert all(p.first_url == "/world/" for p in pages)


@pytest.mark.parametrize("count", [0, 1, 9, 10, 11, 19, 20, 21, 39, 40, 41, 200])
def test_no_page_is_empty_and_every_story_is_on_exactly_one_page(count):
    pages = paginate(_newest_first(count), 10, "/tags/x/")
    assert all(p.items for p in pages) or count == 0
    listed = [item for p in pages for item in p.items]
    assert listed == _newest_first(count)
    assert all(len(p.items) == 10 for p in pages[1:])
    assert count < 10 or 10 <= len(pages[0].items) < 20


def test_publishing_changes_the_front_page_and_leaves_older_pages_as_they_were():
    before = {p.url: p for p in paginate(_newest_first(95), 10, "/")}
    for count in range(96, 131):
        after = {p.url: p for p in paginate(_newest_first(count), 10, "/")}
        changed = {url for url in after if after[url] != before.get(url)}
        # the front page; every tenth story also a new numbered page, the two below it
        # (their links) and the third (the gap before its links)
        assert "/" in changed and len(changed) <= 5, (count, changed)
        assert all(after[url].items == before[url].items for url in before if url != "/")
        before = after


def test_navigation_links_the_front_page_one_and_two_either_side():
    pages = {p.number: p for p in paginate(_newest_first(200), 10, "/")}  # pages 1-19
    assert [n for n, _ in pages[10].links] == [12, 11, 10, 9, 8, 1]
    assert pages[10].gap  # pages 13-19 lie between the front page and the first link
    assert [n for n, _ in pages[0].links] == [19, 18, 17, 1]
    assert [n for n, _ in pages[19].links] == [19, 18, 17, 1]
    assert not pages[18].gap and pages[18].prev_url == "/page/19/"
    assert pages[19].prev_url == "/" and pages[1].next_url is None
    assert dict(pages[10].links)[8] == "/page/8/"


def test_an_empty_listing_is_one_empty_front_page():
    (page,) = paginate([], 10, "/")
    assert (page.items, page.url, page.prev_url, page.next_url, page.links) == (
        (), "/", None, None, ()
    )  # fmt: skip

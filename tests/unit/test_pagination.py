"""``paginate``: page 1 at the listing's URL, page n under ``page/n/``, never an empty page."""

from __future__ import annotations

import pytest

from newsgen.pagination import paginate


def test_pages_split_items_in_order_with_urls_and_neighbours():
    pages = paginate(list(range(23)), 10, "/world/")
    assert [p.items for p in pages] == [tuple(range(10)), tuple(range(10, 20)), (20, 21, 22)]
    assert [p.url for p in pages] == ["/world/", "/world/page/2/", "/world/page/3/"]
    assert [(p.prev_url, p.next_url) for p in pages] == [
        (None, "/world/page/2/"),
        ("/world/", "/world/page/3/"),
        ("/world/page/2/", None),
    ]
    assert all(p.total == 3 and p.first_url == "/world/" for p in pages)
    assert pages[1].links == ((1, "/world/"), (2, "/world/page/2/"), (3, "/world/page/3/"))


@pytest.mark.parametrize("count", [1, 9, 10, 11, 20, 21])
def test_no_page_is_empty_and_the_counts_add_up(count):
    pages = paginate(list(range(count)), 10, "/tags/x/")
    assert all(p.items for p in pages)
    assert sum(len(p.items) for p in pages) == count
    assert len(pages) == -(-count // 10)


def test_numbered_links_are_the_first_the_last_and_two_either_side():
    pages = paginate(list(range(200)), 10, "/")
    assert [n for n, _ in pages[9].links] == [1, 8, 9, 10, 11, 12, 20]
    assert [n for n, _ in pages[0].links] == [1, 2, 3, 20]
    assert [n for n, _ in pages[18].links] == [1, 17, 18, 19, 20]
    assert dict(pages[9].links)[8] == "/page/8/"


def test_an_empty_listing_is_one_empty_first_page():
    (page,) = paginate([], 10, "/")
    assert (page.items, page.url, page.prev_url, page.next_url) == ((), "/", None, None)


def test_home_page_n_is_at_the_root():
    assert [p.url for p in paginate(list(range(3)), 1, "/")] == ["/", "/page/2/", "/page/3/"]

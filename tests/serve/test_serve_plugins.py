"""``newsgen serve`` with a plugin of the site's own: an edit to the plugin is seen at
once (it is loaded afresh for each build), like an edit to a story."""

from __future__ import annotations

from tests.conftest import SiteMaker
from tests.serve.helpers import fetch, headline, poll, running

PLUGIN = """\
import dataclasses

def register(registry):
    registry.on_article(lambda a: dataclasses.replace(a, title=a.title + " ({desk})"))
"""


def test_an_edited_plugin_is_picked_up_by_the_next_build(site: SiteMaker) -> None:
    site.config({"title": "T", "base_url": "https://test.example", "plugins": ["desk"]})
    site.write("plugins/desk.py", PLUGIN.format(desk="Metro"))
    site.article("news/harbour.md", "Harbour reopens", "2025-03-01 09:00", "The harbour reopened.")
    with running(site.root) as server:
        url = f"{server.url}/news/harbour-reopens/"
        assert headline(fetch(url)) == "Harbour reopens (Metro)"
        site.write("plugins/desk.py", PLUGIN.format(desk="Sport"))
        poll(lambda: headline(fetch(url)) == "Harbour reopens (Sport)", "the plugin's new title")

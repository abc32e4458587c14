"""Pelican plugin: the site's newest articles as ``recent_posts`` in every template.

Pelican hands category and tag pages their own article list as ``articles``, so a
sidebar built from ``articles[:RECENT_POSTS]`` would show that category's or tag's
newest stories there; Hugo's and newsgen's sidebars show the site's newest on every
page. This keeps the site-wide list under a name no page overrides.
"""

from pelican import signals


def _remember_recent(generator) -> None:
    # generate_context has sorted the articles newest first by now.
    count = generator.settings.get("RECENT_POSTS", 6)
    generator.context["recent_posts"] = generator.articles[:count]


def register() -> None:
    signals.article_generator_finalized.connect(_remember_recent)

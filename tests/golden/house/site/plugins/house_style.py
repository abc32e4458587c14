"""De Havenkrant's house rules: a filter and a global for its templates, one spelling."""

from __future__ import annotations

import dataclasses

from newsgen.plugins import Registry


def register(registry: Registry) -> None:
    registry.template_filter("kapitalen", lambda text: str(text).upper())
    registry.template_global("motto", "Eerst de feiten")

    @registry.on_article
    def house_spelling(article):
        return dataclasses.replace(article, title=article.title.replace("e-mail", "mail"))

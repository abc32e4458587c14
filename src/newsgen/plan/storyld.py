"""The news layer's part of a story's JSON-LD: its schema.org type, live blog updates,
corrections and paywall, as Google News reads them."""

from __future__ import annotations

from typing import Any

from ..sources.dates import w3c
from ..sources.models import Article
from ..sources.paywall import PAYWALL_SELECTOR

SCHEMA_TYPES = {
    "": "NewsArticle",
    "report": "ReportageNewsArticle",
    "opinion": "OpinionNewsArticle",
    "analysis": "AnalysisNewsArticle",
    "review": "ReviewNewsArticle",
    "sponsored": "AdvertiserContentArticle",
    "live": "LiveBlogPosting",
}
_HEADLINE_LENGTH = 110  # Google shows headlines up to this length


def story_json_ld(article: Article, canonical: str) -> dict[str, Any]:
    """Keys to merge into the article's JSON-LD block (``@type`` always among them)."""
    data: dict[str, Any] = {"@type": SCHEMA_TYPES[article.story_type]}
    if article.story_type == "live":
        data["coverageStartTime"] = w3c(article.date)
        if article.live_until is not None:
            data["coverageEndTime"] = w3c(article.live_until)
        data["liveBlogUpdate"] = [
            {
                "@type": "BlogPosting",
                "headline": (update.title or update.text)[:_HEADLINE_LENGTH],
                "datePublished": w3c(update.time),
                "articleBody": update.text,
                "url": f"{canonical}#{update.anchor}",
            }
            for update in article.live_updates
        ]
    if article.corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "datePublished": w3c(c.date), "text": c.text}
            for c in article.corrections
        ]
    if article.subscribers_only:
        data["isAccessibleForFree"] = False
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": PAYWALL_SELECTOR,
        }
    return data

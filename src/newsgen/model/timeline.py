"""What a story looks like at the build's "now": live or not, breaking or not, expired.

Articles are parsed once and cached without knowing when they are built. A build
then sees each one as of its "now": ``as_of`` marks a live blog live or ended and a
breaking story breaking or not. Only the pages that show that state are rendered
again when it flips: the live blog's page and cards, the breaking-news file and the
home page.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from ..sources.models import Article


def is_live(article: Article, now: datetime) -> bool:
    """A live blog is live until its ``live_until`` (for ever without one)."""
    return article.story_type == "live" and (article.live_until is None or now < article.live_until)


def is_expired(article: Article, now: datetime) -> bool:
    """Past its ``expires``: out of listings, feeds and search, its page a notice."""
    return article.expires is not None and article.expires <= now


def is_breaking(article: Article, now: datetime) -> bool:
    """A breaking story has its banner until ``breaking_until``."""
    return article.breaking_until is not None and now < article.breaking_until


def as_of(article: Article, now: datetime) -> Article:
    """``article`` as a build at ``now`` shows it.

    Whether a live blog is live shows on its page and cards, so it goes into the
    digests those pages depend on. Whether a story is breaking shows only in the
    banner, whose pages depend on the banner itself (see breaking.py).
    """
    live, breaking = is_live(article, now), is_breaking(article, now)
    if (live, breaking) == (article.live, article.breaking):
        return article
    if live == article.live:
        return article.evolve(breaking=breaking)
    state = f"\0live={live}"
    return article.evolve(
        live=live,
        breaking=breaking,
        digest=_mix(article.digest + state),
        teaser_digest=_mix(article.teaser_digest + state),
    )


def _mix(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()

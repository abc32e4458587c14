"""Editorial previews: drafts and scheduled stories at private, unguessable URLs.

``newsgen build --preview`` writes each story the build does not publish at
``/preview/<token>/<slug>/``, where the token is an HMAC of the story's source path
keyed by ``NEWSGEN_PREVIEW_SECRET``: the link stays the same from build to build (an
editor can keep it open), cannot be derived without the secret, and changes for
every story when the secret does. Nothing links to these pages; see newsplan.py.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime

from ..errors import NewsgenError
from ..sources import urls
from ..sources.models import Article
from .site import is_published

SECRET_VARIABLE = "NEWSGEN_PREVIEW_SECRET"
MIN_SECRET_LENGTH = 16
PREVIEW_ROOT = "/preview/"


def preview_secret(environ: Mapping[str, str] = os.environ) -> str:
    """The key of preview tokens, from the environment; a clear error when unusable."""
    secret = environ.get(SECRET_VARIABLE, "")
    if not secret:
        raise NewsgenError(
            f"--preview needs {SECRET_VARIABLE}: set it to a long random secret "
            f"(for example: export {SECRET_VARIABLE}=$(openssl rand -hex 32))"
        )
    if len(secret) < MIN_SECRET_LENGTH:
        raise NewsgenError(
            f"{SECRET_VARIABLE} is too short to keep preview links private: "
            f"use at least {MIN_SECRET_LENGTH} characters"
        )
    return secret


def preview_token(secret: str, source_path: str) -> str:
    """128 bits of HMAC-SHA256 of the story's path: unguessable, stable for one secret."""
    mac = hmac.new(secret.encode(), source_path.encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def preview_articles(
    articles: Iterable[Article], now: datetime, drafts: bool, future: bool, secret: str
) -> tuple[Article, ...]:
    """The stories this build does not publish, moved to their preview URLs."""
    found = []
    for article in sorted(articles, key=lambda a: a.source_path):
        if is_published(article, now, drafts, future):
            continue
        url = f"{PREVIEW_ROOT}{preview_token(secret, article.source_path)}/{article.slug}/"
        found.append(replace(article, url=url, output_path=urls.output_path(url)))
    return tuple(found)

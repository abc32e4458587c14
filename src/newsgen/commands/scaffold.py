"""``newsgen init``: a new site that builds cleanly at once, with every setting explained."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..errors import NewsgenError

CONFIG = """\
# newsgen.yaml: the site's settings. Every key is optional; the commented ones show
# their default. An unknown key is an error. See "Configuration" in newsgen's README.

# The site's name, in the masthead, page titles and feeds.
title: {title}
# One sentence about the site, for search engines and feeds.
description: News from our newsroom.
# The address the site is served at: feeds, sitemaps and social cards need it.
base_url: https://news.example.com
# The language of the articles (an HTML lang code).
language: en
# The newsroom's time zone: dates written without an offset are in it.
timezone: UTC
# How dates are shown (strftime).
# date_format: "%B %-d, %Y"

# The menu, in order: a name, or {{key, title}}. Articles name their section by key,
# or by the folder under content/ they are in.
sections:
  - {{key: news, title: News}}

# How many stories the "Recent Posts" sidebar lists.
# recent_posts: 6
# How many related stories an article lists.
# related_posts: 3
# Stories per listing page (sections, tags, authors, archives).
# per_page: 10
# Length, in characters, of excerpts made from the body when there is no summary.
# excerpt_length: 160
# Where the site is written.
# output: public

# Page addresses, by kind of page.
# permalinks:
#   article: /{{section}}/{{slug}}/     # also {{year}}, {{month}}, {{day}}
#   page: /{{slug}}/
#   section: /{{section}}/
#   tag: /tags/{{tag}}/
#   tags: /tags/
#   author: /authors/{{author}}/
#   authors: /authors/
#   year: /{{year}}/
#   month: /{{year}}/{{month}}/

# The organisation named in search engine metadata (default: the title, the favicon).
# publisher:
#   name: {title}
#   logo: /favicon.svg
#   url: https://news.example.com

# Feeds: how many entries, the whole article or its excerpt, feeds per tag and author.
# feeds:
#   entries: 20
#   full_content: false
#   per_tag: false
#   per_author: false

# Images: resized copies at these widths, in these formats beside JPEG/PNG (see README).
# images:
#   enabled: true
#   widths: [200, 400, 800, 1200, 1600]
#   formats: [avif, webp]
#   quality: {{jpeg: 82, webp: 80, avif: 60}}

# A search page (made with Pagefind).
# search: true
# A notice about cookies on first visit.
# cookie_notice: true

# More Python-Markdown extensions (installed ones, by import name) and their settings.
# markdown:
#   extensions: [abbr, pymdownx.tilde]
#   extension_configs:
#     toc: {{permalink: true}}

# Plugins: modules in plugins/ (plugins/house_style.py is house_style) or installed
# packages (see docs/plugins.md).
# plugins: [house_style]
"""

AUTHORS = """\
# The newsroom's authors. Each key is what articles write in 'author:' (or a list
# under 'authors:'); every field is optional:
#   name: the name shown (default: the key)
#   bio: a sentence or two, on the author's page and under their articles
#   avatar: a picture, e.g. /images/authors/KEY.svg kept in static/images/authors/
#   links: label: address pairs, e.g. Email: mailto:someone@example.com
editor:
  name: The Editor
  bio: The editor writes about everything that matters to our readers.
  links:
    Email: mailto:editor@example.com
"""

ARTICLE = """\
---
title: "Welcome to {title}"
date: {date}
author: editor
tags: [Announcements]
summary: The first story of the new site, to show how an article is written.
image:
  src: /images/welcome.svg
  alt: A sunrise over the sea
  caption: Every article may have a lead picture.
  credit: The Editor
---
This is an article: a Markdown file under `content/`, in the folder of its section.
The block between the `---` lines at the top is its front matter: the title, the
date, the author, the tags, a summary and a lead picture.

Write the next one with `newsgen new "Your headline"`, then run `newsgen build`
and open `public/index.html`, or preview it with `newsgen serve`.
"""

ABOUT = """\
---
title: About
---
{title} is written by a small newsroom. Pages like this one live in
`content/pages/` and are not listed with the news.
"""

PICTURE = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675" width="1200" height="675">
  <rect width="1200" height="675" fill="#1d3557"/>
  <circle cx="600" cy="470" r="170" fill="#f4a261"/>
  <rect y="470" width="1200" height="205" fill="#457b9d"/>
  <path d="M0 520 Q300 490 600 520 T1200 520 V675 H0 Z" fill="#a8dadc" opacity=".6"/>
</svg>
"""

GITIGNORE = "/public/\n.newsgen-cache/\n"


def init_site(folder: Path, title: str = "", now: datetime | None = None) -> list[Path]:
    """Write a new site into ``folder`` (made if needed) and return the files written.

    A folder holding anything but hidden files (``.git``…) is refused, so nothing is
    ever overwritten.
    """
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise NewsgenError(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(not p.name.startswith(".") for p in folder.iterdir()):
        raise NewsgenError(
            f"refusing to create a site in {folder}: it is not empty (choose a new folder)"
        )
    title = title or folder.name.replace("-", " ").replace("_", " ").title() or "News"
    escaped = title.replace("\\", "\\\\").replace('"', '\\"')  # inside YAML quotes
    # A minute ago, so that the welcome story is published by a build started at once.
    moment = (now or datetime.now(timezone.utc)) - timedelta(minutes=1)
    files = {
        "newsgen.yaml": CONFIG.format(title=f'"{escaped}"'),
        "data/authors.yaml": AUTHORS,
        "content/news/welcome.md": ARTICLE.format(
            title=escaped,
            date=moment.replace(microsecond=0).isoformat(),
        ),
        "content/pages/about.md": ABOUT.format(title=title),
        "static/images/welcome.svg": PICTURE,
        ".gitignore": GITIGNORE,
    }
    written = []
    for relative, text in files.items():
        path = folder / relative
        if path.exists():  # a .gitignore already there
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (folder / "templates").mkdir(exist_ok=True)  # templates that override the theme's
    return written

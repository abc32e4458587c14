"""Content written for Jekyll and Hugo builds unchanged: file-name dates, ``_posts/``,
``permalink:``, ``layout:``, ``<!--more-->``, Liquid, Hugo shortcodes, page bundles,
``aliases:``/``redirect_from:`` redirect pages."""

from __future__ import annotations

import json
import logging

import pytest

from newsgen.errors import BuildFailed
from tests.links import broken_links, resolve

JEKYLL_POST = """---
title: Harbour reopens
categories: [news]
layout: post
---
The harbour reopened on Monday after {{ page.title }} talks.

<!--more-->

The rest of the story, with a [follow-up]({% post_url 2024-05-07-follow-up %}) and a
map at ![Map]({{ site.baseurl }}/images/map.png).

{% highlight python %}
print("{{ not liquid }}")
{% endhighlight %}

{% include signup.html %}
"""

HUGO_STORY = """---
title: The quay at dawn
date: 2024-05-08T06:00:00+02:00
image: photo.jpg
aliases: [/old/quay-at-dawn/, quay.html]
---
Fishermen at work before sunrise.

<!--more-->

![Nets on the quay](photo.jpg)

{{< figure src="photo.jpg" alt="Boats" caption="Boats at the \\"north\\" quay" >}}

{{< youtube w7Ft2ymGmfc >}}

Also read [the market story]({{< ref "posts/market.md" >}}) and [its notes]({{< relref "market#notes" >}}).

{{< tweet user="harbour" id="1234" >}}

Hugo docs write `{{</* figure src="x" */>}}` to show a shortcode.
"""


def test_a_jekyll_site_builds_unchanged(site, caplog):
    caplog.set_level(logging.WARNING)
    site.write("content/_posts/2024-05-06-harbour-reopens.md", JEKYLL_POST)
    site.photo("static/images/map.png", 60, 40)
    site.write(
        "content/news/_posts/2024-05-07-follow-up.md",
        "---\ntitle: Follow-up\npermalink: /:categories/:year/:month/:day/:title.html\n"
        "redirect_from:\n  - /2024/05/07/follow-up.html\n  - /old-follow-up\n---\nMore.\n",
    )
    site.write("content/_posts/2024-05-08-no-category.md", "---\ntitle: Loose post\n---\nText.\n")
    site.write(
        "content/about.md", "---\ntitle: About\nlayout: page\npermalink: /about/\n---\nUs.\n"
    )
    site.build()
    output = site.output

    page = site.html("news/harbour-reopens/index.html")  # slug from the file name
    assert page.xpath("//time/@datetime")[0].startswith("2024-05-06T00:00:00")
    body = page.xpath("//div[@class='article-body']")[0]
    assert body.xpath(".//a/@href") == ["/news/2024/05/07/follow-up.html"]
    (src,) = body.xpath(".//img/@src")  # a size of /images/map.png (see test_images.py)
    assert src.startswith("/images/map.") and src.endswith(".png")
    assert body.xpath("string(.//pre/code)").strip() == 'print("{{ not liquid }}")'
    assert "language-python" in body.xpath(".//pre/code/@class")[0]
    assert body.xpath(".//code[@class='unrendered']/text()") == ["{% include signup.html %}"]
    assert "Harbour reopens talks" in body.xpath("string(.)")  # {{ page.title }}
    html = (output / "news" / "harbour-reopens" / "index.html").read_text()
    assert "<!--more-->" not in html and "{%" not in html.replace("{% include", "")
    # the excerpt (cards, feeds) ends at <!--more-->
    feed = json.loads((output / "feed.json").read_text())
    entry = next(i for i in feed["items"] if i["title"] == "Harbour reopens")
    assert entry["summary"] == "The harbour reopened on Monday after Harbour reopens talks."

    assert (output / "news" / "2024" / "05" / "07" / "follow-up.html").is_file()
    assert resolve(output, "/posts/no-category/") is not None  # _posts without a category
    assert site.html("about/index.html").xpath("//h1/text()") == ["About"]
    assert broken_links(output) == []
    for old in ("/2024/05/07/follow-up.html", "/old-follow-up/"):
        redirect = site.html(resolve(output, old).relative_to(output).as_posix())
        assert redirect.xpath('//link[@rel="canonical"]/@href') == [
            "https://test.example/news/2024/05/07/follow-up.html"
        ]
    rules = (output / "_redirects").read_text().splitlines()
    assert "/old-follow-up/ /news/2024/05/07/follow-up.html 301" in rules
    warnings = [r.getMessage() for r in caplog.records]
    assert (
        "content/_posts/2024-05-06-harbour-reopens.md:17: Liquid tag 'include' is not supported; left as text"
        in warnings
    )


def test_a_hugo_site_builds_unchanged(site, caplog):
    caplog.set_level(logging.WARNING)
    site.write("content/posts/quay-at-dawn/index.md", HUGO_STORY)
    photo = site.photo("content/posts/quay-at-dawn/photo.jpg", 300, 200)
    site.write("content/posts/quay-at-dawn/notes/credits.txt", "Photo: the desk")
    site.write(
        "content/posts/market.md",
        "---\ntitle: Market day\ndate: 2024-05-07\nurl: /market-day/\n---\n## Notes\n\nText.\n",
    )
    site.build()
    output = site.output

    assert (output / "posts" / "quay-at-dawn" / "photo.jpg").read_bytes() == photo.read_bytes()
    assert (output / "posts" / "quay-at-dawn" / "notes" / "credits.txt").is_file()
    page = site.html("posts/quay-at-dawn/index.html")
    body = page.xpath("//div[@class='article-body']")[0]
    sources = body.xpath(".//img/@src")  # sizes of the bundle's photo.jpg
    assert len(sources) == 2 and all(s.startswith("/posts/quay-at-dawn/photo.") for s in sources)
    figure = body.xpath(".//figure")[0]
    assert figure.xpath("string(figcaption)") == 'Boats at the "north" quay'
    assert body.xpath(".//iframe/@src") == ["https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc"]
    assert body.xpath(".//a/@href") == ["/market-day/", "/market-day/#notes"]
    assert body.xpath(".//code[@class='unrendered']/text()") == [
        '{{< tweet user="harbour" id="1234" >}}'
    ]
    assert '{{< figure src="x" >}}' in body.xpath(".//code/text()")
    shares = page.xpath('//meta[@property="og:image"]/@content')
    assert shares and all(
        s.startswith("https://test.example/posts/quay-at-dawn/photo.") for s in shares
    )
    card = site.html("index.html").xpath("//img[@class='card-image']/@src")
    assert len(card) == 1 and card[0].startswith("/posts/quay-at-dawn/photo.")
    feed = json.loads((output / "feed.json").read_text())
    entry = next(i for i in feed["items"] if i["title"] == "The quay at dawn")
    assert entry["image"] == "https://test.example/posts/quay-at-dawn/photo.jpg"
    assert entry["summary"] == "Fishermen at work before sunrise."
    assert broken_links(output) == []
    for old in ("/old/quay-at-dawn/", "/posts/quay.html"):  # a relative alias is beside the page
        target = site.html(resolve(output, old).relative_to(output).as_posix())
        assert target.xpath("//a/@href") == ["https://test.example/posts/quay-at-dawn/"]
    warnings = [r.getMessage() for r in caplog.records]
    assert (
        "content/posts/quay-at-dawn/index.md:19: Hugo shortcode 'tweet' is not supported; left as text"
        in warnings
    )


def test_problems_name_their_source_and_line(site):
    site.write(
        "content/posts/a.md",
        '---\ntitle: A\ndate: 2024-05-01\n---\n\nSee {{< ref "nowhere.md" >}}.\n',
    )
    site.write(
        "content/posts/b.md",
        "---\ntitle: B\ndate: 2024-05-02\naliases: [/posts/c/]\n---\nB.\n",
    )
    site.write("content/posts/c.md", "---\ntitle: C\ndate: 2024-05-03\n---\nC.\n")
    site.write(
        "content/posts/d.md", "---\ntitle: D\ndate: 2024-05-04\npermalink: /:author/d/\n---\nD.\n"
    )
    for name in ("e", "f"):
        site.write(
            f"content/posts/{name}.md",
            f"---\ntitle: {name}\ndate: 2024-05-05\npermalink: /same/\n---\n",
        )
    site.write(
        "content/posts/g.md",
        '---\ntitle: G\ndate: 2024-05-06\nredirect_from: ["/g\\0/", /g%0A/]\n---\nG.\n',
    )
    with pytest.raises(BuildFailed) as failure:
        site.build()
    message = str(failure.value)
    control = "an alias must not hold control characters, written or percent-encoded"
    assert message.count(f"content/posts/g.md:4: {control}") == 2
    assert "content/posts/f.md: URL /same/ is also produced by content/posts/e.md" in message
    assert "content/posts/a.md:6: ref 'nowhere.md' names no article or page" in message
    assert "content/posts/d.md:4: 'permalink': unknown placeholder :author" in message
    site.write("content/posts/a.md", "---\ntitle: A\ndate: 2024-05-01\n---\nA.\n")
    site.write("content/posts/d.md", "---\ntitle: D\ndate: 2024-05-04\n---\nD.\n")
    site.write("content/posts/f.md", "---\ntitle: F\ndate: 2024-05-05\n---\nF.\n")
    site.write("content/posts/g.md", "---\ntitle: G\ndate: 2024-05-06\n---\nG.\n")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert str(failure.value).splitlines()[0] == (
        "content/posts/b.md: the redirect from /posts/c/ would replace the page of content/posts/c.md"
    )
    assert not site.output.exists()


def test_layout_picks_a_template_or_warns(site, caplog):
    caplog.set_level(logging.WARNING)
    site.write(
        "templates/feature.html",
        '{% extends "article.html" %}{% block title %}FEATURE {{ article.title }}{% endblock %}',
    )
    site.article("news/long-read.md", "Long read", "2024-05-01", layout="feature")
    site.article("news/gallery.md", "Gallery", "2024-05-02", layout="photo-gallery")
    site.article("news/plain.md", "Plain", "2024-05-03", layout="post")
    site.build()
    assert (
        site.html("news/long-read/index.html")
        .xpath("//title/text()")[0]
        .startswith("FEATURE Long read")
    )
    assert site.html("news/gallery/index.html").xpath("//h1/text()") == ["Gallery"]
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == [
        "content/news/gallery.md: layout 'photo-gallery' has no template templates/photo-gallery.html; "
        "article.html is used"
    ]

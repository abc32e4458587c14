"""Generated WordPress exports for tests that need many items (a large export)."""

from __future__ import annotations

from pathlib import Path

_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Generated Daily</title>
<link>https://daily.example.com</link>
<language>en</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://daily.example.com</wp:base_site_url>
<wp:base_blog_url>https://daily.example.com</wp:base_blog_url>
<wp:author><wp:author_login>desk</wp:author_login><wp:author_display_name>News Desk</wp:author_display_name></wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>news</wp:category_nicename><wp:cat_name>News</wp:cat_name></wp:category>
"""
_ITEM = """<item>
<title>Story number {n}</title>
<link>https://daily.example.com/{year}/{month:02d}/story-{n}/</link>
<dc:creator>desk</dc:creator>
<guid isPermaLink="false">https://daily.example.com/?p={n}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{n}</wp:post_id>
<wp:post_date>{year}-{month:02d}-{day:02d} 10:00:00</wp:post_date>
<wp:post_date_gmt>{year}-{month:02d}-{day:02d} 09:00:00</wp:post_date_gmt>
<wp:post_name>story-{n}</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category>
{comments}</item>
"""
_COMMENT = """<wp:comment><wp:comment_id>{n}</wp:comment_id><wp:comment_author><![CDATA[Reader {n}]]></wp:comment_author>
<wp:comment_content><![CDATA[{text}]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>
"""


def write_large_export(path: Path, stories: int, paragraphs: int, comments: int = 0) -> None:
    """An export of ``stories`` posts of ``paragraphs`` paragraphs and ``comments``
    reader comments each (the bulk of a real news site's export), written as a stream."""
    paragraph = (
        "The harbour authority published its quarterly figures on Monday, showing "
        "container volumes up on the year and ferry traffic steady. "
    ) * 3
    with path.open("w", encoding="utf-8") as out:
        out.write(_HEAD)
        for n in range(1, stories + 1):
            body = "\n\n".join(f"{paragraph}Paragraph {k} of story {n}." for k in range(paragraphs))
            month, day = n % 12 + 1, n % 28 + 1
            thread = "".join(
                _COMMENT.format(n=n * 1000 + c, text=paragraph * 3) for c in range(comments)
            )
            out.write(
                _ITEM.format(
                    n=n, year=2000 + n % 20, month=month, day=day, body=body, comments=thread
                )
            )
        out.write("</channel>\n</rss>\n")

"""Images as a news site serves them: derivatives, markup per role, share crops, the
image cache, and bad images reported as ``path:line`` errors."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from urllib.parse import unquote

import pytest
from PIL import Image, ImageCms, features

from newsgen.errors import BuildFailed

from ..conftest import NOW

BASE = "https://test.example"
WIDTHS = [100, 200, 400]
AVIF = features.check("avif")
MODERN = ["image/avif", "image/webp"] if AVIF else ["image/webp"]


def _config(site, **images) -> None:
    site.config(
        {
            "title": "Test Times",
            "base_url": BASE,
            "timezone": "UTC",
            "recent_posts": 3,
            "images": {"widths": WIDTHS, **images},
        }
    )


def _story(site, name: str = "a", hours: int = 1, body: str = "Text.", **fields) -> Path:
    fields.setdefault("author", "jo")
    date = NOW.replace(hour=NOW.hour - hours).isoformat()
    return site.article(f"world/{name}.md", f"Story {name}", date, body, slug=name, **fields)


def _lead_site(site) -> None:
    """Three stories with a 900x600 lead photo, one with a body photo, an avatar."""
    _config(site)
    site.photo("static/images/lead.jpg", 900, 600)
    site.photo("static/images/body.png", 300, 150)
    site.photo("static/images/jo.jpg", 300, 200)
    site.authors({"jo": {"name": "Jo Writer", "bio": "Reporter.", "avatar": "/images/jo.jpg"}})
    lead = {"src": "/images/lead.jpg", "alt": "The quay at dawn", "credit": "Ann Lens"}
    _story(site, "a", 1, "Intro.\n\n![A chart of volumes](/images/body.png)\n", image=lead)
    _story(site, "b", 2, image=lead)
    _story(site, "c", 3, image=lead)


def _lead(site):
    return site.html("world/a/index.html").xpath("//figure//img")[0]


def _line(path: Path, text: str) -> int:
    """The line of ``path`` where ``text`` first appears."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _files(output: Path, url_list: list[str]) -> list[Path]:
    return [output / unquote(url.lstrip("/")) for url in url_list]


def _srcset(element) -> list[tuple[str, int]]:
    pairs = [c.strip().rsplit(" ", 1) for c in element.get("srcset").split(",")]
    return [(url, int(width.rstrip("w"))) for url, width in pairs]


def _check_candidates(output: Path, element, mime: str, ratio: float) -> list[int]:
    """Each candidate of ``element``'s srcset exists, is ``mime``, as wide as it says
    and of the source's shape; returns the widths."""
    widths = []
    for url, width in _srcset(element):
        with Image.open(output / unquote(url.lstrip("/"))) as image:
            assert Image.MIME[image.format] == mime
            assert image.width == width
            assert abs(image.height - width / ratio) <= 1
        widths.append(width)
    return widths


def test_lead_image_is_a_picture_of_every_width_and_format_fetched_first(site):
    _lead_site(site)
    site.build()
    page = site.html("world/a/index.html")
    picture = page.xpath("//figure[@class='lead-image']/picture")[0]
    sources = picture.xpath(".//source")  # libxml2 nests the void <source>s
    assert [s.get("type") for s in sources] == MODERN
    img = picture.xpath(".//img")[0]
    for source in sources:
        widths = _check_candidates(site.output, source, source.get("type"), 1.5)
        assert widths == WIDTHS
        assert source.get("sizes") == img.get("sizes")
    assert _check_candidates(site.output, img, "image/jpeg", 1.5) == WIDTHS
    assert (img.get("width"), img.get("height")) == ("900", "600")
    assert img.get("alt") == "The quay at dawn"
    assert img.get("fetchpriority") == "high" and img.get("loading") is None
    assert "(max-width: 60rem)" in img.get("sizes")
    assert img.get("src") in [url for url, _ in _srcset(img)]


def test_body_card_sidebar_and_avatar_images_get_their_own_sizes(site):
    _lead_site(site)
    site.build()
    page = site.html("world/a/index.html")
    body = page.xpath("//div[contains(@class,'article-body')]//img")[0]
    assert body.get("alt") == "A chart of volumes"
    assert (body.get("width"), body.get("height")) == ("300", "150")
    assert body.get("loading") == "lazy" and body.get("decoding") == "async"
    # 300 px wide: the widths below it, then its own; nothing enlarged
    assert _check_candidates(site.output, body, "image/png", 2.0) == [100, 200, 300]
    avatar = page.xpath("//section[@class='author-box']//img")[0]
    assert (avatar.get("width"), avatar.get("height")) == ("64", "64")
    assert avatar.get("sizes") == "64px" and avatar.get("loading") == "lazy"
    assert _check_candidates(site.output, avatar, "image/jpeg", 1.0) == [96, 192]
    sidebar = page.xpath("//aside[contains(@class,'sidebar')]//img")
    assert len(sidebar) == 2  # the other two stories; this one is left out
    assert all(i.get("loading") == "lazy" and i.get("sizes") == "5.5rem" for i in sidebar)
    home = site.html("index.html")
    cards = home.xpath("//img[contains(@class,'card-image')]")
    assert len(cards) == 3
    assert cards[0].get("fetchpriority") == "high" and cards[0].get("loading") is None
    assert all(c.get("loading") == "lazy" for c in cards[1:])
    assert cards[0].get("sizes") != cards[1].get("sizes")
    for img in [*cards, *sidebar]:
        assert (img.get("width"), img.get("height")) == ("900", "600")
        assert img.xpath("ancestor::picture")
    profile = site.html("authors/jo/index.html").xpath("//div[@class='author-profile']//img")[0]
    assert profile.get("width") == "96" and profile.get("loading") is None


def test_share_images_are_crops_around_the_focal_point_with_their_sizes(site):
    _config(site)
    image = Image.new("RGB", (2400, 1200), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 600, 1200))  # the left quarter is red
    site.write("static/images/wide.png", _encoded(image, "PNG"))
    lead = {"src": "/images/wide.png", "alt": "Wide", "focus": [0.1, 0.5]}
    _story(site, "a", image=lead)
    site.build()
    page = site.html("world/a/index.html")
    urls = page.xpath("//meta[@property='og:image']/@content")
    widths = page.xpath("//meta[@property='og:image:width']/@content")
    heights = page.xpath("//meta[@property='og:image:height']/@content")
    assert list(zip(widths, heights, strict=True)) == [
        ("1200", "675"), ("1200", "900"), ("1200", "1200"),
    ]  # fmt: skip
    for url, width, height in zip(urls, widths, heights, strict=True):
        assert url.startswith(BASE + "/images/wide.")
        with Image.open(site.output / url.removeprefix(BASE + "/")) as crop:
            assert crop.size == (int(width), int(height)) and crop.format == "PNG"
            # kept around the focus: the red quarter is on the left of every crop
            assert crop.convert("RGB").getpixel((5, crop.height // 2))[0] > 200
    square = Image.open(site.output / urls[2].removeprefix(BASE + "/")).convert("RGB")
    assert square.getpixel((1195, 600))[2] > 200  # and the crop reaches into the blue


def test_exif_orientation_is_applied_and_only_credits_and_profile_are_kept(site):
    _config(site)
    image = Image.new("RGB", (400, 200), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 200, 200))  # stored: red left half, blue right half
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90° clockwise: red on top
    exif[0x013B] = "Ann Lens"
    exif[0x8298] = "(c) Harbour Agency"
    exif[0x010F] = "CamCo"
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 1.0)}  # a GPS position
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    site.write("static/images/turned.jpg", _encoded(image, "JPEG", exif=exif, icc_profile=profile))
    _story(site, "a", image={"src": "/images/turned.jpg", "alt": "Turned"})
    site.build()
    img = site.html("world/a/index.html").xpath("//figure//img")[0]
    assert (img.get("width"), img.get("height")) == ("200", "400")
    for url, _ in _srcset(img) + _srcset(img.xpath("ancestor::picture//source")[0]):
        with Image.open(site.output / url.lstrip("/")) as made:
            made_exif = made.getexif()
            assert made.height == 2 * made.width
            rgb = made.convert("RGB")
            assert rgb.getpixel((made.width // 2, 2))[0] > 180  # red on top
            assert rgb.getpixel((made.width // 2, made.height - 3))[2] > 180
            assert made_exif.get(0x013B) == "Ann Lens"
            assert made_exif.get(0x8298) == "(c) Harbour Agency"
            assert 0x010F not in made_exif and 0x0112 not in made_exif
            assert not made_exif.get_ifd(0x8825)
            assert made.info.get("icc_profile") == profile


def test_page_bundle_images_are_published_beside_the_story(site):
    _config(site)
    site.photo("content/world/bundle/photo.jpg", 500, 250)
    site.write("content/world/bundle/map.svg", SVG)
    site.write("content/world/bundle/loop.gif", _encoded(Image.new("P", (30, 20)), "GIF"))
    body = "![Photo](photo.jpg)\n\n![Map](map.svg)\n\n![Loop](loop.gif)\n\nText.\n"
    site.article("world/bundle/index.md", "Bundle", "2026-11-27", body, slug="bundle")
    site.build()
    page = site.html("world/bundle/index.html")
    photo, svg, gif = page.xpath("//div[contains(@class,'article-body')]//img")
    assert all(url.startswith("/world/bundle/photo.") for url, _ in _srcset(photo))
    assert photo.get("loading") is None  # no lead image: the first one is at the top
    assert _check_candidates(site.output, photo, "image/jpeg", 2.0) == WIDTHS
    original = (site.root / "content/world/bundle/photo.jpg").read_bytes()
    assert (site.output / "world/bundle/photo.jpg").read_bytes() == original  # as bundled
    assert (svg.get("src"), svg.get("width"), svg.get("height")) == (
        "/world/bundle/map.svg",
        "120",
        "80",
    )
    assert (gif.get("src"), gif.get("width"), gif.get("height")) == (
        "/world/bundle/loop.gif",
        "30",
        "20",
    )
    assert svg.get("srcset") is None and not svg.xpath("ancestor::picture")
    assert (site.output / "world/bundle/map.svg").read_text() == SVG  # untouched
    assert (site.output / "world/bundle/loop.gif").read_bytes() == (
        site.root / "content/world/bundle/loop.gif"
    ).read_bytes()


def test_unchanged_images_are_not_made_again_and_removed_ones_leave_the_output(site):
    _lead_site(site)
    site.build()
    store = site.root / ".newsgen-cache" / "images" / "files"
    made = {p.name: p.stat().st_mtime_ns for p in store.iterdir()}
    published = {p for p in site.output.rglob("*") if ".jpg" in p.name or ".png" in p.name}
    report = site.build()
    assert report.written == 0
    assert {p.name: p.stat().st_mtime_ns for p in store.iterdir()} == made
    # the output lost its copies (a fresh deploy folder): published again, not made again
    for path in published:
        path.unlink()
    report = site.build()
    assert report.written == len(published)
    assert {p.name: p.stat().st_mtime_ns for p in store.iterdir()} == made
    # a new JPEG quality publishes the JPEGs under new names; the old ones leave the output
    old = _files(site.output, [u for u, _ in _srcset(_lead(site))])
    _config(site, quality={"jpeg": 50})
    site.build()
    new = _files(site.output, [u for u, _ in _srcset(_lead(site))])
    assert all(path.exists() for path in new) and not any(path.exists() for path in old)
    assert [p.name.split(".")[1] for p in new] == [p.name.split(".")[1] for p in old]
    assert not {p.name for p in new} & {p.name for p in old}
    # a story dropping its only use of an image drops its derivatives, here and cached
    kept = len(list(store.iterdir()))
    _story(site, "a", 1, "Intro.\n", image={"src": "/images/lead.jpg", "alt": "The quay"})
    site.build()
    assert not [p for p in site.output.rglob("body.*") if p.name != "body.png"]
    assert (
        len(list(store.iterdir())) == kept - len(WIDTHS[:2]) * (len(MODERN) + 1) - len(MODERN) - 1
    )


def test_a_replaced_image_gets_new_files_and_pages_showing_it_are_rendered_again(site):
    _lead_site(site)
    site.build()
    before = site.html("index.html").xpath("//img[contains(@class,'card-image')]/@src")[0]
    site.photo("static/images/lead.jpg", 600, 600)  # same name, new picture
    os.utime(site.root / "static/images/lead.jpg", (1, 1))  # a copied file with an old date
    site.build()
    card = site.html("index.html").xpath("//img[contains(@class,'card-image')]")[0]
    assert card.get("src") != before and (card.get("width"), card.get("height")) == ("600", "600")
    assert not (site.output / before.lstrip("/")).exists()
    assert (site.output / card.get("src").lstrip("/")).exists()


def test_bad_images_are_errors_naming_the_story_and_line(site, monkeypatch):
    """Unreadable, truncated and over-large files stop the build; missing ones warn."""
    _config(site)
    _story(site, "good", image={"src": "/images/fine.jpg", "alt": "Fine"})
    site.photo("static/images/fine.jpg", 300, 200)
    site.build()
    before = {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    whole = _encoded(Image.new("RGB", (300, 200), (9, 99, 199)), "JPEG")
    site.write("static/images/truncated.jpg", whole[: len(whole) // 2])
    site.write("static/images/text.png", b"this is not a picture")
    site.photo("static/images/huge.png", 400, 400)
    site.photo("outside.png", 40, 40)  # beside newsgen.yaml: not a file of the site
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)  # 160,000 pixels is a bomb now
    body = (
        "One.\n\n![Gone](/images/missing.jpg)\n\nTwo.\n\n![Text](/images/text.png)\n\n"
        "![Huge](/images/huge.png)\n\n![Out](../../../outside.png)\n"
    )
    source = _story(site, "bad", 2, body, image={"src": "/images/truncated.jpg", "alt": "Half"})
    with pytest.raises(BuildFailed) as failure:
        site.build()
    lines = str(failure.value).splitlines()
    where = {name: _line(source, name) for name in ("image:", "Gone", "Text", "Huge", "Out")}
    assert lines == [
        f"content/world/bad.md:{where['image:']}: image '/images/truncated.jpg': "
        "the file is truncated",
        f"content/world/bad.md:{where['Text']}: image '/images/text.png': "
        "not an image newsgen can read (unknown or damaged format)",
        f"content/world/bad.md:{where['Huge']}: image '/images/huge.png': "
        "too many pixels to decode safely (limit 100,000); is it a decompression bomb?",
        "build failed: 3 errors",
    ]
    assert where["Text"] > where["image:"] + 4  # the body's own lines, not the front matter's
    after = {p: p.read_bytes() for p in site.output.rglob("*") if p.is_file()}
    assert after == before
    # a missing file (even outside the site) is a warning, as for any broken link
    site.write("static/images/text.png", _encoded(Image.new("RGB", (9, 9)), "PNG"))
    site.photo("static/images/huge.png", 40, 40)
    site.photo("static/images/truncated.jpg", 40, 40)
    report = site.build()
    assert [(w.line, w.message) for w in report.warnings if "not a file" in w.message] == [
        (where["Gone"], "image '/images/missing.jpg' is not a file of the site"),
        (where["Out"], "image '../../../outside.png' is not a file of the site"),
    ]


_LONG = "a" * 300 + ".jpg"


@pytest.mark.parametrize(
    ("avatar", "src", "avatar_shown", "problem"),
    [
        # the file system refuses to look the name up (ENAMETOOLONG)
        ("b" + _LONG, f"/images/{_LONG}", "b" + _LONG,
         "cannot be looked up: File name too long (ENAMETOOLONG)"),
        # a NUL, written in YAML or as %00, names no file
        ("jo\0.jpg", "/images/a%00b.jpg", "jo\\x00.jpg",
         "not a file address: it holds a NUL character"),
    ],
)  # fmt: skip
def test_an_image_name_no_file_can_have_is_an_error_at_its_line(
    site, avatar: str, src: str, avatar_shown: str, problem: str
) -> None:
    _config(site)
    site.photo("static/images/fine.jpg", 40, 40)
    site.authors({"jo": {"name": "Jo Writer", "avatar": avatar}})
    source = _story(site, "bad-name", 1, f"Text.\n\n![Named]({src})\n")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    authors = site.root / "data" / "authors.yaml"
    assert str(failure.value).splitlines() == [
        f"content/world/bad-name.md:{_line(source, 'Named')}: image '{src}': {problem}",
        f"data/authors.yaml:{_line(authors, 'avatar')}: image '{avatar_shown}': {problem}",
        "build failed: 2 errors",
    ]


def test_a_truncated_image_alone_fails_the_build_after_rendering(site):
    _config(site)
    whole = _encoded(Image.new("RGB", (300, 200), (9, 99, 199)), "JPEG")
    site.write("static/images/truncated.jpg", whole[: len(whole) // 2])
    source = _story(site, "bad", image={"src": "/images/truncated.jpg", "alt": "Half"})
    with pytest.raises(BuildFailed) as failure:
        site.build(jobs=2)
    assert str(failure.value).splitlines()[0] == (
        f"content/world/bad.md:{_line(source, 'image:')}: image '/images/truncated.jpg': "
        "the file is truncated"
    )
    assert not site.output.exists()


def test_images_without_alt_text_are_warned_about_with_their_line(site):
    _config(site)
    site.photo("static/images/p.jpg", 300, 200)
    source = _story(site, "a", body="Text.\n\n![](/images/p.jpg)\n", image={"src": "/images/p.jpg"})
    report = site.build()
    warnings = [str(w) for w in report.warnings if "alt text" in str(w)]
    message = "image '/images/p.jpg' has no alt text; describe it for readers who cannot see it"
    assert warnings == [
        f"content/world/a.md:{_line(source, 'image:')}: {message}",
        f"content/world/a.md:{_line(source, '![](')}: {message}",
    ]


def test_disabled_images_are_published_as_they_are_with_their_size(site):
    _config(site, enabled=False)
    site.photo("static/images/p.jpg", 300, 200)
    _story(
        site, "a", body="![P](/images/p.jpg)\n\nText.\n", image={"src": "/images/p.jpg", "alt": "P"}
    )
    site.build()
    page = site.html("world/a/index.html")
    for img in page.xpath("//main//img"):
        assert (img.get("src"), img.get("width"), img.get("height")) == (
            "/images/p.jpg",
            "300",
            "200",
        )
        assert img.get("srcset") is None
    assert page.xpath("//meta[@property='og:image']/@content") == [f"{BASE}/images/p.jpg"]
    assert [p.name for p in site.output.rglob("p.*")] == ["p.jpg"]


def test_image_settings_are_checked(site):
    site.config({"images": {"widths": [0, "big"], "formats": ["gif"], "quality": 200, "sizes": 1}})
    with pytest.raises(BuildFailed) as failure:
        site.build()
    text = str(failure.value)
    for line, part in (
        (2, "'images.widths' must be a list of whole numbers from 16 to 8192, not a list"),
        (5, "'images.formats' must be a list of avif and webp (or []), not a list"),
        (7, "'images.quality' must be 1-100, or a mapping of jpeg, webp, avif to 1-100, not 200"),
        (8, "unknown key 'images.sizes' (known: enabled, formats, quality, widths)"),
    ):
        assert f"newsgen.yaml:{line}: {part}" in text


def test_full_content_feeds_carry_absolute_image_candidates(site):
    _lead_site(site)
    site.config({**_base(), "feeds": {"full_content": True}, "images": {"widths": WIDTHS}})
    site.build()
    feed = (site.output / "feed.json").read_text(encoding="utf-8")
    item = next(i for i in json.loads(feed)["items"] if i["url"].endswith("/world/a/"))
    content = item["content_html"]
    srcsets = [part.split('"')[0] for part in content.split('srcset="')[1:]]
    assert srcsets and all(
        url.startswith(BASE + "/images/body.")
        for srcset in srcsets
        for url in (c.strip().split(" ")[0] for c in srcset.split(","))
    )


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="9" height="9"/></svg>'


def _base() -> dict:
    return {"title": "Test Times", "base_url": BASE, "timezone": "UTC"}


def _encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()

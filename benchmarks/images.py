"""Image derivatives at newsroom scale, and what a reader's phone downloads.

1. Generates ``--photos`` camera-sized JPEGs (4000x3000, colour fields with sensor-like
   noise: 3-5 MB each, like a photographer's delivery) and a site with one story per
   photo as its lead image.
2. ``pillow pass``: a plain Pillow script makes the same files newsgen makes (every
   width x format, the three share crops), one photo after another: open, turn upright,
   cut, resize, save. The target: a cold newsgen build takes less than two such passes.
3. ``cold``: newsgen builds the site with no cache and an empty output folder.
4. ``noop``: newsgen rebuilds with nothing changed; the time spent in the image step
   (finding, checking and staging images) is reported apart. Target: under 0.2 s.
   ``edit``: the same after one story's text changed (every image is looked at again).
5. ``phone``: the example site's photo story in Chromium at 390x844 (and 1280x900),
   with images processed and with ``images: {enabled: false}`` (the originals, as
   newsgen served them before); image bytes transferred once the page has loaded.
   Target: processed is under a third of the originals.

    PYTHONPATH=src python benchmarks/images.py [--photos 100] [--jobs 0] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import tempfile
import threading
import time
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image, ImageOps

from newsgen import build as build_module
from newsgen.build import BuildOptions, build_site
from newsgen.output.images import pipeline
from newsgen.output.images.derivatives import plan_image
from newsgen.sources.config import load_config
from newsgen.sources.images.probe import probe

REPO = Path(__file__).resolve().parents[1]
SIZE = (4000, 3000)
STORY = "/business/container-volumes-record/"
CHROMIUM = "/usr/bin/chromium"


def make_photo(path: Path, seed: int) -> None:
    """A 12-megapixel JPEG: smooth colour regions under fine noise, at quality 92."""
    rng = random.Random(seed)
    field = Image.new("RGB", (16, 12))
    field.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(16 * 12)])
    base = field.resize(SIZE, Image.Resampling.BICUBIC)
    noise = Image.effect_noise(SIZE, 24 + seed % 16).convert("RGB")
    Image.blend(base, noise, 0.18).save(path, quality=92)


def make_site(root: Path, photos: list[Path]) -> None:
    (root / "static" / "images").mkdir(parents=True, exist_ok=True)
    (root / "content" / "world").mkdir(parents=True, exist_ok=True)
    (root / "newsgen.yaml").write_text(
        "title: Photo Desk\nbase_url: https://photos.example\nsearch: false\n"
    )
    for number, photo in enumerate(photos):
        target = root / "static" / "images" / photo.name
        if not target.exists():
            os.link(photo, target)
        (root / "content" / "world" / f"story-{number}.md").write_text(
            f"---\ntitle: Story {number}\ndate: 2026-01-01T{number % 24:02d}:00:00Z\n"
            f"slug: story-{number}\nimage:\n  src: /images/{photo.name}\n"
            f"  alt: Photo {number}\n---\nA story about photo {number}.\n"
        )


def pillow_pass(root: Path, photos: list[Path], out: Path) -> float:
    """Seconds a plain, one-process Pillow script takes to make newsgen's files."""
    settings = load_config(root).images
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for photo in photos:
        info = probe(photo)
        plan = plan_image(f"/images/{photo.name}", photo.name, info, settings, share=True)
        with Image.open(photo) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
        for made in plan.derivatives:
            picture = upright.crop(made.box) if made.box else upright
            picture = picture.resize((made.width, made.height), Image.Resampling.LANCZOS)
            options: dict = {"quality": made.quality}
            if made.format == "jpeg":
                options.update(progressive=True, optimize=True)
            elif made.format == "avif":
                options.update(speed=8)
            picture.save(out / made.file_name, made.format.upper(), **options)
    return time.perf_counter() - started


@contextmanager
def image_step_timer():
    """Adds up the time the build spends in the image step, by wrapping its two calls."""
    spent = [0.0]
    prepare, finish = build_module.prepare_images, pipeline.DerivativeJob.finish

    def timed(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        return wrapper

    build_module.prepare_images = timed(prepare)
    pipeline.DerivativeJob.finish = timed(finish)
    try:
        yield spent
    finally:
        build_module.prepare_images = prepare
        pipeline.DerivativeJob.finish = finish


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


def page_image_bytes(output: Path, width: int, height: int) -> tuple[int, list[str]]:
    """Image bytes Chromium transfers for the photo story, and the files fetched."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": width, "height": height})
            fetched: list = []
            page.on("requestfinished", lambda request: fetched.append(request))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}{STORY}", wait_until="load")
            page.wait_for_timeout(500)
            images = [r for r in fetched if r.resource_type == "image"]
            total = sum(r.sizes()["responseBodySize"] for r in images)
            names = [r.url.rsplit("/", 1)[-1] for r in images]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return total, names


def example_output(workdir: Path, enabled: bool) -> Path:
    root = workdir / ("example-processed" if enabled else "example-originals")
    shutil.rmtree(root, ignore_errors=True)
    for name in ("content", "data", "static/images"):  # static/images: the example's own
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "newsgen.yaml").read_text()
    if not enabled:
        config += "images: {enabled: false}\n"
    (root / "newsgen.yaml").write_text(config + "search: false\n")
    build_site(load_config(root), BuildOptions())
    return root / "public"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=0, help="newsgen processes (0: all cores)")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsgen-images"
    )
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    work = args.workdir
    folder = work / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    photos = [folder / f"photo-{n:03d}.jpg" for n in range(args.photos)]
    for number, photo in enumerate(photos):
        if not photo.exists():
            make_photo(photo, number)
    megabytes = sum(p.stat().st_size for p in photos) / 1e6
    print(
        f"{len(photos)} photos of {SIZE[0]}x{SIZE[1]}, {megabytes:.0f} MB, {os.cpu_count()} cores"
    )

    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    make_site(site, photos)
    shutil.rmtree(work / "pillow", ignore_errors=True)
    plain = pillow_pass(site, photos, work / "pillow")
    files = len(list((work / "pillow").iterdir()))
    print(f"pillow pass: {plain:7.2f} s for {files} files (two passes: {2 * plain:.2f} s)")

    options = BuildOptions(jobs=args.jobs)
    started = time.perf_counter()
    report = build_site(load_config(site), options)
    cold = time.perf_counter() - started
    verdict = "met" if cold < 2 * plain else "NOT met"
    print(
        f"newsgen cold: {cold:7.2f} s, {report.written} files written "
        f"({cold / plain:.2f} of one pass; target < 2 passes: {verdict})"
    )
    with image_step_timer() as spent:
        started = time.perf_counter()
        report = build_site(load_config(site), options)
        noop = time.perf_counter() - started
    verdict = "met" if spent[0] < 0.2 else "NOT met"
    print(
        f"newsgen noop: {noop:7.2f} s, {report.written} files written, image step "
        f"{spent[0]:.3f} s (target < 0.2 s: {verdict})"
    )
    story = site / "content" / "world" / "story-0.md"
    story.write_text(story.read_text() + "\nA correction.\n")
    with image_step_timer() as spent:
        started = time.perf_counter()
        report = build_site(load_config(site), options)
        edit = time.perf_counter() - started
    verdict = "met" if spent[0] < 0.2 else "NOT met"
    print(
        f"newsgen edit: {edit:7.2f} s, {report.written} files written, image step "
        f"{spent[0]:.3f} s (one story's text changed; target < 0.2 s: {verdict})"
    )
    if args.skip_browser:
        return
    processed, originals = example_output(work, True), example_output(work, False)
    for width, height in ((390, 844), (1280, 900)):
        now, now_files = page_image_bytes(processed, width, height)
        before, before_files = page_image_bytes(originals, width, height)
        verdict = "met" if now * 3 < before else "NOT met"
        print(
            f"{STORY} at {width}x{height}: {now / 1024:.1f} KiB of images "
            f"({', '.join(now_files)}) against {before / 1024:.1f} KiB of originals "
            f"({', '.join(before_files)}): {now / before:.2f}"
            + (f" (target < 1/3: {verdict})" if width == 390 else "")
        )


if __name__ == "__main__":
    main()

"""The ``newsgen`` command: parse arguments, call a stage, print the outcome."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import timezone
from pathlib import Path
from typing import NoReturn

from . import __version__
from .build import BuildOptions, build_time, load_and_build
from .commands.schedule import next_change_of_site
from .errors import NewsgenError
from .model.previews import preview_secret
from .sources.dates import w3c


def run() -> NoReturn:
    """The installed ``newsgen`` command: ``main``, then the process ends at once
    (``os._exit``), without freeing a build's model object by object first."""
    code = main(exiting=True)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None, *, exiting: bool = False) -> int:
    """Run one command; ``exiting``: the process ends right after (see ``run``)."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.exiting = exiting
    logging.basicConfig(level=logging.WARNING, format="newsgen: %(message)s")
    try:
        return args.run(args)
    except NewsgenError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgen", description="Build a news site from Markdown articles."
    )
    parser.add_argument("--version", action="version", version=f"newsgen {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create a new site, ready to build")
    init.add_argument(
        "folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
        help="where to create it: a new or empty folder (default: the current folder)",
    )  # fmt: skip
    init.add_argument("--title", default="", help="the site's name (default: from the folder)")
    init.set_defaults(run=_init)

    new = commands.add_parser("new", help="write a new article and print its path")
    new.add_argument("headline", help="the article's title; its file name is made from it")
    new.add_argument("--section", default="", help="its section (default: the first configured)")
    new.add_argument("--author", default="", help="its author: a key of data/authors.yaml")
    _source_options(new)
    new.set_defaults(run=_new)

    build = commands.add_parser("build", help="build the site into the output folder")
    _source_options(build)
    _build_options(build)
    build.add_argument("--output", type=Path, help="output folder (default: from newsgen.yaml)")
    build.add_argument("--base-url", help="override base_url from newsgen.yaml")
    build.add_argument(
        "--strict", action="store_true",
        help="treat warnings as errors: report them and leave the output untouched",
    )  # fmt: skip
    build.add_argument(
        "--preview",
        action="store_true",
        help="also write drafts and scheduled stories at private /preview/ URLs "
        "(needs NEWSGEN_PREVIEW_SECRET)",
    )
    build.add_argument(
        "--changes",
        type=Path,
        metavar="FILE",
        help="write the output files added (+), modified (~) and removed (-), one per line",
    )
    _no_wait_option(build)
    build.set_defaults(run=_build)

    check = commands.add_parser(
        "check", help="report every warning and dead internal link; exit 1 if there are any"
    )
    _source_options(check)
    _build_options(check)
    check.set_defaults(run=_check)

    upcoming = commands.add_parser(
        "next", help="print when the built site would next change by itself (ISO 8601)"
    )
    _source_options(upcoming)
    upcoming.add_argument("--drafts", action="store_true", help="as for a build with --drafts")
    upcoming.set_defaults(run=_next)

    serve = commands.add_parser("serve", help="build, serve locally and rebuild on change")
    _source_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on; 0 picks a free one (default: 8000)"
    )  # fmt: skip
    serve.add_argument(
        "--drafts", action=argparse.BooleanOptionalAction, default=True,
        help="show articles marked draft (default: shown)",
    )  # fmt: skip
    serve.add_argument(
        "--future", action=argparse.BooleanOptionalAction, default=True,
        help="show articles dated later (default: shown)",
    )  # fmt: skip
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    _no_wait_option(serve)
    serve.set_defaults(run=_serve)

    importer = commands.add_parser("import", help="bring another site's archive in")
    sources = importer.add_subparsers(title="from", required=True, metavar="SOURCE")
    wordpress = sources.add_parser("wordpress", help="a WordPress export (WXR) file")
    wordpress.add_argument("export", type=Path, help="the .xml file of Tools › Export")
    _source_options(wordpress)
    wordpress.add_argument("--uploads", type=Path, help="a copy of wp-content/uploads")
    wordpress.add_argument("--force", action="store_true", help="replace existing files")
    wordpress.set_defaults(run=_import_wordpress)
    return parser


def _source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source", type=Path, default=None, metavar="DIR",
        help="site folder (default: the current folder, which must hold newsgen.yaml)",
    )  # fmt: skip


def _build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft")
    parser.add_argument("--future", action="store_true", help="include articles dated later")
    parser.add_argument(
        "--jobs", type=int, default=0, metavar="N", help="render processes (default: one per core)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")


def _init(args: argparse.Namespace) -> int:
    from .commands.scaffold import init_site

    written = init_site(args.folder, args.title)
    root = args.folder.resolve()
    for path in written:
        print(f"created {path.relative_to(root).as_posix()}")
    go = "" if root == Path.cwd().resolve() else f"cd {args.folder} && "
    print(f"next: {go}newsgen build  (or newsgen serve to preview as you write)")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .commands.newarticle import new_article
    from .sources.config import load_config
    from .sources.sitefolder import site_root

    config = load_config(site_root(args.source))
    path = new_article(config, args.headline, args.section, args.author)
    print(_relative(path))
    return 0


def _no_wait_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-wait",
        dest="wait",
        action="store_false",
        help="fail at once if another newsgen process is writing the output folder",
    )


def _build(args: argparse.Namespace) -> int:
    from .commands.terminal import ProgressDisplay, print_warnings, summary
    from .sources.sitefolder import site_root

    options = BuildOptions(
        output_dir=args.output, drafts=args.drafts, future=args.future, jobs=args.jobs,
        strict=args.strict, preview_secret=preview_secret() if args.preview else "",
        wait_for_lock=args.wait, keep_model=args.exiting,
    )  # fmt: skip
    with ProgressDisplay(_interactive(args)) as progress:
        report = load_and_build(site_root(args.source), options, args.base_url, progress)
    if args.changes:
        lines = report.changes.lines()
        args.changes.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    print_warnings(report.warnings)
    if not args.quiet:
        print("\n".join(summary(report)))
        for source, url in report.previews:
            print(f"preview {source}: {url}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .commands.sitecheck import check_site
    from .commands.terminal import ProgressDisplay, plural
    from .sources.config import load_config
    from .sources.sitefolder import site_root

    options = BuildOptions(drafts=args.drafts, future=args.future, jobs=args.jobs)
    with ProgressDisplay(_interactive(args)) as progress:
        config = load_config(site_root(args.source))
        _, problems = check_site(config, options, progress)
    for problem in problems:
        print(problem)
    if problems:
        print(f"check failed: {plural(len(problems), 'problem')}", file=sys.stderr)
        return 1
    if not args.quiet:
        print("check passed: no warnings, every internal link and image leads to a file")
    return 0


def _next(args: argparse.Namespace) -> int:
    from .sources.sitefolder import site_root

    moment = next_change_of_site(site_root(args.source), build_time(BuildOptions()), args.drafts)
    if moment is not None:
        print(w3c(moment.astimezone(timezone.utc)))
    return 0


def _import_wordpress(args: argparse.Namespace) -> int:
    from .importers.wordpress import import_wordpress

    report = import_wordpress(args.export, args.source, args.uploads, args.force)
    print(f"imported {args.export} into {args.source}")
    for line in report.lines():
        print(f"  {line}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve.server import serve
    from .sources.sitefolder import site_root

    return serve(
        site_root(args.source), host=args.host, port=args.port, drafts=args.drafts,
        future=args.future, open_browser=args.open, wait=args.wait,
    )  # fmt: skip


def _interactive(args: argparse.Namespace) -> bool:
    return sys.stderr.isatty() and not args.quiet


def _relative(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


if __name__ == "__main__":
    raise SystemExit(main())

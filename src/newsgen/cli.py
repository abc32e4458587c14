"""The ``newsgen`` command: parse arguments, call a stage, print the outcome."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import BuildOptions, Progress, load_and_build
from .errors import NewsgenError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
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

    build = commands.add_parser("build", help="build the site into the output folder")
    _source_options(build)
    build.add_argument("--output", type=Path, help="output folder (default: from newsgen.yaml)")
    build.add_argument("--drafts", action="store_true", help="include articles marked draft")
    build.add_argument("--future", action="store_true", help="include articles dated later")
    build.add_argument("--base-url", help="override base_url from newsgen.yaml")
    build.add_argument("--jobs", type=int, default=0, help="render processes (default: all cores)")
    build.add_argument("--quiet", action="store_true", help="print errors only")
    build.add_argument(
        "--changes",
        type=Path,
        metavar="FILE",
        help="write the output files added (+), modified (~) and removed (-), one per line",
    )
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build, serve locally and rebuild on change")
    _source_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True)
    serve.add_argument("--future", action=argparse.BooleanOptionalAction, default=True)
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
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
        "--source", type=Path, default=Path("."), help="site folder (default: current folder)"
    )


def _build(args: argparse.Namespace) -> int:
    options = BuildOptions(
        output_dir=args.output, drafts=args.drafts, future=args.future, jobs=args.jobs
    )
    interactive = sys.stderr.isatty() and not args.quiet
    with _ProgressDisplay(interactive) as progress:
        report = load_and_build(args.source, options, args.base_url, progress)
    if args.changes:
        lines = report.changes.lines()
        args.changes.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    if not args.quiet:
        print(f"built {report.output_dir}: {report.summary()}")
    return 0


def _import_wordpress(args: argparse.Namespace) -> int:
    from .importers.wordpress import import_wordpress

    report = import_wordpress(args.export, args.source, args.uploads, args.force)
    print(f"imported {args.export} into {args.source}")
    for line in report.lines():
        print(f"  {line}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(
        args.source, host=args.host, port=args.port, drafts=args.drafts,
        future=args.future, open_browser=args.open,
    )  # fmt: skip


class _ProgressDisplay:
    """A progress bar on an interactive terminal (rich); nothing otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar = None
        self._task = None

    def __enter__(self) -> Progress | None:
        if not self.enabled:
            return None
        from rich.progress import Progress as Bar

        self._bar = Bar(transient=True)
        self._bar.start()
        return self._update

    def _update(self, stage: str, done: int, total: int) -> None:
        if self._task is None:
            self._task = self._bar.add_task(stage, total=total)
        self._bar.update(self._task, completed=done, total=total)

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()


if __name__ == "__main__":
    raise SystemExit(main())

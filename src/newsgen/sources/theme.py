"""Where a site's templates and static files come from: its own folders over the theme's."""

from __future__ import annotations

from pathlib import Path

from .config import SiteConfig

_PACKAGED_THEME = Path(__file__).parents[1] / "theme"
_SOURCE_THEME = Path(__file__).resolve().parents[3]


def theme_dir() -> Path:
    """The default theme: inside the installed package, or the repository root when run
    from a source checkout (editable installs do not carry the packaged copy)."""
    if (_PACKAGED_THEME / "templates").is_dir():
        return _PACKAGED_THEME
    return _SOURCE_THEME


def template_dirs(config: SiteConfig) -> list[Path]:
    """Where templates are looked up, the site's own first, so they override file by file."""
    return _layers(config, "templates")


def static_dirs(config: SiteConfig) -> list[Path]:
    """Static folders, the site's own first; a file there hides the theme's of the same name."""
    return _layers(config, "static")


# The repository's static/ serves two sites: the default theme (css/, js/, favicon.svg) and
# the example site at the repository root, whose own pictures are in images/. Only the
# theme's part is packaged (see pyproject.toml) or lent to other sites by a source checkout.
EXAMPLE_STATIC = ("images",)


def example_static_dirs(config: SiteConfig) -> list[Path]:
    """The example site's folders under the theme's static/, which other sites do not get."""
    theme = theme_dir() / "static"
    if (config.root / "static").resolve() == theme.resolve():
        return []  # the example site itself
    return [theme / name for name in EXAMPLE_STATIC]


def _layers(config: SiteConfig, name: str) -> list[Path]:
    """The site's folder ``name`` over the theme's, leaving out missing ones and repeats
    (a site built from the repository root is its own theme)."""
    found: list[Path] = []
    for folder in (config.root / name, theme_dir() / name):
        if folder.is_dir() and folder.resolve() not in [f.resolve() for f in found]:
            found.append(folder)
    return found

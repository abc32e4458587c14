"""Which folder the commands work on, refusing one that is not a site."""

from __future__ import annotations

from pathlib import Path

from ..errors import NewsgenError
from .config import CONFIG_NAME


def site_root(source: Path | None) -> Path:
    """The site folder: ``--source`` or the current folder.

    A folder without ``newsgen.yaml`` would build an empty site with a localhost
    address, so it is refused, unless ``--source`` names it and it has a ``content/``
    folder (a site that keeps every default).
    """
    folder = (source or Path.cwd()).resolve()
    if not folder.is_dir():
        raise NewsgenError(f"{folder}: no such site folder")
    if (folder / CONFIG_NAME).is_file():
        return folder
    if source is not None and (folder / "content").is_dir():
        return folder
    for parent in folder.parents:
        if (parent / CONFIG_NAME).is_file():
            raise NewsgenError(
                f"{folder} is inside the site at {parent}: run newsgen there, "
                f"or add --source {parent}"
            )
    raise NewsgenError(
        f"no {CONFIG_NAME} in {folder}: this is not a site folder. Start a site with "
        "'newsgen init DIR', or name one with --source DIR"
    )

"""Options and helpers shared by the `forum` commands (sync/cli/main.py, sync/cli/moderator.py)."""

from __future__ import annotations

from pathlib import Path

import click

from sync.model.config import Project, find_project
from sync.model.domain import ContentError

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The forum checkout (default: the one containing the current folder).",
)

credentials_file_option = click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The credentials file (default: $FORUM_CREDENTIALS).",
)


def open_project(project_dir: Path | None) -> Project:
    """The forum checkout, or a one-line error saying where it was looked for."""
    try:
        return find_project(project_dir)
    except ContentError as error:
        raise click.ClickException(str(error)) from None

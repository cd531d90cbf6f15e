"""Options and helpers shared by the `forum` commands (sync/cli: main, moderator, access, rooms)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click

from sync.github import DEFAULT_API_URL
from sync.model.config import Project, find_project
from sync.model.errors import ForumError

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

Command = TypeVar("Command", bound=Callable[..., None])


def github_options(token_help: str, required: bool = False) -> Callable[[Command], Command]:
    """--repository, --token and --api-url (GitHub Actions' environment names): the repository
    on GitHub, a token for it (`token_help` says what it must be allowed to do) and GitHub's
    API; `required`: the command cannot run without them."""
    options = (
        click.option(
            "--repository",
            envvar="GITHUB_REPOSITORY",
            required=required,
            help="The forum's repository on GitHub, owner/name (default: $GITHUB_REPOSITORY).",
        ),
        click.option(
            "--token",
            envvar="GITHUB_TOKEN",
            required=required,
            help=f"{token_help} (default: $GITHUB_TOKEN).",
        ),
        click.option(
            "--api-url",
            envvar="GITHUB_API_URL",
            default=DEFAULT_API_URL,
            help="GitHub's API, https://HOST/api/v3 on GitHub Enterprise Server "
            "(default: $GITHUB_API_URL, else https://api.github.com).",
        ),
    )

    def decorate(command: Command) -> Command:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


@contextmanager
def one_line(prefix: str = "") -> Iterator[None]:
    """Turn the forum's error into one line on stderr and exit status 1, never a traceback;
    what the user gave is named by this command's flag."""
    try:
        yield
    except ForumError as error:
        raise click.ClickException(prefix + error.render(flag)) from None


def flag(name: str) -> str:
    """The current command's flag for an input, e.g. requested_by → --requested-by."""
    context = click.get_current_context(silent=True)
    for param in context.command.params if context else ():
        if isinstance(param, click.Option) and param.name == name:
            return param.opts[0]
    return "--" + name.replace("_", "-")


def open_project(project_dir: Path | None) -> Project:
    """The forum checkout, or a one-line error saying where it was looked for."""
    with one_line():
        return find_project(project_dir)

"""Guests' rooms from the command line: `forum invite` makes one, `forum invite room` again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from sync.cli.options import flag, github_options, one_line, open_project, project_option
from sync.github.client import GitHubClient, connect
from sync.model.config import Project
from sync.model.errors import ForumError


def make_room(project: Project, guest: str, topic_id: str, client: GitHubClient, today: date) -> None:
    """The guest's room on GitHub, recorded in the register; a failure says how to try again."""
    from sync.model.access import load_access_settings
    from sync.moderator.rooms import prepare_room

    try:
        settings = load_access_settings(project.content)
        done = prepare_room(project.content, project.languages(), guest, topic_id, client, settings, today)
    except ForumError as error:
        raise click.ClickException(
            f"the guest's room was not made: {error.render(flag)}; once fixed, run "
            f"`forum invite room {guest} --topic {topic_id}`"
        ) from None
    click.echo(
        f"Room: {done.room} (private, Discussions on; @{guest} invited there only), the topic mirrored "
        "into its discussion; forum sync carries replies both ways. Commit content/.",
        err=True,
    )


@click.command("room")
@click.argument("guest")
@click.option("--topic", "topic_id", required=True, help="The topic the guest is invited to.")
@github_options("A token that creates repositories", required=True)
@project_option
def invite_room(
    guest: str, topic_id: str, repository: str, token: str, api_url: str, project_dir: Path | None
) -> None:
    """Make the room of a guest already invited (after a failure, or for an older invitation)."""
    project = open_project(project_dir)
    with one_line():
        client = GitHubClient(connect(api_url, token), repository)
    make_room(project, guest, topic_id, client, date.today())

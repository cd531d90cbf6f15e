"""`forum access`: the forum's access on GitHub as the roster says it should be."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from sync.cli.options import (
    credentials_file_option,
    github_options,
    one_line,
    open_project,
    project_option,
)
from sync.github.access import apply_access, forum_account, read_access
from sync.github.client import GitHubClient, connect
from sync.model.access import (
    describe_plan,
    due_access,
    load_access_settings,
    load_rooms,
    plan_access,
)
from sync.model.content import load_forum
from sync.model.credentials import credentials_path, load_credentials


def delegations_of(file: Path | None, member_states: set[str], demo: bool) -> frozenset[str]:
    """The member states holding a delegation credential (every one with --demo)."""
    if demo:
        return frozenset(member_states)
    store = load_credentials(credentials_path(file, None))  # reads only
    return frozenset(code.upper() for code in store.delegations)


@click.command()
@click.option("--apply", "apply_plan", is_flag=True, help="Carry the plan out on GitHub.")
@click.option("--demo", is_flag=True, help="Count every member state as holding a delegation (demo roster).")
@github_options("A token with Administration write", required=True)
@credentials_file_option
@project_option
def access(
    apply_plan: bool,
    demo: bool,
    repository: str,
    token: str,
    api_url: str,
    file: Path | None,
    project_dir: Path | None,
) -> None:
    """Who should have access to the forum's repository on GitHub (the roster's delegates of
    member states holding a delegation credential, the moderators, the administrators of
    content/access.yml), who has it, and the difference; --apply carries it out, and closes
    the rooms of guests whose invitation ended."""
    from sync.moderator.rooms import close_ended_rooms, with_github_state

    project = open_project(project_dir)
    today = date.today()
    with one_line():
        forum = load_forum(project.content, project.languages())
        settings = load_access_settings(project.content)
        delegations = delegations_of(file, set(forum.roster.member_states), demo)
        client = GitHubClient(connect(api_url, token), repository)
        current = read_access(client, settings)
        rooms = with_github_state(client, load_rooms(project.content, today, settings, repository))
        plan = plan_access(forum.roster, delegations, settings, current, rooms, forum_account(client))
        target = (
            f"the team {settings.team_organization}/{settings.team_slug}"
            if settings.uses_team
            else repository
        )
        for line in describe_plan(plan, due_access(forum.roster, delegations, settings), target, today):
            click.echo(line)
        if not apply_plan:
            if not plan.empty:
                click.echo("Nothing changed on GitHub: run `forum access --apply` to carry the plan out.")
            return
        for line in [*apply_access(client, settings, plan), *close_ended_rooms(client, plan.close_rooms)]:
            click.echo(f"  {line}")
        click.echo(f"Applied ({client.budget.requests} requests to GitHub).")

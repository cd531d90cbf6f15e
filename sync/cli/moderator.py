"""The moderator's commands: weekly topics, proposals, invitations, erasure, translations.

Each command parses its options, asks its module in `sync.moderator` (schedule, proposals,
invitations, erasure, translations) to do the work and prints the outcome; a refusal is
one line on stderr and a non-zero exit status. `sync.cli.main` adds them to the `forum` group.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TextIO

import click

from sync.cli.options import (
    credentials_file_option,
    github_options,
    one_line,
    open_project,
    project_option,
)
from sync.cli.rooms import invite_room, make_room
from sync.cli.translators import (
    export_format_option,
    export_xliff_package,
    import_format_option,
    import_xliff_package,
    is_xliff_package,
    translations_memory,
)
from sync.github.client import GitHubClient, connect
from sync.model.credentials import credentials_path, load_credentials
from sync.model.dates import week_of
from sync.site.pages import guest_url

_project = open_project

# The repository on GitHub and a token to write there; without them a command changes content/ only.
with_github = github_options("A token that writes discussions")


def _github_client(repository: str | None, token: str | None, api_url: str) -> GitHubClient | None:
    """A client for the repository, or None when neither is given (content-only changes)."""
    if not repository or not token:
        return None
    return GitHubClient(connect(api_url, token), repository)


@click.command()
@click.argument("post_id", required=False)
@click.option("--requested-by", help="Who asked: a member state (BR), WIPO, or the author's login.")
@click.option("--hide", is_flag=True, help="Hide (minimize) the comment on GitHub instead of deleting it.")
@click.option("--purge-history", is_flag=True, help="Rewrite git history so erased posts are in no commit.")
@with_github
@project_option
def erase(
    post_id: str | None,
    requested_by: str | None,
    hide: bool,
    purge_history: bool,
    repository: str | None,
    token: str | None,
    api_url: str,
    project_dir: Path | None,
) -> None:
    """Erase a reply or proposal at someone's request: from content/ in every language and from
    GitHub, leaving a tombstone (id, date, who asked) so no sync brings it back."""
    from sync.moderator.erasure import ErasureError, erase_post
    from sync.moderator.erasure import purge_history as purge

    project = _project(project_dir)
    with one_line():
        if post_id is not None:
            if not requested_by:
                raise ErasureError("--requested-by is required: say who asked for the erasure")
            client = _github_client(repository, token, api_url)
            done = erase_post(
                project.content, project.languages(), post_id, requested_by, date.today(), client, hide
            )
            click.echo(f"Erased {done.post_id}: {len(done.removed)} files removed; GitHub: {done.on_github}")
            for reply in done.rethreaded:
                click.echo(f"  reply {reply} now answers the topic")
            click.echo("Commit content/ and push; the text stays in earlier commits until --purge-history.")
        elif not purge_history:
            raise ErasureError("give the id of the post to erase, or --purge-history")
        if purge_history:
            for line in purge(project.root):
                click.echo(line)


def _require_github(client: GitHubClient | None, what: str) -> GitHubClient:
    if client is None:
        raise click.ClickException(f"{what} needs GitHub: give --repository and --token (or GITHUB_*)")
    return client


@click.group()
def topic() -> None:
    """Weekly topics: open one now, or plan one for a later week."""


@topic.command("new")
@click.option("--category", required=True, help="The forum category's id (content/categories.yml).")
@click.option("--title", required=True, help="The topic's title, in --language.")
@click.option("--body-file", required=True, type=click.File(encoding="utf-8"), help="Its opening post.")
@click.option("--language", default=None, help="The language written in (default: the forum's first).")
@click.option("--week", default=None, help="Plan it for this ISO week, e.g. 2026-W50 (default: now).")
@click.option(
    "--translation",
    type=(str, str, click.File(encoding="utf-8")),
    multiple=True,
    help="LANG TITLE BODY_FILE: the topic in another language; repeat for each.",
)
@with_github
@project_option
def topic_new(
    category: str,
    title: str,
    body_file: TextIO,
    language: str | None,
    week: str | None,
    translation: tuple[tuple[str, str, TextIO], ...],
    repository: str | None,
    token: str | None,
    api_url: str,
    project_dir: Path | None,
) -> None:
    """Open a weekly topic on GitHub and in content/, or plan it for a later week."""
    from sync.moderator.schedule import (
        PlannedTopic,
        missing_languages,
        plan,
        publish_now,
    )

    project = _project(project_dir)
    languages = project.languages()
    today = date.today()
    planned = PlannedTopic(
        week=week or week_of(today).code,
        category=category,
        language=language or languages[0],
        title=title,
        body=body_file.read(),
        translations={lang: {"title": text, "body": file.read()} for lang, text, file in translation},
    )
    with one_line():
        if planned.week > week_of(today).code:
            plan(project.content, languages, planned, today)
            click.echo(f"Planned for {planned.week}: {title}; `forum topic publish-due` opens it then.")
        else:
            client = _require_github(_github_client(repository, token, api_url), "opening a topic now")
            opened = publish_now(project.content, languages, planned, client, today)
            click.echo(f"Opened {opened.id}: {opened.url} -> {opened.path.parent.name}")
        waiting = missing_languages(planned, languages)
        if waiting:
            click.echo(f"Awaiting translation into: {', '.join(waiting)}")


@topic.command("publish-due")
@with_github
@project_option
def topic_publish_due(
    repository: str | None, token: str | None, api_url: str, project_dir: Path | None
) -> None:
    """Open the planned topics whose week has come (once each); run it every Monday."""
    from sync.moderator.schedule import publish_due

    project = _project(project_dir)
    client = _require_github(_github_client(repository, token, api_url), "publishing topics")
    with one_line():
        opened = publish_due(project.content, project.languages(), client, date.today())
    for topic in opened:
        click.echo(f"Opened {topic.id} ({topic.week}): {topic.title} {topic.url}")
    if not opened:
        click.echo("No planned topic is due.")


@click.group(invoke_without_command=True)
@click.option("--topic", "topic_id", help="The id of the one topic the guest is invited to.")
@click.option("--requested-by", help="The member state that asked for the guest (ISO code).")
@click.option("--guest", help="The guest's GitHub login (also their user name on the site).")
@click.option("--name", help="The guest's full name (default: the login).")
@click.option("--organization", help="Whom the guest speaks for.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="The invitation's last day, YYYY-MM-DD.")
@click.option("--decline", "reason", default=None, help="Record the request as declined, with this reason.")
@credentials_file_option
@with_github
@project_option
@click.pass_context
def invite(
    context: click.Context,
    topic_id: str | None,
    requested_by: str | None,
    guest: str | None,
    name: str | None,
    organization: str | None,
    until: datetime | None,
    reason: str | None,
    file: Path | None,
    repository: str | None,
    token: str | None,
    api_url: str,
    project_dir: Path | None,
) -> None:
    """Invite a guest to one topic at a member state's request: the register in content/, the
    roster, and the guest's credential (printed once: give it by a safe channel). With GitHub
    settings, also the guest's room: a private repository of its own mirroring the topic."""
    from sync.moderator.invitations import Invitation
    from sync.moderator.invitations import invite as record

    if context.invoked_subcommand is not None:
        return
    missing = [o for o, v in [("--topic", topic_id), ("--requested-by", requested_by), ("--guest", guest),
                              ("--organization", organization), ("--until", until)] if not v]  # fmt: skip
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)}")
    assert topic_id and requested_by and guest and organization and until
    project = _project(project_dir)
    today = date.today()
    invitation = Invitation(
        guest=guest,
        name=name or guest,
        organization=organization,
        topic=topic_id,
        requested_by=requested_by.upper(),
        until=until.date(),
        decision="declined" if reason else "accepted",
        decided=today,
        reason=reason,
    )
    with one_line():
        path = None if reason else credentials_path(file, project.root)  # before anything is written
        store = None if path is None else load_credentials(path, must_exist=False)
        credential = record(project.content, project.languages(), store, invitation, today)
    if credential is None:
        click.echo(f"Declined @{guest} for topic {topic_id}, recorded in content/invitations.yml.")
        return
    click.echo(f"{credential.user}: {credential.password}")
    click.echo(f"Their page: {guest_url(topic_id)} (in French: fr/{guest_url(topic_id)})", err=True)
    click.echo(
        f"Invited @{guest} to topic {topic_id} until {invitation.until.isoformat()}: roster and register "
        "updated; give the password and the page by a safe channel, commit content/ and rebuild.",
        err=True,
    )
    client = _github_client(repository, token, api_url)
    if client is not None:
        make_room(project, guest, topic_id, client, today)


@invite.command("revoke")
@click.argument("guest")
@click.option("--topic", "topic_id", required=True, help="The topic the guest was invited to.")
@credentials_file_option
@project_option
def invite_revoke(guest: str, topic_id: str, file: Path | None, project_dir: Path | None) -> None:
    """End a guest's invitation to a topic: register, roster and credential."""
    from sync.moderator.invitations import revoke

    project = _project(project_dir)
    with one_line():
        store = load_credentials(credentials_path(file, project.root), must_exist=False)
        ended = revoke(project.content, store, guest, topic_id, date.today())
    click.echo(f"Revoked @{ended.guest}'s invitation to {ended.topic}; commit content/ and rebuild.")


@click.group()
def proposal() -> None:
    """Decide on delegates' topic proposals."""


@proposal.command("accept")
@click.argument("proposal_id")
@click.option("--week", required=True, help="The ISO week it becomes the topic of, e.g. 2026-W50.")
@click.option("--category", required=True, help="The forum category's id (content/categories.yml).")
@project_option
def proposal_accept(proposal_id: str, week: str, category: str, project_dir: Path | None) -> None:
    """Plan a proposal as the topic of a week, credited to the member state that proposed it."""
    from sync.moderator.proposals import accept

    project = _project(project_dir)
    with one_line():
        planned = accept(project.content, project.languages(), proposal_id, week, category, date.today())
    click.echo(f"Accepted {proposal_id}: planned for {planned.week}, proposed by {planned.proposed_by}.")


@proposal.command("decline")
@click.argument("proposal_id")
@click.option("--reason", required=True, help="Why; posted as an answer on the proposal's discussion.")
@with_github
@project_option
def proposal_decline(
    proposal_id: str,
    reason: str,
    repository: str | None,
    token: str | None,
    api_url: str,
    project_dir: Path | None,
) -> None:
    """Decline a proposal: answer it on GitHub with the reason and record the decision."""
    from sync.moderator.proposals import decline

    project = _project(project_dir)
    client = _github_client(repository, token, api_url)
    with one_line():
        decline(project.content, project.languages(), proposal_id, reason, client)
    click.echo(f"Declined {proposal_id}; the reason is posted on GitHub. Commit content/.")


@click.group(invoke_without_command=True)
@project_option
@click.pass_context
def translations(context: click.Context, project_dir: Path | None) -> None:
    """Per language, the posts still untranslated or whose translation is outdated."""
    from sync.model.content import load_forum
    from sync.moderator.translations import waiting

    if context.invoked_subcommand is not None:
        return
    project = _project(project_dir)
    with one_line():
        forum = load_forum(project.content, project.languages())
    for language in forum.languages:
        items = waiting(forum, language)
        outdated = sum(1 for item in items if item.outdated)
        click.echo(f"{language}: {len(items) - outdated} untranslated, {outdated} outdated")
        for item in items:
            state = "outdated" if item.outdated else "untranslated"
            click.echo(f"  {item.post.id}  {state}  {item.post.path.relative_to(project.content)}")


@translations.command("export")
@click.option("--lang", "language", required=True, help="The language to translate into.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The package's folder (default: translations-<lang>/ here).",
)
@export_format_option
@project_option
def translations_export(
    language: str, out: Path | None, package_format: str, project_dir: Path | None
) -> None:
    """Write a package for an external translator: the posts' source text and context."""
    from sync.model.content import load_forum
    from sync.moderator.translations import export

    folder = out or Path(f"translations-{language}")
    if package_format == "xliff":
        return export_xliff_package(project_dir, language, folder)
    project = _project(project_dir)
    with one_line():
        written = export(load_forum(project.content, project.languages()), language, folder)
    click.echo(f"Wrote {len(written)} files into {folder}: the translator replaces each text and signs it.")


@translations.command("import")
@click.argument("folder", type=click.Path(exists=True, path_type=Path))
@import_format_option
@project_option
def translations_import(folder: Path, package_format: str | None, project_dir: Path | None) -> None:
    """Read a translator's completed files back into content/, checking each one."""
    from sync.model.content import load_forum
    from sync.moderator.translations import import_package

    if is_xliff_package(folder, package_format):
        report = import_xliff_package(project_dir, folder)
    else:
        project = _project(project_dir)
        with one_line():
            report = import_package(load_forum(project.content, project.languages()), folder)
    click.echo(f"Took {len(report.taken)} translations, refused {len(report.refused)}.")
    for post_id, language in report.taken:
        click.echo(f"  took {post_id} ({language})")
    for name, reason in report.refused:
        click.echo(f"  refused {name}: {reason}")
    if report.refused:
        raise SystemExit(1)


invite.add_command(invite_room)  # `forum invite room`, in sync/cli/rooms.py

translations.add_command(translations_memory)

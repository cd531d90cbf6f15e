"""The `forum` command: what the moderator and maintainers type.

Each command parses its options, asks the library to do the work and prints the outcome;
errors are one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

import click

from sync.cli.options import credentials_file_option, github_options, one_line, open_project, project_option
from sync.model.credentials import (
    Credentials,
    credentials_path,
    load_credentials,
    save_credentials,
)
from sync.model.roster import load_roster
from sync.site.build import BuildReport, build_site, show_mkdocs_log
from sync.site.pages import guest_url
from sync.site.protection import demo_password

demo_option = click.option(
    "--demo",
    is_flag=True,
    help="Use the documented demo passwords instead of FORUM_CREDENTIALS (never publish).",
)

_project = open_project


class _Commands(click.Group):
    """The `forum` command's group: the moderator's commands and `forum access`, which talk
    to GitHub, are imported when one of them is run or listed, so that `forum build` (the
    rebuild after every merged sync) does not start by importing PyGithub."""

    elsewhere: ClassVar[dict[str, str]] = {
        "access": "sync.cli.access",
        "erase": "sync.cli.moderator",
        "invite": "sync.cli.moderator",
        "proposal": "sync.cli.moderator",
        "topic": "sync.cli.moderator",
        "translations": "sync.cli.moderator",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.elsewhere})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.elsewhere:
            command = getattr(importlib.import_module(self.elsewhere[cmd_name]), cmd_name)
            assert isinstance(command, click.Command) and command.name == cmd_name, cmd_name
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_Commands)
@click.version_option(package_name="wipo-ta-forum")
def main() -> None:
    """The WIPO technical-assistance forum: build the site, sync contributions, moderate."""


@main.command()
@project_option
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: site/ in the checkout).",
)
@click.option("--verbose", is_flag=True, help="Show MkDocs' progress messages.")
@click.option(
    "--full",
    is_flag=True,
    help="Build every page again, copying none of the unchanged topics' pages from the last build.",
)
@demo_option
def build(project_dir: Path | None, site_dir: Path | None, verbose: bool, full: bool, demo: bool) -> None:
    """Build the forum's password-protected site from content/ (strict: any warning fails).

    Passwords come from the credentials file named by FORUM_CREDENTIALS. Pages of topics
    unchanged since the last build are copied from it, unless --full."""
    project = _project(project_dir)
    show_mkdocs_log(verbose)
    _warn_demo(demo)
    with one_line("build failed: "):
        report = build_site(project, site_dir, demo=demo, full=full, stats_as_of=_stats_as_of())
    for warning in report.warnings:
        click.secho(f"Warning: {warning}", err=True, fg="yellow")
    copied = f" ({report.copied} copied from the last build)" if report.copied else ""
    click.echo(f"Built {report.pages} pages{copied} into {report.site_dir} in {report.seconds:.1f} s")


@main.command()
@project_option
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
@demo_option
def serve(project_dir: Path | None, port: int, demo: bool) -> None:
    """Serve the forum on 127.0.0.1 and rebuild it when content/ changes.

    Each rebuild builds only the pages that changed and passes the publish gate, as
    `forum build` does; a rebuild that fails says why and the last good site stays served."""
    from sync.site.serve import serve_site  # the server's packages: only for this command

    project = _project(project_dir)
    show_mkdocs_log(verbose=False)
    _warn_demo(demo)
    click.echo(f"Serving the forum at http://127.0.0.1:{port}/ (Ctrl+C to stop)")

    def built(report: BuildReport) -> None:
        copied = f", {report.copied} copied" if report.copied else ""
        later = "; the statistics follow" if report.later else ""
        click.echo(f"Built {report.pages} pages{copied} in {report.seconds:.1f} s{later}", err=True)

    with one_line():
        serve_site(project, "127.0.0.1", port, demo=demo, built=built)


STATS_AS_OF = "FORUM_STATS_AS_OF"  # build the statistics page as of that day (default: today)


def _stats_as_of() -> date | None:
    """The day the statistics page counts up to: $FORUM_STATS_AS_OF if set, else today."""
    value = os.environ.get(STATS_AS_OF, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(
            f"{STATS_AS_OF}: expected a date such as 2026-11-25, got {value!r}"
        ) from None


def _warn_demo(demo: bool) -> None:
    if demo:
        click.secho(
            "DEMO BUILD: the documented demo passwords open this site (e.g. user BR, password "
            f"{demo_password('BR')}). Never publish it.",
            fg="yellow",
            bold=True,
            err=True,
        )


# Credentials --------------------------------------------------------------------------------


@main.group()
def credentials() -> None:
    """Passwords of member states' delegations and guests (a file outside the repository)."""


def _change_credentials(
    file: Path | None, project_dir: Path | None, change: Callable[[Credentials, set[str]], None]
) -> None:
    """Load the file, apply a change, save it whole and atomically; nothing is written on error."""
    with one_line():
        project = _project(project_dir)
        path = credentials_path(file, project.root)  # refused here, before anything is written
        store = load_credentials(path, must_exist=False)
        known = set(load_roster(project.content / "roster.yml").member_states)
        change(store, known)
        save_credentials(store)


@credentials.command("add")
@click.argument("member_state")
@credentials_file_option
@project_option
def credentials_add(member_state: str, file: Path | None, project_dir: Path | None) -> None:
    """Issue a credential to a member state's delegation (ISO code such as BR, or WIPO)."""

    def add(store: Credentials, known: set[str]) -> None:
        credential = store.add_delegation(member_state, known, date.today())
        click.echo(f"{credential.user}: {credential.password}")
        click.echo("Give this password to the delegation by a safe channel; rebuild the site.", err=True)

    _change_credentials(file, project_dir, add)


@credentials.command("add-guest")
@click.argument("login")
@click.option("--topic", required=True, help="The id of the one topic the guest may read.")
@click.option("--requested-by", required=True, help="The member state that asked for the invitation.")
@click.option("--until", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day admitted.")
@credentials_file_option
@project_option
def credentials_add_guest(
    login: str, topic: str, requested_by: str, until: datetime, file: Path | None, project_dir: Path | None
) -> None:
    """Issue a guest's credential that opens one topic, in every language, until a date."""

    def add(store: Credentials, known: set[str]) -> None:
        credential = store.add_guest(login, topic, requested_by.upper(), until.date(), known, date.today())
        click.echo(f"{credential.user}: {credential.password}")
        click.echo(f"Their page: {guest_url(topic)} (in French: fr/{guest_url(topic)})", err=True)

    _change_credentials(file, project_dir, add)


@credentials.command("rotate")
@click.argument("user")
@credentials_file_option
@project_option
def credentials_rotate(user: str, file: Path | None, project_dir: Path | None) -> None:
    """Give a delegation or guest a new password; the old one stops at the next build."""

    def rotate(store: Credentials, known: set[str]) -> None:
        credential = store.rotate(user, date.today())
        click.echo(f"{credential.user}: {credential.password}")

    _change_credentials(file, project_dir, rotate)


@credentials.command("revoke")
@click.argument("user")
@credentials_file_option
@project_option
def credentials_revoke(user: str, file: Path | None, project_dir: Path | None) -> None:
    """Withdraw a credential; the next build no longer admits it."""

    def revoke(store: Credentials, known: set[str]) -> None:
        credential = store.revoke(user)
        click.echo(f"Revoked {credential.user}; rebuild the site for it to take effect.")

    _change_credentials(file, project_dir, revoke)


@credentials.command("list")
@credentials_file_option
def credentials_list(file: Path | None) -> None:
    """List the credentials (user names, dates and guests' topics; never passwords)."""
    with one_line():
        store = load_credentials(credentials_path(file, None))  # reads only
    for credential in store.all():
        if credential.is_guest:
            until = credential.until.isoformat() if credential.until else "?"
            topics = ", ".join(credential.topics)
            click.echo(
                f"{credential.user}  guest  issued {credential.issued}  topics {topics}  "
                f"requested by {credential.requested_by}  until {until}"
            )
        else:
            click.echo(f"{credential.user}  delegation  issued {credential.issued}")


# Statistics ---------------------------------------------------------------------------------


@main.command()
@project_option
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Count posts up to this day, YYYY-MM-DD (default: today).",
)
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write each figure as a CSV file into this folder instead of printing it.",
)
def stats(project_dir: Path | None, as_of: datetime | None, csv_dir: Path | None) -> None:
    """Usage statistics: posts and member states per week, participation, languages,
    categories, regions, replies, guests, translations, and what waits for the moderator."""
    # Imported here: the figures need ICU's region data, which other commands do not.
    from sync.i18n.interface import Interface
    from sync.model.content import load_forum
    from sync.stats.figures import compute
    from sync.stats.report import tables, text_table, write_csv

    project = _project(project_dir)
    with one_line():
        forum = load_forum(project.content, project.languages())
    figures = compute(forum, as_of.date() if as_of else None)
    english = Interface("en")
    layout = tables(forum, figures, english)
    if csv_dir is not None:
        written = write_csv(layout, csv_dir)
        click.echo(f"Wrote {len(written)} CSV files into {csv_dir}: {', '.join(p.name for p in written)}")
        return
    click.echo(f"Usage statistics as of {figures.as_of.isoformat()}\n")
    click.echo("\n\n".join(text_table(table, english) for table in layout))


# Sync ------------------------------------------------------------------------------------------


@main.command()
@project_option
@click.option("--full", is_flag=True, help="Read every discussion, not only what changed since last time.")
@github_options("A token that reads discussions and opens pull requests", required=True)
def sync(project_dir: Path | None, full: bool, repository: str, token: str, api_url: str) -> None:
    """Bring moderated contributions from GitHub Discussions into content/ by a pull request."""
    from sync.intake.pipeline import SHOW_PROGRESS_FROM, SyncSettings, describe, run_sync  # PyGithub's

    project = _project(project_dir)
    # With FORUM_CREDENTIALS, posts of member states without a delegation credential are held
    # back; the workflow always sets it, so CI fails closed (a missing file stops the sync).
    named = os.environ.get("FORUM_CREDENTIALS")
    settings = SyncSettings(
        repository=repository,
        token=token,
        api_url=api_url,
        full=full,
        credentials=Path(named) if named else None,
    )

    def progress(done: int, total: int) -> None:
        if total > SHOW_PROGRESS_FROM:
            click.echo(f"Reading discussions: {done}/{total}", err=True)

    with one_line("sync failed: "):
        outcome = run_sync(project.root, settings, progress=progress)
    for line in describe(outcome):
        click.echo(line)


# The moderator's week (topics, proposals, invitations, erasure, translations: sync/cli/moderator.py)
# and `forum access` (sync/cli/access.py) are found by _Commands.

# Weekly digest ---------------------------------------------------------------------------------


@main.command()
@project_option
@click.option("--week", default=None, help="The ISO week, e.g. 2026-W48 (default: the current week).")
@click.option("--site-url", default=None, help="The site's address (default: site_url in mkdocs.yml).")
@click.option(
    "--preview-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write <week>/<lang>.eml and .html (default: digests/ in the checkout, ignored by git).",
)
@click.option("--send", is_flag=True, help="Mail it by SMTP (FORUM_SMTP_*) to $FORUM_SUBSCRIBERS.")
def digest(
    project_dir: Path | None, week: str | None, site_url: str | None, preview_dir: Path | None, send: bool
) -> None:
    """The weekly digest in each language: write it for preview, and with --send mail it.

    Sending twice for a week sends nothing more; after a failure, a re-run sends only to
    those who did not receive it."""
    from sync.cli.digest import run_digest  # the digest needs no MkDocs: keep `forum` quick to start

    run_digest(_project(project_dir), week, site_url, preview_dir, send)


def run() -> None:
    """The `forum` command as installed. It ends the process at once when the command is
    done, without Python freeing every object one by one: after a build of a large archive
    that took over a second, for memory the operating system takes back anyway."""
    try:
        main()
    except SystemExit as end:
        code = end.code
    else:
        code = 0
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    logging.shutdown()  # flush every log handler
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    run()

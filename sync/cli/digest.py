"""What `forum digest` prints: the previews written, then, with --send, who got what.

Kept beside the command rather than in `cli.py` so that the digest's wording has one home.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from sync.cli.options import one_line
from sync.digest.mail import SmtpSettings
from sync.digest.message import DigestError, select, write_preview
from sync.digest.subscribers import send_digest, subscribers_path
from sync.model.config import Project
from sync.model.content import load_forum
from sync.model.credentials import credentials_path, load_credentials
from sync.model.dates import Week, parse_week, week_of

PREVIEW_DIR = "digests"  # in the checkout, ignored by git; never under site/


def run_digest(
    project: Project, week: str | None, site_url: str | None, preview: Path | None, send: bool
) -> None:
    """Write the week's digest in every language, and send it when asked."""
    with one_line():
        chosen = _week(week) if week else week_of(datetime.now(UTC).date())
        address = site_url or project.site_url()
        if not address:
            raise DigestError("no site address: set site_url in mkdocs.yml or pass --site-url")
        forum = load_forum(project.content, project.languages())
        digest = select(forum, chosen)
        written = write_preview(forum, digest, preview or project.root / PREVIEW_DIR, address)
    for language, path in written.items():
        click.echo(
            f"{chosen.code} {language}: {path} ({path.stat().st_size:,} bytes),"
            f" preview {path.with_suffix('.html')}"
        )
    if digest.quiet:
        click.echo(f"{chosen.code}: no new topic and no reply; the digest says so.")
    if not send:
        return
    with one_line():
        settings = SmtpSettings.from_environment()
        subscribers = subscribers_path(project)
        credentials = load_credentials(credentials_path())
        reports = send_digest(project, forum, digest, address, subscribers, credentials, settings)
    failed = 0
    for report in reports:
        if report.already_sent:
            click.echo(f"{chosen.code} {report.language}: already sent, nothing to do")
            continue
        revoked = f", {report.revoked} left out (delegation revoked)" if report.revoked else ""
        click.echo(f"{chosen.code} {report.language}: sent to {report.sent}{revoked}")
        for address_, why in report.failed.items():
            click.echo(f"  not sent to {address_}: {why}", err=True)
        failed += len(report.failed)
    if failed:
        raise click.ClickException(
            f"{failed} subscribers did not receive the digest; run the same command again to send to them"
        )


def _week(code: str) -> Week:
    try:
        return parse_week(code)
    except ValueError:
        raise DigestError(f"--week {code!r}: expected an ISO week such as 2026-W48") from None

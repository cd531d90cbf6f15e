"""Who receives the weekly digest, and what has been sent: safe to run twice.

Subscribers (address, member state, language) live in a YAML file outside the
repository, named by FORUM_SUBSCRIBERS, like the credentials: addresses are never
committed and never reach the site. A member state whose delegation credential was
revoked (no longer in the credentials file) receives nothing.

Two records make sending repeatable:
- `content/digests-sent.yml`, committed: week, language, how many received it, when. A
  language recorded for a week is not sent again.
- `<subscribers file>.pending.yml`, beside the subscribers (it holds addresses): for a
  week and language under way, who has still to receive it. It is written before the
  first message and updated after each one, so a failure or an interruption part-way
  leaves exactly the addresses a re-run must send to.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from sync.digest.mail import SmtpSettings, deliver
from sync.digest.message import Digest, message
from sync.model.config import Project
from sync.model.credentials import Credentials
from sync.model.domain import Forum
from sync.model.errors import ForumError
from sync.model.files import write_atomically

ENVIRONMENT = "FORUM_SUBSCRIBERS"
SENT_RECORD = "digests-sent.yml"


class SubscriberError(ForumError):
    """The subscribers file is missing, misplaced or malformed; the message says how."""


@dataclass(frozen=True)
class Subscriber:
    """One address that receives the digest of one member state, in one language."""

    address: str
    member_state: str
    language: str


def subscribers_path(project: Project, explicit: Path | None = None) -> Path:
    """The subscribers file: the given path, else $FORUM_SUBSCRIBERS; never in the checkout."""
    named = explicit or (Path(os.environ[ENVIRONMENT]) if os.environ.get(ENVIRONMENT) else None)
    if named is None:
        raise SubscriberError(f"no subscribers file: set {ENVIRONMENT} to its path (outside the repository)")
    if named.resolve().is_relative_to(project.root.resolve()):
        raise SubscriberError(f"{named}: the subscribers file must be outside the repository")
    return named


def load_subscribers(path: Path) -> list[Subscriber]:
    """Read `subscribers: [{address, member_state, language}, …]`."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SubscriberError(f"{path}: could not be read: {error}") from None
    entries = document.get("subscribers") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise SubscriberError(f"{path}: expected 'subscribers:' with a list of entries")
    subscribers = []
    for number, entry in enumerate(entries, 1):
        values = {key: str((entry or {}).get(key) or "").strip() for key in Subscriber.__dataclass_fields__}
        if "@" not in values["address"] or not values["member_state"] or not values["language"]:
            raise SubscriberError(f"{path}: entry {number}: expected address, member_state and language")
        values["member_state"] = values["member_state"].upper()
        subscribers.append(Subscriber(**values))
    return subscribers


@dataclass
class LanguageReport:
    """What a send did for one language."""

    language: str
    sent: int = 0  # in this run
    already_sent: bool = False  # recorded for the week before this run
    revoked: int = 0  # subscribers left out: their delegation has no credential
    failed: dict[str, str] = field(default_factory=dict)  # address → why


def send_digest(
    project: Project,
    forum: Forum,
    digest: Digest,
    site_url: str,
    subscribers_file: Path,
    credentials: Credentials,
    settings: SmtpSettings,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[LanguageReport]:
    """Send the week's digest to each language's subscribers who have not received it."""
    subscribers = load_subscribers(subscribers_file)
    pending_file = subscribers_file.with_name(subscribers_file.name + ".pending.yml")
    sent_file = project.content / SENT_RECORD
    reports = []
    for language in forum.languages:
        report = LanguageReport(language)
        reports.append(report)
        if _recorded(sent_file, digest.week.code, language):
            report.already_sent = True
            continue
        readers = [s for s in subscribers if s.language == language]
        report.revoked = sum(1 for s in readers if s.member_state not in credentials.delegations)
        # An address listed twice still receives one message.
        admitted = list(
            dict.fromkeys(s.address for s in readers if s.member_state in credentials.delegations)
        )
        pending = _read(pending_file).get(digest.week.code, {}).get(language)
        earlier = int(pending["sent"]) if pending else 0
        # A re-run sends only to those still pending, if their delegation is still admitted.
        to = [a for a in pending["to"] if a in admitted] if pending else admitted
        if not to and not earlier:
            continue  # nobody subscribed in this language: nothing to record
        _set_pending(pending_file, digest.week.code, language, to, earlier)
        mail = message(forum, digest, language, site_url)
        remaining = list(to)
        for address, why in deliver(settings, mail, to):
            if why:
                report.failed[address] = why
                continue
            report.sent += 1
            remaining.remove(address)
            _set_pending(pending_file, digest.week.code, language, remaining, earlier + report.sent)
        if not report.failed:
            _set_pending(pending_file, digest.week.code, language, None, 0)
            _record(sent_file, digest.week.code, language, earlier + report.sent, now())
    return reports


def _recorded(sent_file: Path, week: str, language: str) -> bool:
    entries = _read(sent_file).get("sent") or []
    return any(e.get("week") == week and e.get("language") == language for e in entries)


def _record(sent_file: Path, week: str, language: str, count: int, when: datetime) -> None:
    document = _read(sent_file)
    entries = document.get("sent") or []
    entries.append({"week": week, "language": language, "count": count, "date": when.isoformat()})
    header = "# Weekly digests sent by `forum digest --send`: week, language, subscribers reached.\n"
    _write(sent_file, {"sent": entries}, header)


def _set_pending(path: Path, week: str, language: str, to: list[str] | None, sent: int) -> None:
    """Who still has to receive a week's digest in a language (None: nobody, done)."""
    document = _read(path)
    weeks = document.setdefault(week, {})
    if to is None:
        weeks.pop(language, None)
        if not weeks:
            document.pop(week)
    else:
        weeks[language] = {"sent": sent, "to": to}
    header = "# Digest recipients still to send to (forum digest --send). Never commit.\n"
    _write(path, document, header, private=True)  # addresses are personal


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _write(path: Path, document: dict[str, Any], header: str, private: bool = False) -> None:
    """Write whole and atomically: a failed run leaves the previous record."""
    write_atomically(path, header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False), private)

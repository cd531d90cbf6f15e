"""Who may read the forum: one credential per member-state delegation, and one per guest.

Credentials live in a YAML file outside the repository, named by the FORUM_CREDENTIALS
environment variable (in production a CI secret); they are never committed. Each
delegation has its own user name (its ISO 3166 code, or WIPO for the moderator) and
password, so that one can be rotated or revoked without touching the others. A guest's
credential opens the one topic they were invited to, until its expiry date.

The file is always rewritten whole and atomically: a failed command leaves it as it was.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sync.model.domain import ContentError
from sync.model.errors import ForumError, given
from sync.model.files import write_atomically
from sync.model.roster import FAST_LOADER

ENVIRONMENT = "FORUM_CREDENTIALS"
MODERATOR = "WIPO"  # the moderator's own delegation: WIPO is not a member state
# Letters and digits that cannot be mistaken for one another when read aloud or copied.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_GROUPS, _GROUP_LENGTH = 6, 4  # 24 characters from 31: about 119 bits


class CredentialError(ForumError):
    """A credentials command or file that cannot be honoured; the message says why."""


def new_password() -> str:
    """A strong password a person can still type: six groups of four, e.g. k3fz-9qpa-…"""
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(_GROUP_LENGTH)) for _ in range(_GROUPS))
    return "-".join(groups)


@dataclass(frozen=True)
class Credential:
    """A user name and password, for a delegation or for a guest."""

    user: str
    password: str
    issued: date
    topics: tuple[str, ...] = ()  # guests only: the topics their credential opens
    requested_by: str | None = None  # guests only: the member state that asked for them
    until: date | None = None  # guests only: the last day the credential is admitted

    @property
    def is_guest(self) -> bool:
        """True for an invited stakeholder, False for a delegation."""
        return bool(self.topics)

    def admitted_on(self, day: date) -> bool:
        """False once a guest's invitation has expired."""
        return self.until is None or day <= self.until


@dataclass
class Credentials:
    """The credentials file: delegations and guests by user name."""

    path: Path
    delegations: dict[str, Credential] = field(default_factory=dict)
    guests: dict[str, Credential] = field(default_factory=dict)

    def all(self) -> list[Credential]:
        """Every credential, delegations first, each group by user name."""
        return [*sorted(self.delegations.values(), key=_user), *sorted(self.guests.values(), key=_user)]

    def admitted(self, day: date) -> list[Credential]:
        """The credentials a build made on `day` lets in: expired guests are left out."""
        return [credential for credential in self.all() if credential.admitted_on(day)]

    def add_delegation(self, member_state: str, known: set[str], today: date) -> Credential:
        """Issue a credential to a member state's delegation (or to WIPO, the moderator)."""
        user = member_state.upper()
        if user != MODERATOR and user not in known:
            raise CredentialError(
                f"{user} is not a member state of the roster (content/roster.yml); "
                f"expected one of {', '.join(sorted(known))} or {MODERATOR}"
            )
        if user in self.delegations:
            raise CredentialError(f"{user} already has a credential; use `forum credentials rotate {user}`")
        credential = Credential(user, new_password(), today)
        self.delegations[user] = credential
        return credential

    def add_guest(
        self, login: str, topic: str, requested_by: str, until: date, known: set[str], today: date
    ) -> Credential:
        """Issue a guest's credential for one topic, or add a topic to a guest's credential."""
        if requested_by not in known:
            raise CredentialError(f"{given('requested_by')} {requested_by}: not a member state of the roster")
        if until < today:
            raise CredentialError(f"{given('until')} {until.isoformat()} is in the past")
        existing = self.guests.get(login)
        if existing and topic in existing.topics:
            raise CredentialError(f"guest {login} is already invited to topic {topic}")
        topics = (*existing.topics, topic) if existing else (topic,)
        password = existing.password if existing else new_password()
        credential = Credential(login, password, today, topics, requested_by, until)
        self.guests[login] = credential
        return credential

    def rotate(self, user: str, today: date) -> Credential:
        """Give a delegation or guest a new password; the old one stops at the next build."""
        group, key = self._find(user)
        credential = replace(group[key], password=new_password(), issued=today)
        group[key] = credential
        return credential

    def revoke(self, user: str) -> Credential:
        """Withdraw a credential; the next build no longer admits it."""
        group, key = self._find(user)
        return group.pop(key)

    def _find(self, user: str) -> tuple[dict[str, Credential], str]:
        if user.upper() in self.delegations:
            return self.delegations, user.upper()
        if user in self.guests:
            return self.guests, user
        raise CredentialError(f"no credential for {user!r} in {self.path}")


def _user(credential: Credential) -> str:
    return credential.user.lower()


def credentials_path(explicit: Path | None = None) -> Path:
    """The credentials file: the given path, else $FORUM_CREDENTIALS."""
    if explicit is not None:
        return explicit
    named = os.environ.get(ENVIRONMENT)
    if not named:
        raise CredentialError(
            f"no credentials file: set {ENVIRONMENT} to its path (outside the repository), "
            f"or use {given('demo', 'a demo build')} for the demo credentials"
        )
    return Path(named)


def load_credentials(path: Path, must_exist: bool = True) -> Credentials:
    """Read a credentials file; a missing file is an empty one when `must_exist` is False."""
    if not path.exists():
        if must_exist:
            raise CredentialError(
                f"credentials file {path} does not exist; create it with `forum credentials add`"
            )
        return Credentials(path)
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CredentialError(f"{path}: could not be read: {error}") from None
    credentials = Credentials(path)
    for user, entry in (document.get("delegations") or {}).items():
        credentials.delegations[str(user)] = _credential(path, str(user), entry, guest=False)
    for user, entry in (document.get("guests") or {}).items():
        credentials.guests[str(user)] = _credential(path, str(user), entry, guest=True)
    return credentials


def _credential(path: Path, user: str, entry: Any, guest: bool) -> Credential:
    where = f"{'guests' if guest else 'delegations'}.{user}"
    if not isinstance(entry, dict) or not str(entry.get("password") or "").strip():
        raise ContentError(path, where, "expected a password")
    try:
        issued = _day(entry.get("issued")) or date.today()
        if not guest:
            return Credential(user, str(entry["password"]), issued)
        topics = tuple(str(topic) for topic in entry.get("topics") or [])
        if not topics or not entry.get("requested_by") or not entry.get("until"):
            raise ValueError("a guest needs topics, requested_by and until")
        until = _day(entry["until"])
        return Credential(user, str(entry["password"]), issued, topics, str(entry["requested_by"]), until)
    except (ValueError, TypeError) as error:
        raise ContentError(path, where, f"expected a valid entry: {error}") from None


def _day(value: object) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def save_credentials(credentials: Credentials) -> None:
    """Write the file atomically, readable by its owner only."""
    document: dict[str, Any] = {
        "delegations": {
            c.user: {"password": c.password, "issued": c.issued} for c in credentials.all() if not c.is_guest
        },
        "guests": {
            c.user: {
                "password": c.password,
                "issued": c.issued,
                "topics": list(c.topics),
                "requested_by": c.requested_by,
                "until": c.until,
            }
            for c in credentials.all()
            if c.is_guest
        },
    }
    header = "# Forum credentials: SECRET. Keep outside the repository; never commit or publish.\n"
    text = header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    write_atomically(credentials.path, text, private=True)

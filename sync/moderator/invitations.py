"""Guests invited at a member state's request: the register, the roster, the credential.

`forum invite` records the request and the moderator's decision in `content/invitations.yml`
(the register, shown to the moderator on the site), adds the guest to the roster for that
one topic, and issues the guest's credential (a file outside the repository, see
`sync.model.credentials`). `forum invite revoke` ends it: the register says when, the roster
entry goes, and the credential no longer opens the topic.

Everything is validated before anything is written, so a refusal changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from sync.model.content import load_forum
from sync.model.credentials import Credential, Credentials, save_credentials
from sync.model.domain import Role
from sync.model.errors import ForumError, given
from sync.model.fields import DESCRIPTION_LIMIT, plain_line
from sync.model.files import write_atomically
from sync.model.register import REGISTER, Invitation, active_invitation, load_register, save_register
from sync.model.roster import read_yaml

ROSTER = "roster.yml"


class InvitationError(ForumError):
    """An invitation that cannot be recorded or revoked; the message says what to do."""


# Inviting and revoking ----------------------------------------------------------------------


def invite(
    content: Path,
    languages: tuple[str, ...],
    store: Credentials | None,
    invitation: Invitation,
    today: date,
) -> Credential | None:
    """Record the request and decision; if accepted, add the guest to the roster and issue the
    credential (returned, with its password, to be given by a safe channel)."""
    for option, value in [("name", invitation.name), ("organization", invitation.organization)]:
        plain_line(given(option), None, value)
    if invitation.reason is not None:
        plain_line(given("reason", "the reason"), None, invitation.reason, DESCRIPTION_LIMIT)
    forum = load_forum(content, languages)
    register = load_register(content)
    topic = forum.topic(invitation.topic)
    if topic is None:
        raise InvitationError(
            f"{given('topic')} {invitation.topic}: no such topic in content/; use the id in topic.md"
        )
    if invitation.requested_by not in forum.roster.member_states:
        raise InvitationError(
            f"{given('requested_by')} {invitation.requested_by}: not a member state of the roster"
        )
    if invitation.until < today:
        raise InvitationError(
            f"{given('until')} {invitation.until.isoformat()} is in the past; the guest would be expired"
        )
    if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})", invitation.guest):
        raise InvitationError(
            f"{given('guest')} {invitation.guest!r}: expected a GitHub login (letters, digits, -)"
        )
    person = forum.roster.person(invitation.guest)
    if person is not None and person.role is not Role.GUEST:
        raise InvitationError(f"@{invitation.guest} is on the roster as a {person.role.value}, not a guest")
    if any(
        i.guest.lower() == invitation.guest.lower() and i.topic == topic.id
        for i in register
        if i.active(today)
    ):
        raise InvitationError(f"@{invitation.guest} is already invited to topic {topic.id}; revoke it first")
    credential = None
    if invitation.decision == "accepted":
        if store is None:
            raise InvitationError("accepting an invitation issues a credential: set FORUM_CREDENTIALS")
        known = set(forum.roster.member_states)
        credential = store.add_guest(
            invitation.guest, topic.id, invitation.requested_by, invitation.until, known, today
        )
        save_credentials(store)
        _change_guests(content, lambda guests: [*guests, _roster_entry(invitation)])
    save_register(content, [*register, invitation])
    return credential


def revoke(content: Path, store: Credentials, guest: str, topic: str, today: date) -> Invitation:
    """End an invitation: the register notes the day, the roster entry and the credential's
    access to the topic go (the credential itself when it opened nothing else)."""
    register = load_register(content)
    index = active_invitation(register, guest, topic, today)
    if index is None:
        raise InvitationError(f"no active invitation of @{guest} to topic {topic} in content/{REGISTER}")
    invitation = replace(register[index], revoked=today)
    credential = store.guests.get(invitation.guest)
    if credential is not None:
        remaining = tuple(t for t in credential.topics if t != topic)
        if remaining:
            store.guests[invitation.guest] = replace(credential, topics=remaining)
        else:
            store.revoke(invitation.guest)
        save_credentials(store)

    def without(guests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            g
            for g in guests
            if not (str(g.get("login")).lower() == guest.lower() and g.get("topic") == topic)
        ]

    _change_guests(content, without)
    register[index] = invitation
    save_register(content, register)
    return invitation


def _roster_entry(invitation: Invitation) -> dict[str, Any]:
    return {
        "login": invitation.guest,
        "name": invitation.name,
        "organization": invitation.organization,
        "topic": invitation.topic,
        "requested_by": invitation.requested_by,
        "until": invitation.until,
    }


def _change_guests(content: Path, change: Any) -> None:
    """Rewrite only the roster's `guests:` block, so its comments and the rest stay as written."""
    path = content / ROSTER
    text = path.read_text(encoding="utf-8")
    guests = list((read_yaml(path) or {}).get("guests") or [])
    block = yaml.safe_dump({"guests": change(guests)}, allow_unicode=True, sort_keys=False, width=1000)
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if line.startswith("guests:")), None)
    if start is None:
        write_atomically(path, text + ("" if text.endswith("\n") or not text else "\n") + block)
        return
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " -#"):
        end += 1
    write_atomically(path, "".join(lines[:start]) + block + "".join(lines[end:]))

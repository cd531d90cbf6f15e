"""The register of guest invitations (`content/invitations.yml`): each request a member state
made for a guest, and the moderator's decision. `sync.moderator.invitations` keeps it; the
site shows it to the moderator.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import yaml

from sync.model.domain import ContentError
from sync.model.fields import DESCRIPTION_LIMIT, LINE_LIMIT, plain_line
from sync.model.files import write_atomically
from sync.model.roster import read_yaml

REGISTER = "invitations.yml"
# What the register says in words: each one line of plain text, shown to the moderator.
PLAIN_FIELDS = ("guest", "name", "organization", "topic", "requested_by", "reason")


@dataclass
class Invitation:
    """One request for a guest, and what the moderator decided."""

    guest: str  # GitHub login, also the guest's user name on the site
    name: str
    organization: str
    topic: str
    requested_by: str  # the member state that asked
    until: date
    decision: str  # accepted or declined
    decided: date
    reason: str | None = None  # why it was declined
    revoked: date | None = None
    room: str | None = None  # owner/name of the guest's room on GitHub (sync.moderator.rooms)
    room_discussion: str | None = None  # node id of the room's one discussion

    def active(self, today: date) -> bool:
        """Accepted, not revoked, not expired."""
        return self.decision == "accepted" and self.revoked is None and today <= self.until


def load_register(content: Path) -> list[Invitation]:
    """Every invitation requested, oldest first; no file means none."""
    path = content / REGISTER
    entries = read_yaml(path) if path.is_file() else None
    if not entries:
        return []
    if not isinstance(entries, list):
        raise ContentError(path, None, "expected a list of invitations")
    try:
        register = [Invitation(**entry) for entry in entries]
    except TypeError as error:
        raise ContentError(path, None, f"expected the fields of an invitation: {error}") from None
    for number, invitation in enumerate(register, start=1):
        for name in PLAIN_FIELDS:
            value = getattr(invitation, name)
            if value is not None:
                limit = DESCRIPTION_LIMIT if name == "reason" else LINE_LIMIT
                plain_line(path, f"[{number}].{name}", str(value), limit)
    return register


def active_invitation(register: list[Invitation], guest: str, topic: str, today: date) -> int | None:
    """Where in the register the guest's active invitation to the topic stands, if it does."""
    return next(
        (
            n
            for n, i in enumerate(register)
            if i.guest.lower() == guest.lower() and i.topic == topic and i.active(today)
        ),
        None,
    )


def save_register(content: Path, register: list[Invitation]) -> None:
    """Write the register atomically."""
    header = "# Guests invited at a member state's request (`forum invite`): the request and the decision.\n"
    entries = [{k: v for k, v in asdict(i).items() if v is not None} for i in register]
    write_atomically(
        content / REGISTER, header + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
    )

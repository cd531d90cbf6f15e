"""Who should have access to the forum on GitHub, and the plan that gets it there.

GitHub lets anyone who can comment in a repository's discussions read the whole
repository, so access to the forum's repository is a product of the roster: every
delegate of a member state that holds a delegation credential, the moderators, and the
administrators named in `content/access.yml`. Guests never get it: each takes part from a
room of their own (a private repository holding one discussion, see `sync.moderator.rooms`).

`plan_access` is a pure function of what should be and what is; `sync.github.access`
reads what is and carries the plan out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sync.model.domain import ContentError, Role, Roster
from sync.model.errors import ForumError
from sync.model.register import REGISTER, load_register
from sync.model.roster import read_yaml

ACCESS_FILE = "access.yml"
DEFAULT_ROOM_NAME = "{repository}-guest-{login}"
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
_PERMISSIONS = ("pull", "triage", "push", "maintain")


class AccessError(ForumError):
    """An access plan that must not be carried out; the message says why."""


@dataclass(frozen=True)
class AccessSettings:
    """`content/access.yml`: the one home of the forum's GitHub access settings."""

    administrators: tuple[str, ...] = ()  # never removed by a plan
    team_organization: str | None = None  # access through an organization team, if set
    team_slug: str | None = None
    # What a delegate gets: read is enough to write in a private repository's discussions.
    permission: str = "pull"
    room_owner: str | None = None  # where guests' rooms are created; None: the forum's owner
    room_name: str = DEFAULT_ROOM_NAME  # {repository} and {login} are filled in

    @property
    def uses_team(self) -> bool:
        """True when access is the membership of an organization team, not collaborators."""
        return self.team_slug is not None

    def room_repository(self, forum_repository: str, guest: str) -> str:
        """owner/name of a guest's room for the forum `forum_repository` (owner/name)."""
        owner, _, name = forum_repository.partition("/")
        room = self.room_name.format(repository=name, login=guest.lower())
        return f"{self.room_owner or owner}/{room}"


def load_access_settings(content: Path) -> AccessSettings:
    """The settings of `content/access.yml`; no file means defaults (collaborators)."""
    path = content / ACCESS_FILE
    if not path.is_file():
        return AccessSettings()
    document = read_yaml(path) or {}
    if not isinstance(document, dict):
        raise ContentError(path, None, "expected a mapping (administrators, team, rooms)")
    admins = document.get("administrators") or []
    if not isinstance(admins, list) or not all(isinstance(a, str) and _LOGIN.fullmatch(a) for a in admins):
        raise ContentError(path, "administrators", "expected a list of GitHub logins")
    team = document.get("team") or {}
    if not isinstance(team, dict) or (team and not {"organization", "slug"} <= set(team)):
        raise ContentError(path, "team", "expected organization and slug of a GitHub team, or nothing")
    permission = str(document.get("permission") or "pull")
    if permission not in _PERMISSIONS:
        raise ContentError(path, "permission", f"expected one of {', '.join(_PERMISSIONS)}")
    rooms = document.get("rooms") or {}
    if not isinstance(rooms, dict):
        raise ContentError(path, "rooms", "expected a mapping with owner and name")
    name = str(rooms.get("name") or DEFAULT_ROOM_NAME)
    if "{login}" not in name or not re.fullmatch(r"[A-Za-z0-9._{}-]+", name):
        raise ContentError(
            path, "rooms.name", "expected a repository name with {login} (and {repository}), e.g. "
            + DEFAULT_ROOM_NAME,
        )  # fmt: skip
    try:
        name.format(repository="r", login="l")
    except (KeyError, IndexError, ValueError):
        raise ContentError(path, "rooms.name", "expected only {repository} and {login} as fields") from None
    owner = rooms.get("owner")
    if owner is not None and not (isinstance(owner, str) and _LOGIN.fullmatch(owner)):
        raise ContentError(path, "rooms.owner", "expected a GitHub account or organization")
    return AccessSettings(
        administrators=tuple(admins),
        team_organization=str(team["organization"]) if team else None,
        team_slug=str(team["slug"]) if team else None,
        permission=permission,
        room_owner=owner,
        room_name=name,
    )


@dataclass(frozen=True)
class CurrentAccess:
    """Who has access on GitHub now: members (collaborators or team members) and invitations."""

    members: frozenset[str]  # logins, lower case
    invitations: dict[str, int] = field(default_factory=dict)  # invited login (lower case) → id
    admins: frozenset[str] = frozenset()  # members holding the admin or maintain role on GitHub


@dataclass(frozen=True)
class Room:
    """A guest's room as the invitation register (`content/invitations.yml`) records it."""

    repository: str  # owner/name
    guest: str
    topic: str
    discussion: str  # node id of the room's one discussion
    active: bool  # the invitation is accepted, not revoked, not past its last day
    archived: bool


def load_rooms(
    content: Path, today: date, settings: AccessSettings, forum_repository: str
) -> tuple[Room, ...]:
    """The rooms recorded in the invitation register, oldest first.

    A room is written to, read from and archived, so the register is not trusted to name
    any repository: a room is named by `rooms.name` for its guest, or it is refused."""
    path = content / REGISTER
    rooms = []
    for number, invitation in enumerate(load_register(content), start=1):
        if not invitation.room:
            continue
        if not invitation.room_discussion:
            raise ContentError(
                path, f"[{number}].room_discussion", "expected the node id of the room's discussion"
            )
        _check_room(path, number, invitation.room, invitation.guest, settings, forum_repository)
        rooms.append(
            Room(
                repository=invitation.room,
                guest=invitation.guest,
                topic=invitation.topic,
                discussion=invitation.room_discussion,
                active=invitation.active(today),
                archived=False,  # GitHub says; see sync.moderator.rooms.with_github_state
            )
        )
    return tuple(rooms)


def _check_room(
    path: Path, number: int, repository: str, guest: str, settings: AccessSettings, forum_repository: str
) -> None:
    expected = settings.room_repository(forum_repository, guest)
    pattern = re.escape(expected.lower()) + r"(-[0-9]+)?"
    if repository.lower() == forum_repository.lower() or not re.fullmatch(pattern, repository.lower()):
        raise ContentError(
            path, f"[{number}].room", f"expected @{guest}'s room, {expected} (rooms.name in {ACCESS_FILE})"
        )


@dataclass(frozen=True)
class AccessPlan:
    """What `forum access --apply` does: invite, remove, cancel; rooms to close."""

    invite: tuple[str, ...]
    remove: tuple[str, ...]
    cancel: tuple[tuple[str, int], ...]  # (login, invitation id)
    unchanged: int
    close_rooms: tuple[Room, ...] = ()
    protected: tuple[str, ...] = ()  # present, not due, but the forum's own account
    permissions: dict[str, str] = field(default_factory=dict)  # invited login → repository role
    reasons: dict[str, str] = field(default_factory=dict)  # removed or cancelled login → why

    @property
    def empty(self) -> bool:
        """Nothing to do."""
        return not (self.invite or self.remove or self.cancel or self.close_rooms)


def due_access(roster: Roster, delegations: frozenset[str], settings: AccessSettings) -> dict[str, str]:
    """Login (lower case) → why it is due: delegates of credentialed member states, moderators,
    administrators. A member state without a delegation credential has no access."""
    due: dict[str, str] = {}
    for admin in settings.administrators:
        due[admin.lower()] = "administrator"
    for moderator in roster.moderators:
        due[moderator.login.lower()] = "moderator"
    for code, state in roster.member_states.items():
        if code.upper() in delegations:
            for delegate in state.delegates:
                due.setdefault(delegate.login.lower(), f"delegate of {code}")
    return due


def plan_access(
    roster: Roster,
    delegations: frozenset[str],
    settings: AccessSettings,
    current: CurrentAccess,
    rooms: tuple[Room, ...] = (),
    forum_account: str | None = None,
) -> AccessPlan:
    """The difference between who should have access and who has it; refuses a plan that
    would leave the forum without a moderator."""
    due = due_access(roster, delegations, settings)
    keep = {a.lower() for a in settings.administrators} | (
        {forum_account.lower()} if forum_account else set()
    )
    invite = sorted(
        login for login in due if login not in current.members and login not in current.invitations
    )
    extra = sorted(current.members - set(due))
    remove = [login for login in extra if login not in keep]
    protected = [login for login in extra if login in keep]
    cancel = sorted((login, number) for login, number in current.invitations.items() if login not in due)
    unchanged = sum(1 for login in due if login in current.members or login in current.invitations)
    if not roster.moderators:
        raise AccessError("content/roster.yml names no moderator: the plan would leave the forum without one")
    holders = current.admins - keep  # people who moderate on GitHub today (admin or maintain)
    if holders and holders <= set(remove):
        raise AccessError(
            "refused: the plan would remove every moderator holding admin or maintain access on GitHub "
            f"({', '.join('@' + h for h in sorted(holders))}); check moderators in content/roster.yml, "
            f"or name them under administrators in content/{ACCESS_FILE}"
        )
    permissions = {login: _permission(why, settings) for login, why in due.items() if login in invite}
    close = tuple(room for room in rooms if not room.active and not room.archived)
    return AccessPlan(
        invite=tuple(invite),
        remove=tuple(remove),
        cancel=tuple(cancel),
        unchanged=unchanged,
        close_rooms=close,
        protected=tuple(protected),
        permissions=permissions,
        reasons={login: _why_not(login, roster) for login in [*remove, *(c[0] for c in cancel)]},
    )


def _why_not(login: str, roster: Roster) -> str:
    """Why someone who has access (or an invitation) should not."""
    person = roster.person(login)
    if person is None:
        return "not on the roster"
    if person.role is Role.GUEST:
        return "a guest: takes part from their room only"
    return f"delegate of {person.member_state}, whose delegation holds no credential"


def _permission(why: str, settings: AccessSettings) -> str:
    """Administrators administer, moderators maintain (they hide and delete comments)."""
    return {"administrator": "admin", "moderator": "maintain"}.get(why, settings.permission)


def describe_plan(plan: AccessPlan, due: dict[str, str], target: str, today: date) -> list[str]:
    """The plan in lines a moderator reads."""
    lines = [f"Access to {target} ({today.isoformat()}):"]
    lines += [f"  invite  @{login} ({due[login]})" for login in plan.invite]
    lines += [f"  remove  @{login} ({plan.reasons[login]})" for login in plan.remove]
    lines += [f"  cancel  the invitation of @{login} ({plan.reasons[login]})" for login, _ in plan.cancel]
    lines += [f"  keep    @{login} (the forum's own account)" for login in plan.protected]
    lines += [
        f"  close   room {room.repository} of @{room.guest} (invitation ended): access removed, archived"
        for room in plan.close_rooms
    ]
    lines.append(
        f"{len(plan.invite)} to invite, {len(plan.remove)} to remove, {len(plan.cancel)} invitation(s) "
        f"to cancel, {len(plan.close_rooms)} room(s) to close, {plan.unchanged} unchanged."
    )
    return lines

"""A guest's room: prepared by `forum invite`, closed by `forum access --apply`.

The room is a private repository of its own (named by `rooms.name` in content/access.yml)
with one discussion that mirrors the topic: its opening post and the replies so far, each
copied by the forum's account with who wrote it (delegate and member state, moderator)
and in the language it was written in. The guest is invited to that repository only, so
on GitHub they read their topic and nothing else. The register (content/invitations.yml)
records the room; `forum sync` then carries replies both ways (`sync.intake.rooms`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sync.github.client import GitHubClient, GitHubError
from sync.github.limits import ContentLimiter
from sync.github.rooms import (
    add_copy,
    close_room,
    copy_original,
    create_room,
    delete_copy,
    open_room_discussion,
    room_is_archived,
)
from sync.model.access import AccessSettings, Room
from sync.model.content import load_forum
from sync.model.domain import Forum, Reply, Topic
from sync.model.errors import given
from sync.model.mirrors import (
    Mirror,
    author_line,
    copy_body,
    fingerprint,
    load_mirrors,
    opening_body,
    save_mirrors,
)
from sync.model.register import Invitation, active_invitation, load_register, save_register
from sync.moderator.invitations import InvitationError

ROOM_DESCRIPTION = "A guest's room of the forum: one topic, mirrored. Private."


def prepare_room(
    content: Path,
    languages: tuple[str, ...],
    guest: str,
    topic_id: str,
    client: GitHubClient,
    settings: AccessSettings,
    today: date,
    limiter: ContentLimiter | None = None,
) -> Invitation:
    """Make the guest's room for an active invitation, mirror the topic into it, record it."""
    register = load_register(content)
    index = active_invitation(register, guest, topic_id, today)
    if index is None:
        raise InvitationError(
            f"no active invitation of @{guest} to topic {topic_id} in content/invitations.yml"
        )
    invitation = register[index]
    if invitation.room:
        raise InvitationError(f"@{guest} already has a room for topic {topic_id}: {invitation.room}")
    forum = load_forum(content, languages)
    topic = forum.topic(topic_id)
    if topic is None:
        raise InvitationError(f"{given('topic')} {topic_id}: no such topic in content/")
    repository = _free_name(settings.room_repository(client.repository, invitation.guest), register)
    create_room(client, repository, invitation.guest, ROOM_DESCRIPTION)
    discussion, _ = open_room_discussion(client, repository, topic.title, _opening(forum, topic))
    mirrors = load_mirrors(content)
    # The room's discussion is the copy of the topic's opening post: an edit updates it.
    mirrors.append(Mirror(topic.id, discussion, discussion, fingerprint(topic.body), topic.id))
    mirrors += mirror_topic(forum, topic, client, discussion, limiter or ContentLimiter(client.clock))
    save_mirrors(content, mirrors)
    register[index] = replace(invitation, room=repository, room_discussion=discussion)
    save_register(content, register)
    return register[index]


def _free_name(repository: str, register: list[Invitation]) -> str:
    """The room's name, numbered when the guest already has a room for another topic."""
    taken = {i.room.lower() for i in register if i.room}
    name, number = repository, 2
    while name.lower() in taken:
        name, number = f"{repository}-{number}", number + 1
    return name


def _opening(forum: Forum, topic: Topic) -> str:
    return opening_body(forum, topic, topic.body)


def mirror_topic(
    forum: Forum, topic: Topic, client: GitHubClient, discussion: str, limiter: ContentLimiter
) -> list[Mirror]:
    """Copy the topic's replies, oldest first and threaded as they are, into the room."""
    copies: dict[str, str] = {}
    mirrors = []
    by_id = {reply.id: reply for reply in topic.replies}
    for reply in sorted(topic.replies, key=lambda r: (r.parent is not None, r.date)):
        if not limiter.acquire():
            break  # the hour is full: the sync copies the rest later
        parent = copies.get(_thread_root(reply, by_id) or "")
        copy = add_copy(client, discussion, reply_body(forum, reply), parent)
        copies[reply.id] = copy
        mirrors.append(Mirror(reply.id, copy, discussion, fingerprint(reply.body), topic.id))
    return mirrors


def reply_body(forum: Forum, reply: Reply) -> str:
    """A reply's copy, attributed to its author and member state, in its own language."""
    person = forum.roster.person(reply.author)
    return copy_body(
        reply.body, author_line(reply.author, person, reply.language, reply.member_state), reply.id
    )


def _thread_root(reply: Reply, by_id: dict[str, Reply]) -> str | None:
    """The top-level reply a thread hangs from (GitHub threads one level deep)."""
    parent = by_id.get(reply.parent or "")
    if parent is None:
        return None
    return parent.parent if parent.parent else parent.id


def with_github_state(client: GitHubClient, rooms: tuple[Room, ...]) -> tuple[Room, ...]:
    """The rooms, with whether GitHub has archived those whose invitation ended."""
    return tuple(
        room
        if room.active
        else replace(room, archived=room_is_archived(client, room.repository) is not False)
        for room in rooms
    )


def close_ended_rooms(client: GitHubClient, rooms: tuple[Room, ...]) -> list[str]:
    """Remove each ended invitation's guest from their room and archive it (read-only)."""
    return [close_room(client, room.repository, room.guest) for room in rooms]


def erase_copies(content: Path, post_id: str, client: GitHubClient | None) -> str:
    """Delete the copies of an erased post (in a room or a topic) and forget them; what was done."""
    mirrors = load_mirrors(content)
    copies = [m for m in mirrors if m.original == post_id]
    if not copies:
        return ""
    if client is None:
        raise GitHubError(f"{post_id} has copies in guests' rooms: give --repository and --token")
    # Only comments that say they copy this post are deleted, whatever the record claims.
    deleted = sum(
        1 for m in copies if copy_original(client, m.copy) == post_id and delete_copy(client, m.copy)
    )
    save_mirrors(content, [m for m in mirrors if m.original != post_id])
    return f"; {deleted} of its {len(copies)} copies deleted"

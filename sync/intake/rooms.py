"""`forum sync` and the guests' rooms: what a guest writes comes in, the conversation goes out.

A guest writes in the one discussion of their room (a private repository of its own, see
`sync.moderator.rooms`). Each sync:
1. reads every active room, and the room of any topic it read (`read_rooms`);
2. merges the room's posts into the topic's discussion (`merge_rooms`), so they go through
   the same moderation as any reply (roster, hidden, edited, deleted, erased), and drops the
   copies the forum's account made, which are not contributions;
3. after the import, copies (`mirror_rooms`): each admitted post of the room into the topic's
   main discussion, attributed, so that delegates see it where they write; each admitted
   reply of the main discussion into the room, so that the guest follows. An edited original
   updates its copy; a deleted, hidden or erased one takes its copy with it. Only the room's
   own topic ever reaches a room, and nothing reaches a room whose invitation ended.

Copies respect GitHub's limits on content creation (`ContentLimiter`) and keep a reserve of
the GraphQL budget; what does not fit waits for the next sync, as copies are recognised by
the marker that ends them and recorded in content/mirrors.yml.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sync.github.access import forum_account
from sync.github.client import GitHubClient, GitHubError
from sync.github.discussions import Discussion, DiscussionComment, Fetched, fetch_discussion
from sync.github.limits import ContentLimiter
from sync.github.rooms import add_copy, delete_copy, update_copy, update_opening
from sync.intake.language import detect_language
from sync.intake.rules import Rules, author_verdict
from sync.intake.sanitize import sanitize_body
from sync.model.access import Room, load_access_settings, load_rooms
from sync.model.content import normal_body
from sync.model.domain import Forum, Person
from sync.model.mirrors import (
    Mirror,
    author_line,
    copy_body,
    fingerprint,
    load_mirrors,
    marked_original,
    opening_body,
    save_mirrors,
)
from sync.model.tombstones import erased_ids

RESERVE_POINTS = 50  # of the GraphQL budget, left for the next sync's reading


@dataclass
class RoomReading:
    """The rooms a sync read: each room with its discussion, and who the forum's account is."""

    account: str = ""
    rooms: list[tuple[Room, Discussion]] = field(default_factory=list)
    mains: dict[str, Discussion] = field(default_factory=dict)  # topic id → main discussion as read
    mirrors: list[Mirror] = field(default_factory=list)


@dataclass
class RoomsOutcome:
    """What the sync did with the rooms, for its report."""

    read: int = 0
    copied: int = 0
    updated: int = 0
    deleted: int = 0
    paused: str | None = None


def read_rooms(client: GitHubClient, content: Path, fetched: Fetched, today: date) -> RoomReading:
    """Read the rooms this sync needs, and the main discussion of each active room's topic."""
    rooms = load_rooms(content, today, load_access_settings(content), client.repository)
    reading = RoomReading(mirrors=load_mirrors(content))
    seen = {discussion.id: discussion for discussion in fetched.discussions}
    wanted = [room for room in rooms if room.active or room.topic in seen]
    if not wanted:
        return reading
    reading.account = forum_account(client)
    for room in wanted:
        discussion = fetch_discussion(client, room.discussion)
        if discussion is None:
            raise GitHubError(
                f"the discussion {room.discussion} of @{room.guest}'s room {room.repository} cannot be "
                "read: check that the token reaches the room's repository (README, On GitHub); if the "
                "room was removed on purpose, remove room: from its invitation in content/invitations.yml"
            )
        if f"/{room.repository.lower()}/discussions/" not in discussion.url.lower():
            raise GitHubError(
                f"the discussion {room.discussion} of @{room.guest}'s room is not in {room.repository}"
            )
        reading.rooms.append((room, discussion))
        if room.topic not in seen:
            main = fetch_discussion(client, room.topic)
            if main is not None:
                fetched.discussions.append(main)
                seen[main.id] = main
        if room.topic in seen:
            reading.mains[room.topic] = seen[room.topic]
    return reading


def _copies(reading: RoomReading, discussion: Discussion) -> dict[str, str]:
    """Copy id → original id, for the copies in `discussion`.

    A copy ends with the marker naming its original, and was made by the forum's account or
    is recorded in content/mirrors.yml (copies made by `forum invite` with the moderator's
    token). Neither alone is enough: a delegate's own marker, or a hand-edited record, must
    not make a contribution vanish from the import."""
    recorded = {m.copy for m in reading.mirrors if m.discussion == discussion.id}
    found = {}
    for post in discussion.posts():
        original = marked_original(post.body)
        by_forum = (post.author or "").lower() == reading.account.lower()
        if original is not None and (by_forum or post.id in recorded):
            found[post.id] = original
    return found


def _flat(discussion: Discussion, copies: dict[str, str]) -> list[DiscussionComment]:
    """The discussion's own posts, flat, with threads pointing at originals, not copies."""
    posts = []
    for post in discussion.posts():
        if post.id in copies:
            continue
        parent = copies.get(post.reply_to or "", post.reply_to)
        posts.append(replace(post, reply_to=parent, replies=()))
    return posts


def merge_rooms(fetched: Fetched, reading: RoomReading) -> Fetched:
    """The fetched discussions with each topic's room posts merged in and every copy left out."""
    if not reading.account:
        return fetched  # no room was read: no copy to leave out
    rooms_of: dict[str, list[Discussion]] = {}
    for room, discussion in reading.rooms:
        rooms_of.setdefault(room.topic, []).append(discussion)
    merged = []
    for discussion in fetched.discussions:
        copies = _copies(reading, discussion)
        if not copies and discussion.id not in rooms_of:
            merged.append(discussion)  # no room, no copy: as GitHub gave it
            continue
        posts = _flat(discussion, copies)
        for room_discussion in rooms_of.get(discussion.id, []):
            posts += _flat(room_discussion, _copies(reading, room_discussion))
        merged.append(replace(discussion, comments=tuple(posts)))
    return replace(fetched, discussions=merged)


def mirror_rooms(
    client: GitHubClient,
    content: Path,
    reading: RoomReading,
    rules: Rules,
    forum: Forum,
    limiter: ContentLimiter,
) -> RoomsOutcome:
    """Copy admitted posts between each active room and its topic; record the copies."""
    outcome = RoomsOutcome(read=len(reading.rooms))
    erased = erased_ids(content)
    mirrors = list(reading.mirrors)
    for room, room_discussion in reading.rooms:
        main = reading.mains.get(room.topic)
        if not room.active or main is None or outcome.paused:
            continue
        mirror = _Mirror(client, reading, rules, forum, erased, limiter, outcome, mirrors)
        mirror.opening(main, room_discussion)
        mirror.between(main, room_discussion, room.topic)
        mirror.between(room_discussion, main, room.topic)
        for other, other_discussion in reading.rooms:  # another guest on the same topic
            if other.topic == room.topic and other_discussion.id != room_discussion.id:
                mirror.between(other_discussion, room_discussion, room.topic)
    save_mirrors(content, mirrors)
    return outcome


class _Mirror:
    """Copies from one discussion into another, for one room."""

    def __init__(
        self,
        client: GitHubClient,
        reading: RoomReading,
        rules: Rules,
        forum: Forum,
        erased: frozenset[str],
        limiter: ContentLimiter,
        outcome: RoomsOutcome,
        mirrors: list[Mirror],
    ) -> None:
        self.client, self.reading, self.rules, self.forum = client, reading, rules, forum
        self.erased, self.limiter, self.outcome, self.mirrors = erased, limiter, outcome, mirrors
        self.replies = {reply.id: reply for topic in forum.topics for reply in topic.replies}

    def between(self, source: Discussion, target: Discussion, topic: str) -> None:
        """Copy `source`'s admitted posts into `target`; update and delete stale copies."""
        source_copies = _copies(self.reading, source)
        represented = {original: copy for copy, original in _copies(self.reading, target).items()}
        own = [post for post in source.posts() if post.id not in source_copies]
        admitted = {post.id: body for post in own if (body := self._admitted(post, topic)) is not None}
        from_source = {m.copy for m in self.mirrors if m.discussion == target.id and m.source == source.id}
        for original, copy in list(represented.items()):
            if copy in from_source and original not in admitted:
                self._delete(copy)  # deleted, hidden or erased at the source: its copy goes too
                del represented[original]
        for post in own:
            body = admitted.get(post.id)
            if body is None:
                continue
            copy = represented.get(post.id)
            if copy is not None:
                self._update(post, copy, body, source, target)
            elif not self._create(post, body, source, target, represented, source_copies):
                return

    def opening(self, main: Discussion, room_discussion: Discussion) -> None:
        """Update the room's copy of the topic's opening post if the topic was edited."""
        record = next(
            (m for m in self.mirrors if m.copy == room_discussion.id and m.original == main.id), None
        )
        topic = self.forum.topic(main.id)
        body = normal_body(sanitize_body(main.body))
        if record is None or topic is None or record.fingerprint == fingerprint(body) or not body.strip():
            return
        if not self._room_for_writing():
            return
        update_opening(self.client, room_discussion.id, opening_body(self.forum, topic, body))
        self.mirrors[:] = [m for m in self.mirrors if m is not record]
        self.mirrors.append(replace(record, fingerprint=fingerprint(body)))
        self.outcome.updated += 1

    def _admitted(self, post: DiscussionComment, topic: str) -> str | None:
        """The text to copy, or None when the forum does not admit the post."""
        if post.deleted_at is not None or post.is_minimized or post.id in self.erased:
            return None
        if not isinstance(author_verdict(post.author, self.rules, topic, post.created_at), Person):
            return None
        body = normal_body(sanitize_body(post.body))
        return body if body.strip() else None

    def _line(self, post: DiscussionComment, body: str) -> str:
        login = post.author or ""
        person = self.rules.roster.person(login)
        known = self.replies.get(post.id)
        language = known.language if known else detect_language(body, self.rules.languages)
        state = known.member_state if known else (person.member_state if person else None)
        return author_line(login, person, language or self.rules.languages[0], state)

    def _room_for_writing(self) -> bool:
        remaining = self.client.budget.remaining
        if remaining is not None and remaining < RESERVE_POINTS:
            self.outcome.paused = f"GraphQL budget low ({remaining} points left)"
            return False
        if not self.limiter.acquire():
            self.outcome.paused = "GitHub's limit of 500 new comments an hour reached"
            return False
        return True

    def _create(
        self,
        post: DiscussionComment,
        body: str,
        source: Discussion,
        target: Discussion,
        represented: dict[str, str],
        source_copies: dict[str, str],
    ) -> bool:
        if not self._room_for_writing():
            return False
        parent = self._thread_in(target, post, represented, source_copies)
        made = add_copy(self.client, target.id, copy_body(body, self._line(post, body), post.id), parent)
        represented[post.id] = made
        self.mirrors.append(Mirror(post.id, made, target.id, fingerprint(body), source.id))
        self.outcome.copied += 1
        return True

    def _thread_in(
        self,
        target: Discussion,
        post: DiscussionComment,
        represented: dict[str, str],
        source_copies: dict[str, str],
    ) -> str | None:
        """The top-level comment of `target` that the copy answers (threads are one level deep)."""
        parent = post.reply_to
        if parent is None:
            return None
        parent = source_copies.get(parent, parent)  # a reply to a copy answers its original
        targets = {p.id: p for p in target.posts()}
        node = parent if parent in targets else represented.get(parent)
        if node is None:
            return None
        found = targets.get(node)
        return found.reply_to if found is not None and found.reply_to else node

    def _update(
        self, post: DiscussionComment, copy: str, body: str, source: Discussion, target: Discussion
    ) -> None:
        record = next((m for m in self.mirrors if m.copy == copy), None)
        if record is not None and record.fingerprint == fingerprint(body):
            return
        if not self._room_for_writing():
            return
        update_copy(self.client, copy, copy_body(body, self._line(post, body), post.id))
        self.mirrors[:] = [m for m in self.mirrors if m.copy != copy]
        self.mirrors.append(Mirror(post.id, copy, target.id, fingerprint(body), source.id))
        self.outcome.updated += 1

    def _delete(self, copy: str) -> None:
        delete_copy(self.client, copy)
        self.mirrors[:] = [m for m in self.mirrors if m.copy != copy]
        self.outcome.deleted += 1

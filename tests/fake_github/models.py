"""The fake GitHub's objects: repositories, discussions, comments, pull requests.

The dataclasses mirror GitHub's objects closely enough that the GraphQL layer can
serve most fields straight from their attributes (``lastEditedAt`` is read from
``last_edited_at`` and so on); properties fill in the derived ones (urls,
``nameWithOwner``, ``bodyHTML``).
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

#: GitHub's default discussion categories for a new repository: (name, slug, emoji, answerable).
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, bool], ...] = (
    ("Announcements", "announcements", ":mega:", False),
    ("General", "general", ":speech_balloon:", False),
    ("Ideas", "ideas", ":bulb:", False),
    ("Polls", "polls", ":ballot_box:", False),
    ("Q&A", "q-a", ":pray:", True),
    ("Show and tell", "show-and-tell", ":raised_hands:", False),
)

#: GraphQL's ReportedContentClassifiers, as GitHub reports them back in ``minimizedReason``.
MINIMIZE_REASONS = ("abuse", "duplicate", "off-topic", "outdated", "resolved", "spam")


def node_id(prefix: str, *numbers: int) -> str:
    """Build a GitHub "next" global id such as ``D_kwDO...``.

    GitHub's ids are a type prefix plus the url-safe base64 of a msgpack array
    ``[0, repository id, object id]``; producing the same shape keeps code that
    sniffs prefixes (``DC_``, ``D_``) honest.
    """
    packed = bytes([0x91 + len(numbers), 0x00])
    for number in numbers:
        packed += b"\xce" + number.to_bytes(4, "big")
    return f"{prefix}_{base64.urlsafe_b64encode(packed).decode().rstrip('=')}"


def iso(moment: datetime) -> str:
    """Format a datetime the way GitHub does: UTC, whole seconds, trailing ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_html(body: str) -> str:
    """A stand-in for GitHub's Markdown rendering: escaped paragraphs, no Markdown."""
    paragraphs = [part for part in body.split("\n\n") if part.strip()]
    return "\n".join(f"<p>{html.escape(part)}</p>" for part in paragraphs)


@dataclass
class Clock:
    """Time as the fake GitHub sees it; tests set and advance it at will.

    ``auto_tick`` moves time forward after every reading so that successive
    events get distinct timestamps without the test having to advance by hand.
    """

    current: datetime = field(default_factory=lambda: datetime(2024, 1, 1, 12, tzinfo=UTC))
    auto_tick: timedelta = timedelta(0)

    def now(self) -> datetime:
        """Return the current time and apply ``auto_tick``."""
        moment = self.current
        self.current = moment + self.auto_tick
        return moment

    def advance(self, seconds: float = 0, **kwargs: float) -> datetime:
        """Move time forward (``advance(60)``, ``advance(days=1)``) and return the new time."""
        self.current += timedelta(seconds=seconds, **kwargs)
        return self.current

    def set(self, moment: datetime) -> None:
        """Jump to an absolute, timezone-aware time."""
        self.current = moment.astimezone(UTC)


@dataclass(eq=False)
class User:
    """A GitHub account; ``kind`` is ``"User"`` or ``"Bot"`` (the GraphQL type name)."""

    login: str
    database_id: int
    id: str
    kind: str = "User"
    web_url: str = "https://github.com"

    @property
    def url(self) -> str:
        return f"{self.web_url}/{self.login}"

    @property
    def resource_path(self) -> str:
        return f"/{self.login}"


@dataclass(eq=False)
class Repository:
    owner: str
    name: str
    database_id: int
    id: str
    default_branch: str = "main"
    web_url: str = "https://github.com"
    categories: list[DiscussionCategory] = field(default_factory=list)
    discussions: list[Discussion] = field(default_factory=list)
    pulls: list[PullRequest] = field(default_factory=list)
    #: Bare git repository standing in for the GitHub remote, if one is linked.
    remote_path: Path | None = None
    #: Discussions, issues and pull requests share one number sequence, as on GitHub.
    next_number: int = 1
    private: bool = False
    archived: bool = False
    has_discussions: bool = True
    description: str = ""
    #: Collaborators by login, with their permission (pull, triage, push, maintain, admin).
    collaborators: dict[str, str] = field(default_factory=dict)
    #: Pending invitations to collaborate, oldest first.
    invitations: list[RepositoryInvitation] = field(default_factory=list)

    @property
    def name_with_owner(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def url(self) -> str:
        return f"{self.web_url}/{self.name_with_owner}"


@dataclass(eq=False)
class RepositoryInvitation:
    """An invitation to collaborate, pending until the invitee accepts it."""

    id: int
    node_id: str
    invitee: User
    inviter: User
    permission: str  # as PUT asked: pull, triage, push, maintain, admin
    created_at: datetime


@dataclass(eq=False)
class Team:
    """An organization's team; members are active, invitations wait for the person to join."""

    organization: str
    slug: str
    database_id: int
    id: str
    members: list[str] = field(default_factory=list)
    invitations: dict[str, int] = field(default_factory=dict)  # login → invitation id


@dataclass(eq=False)
class DiscussionCategory:
    id: str
    database_id: int
    name: str
    slug: str
    emoji: str
    is_answerable: bool
    repository: Repository
    description: str = ""
    created_at: datetime = field(default_factory=lambda: datetime(2020, 1, 1, tzinfo=UTC))

    @property
    def updated_at(self) -> datetime:
        return self.created_at

    @property
    def emoji_html(self) -> str:
        return f'<div><g-emoji class="g-emoji">{self.emoji}</g-emoji></div>'


@dataclass(eq=False)
class Discussion:
    id: str
    database_id: int
    number: int
    title: str
    body: str
    author: User | None
    category: DiscussionCategory
    repository: Repository
    created_at: datetime
    updated_at: datetime
    last_edited_at: datetime | None = None
    #: Top-level comments only, oldest first; replies hang off their parent.
    comments: list[DiscussionComment] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.repository.url}/discussions/{self.number}"

    @property
    def resource_path(self) -> str:
        return f"/{self.repository.name_with_owner}/discussions/{self.number}"

    @property
    def body_html(self) -> str:
        return render_html(self.body)

    @property
    def body_text(self) -> str:
        return self.body


@dataclass(eq=False)
class DiscussionComment:
    id: str
    database_id: int
    discussion: Discussion
    body: str
    author: User | None
    created_at: datetime
    updated_at: datetime
    reply_to: DiscussionComment | None = None
    last_edited_at: datetime | None = None
    deleted_at: datetime | None = None
    is_minimized: bool = False
    #: Lowercase and dashed (``off-topic``), as GitHub reports it; None unless minimized.
    minimized_reason: str | None = None
    replies: list[DiscussionComment] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.discussion.url}#discussioncomment-{self.database_id}"

    @property
    def resource_path(self) -> str:
        return f"{self.discussion.resource_path}#discussioncomment-{self.database_id}"

    @property
    def body_html(self) -> str:
        return render_html(self.body)

    @property
    def body_text(self) -> str:
        return self.body


@dataclass(eq=False)
class IssueComment:
    id: str
    database_id: int
    body: str
    user: User
    created_at: datetime


@dataclass(eq=False)
class PullRequest:
    id: str
    database_id: int
    number: int
    title: str
    body: str
    user: User
    repository: Repository
    head_owner: str
    head_ref: str
    head_sha: str
    base_ref: str
    created_at: datetime
    updated_at: datetime
    draft: bool = False
    state: str = "open"
    merged: bool = False
    merged_at: datetime | None = None
    closed_at: datetime | None = None
    merge_commit_sha: str | None = None
    comments: list[IssueComment] = field(default_factory=list)

    @property
    def head_label(self) -> str:
        return f"{self.head_owner}:{self.head_ref}"

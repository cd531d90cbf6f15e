"""In-memory state of the fake GitHub, and helpers for tests to act like GitHub users.

Everything is guarded by one re-entrant lock because tests mutate the store from
their own thread while the server thread answers requests.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from .models import (
    DEFAULT_CATEGORIES,
    MINIMIZE_REASONS,
    Clock,
    Discussion,
    DiscussionCategory,
    DiscussionComment,
    IssueComment,
    PullRequest,
    Repository,
    RepositoryInvitation,
    Team,
    User,
    node_id,
)

_F = TypeVar("_F", bound=Callable[..., Any])


def _locked(method: _F) -> _F:
    """Run a Store method under the store's lock: tests and server threads share the state."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class Store:
    """Everything the fake GitHub knows, plus helpers that play GitHub's users."""

    def __init__(self, *, viewer: str = "forum-bot", clock: Clock | None = None) -> None:
        self.lock = threading.RLock()
        self.clock = clock or Clock()
        self.web_url = "https://github.com"
        self.repositories: list[Repository] = []
        self.users: dict[str, User] = {}
        self.nodes: dict[str, Any] = {}
        #: Organizations by login, with their members (who join a team at once).
        self.organizations: dict[str, set[str]] = {}
        self.teams: list[Team] = []
        # Database ids above 2**16 so node ids pack as msgpack uint32, like GitHub's.
        self._ids = itertools.count(10_000_001)
        self.viewer = self.user(viewer)

    def _next_id(self) -> int:
        return next(self._ids)

    def _register(self, obj: Any) -> Any:
        self.nodes[obj.id] = obj
        return obj

    # -- lookups -----------------------------------------------------------------

    @_locked
    def user(self, login: str) -> User:
        """Return the user with this login, creating it on first use."""
        if login not in self.users:
            number = self._next_id()
            kind = "Bot" if login.endswith("[bot]") else "User"
            prefix = "BOT" if kind == "Bot" else "U"
            self.users[login] = self._register(
                User(login, number, node_id(prefix, number), kind, self.web_url)
            )
        return self.users[login]

    @property
    def default_repository(self) -> Repository:
        if not self.repositories:
            raise LookupError("the fake GitHub has no repository; call add_repository first")
        return self.repositories[0]

    @_locked
    def repository(self, name_with_owner: str | None = None) -> Repository | None:
        """Find a repository by ``owner/name`` (case-insensitively, as GitHub does)."""
        if name_with_owner is None:
            return self.default_repository
        wanted = name_with_owner.lower()
        return next((r for r in self.repositories if r.name_with_owner.lower() == wanted), None)

    def get_repository(self, repo: Repository | str | None) -> Repository:
        """Accept a Repository, an ``owner/name`` or None (the first repository)."""
        if isinstance(repo, Repository):
            return repo
        found = self.repository(repo)
        if found is None:
            raise LookupError(f"no repository {repo!r} in the fake GitHub")
        return found

    @_locked
    def node(self, global_id: str) -> Any | None:
        return self.nodes.get(global_id)

    @_locked
    def category(self, ref: str, repo: Repository | str | None = None) -> DiscussionCategory:
        """Find a category by slug, name or node id."""
        for category in self.get_repository(repo).categories:
            if ref in (category.slug, category.name, category.id):
                return category
        raise LookupError(f"no discussion category {ref!r}")

    @_locked
    def discussion(self, number: int, repo: Repository | str | None = None) -> Discussion | None:
        return next((d for d in self.get_repository(repo).discussions if d.number == number), None)

    @_locked
    def pull(self, number: int, repo: Repository | str | None = None) -> PullRequest | None:
        return next((p for p in self.get_repository(repo).pulls if p.number == number), None)

    # -- repositories and categories ------------------------------------------------

    @_locked
    def add_repository(
        self,
        owner: str,
        name: str,
        *,
        default_branch: str = "main",
        default_categories: bool = True,
    ) -> Repository:
        """Create a repository, with GitHub's default discussion categories unless told not to."""
        self.user(owner)
        number = self._next_id()
        repo = Repository(owner, name, number, node_id("R", number), default_branch, self.web_url)
        repo.collaborators[self.viewer.login] = "admin"  # the forum's account administers it
        self.repositories.append(self._register(repo))
        if default_categories:
            for cat_name, slug, emoji, answerable in DEFAULT_CATEGORIES:
                self.add_category(cat_name, slug=slug, emoji=emoji, is_answerable=answerable, repo=repo)
        return repo

    @_locked
    def add_category(
        self,
        name: str,
        *,
        slug: str | None = None,
        emoji: str = ":speech_balloon:",
        is_answerable: bool = False,
        description: str = "",
        repo: Repository | str | None = None,
    ) -> DiscussionCategory:
        repository = self.get_repository(repo)
        number = self._next_id()
        category = DiscussionCategory(
            id=node_id("DIC", repository.database_id, number),
            database_id=number,
            name=name,
            slug=slug or name.lower().replace("&", "").replace(" ", "-"),
            emoji=emoji,
            is_answerable=is_answerable,
            repository=repository,
            description=description,
        )
        repository.categories.append(self._register(category))
        return category

    # -- discussions and comments, as GitHub users would make them -------------------

    @_locked
    def add_discussion(
        self,
        title: str,
        body: str = "",
        *,
        author: str | None = "octocat",
        category: str | DiscussionCategory = "general",
        repo: Repository | str | None = None,
        created_at: datetime | None = None,
    ) -> Discussion:
        """Open a discussion; ``author=None`` makes a ghost (deleted account) author."""
        repository = self.get_repository(repo)
        if not isinstance(category, DiscussionCategory):
            category = self.category(category, repository)
        when = created_at or self.clock.now()
        number = self._next_id()
        discussion = Discussion(
            id=node_id("D", repository.database_id, number),
            database_id=number,
            number=repository.next_number,
            title=title,
            body=body,
            author=self.user(author) if author else None,
            category=category,
            repository=repository,
            created_at=when,
            updated_at=when,
        )
        repository.next_number += 1
        repository.discussions.append(self._register(discussion))
        return discussion

    @_locked
    def edit_discussion(
        self,
        discussion: Discussion,
        *,
        title: str | None = None,
        body: str | None = None,
        category: str | DiscussionCategory | None = None,
        at: datetime | None = None,
    ) -> Discussion:
        when = at or self.clock.now()
        if title is not None:
            discussion.title = title
        if body is not None:
            discussion.body = body
            discussion.last_edited_at = when
        if category is not None:
            discussion.category = (
                category
                if isinstance(category, DiscussionCategory)
                else self.category(category, discussion.repository)
            )
        discussion.updated_at = when
        return discussion

    @_locked
    def add_comment(
        self,
        discussion: Discussion,
        author: str | None,
        body: str,
        reply_to: DiscussionComment | None = None,
        created_at: datetime | None = None,
    ) -> DiscussionComment:
        """Comment on a discussion, or reply to a top-level comment.

        GitHub threads are one level deep, so replying to a reply is refused.
        A new comment also bumps the discussion's ``updatedAt``.
        """
        if reply_to is not None and reply_to.reply_to is not None:
            raise ValueError("Parent comment is already in a thread, cannot reply to it")
        when = created_at or self.clock.now()
        number = self._next_id()
        comment = DiscussionComment(
            id=node_id("DC", discussion.repository.database_id, number),
            database_id=number,
            discussion=discussion,
            body=body,
            author=self.user(author) if author else None,
            created_at=when,
            updated_at=when,
            reply_to=reply_to,
        )
        (reply_to.replies if reply_to else discussion.comments).append(self._register(comment))
        discussion.updated_at = max(discussion.updated_at, when)
        return comment

    @_locked
    def edit_comment(self, comment: DiscussionComment, body: str, *, at: datetime | None = None) -> None:
        """Edit a comment; bumps its ``updatedAt``/``lastEditedAt``, not the discussion's."""
        when = at or self.clock.now()
        comment.body = body
        comment.updated_at = when
        comment.last_edited_at = when

    @_locked
    def minimize_comment(self, comment: DiscussionComment, reason: str = "off-topic") -> None:
        """Hide a comment; ``reason`` is a classifier (``OFF_TOPIC``) or GitHub's ``off-topic``."""
        normalized = reason.lower().replace("_", "-")
        if normalized not in MINIMIZE_REASONS:
            raise ValueError(f"unknown minimize reason {reason!r}")
        comment.is_minimized = True
        comment.minimized_reason = normalized

    @_locked
    def unminimize_comment(self, comment: DiscussionComment) -> None:
        comment.is_minimized = False
        comment.minimized_reason = None

    @_locked
    def delete_comment(self, comment: DiscussionComment, *, at: datetime | None = None) -> None:
        """Delete a comment with GitHub's semantics.

        A top-level comment that still has replies stays in place as a tombstone
        (``deletedAt`` set, body emptied) so the thread survives; any other
        comment disappears entirely, and its id stops resolving.
        """
        if comment.replies:
            comment.deleted_at = at or self.clock.now()
            comment.body = ""
            return
        siblings = comment.reply_to.replies if comment.reply_to else comment.discussion.comments
        siblings.remove(comment)
        self.nodes.pop(comment.id, None)

    @_locked
    def delete_discussion(self, discussion: Discussion) -> None:
        """Delete a discussion as its author or a maintainer can: it disappears with all its
        comments and replies, and none of their ids resolves any more."""
        discussion.repository.discussions.remove(discussion)
        for comment in discussion.comments:
            for reply in comment.replies:
                self.nodes.pop(reply.id, None)
            self.nodes.pop(comment.id, None)
        self.nodes.pop(discussion.id, None)

    # -- pull requests ---------------------------------------------------------------

    @_locked
    def add_pull_request(
        self,
        *,
        title: str,
        head: str,
        base: str,
        head_sha: str,
        body: str = "",
        user: str | None = None,
        draft: bool = False,
        repo: Repository | str | None = None,
    ) -> PullRequest:
        """Open a pull request; ``head`` is ``branch`` or ``owner:branch``."""
        repository = self.get_repository(repo)
        head_owner, _, head_ref = head.rpartition(":")
        when = self.clock.now()
        number = self._next_id()
        pull = PullRequest(
            id=node_id("PR", repository.database_id, number),
            database_id=number,
            number=repository.next_number,
            title=title,
            body=body,
            user=self.user(user) if user else self.viewer,
            repository=repository,
            head_owner=head_owner or repository.owner,
            head_ref=head_ref,
            head_sha=head_sha,
            base_ref=base,
            created_at=when,
            updated_at=when,
            draft=draft,
        )
        repository.next_number += 1
        repository.pulls.append(self._register(pull))
        return pull

    @_locked
    def add_issue_comment(self, pull: PullRequest, body: str, user: str | None = None) -> IssueComment:
        number = self._next_id()
        comment = IssueComment(
            node_id("IC", pull.repository.database_id, number),
            number,
            body,
            self.user(user) if user else self.viewer,
            self.clock.now(),
        )
        pull.comments.append(comment)
        pull.updated_at = comment.created_at
        return comment

    # -- access: collaborators, invitations, teams -----------------------------------

    @_locked
    def invite_collaborator(
        self, repo: Repository, login: str, permission: str
    ) -> RepositoryInvitation | None:
        """PUT a collaborator: an invitation, or None when they already collaborate (permission updated)."""
        if login in repo.collaborators:
            repo.collaborators[login] = permission
            return None
        pending = next((i for i in repo.invitations if i.invitee.login.lower() == login.lower()), None)
        if pending is not None:
            pending.permission = permission
            return pending
        number = self._next_id()
        invitation = RepositoryInvitation(
            number, node_id("RI", number), self.user(login), self.viewer, permission, self.clock.now()
        )
        repo.invitations.append(invitation)
        return invitation

    @_locked
    def accept_invitation(self, repo: Repository | str, login: str) -> None:
        """The invitee accepts, as they would from their notifications."""
        repository = self.get_repository(repo)
        invitation = next(i for i in repository.invitations if i.invitee.login.lower() == login.lower())
        repository.invitations.remove(invitation)
        repository.collaborators[invitation.invitee.login] = invitation.permission

    @_locked
    def add_collaborator(self, repo: Repository | str, login: str, permission: str = "push") -> None:
        """Someone given access directly (an invitation already accepted)."""
        self.get_repository(repo).collaborators[self.user(login).login] = permission

    @_locked
    def add_organization(self, login: str, members: tuple[str, ...] = ()) -> None:
        self.user(login)
        self.organizations.setdefault(login, set()).update(members)

    @_locked
    def add_team(self, organization: str, slug: str, members: tuple[str, ...] = ()) -> Team:
        self.add_organization(organization, members)
        number = self._next_id()
        team = Team(organization, slug, number, node_id("T", number), list(members))
        self.teams.append(team)
        return team

    @_locked
    def team(self, organization: str, slug: str) -> Team | None:
        return next(
            (t for t in self.teams if t.organization.lower() == organization.lower() and t.slug == slug), None
        )

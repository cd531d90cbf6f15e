"""Who may post where: the roster, the invitations and the delegations' credentials, as the
sync checks each contribution against them. A held-back post's reason is written here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sync.github.discussions import Discussion
from sync.model.domain import Category, Person, Role, Roster
from sync.model.fields import plain_line_problem


@dataclass(frozen=True)
class Rules:
    """What contributions are checked against: who may post, and where."""

    roster: Roster
    categories: dict[str, Category]  # forum category id → category
    proposals_category: str  # slug of the GitHub category for topic proposals
    languages: tuple[str, ...]
    # Member states holding a delegation credential (FORUM_CREDENTIALS); None: not checked.
    delegations: frozenset[str] | None = None

    def category_for(self, slug: str) -> Category | None:
        """The forum category whose topics live in the GitHub category `slug`."""
        return next((c for c in self.categories.values() if c.discussion_slug == slug), None)


# Validation ---------------------------------------------------------------------------------


def author_verdict(login: str | None, rules: Rules, topic_id: str, when: datetime) -> Person | str:
    """The roster entry allowing `login` to post in this topic, or why it may not."""
    if login is None:
        return "the author's GitHub account was deleted"
    entries = [p for p in rules.roster.people() if p.login.lower() == login.lower()]
    member = next((p for p in entries if p.role is not Role.GUEST), None)
    if member is not None and not _holds_delegation(member, rules):
        return f"@{login}'s member state {member.member_state} holds no delegation credential (revoked)"
    if member is not None:
        return member
    if not entries:
        return f"@{login} is not on the roster"
    guest = next((p for p in entries if p.topic == topic_id), None)
    if guest is None:
        return f"@{login} is a guest invited to another topic"
    if guest.until is not None and when.date() > guest.until:
        return f"@{login}'s invitation as a guest ended on {guest.until.isoformat()}"
    return guest


def _holds_delegation(member: Person, rules: Rules) -> bool:
    """False for a delegate whose member state's credential was revoked (when it is checked)."""
    if member.role is not Role.DELEGATE or rules.delegations is None:
        return True
    return (member.member_state or "").upper() in rules.delegations


def topic_verdict(discussion: Discussion, rules: Rules) -> Person | str:
    """The moderator who opened a topic, or why it is held back."""
    verdict = author_verdict(discussion.author, rules, discussion.id, discussion.created_at)
    if isinstance(verdict, Person) and verdict.role is not Role.MODERATOR:
        return "topics are opened by the moderator; a delegate proposes one in the proposals category"
    return verdict


def proposal_verdict(discussion: Discussion, rules: Rules) -> Person | str:
    """The delegate (or moderator) who proposed a topic, or why it is held back."""
    verdict = author_verdict(discussion.author, rules, discussion.id, discussion.created_at)
    if isinstance(verdict, Person) and verdict.role is Role.GUEST:
        return "guests reply on the topic they were invited to; they do not propose topics"
    return verdict


def title_problem(title: str) -> str | None:
    """Why a discussion's title cannot be a topic's or proposal's title, or None."""
    problem = plain_line_problem(title.strip())
    return None if problem is None else f"title: {problem}"

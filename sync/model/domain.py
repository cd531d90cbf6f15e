"""The forum's domain objects: plain data passed between sync, content and site.

Nothing here reads or writes files (that is `sync.model.content`); these classes only hold
what a moderator would recognise: topics, replies, translations, proposals, categories,
member states and the people of the roster.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from sync.model.errors import ForumError


class ContentError(ForumError):
    """A content file that does not say what the forum expects.

    It names the file, the field and what was expected, so that a moderator can fix the
    file from the message alone; the CLI and the build print it without a traceback.
    """

    def __init__(self, path: Path | str, field: str | None, expected: str) -> None:
        self.path = str(path)
        self.field = field
        self.expected = expected
        where = f"{self.path}: field '{field}'" if field else self.path
        super().__init__(f"{where}: {expected}")


class Role(StrEnum):
    """What a person of the roster may do on the forum."""

    DELEGATE = "delegate"
    MODERATOR = "moderator"
    GUEST = "guest"


@dataclass(frozen=True)
class Person:
    """Someone who may post: a member state's delegate, the moderator, or a guest."""

    login: str
    name: str
    role: Role
    member_state: str | None = None  # ISO 3166 alpha-2 code, delegates only
    organization: str | None = None  # guests: whom they speak for
    topic: str | None = None  # guests: the one topic they were invited to
    requested_by: str | None = None  # guests: the member state that asked for them
    until: date | None = None  # guests: the invitation's last day


@dataclass(frozen=True)
class MemberState:
    """A member state taking part, by ISO 3166 alpha-2 code, with its delegates."""

    code: str
    delegates: tuple[Person, ...]


@dataclass(frozen=True)
class Roster:
    """Who may post: member states' delegates, the moderators and invited guests."""

    member_states: dict[str, MemberState]
    moderators: tuple[Person, ...]
    guests: tuple[Person, ...]

    def people(self) -> list[Person]:
        """Everyone on the roster, delegates first."""
        delegates = [p for state in self.member_states.values() for p in state.delegates]
        return [*delegates, *self.moderators, *self.guests]

    def person(self, login: str) -> Person | None:
        """The roster entry of a GitHub login (case-insensitive, as GitHub logins are)."""
        return self._by_login.get(login.lower())

    @cached_property
    def _by_login(self) -> dict[str, Person]:
        """Everyone by login in lower case, the first entry of a login kept (as `people()`
        lists them): a build asks for every post's author, and the roster has hundreds."""
        found: dict[str, Person] = {}
        for person in self.people():
            found.setdefault(person.login.lower(), person)
        return found


@dataclass(frozen=True)
class Category:
    """A category of technical-assistance activity, named in each language."""

    id: str
    names: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    discussion_category: str = ""  # slug of its GitHub Discussions category; empty: the id

    @property
    def discussion_slug(self) -> str:
        """The slug of the GitHub Discussions category whose discussions are its topics."""
        return self.discussion_category or self.id

    def name(self, language: str, fallback: str) -> str:
        """The category's name in `language`, else in the fallback language."""
        return self.names.get(language) or self.names[fallback]

    def description(self, language: str, fallback: str) -> str:
        """The category's description in `language`, else in the fallback language."""
        return self.descriptions.get(language) or self.descriptions.get(fallback, "")


class _Text:
    """A post's text, as a field holds it: a str, or something to call for it, called the
    first time the text is asked for. Only a reader of kept topics gives the second
    (sync.site.topics_cache: a rebuild after one reply reads none of the replies' texts of
    the topics it copies, which were a sixth of its time); to everyone else it is a str."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, post: object, owner: type | None = None) -> str:
        if post is None:
            raise AttributeError(self.slot)  # no default: the field must be given
        value = post.__dict__[self.slot]
        if type(value) is not str:
            value = post.__dict__[self.slot] = value()
        return value

    def __set__(self, post: object, value: str | Callable[[], str]) -> None:
        post.__dict__[self.slot] = value


@dataclass(frozen=True)
class Translation:
    """A post put into another language by a translator; a sibling file `<post>.<lang>.md`."""

    language: str
    body: str = _Text()  # type: ignore[assignment]  # a str (see _Text)
    translator: str
    date: datetime
    path: Path
    title: str | None = None  # topics and proposals only
    outdated: bool = False  # the original was edited after this translation was made


@dataclass
class Post:
    """What every contribution shares: its author, its original language and text."""

    id: str  # the GitHub Discussions node id where there is one: sync finds posts by it
    author: str  # GitHub login
    language: str  # the language it was written in
    date: datetime
    body: str = _Text()  # type: ignore[assignment]  # a str (see _Text)
    path: Path
    member_state: str | None = None  # None for the moderator and for guests
    edited: datetime | None = None
    url: str | None = None  # the discussion or comment on GitHub
    translations: dict[str, Translation] = field(default_factory=dict)

    def translation(self, language: str) -> Translation | None:
        """This post's translation into `language`, if a translator made one."""
        return self.translations.get(language)


@dataclass
class Reply(Post):
    """A reply to a topic; `parent` is the reply it answers, if any (one level deep)."""

    parent: str | None = None


@dataclass
class Topic(Post):
    """A weekly discussion topic: the moderator's opening post and its replies."""

    title: str = ""
    category: str = ""
    week: str = ""  # ISO week, e.g. 2026-W40
    proposed_by: str | None = None  # the member state whose proposal it came from
    replies: list[Reply] = field(default_factory=list)

    def title_in(self, language: str) -> str:
        """The title in `language` where a translator gave one, else the original title."""
        translation = self.translation(language)
        return translation.title if translation and translation.title else self.title

    def last_activity(self) -> datetime:
        """When the topic last saw a post or an edit."""
        return max(post.edited or post.date for post in [self, *self.replies])


class ProposalStatus(StrEnum):
    """Where a member state's topic proposal stands."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass
class Proposal(Post):
    """A topic proposed by a delegate, waiting for the moderator's decision."""

    title: str = ""
    status: ProposalStatus = ProposalStatus.OPEN

    def title_in(self, language: str) -> str:
        """The title in `language` where a translator gave one, else the original title."""
        translation = self.translation(language)
        return translation.title if translation and translation.title else self.title


@dataclass
class Forum:
    """The whole archive as read from content/."""

    languages: tuple[str, ...]  # the forum's languages, default first
    categories: dict[str, Category]
    roster: Roster
    topics: list[Topic]  # newest week first
    proposals: list[Proposal]  # newest first

    @property
    def default_language(self) -> str:
        """The language of the site's root, and the fallback for every name."""
        return self.languages[0]

    def topic(self, topic_id: str) -> Topic | None:
        """The topic with this id, if there is one."""
        return next((t for t in self.topics if t.id == topic_id), None)

    def topics_in(self, category_id: str) -> list[Topic]:
        """A category's topics, newest first."""
        return [t for t in self.topics if t.category == category_id]

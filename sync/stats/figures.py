"""Usage statistics: is the forum used, by whom, in which language.

Every figure is computed from the content model as it stood on an `as_of` day: posts dated
after it are left out, so that a report for a past day can be made again, and tests are
exact. A post is a topic's opening post or a reply (topic proposals are counted apart, in
the moderator's view); a member state took part when one of its delegates posted.

The figures are plain dataclasses; `sync.stats.report` lays them out as tables (for the
terminal, CSV files and the statistics page) and `sync.stats.charts` draws them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sync.model.dates import week_of
from sync.model.domain import Forum, Person, Post, Proposal, ProposalStatus, Topic
from sync.stats.regions import CONTINENTS, continent

RECENT_WEEKS = 12  # "took part lately", and how long a member state may stay silent
REPLY_WITHIN = timedelta(days=7)  # a topic should have had a reply by then


@dataclass(frozen=True)
class WeekActivity:
    """Posts and member states that posted in one ISO week."""

    week: str  # ISO week, e.g. 2026-W40
    monday: date
    posts: int
    member_states: int


@dataclass(frozen=True)
class Participation:
    """How many of the roster's member states posted, over a period."""

    since: date | None  # first day counted; None for the whole archive
    roster: int  # member states on the roster
    took_part: int

    @property
    def share(self) -> float:
        """The share of the roster that took part, from 0 to 1."""
        return self.took_part / self.roster if self.roster else 0.0


@dataclass(frozen=True)
class LanguageCount:
    """Posts written in one language (their original language)."""

    language: str
    posts: int


@dataclass(frozen=True)
class CategoryCount:
    """Topics opened in a category, and posts in them (opening posts and replies)."""

    category: str
    topics: int
    posts: int


@dataclass(frozen=True)
class RegionCount:
    """Member states of a region (UN M49 continent): on the roster, took part, posts."""

    region: str | None  # M49 code, e.g. 002 for Africa; None where CLDR places none
    member_states: int
    took_part: int
    posts: int


@dataclass(frozen=True)
class TopicResponse:
    """When a topic had its first reply from someone other than its author."""

    topic: str  # the topic's id
    opened: datetime
    first_reply: datetime | None

    @property
    def wait(self) -> timedelta | None:
        """Time from the opening post to the first reply, if there was one."""
        return self.first_reply - self.opened if self.first_reply else None


@dataclass(frozen=True)
class GuestPosts:
    """An invited guest and how much they posted."""

    login: str
    name: str
    organization: str
    topic: str | None  # the topic they were invited to
    requested_by: str | None  # the member state that asked for them
    posts: int
    topics: int  # topics they posted in


@dataclass(frozen=True)
class Coverage:
    """How many posts written in other languages have a translation into `language`."""

    language: str
    posts: int  # posts written in another language
    translated: int
    outdated: int  # translations made before the original's last edit

    @property
    def share(self) -> float:
        """The share of those posts that a reader of `language` can read translated."""
        return self.translated / self.posts if self.posts else 0.0


@dataclass(frozen=True)
class Waiting:
    """A topic or a proposal waiting for the moderator or the delegates, and since when."""

    id: str
    since: datetime
    days: int


@dataclass(frozen=True)
class Silent:
    """A member state of the roster that has not posted lately."""

    member_state: str
    last_post: date | None  # None: never posted


@dataclass(frozen=True)
class Statistics:
    """Every figure of the forum on `as_of`."""

    as_of: date
    posts: int
    topics: int
    replies: int
    weeks: list[WeekActivity]
    overall: Participation
    recent: Participation
    languages: list[LanguageCount]
    categories: list[CategoryCount]
    regions: list[RegionCount]
    responses: list[TopicResponse]  # topics opened by `as_of`, newest first
    guests: list[GuestPosts]
    coverage: list[Coverage]
    # The moderator's view
    topics_waiting: list[Waiting]  # no reply yet, oldest first
    silent: list[Silent]  # no post in the last RECENT_WEEKS weeks
    proposals_waiting: list[Waiting]  # open proposals, oldest first

    @property
    def first_reply_median(self) -> timedelta | None:
        """The median time from a topic's opening to its first reply, over answered topics."""
        waits = [r.wait for r in self.responses if r.wait is not None]
        return statistics.median(waits) if waits else None

    @property
    def answered(self) -> int:
        """Topics that had a reply by `as_of`."""
        return sum(1 for r in self.responses if r.first_reply is not None)

    def due(self) -> list[TopicResponse]:
        """Topics opened at least 7 days before the end of `as_of`."""
        end = _end_of(self.as_of)
        return [r for r in self.responses if r.opened + REPLY_WITHIN <= end]

    def unanswered_after_7_days(self) -> list[TopicResponse]:
        """Of those, the topics that had no reply within 7 days of opening."""
        return [r for r in self.due() if r.wait is None or r.wait > REPLY_WITHIN]

    @property
    def guest_posts(self) -> int:
        """Posts by invited guests."""
        return sum(guest.posts for guest in self.guests)


def _end_of(day: date) -> datetime:
    """The first moment after `day`, in UTC: posts before it are counted."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def compute(forum: Forum, as_of: date | None = None) -> Statistics:
    """The forum's figures on `as_of` (default: today, UTC)."""
    as_of = as_of or datetime.now(UTC).date()
    end = _end_of(as_of)
    topics = [t for t in forum.topics if t.date < end]
    replies = {t.id: [r for r in t.replies if r.date < end] for t in topics}
    posts: list[Post] = [p for t in topics for p in [t, *replies[t.id]]]
    since = as_of - timedelta(weeks=RECENT_WEEKS) + timedelta(days=1)
    states = set(forum.roster.member_states)
    took_part = {p.member_state for p in posts if p.member_state}
    lately = {p.member_state for p in posts if p.member_state and _day(p.date) >= since}
    responses = [_response(t, replies[t.id]) for t in topics]
    by_author = _replies_by_author(topics, replies) if forum.roster.guests else {}
    return Statistics(
        as_of=as_of,
        posts=len(posts),
        topics=len(topics),
        replies=len(posts) - len(topics),
        weeks=_weeks(posts, as_of),
        overall=Participation(None, len(states), len(took_part & states)),
        recent=Participation(since, len(states), len(lately & states)),
        languages=[
            LanguageCount(language, sum(1 for p in posts if p.language == language))
            for language in forum.languages
        ],
        categories=[
            CategoryCount(
                category,
                sum(1 for t in topics if t.category == category),
                sum(1 + len(replies[t.id]) for t in topics if t.category == category),
            )
            for category in forum.categories
        ],
        regions=_regions(posts, states, took_part),
        responses=responses,
        guests=[_guest(guest, topics, by_author) for guest in forum.roster.guests],
        coverage=[_coverage(posts, language, end) for language in forum.languages],
        topics_waiting=sorted(
            (_waiting(r.topic, r.opened, as_of) for r in responses if r.first_reply is None),
            key=lambda w: (w.since, w.id),
        ),
        silent=_silent(posts, sorted(states), since),
        proposals_waiting=_proposals_waiting(forum.proposals, as_of, end),
    )


def _weeks(posts: list[Post], as_of: date) -> list[WeekActivity]:
    """Every ISO week from the first post's to `as_of`'s, quiet weeks included."""
    if not posts:
        return []
    by_week: dict[date, list[Post]] = {}
    for post in posts:
        day = _day(post.date)
        by_week.setdefault(week_of(day).monday, []).append(post)
    monday, last = min(by_week), week_of(as_of).monday
    weeks = []
    while monday <= last:
        week_posts = by_week.get(monday, [])
        active = {p.member_state for p in week_posts if p.member_state}
        weeks.append(WeekActivity(week_of(monday).code, monday, len(week_posts), len(active)))
        monday += timedelta(weeks=1)
    return weeks


def _regions(posts: list[Post], states: set[str], took_part: set[str]) -> list[RegionCount]:
    """Member states and their posts by continent; a row for 'no region' only if needed."""
    posts_by_state = Counter(p.member_state for p in posts if p.member_state)
    regions: list[str | None] = list(CONTINENTS)
    if any(continent(state) is None for state in states):
        regions.append(None)
    rows = []
    for region in regions:
        members = {state for state in states if continent(state) == region}
        rows.append(
            RegionCount(
                region,
                len(members),
                len(members & took_part),
                sum(posts_by_state[state] for state in members),
            )
        )
    return rows


def _response(topic: Topic, replies: list[Post]) -> TopicResponse:
    """The topic's first reply by someone else: the moderator answering their own topic
    does not make it answered."""
    author = topic.author.lower()
    others = [r.date for r in replies if r.author.lower() != author]
    return TopicResponse(topic.id, topic.date, min(others) if others else None)


def _replies_by_author(topics: list[Topic], replies: dict[str, list[Post]]) -> dict[str, Counter[str]]:
    """Each topic's replies counted by author (logins compared without case)."""
    return {t.id: Counter(r.author.lower() for r in replies[t.id]) for t in topics}


def _guest(guest: Person, topics: list[Topic], by_author: dict[str, Counter[str]]) -> GuestPosts:
    login = guest.login.lower()
    posted = {t.id: by_author[t.id][login] for t in topics}
    return GuestPosts(
        login=guest.login,
        name=guest.name,
        organization=guest.organization or "",
        topic=guest.topic,
        requested_by=guest.requested_by,
        posts=sum(posted.values()),
        topics=sum(1 for count in posted.values() if count),
    )


def _coverage(posts: list[Post], language: str, end: datetime) -> Coverage:
    others = [p for p in posts if p.language != language]
    translations = [p.translations[language] for p in others if language in p.translations]
    made = [tr for tr in translations if tr.date < end]
    return Coverage(language, len(others), len(made), sum(1 for tr in made if tr.outdated))


def _waiting(id: str, since: datetime, as_of: date) -> Waiting:
    return Waiting(id, since, (as_of - _day(since)).days)


def _silent(posts: list[Post], states: list[str], since: date) -> list[Silent]:
    """Member states with no post since `since`, those that never posted first."""
    last: dict[str, date] = {}
    for post in posts:
        if post.member_state:
            last[post.member_state] = max(last.get(post.member_state, date.min), _day(post.date))
    silent = [Silent(state, last.get(state)) for state in states if last.get(state, date.min) < since]
    return sorted(silent, key=lambda s: (s.last_post or date.min, s.member_state))


def _proposals_waiting(proposals: list[Proposal], as_of: date, end: datetime) -> list[Waiting]:
    waiting = [
        _waiting(p.id, p.date, as_of) for p in proposals if p.status is ProposalStatus.OPEN and p.date < end
    ]
    return sorted(waiting, key=lambda w: (w.since, w.id))

"""The GitHub side of the sync against the fake GitHub: queries, pagination, faults, budget."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fake_github import FakeGitHub, validate_query
from syncworld import RecordingClock

from sync.github.client import GitHubClient, GitHubError, RetryPolicy, connect
from sync.github.discussions import QUERIES, fetch_discussions

pytest_plugins = ["syncfixtures"]  # the fake GitHub's fixtures


@pytest.fixture
def clock() -> RecordingClock:
    return RecordingClock()


@pytest.fixture
def client(fake_github: FakeGitHub, clock: RecordingClock) -> Iterator[GitHubClient]:
    github = connect(fake_github.api_url, "t", seconds_between_requests=0, seconds_between_writes=0)
    yield GitHubClient(github, "octo-org/forum", clock)
    github.close()


def seed(fake: FakeGitHub, discussions: int, comments: int = 1) -> None:
    for number in range(discussions):
        topic = fake.store.add_discussion(f"Topic {number}", "Opening post", author="wipo-mod")
        for position in range(comments):
            fake.store.add_comment(topic, "br-ana", f"Comment {position} on topic {number}")


def bodies(fetched_discussions: list) -> dict[str, list[str]]:
    return {d.title: [post.body for post in d.posts()] for d in fetched_discussions}


def test_the_tools_queries_are_valid_against_githubs_schema() -> None:
    for query in QUERIES:
        assert validate_query(query) == [], query


def test_long_discussions_and_threads_are_read_in_full_with_valid_queries(
    fake_github: FakeGitHub,
    client: GitHubClient,
) -> None:
    store = fake_github.store
    long = store.add_discussion("Long", "Many answers", author="wipo-mod")
    first = store.add_comment(long, "br-ana", "comment 0")
    replies = [store.add_comment(long, "fr-luc", f"reply {n}", reply_to=first) for n in range(25)]
    for number in range(1, 130):
        store.add_comment(long, "mx-eva", f"comment {number}")
    fetched = fetch_discussions(client, since=None)
    (discussion,) = fetched.discussions
    assert [c.body for c in discussion.comments] == [f"comment {n}" for n in range(130)]
    assert [r.id for r in discussion.comments[0].replies] == [r.id for r in replies]
    assert all(r.reply_to == first.id for r in discussion.comments[0].replies)
    assert fetched.complete and fetched.repository_url == "https://github.com/octo-org/forum"
    # One page, two pages of more comments (20 + 100 + 10), two of more replies (10 + 15).
    assert len(fake_github.log) == 4
    assert all(validate_query(call.query) == [] for call in fake_github.log)
    assert client.budget.points == fake_github.stats.graphql_points == 21 + 1 + 1 + 1


def test_a_502_in_the_middle_of_the_pages_is_retried(
    fake_github: FakeGitHub,
    client: GitHubClient,
    clock: RecordingClock,
) -> None:
    seed(fake_github, 250)
    fake_github.faults.fail_next(1, only="graphql", skip=1)  # the second page answers 502 once
    fetched = fetch_discussions(client, since=None)
    assert [d.title for d in fetched.discussions] == [f"Topic {n}" for n in range(250)]
    assert fake_github.stats.faults["http_error"] == 1
    assert clock.sleeps == [2.0]
    assert client.budget.requests == 4 and client.budget.graphql_requests == 3


def test_a_dropped_connection_is_retried(
    fake_github: FakeGitHub,
    client: GitHubClient,
    clock: RecordingClock,
) -> None:
    seed(fake_github, 3)
    fake_github.faults.disconnect(2, only="graphql")
    assert len(fetch_discussions(client, since=None).discussions) == 3
    assert clock.sleeps == [2.0, 4.0]


def test_github_down_fails_with_one_clear_line(
    fake_github: FakeGitHub,
    client: GitHubClient,
    clock: RecordingClock,
) -> None:
    fake_github.faults.fail_next(10, only="graphql", status=503)
    with pytest.raises(GitHubError) as raised:
        fetch_discussions(client, since=None)
    assert str(raised.value) == "GraphQL query: GitHub answered HTTP 503 5 times; try again later"
    assert clock.sleeps == [2.0, 4.0, 8.0, 16.0]


@pytest.mark.parametrize("status", [403, 429])
def test_a_secondary_rate_limit_honours_retry_after(
    fake_github: FakeGitHub,
    client: GitHubClient,
    clock: RecordingClock,
    status: int,
) -> None:
    seed(fake_github, 2)
    fake_github.faults.secondary_rate_limit(status=status, retry_after=7, only="graphql")
    assert len(fetch_discussions(client, since=None).discussions) == 2
    assert clock.sleeps == [7.0]


def test_a_secondary_rate_limit_without_retry_after_waits_a_minute_and_backs_off(
    fake_github: FakeGitHub,
    client: GitHubClient,
    clock: RecordingClock,
) -> None:
    seed(fake_github, 2)
    fake_github.faults.secondary_rate_limit(2, status=200, retry_after=None, only="graphql")
    assert len(fetch_discussions(client, since=None).discussions) == 2
    assert clock.sleeps == [60.0, 120.0]


def test_a_secondary_rate_limit_that_persists_fails_clearly(
    fake_github: FakeGitHub,
    client: GitHubClient,
) -> None:
    fake_github.faults.secondary_rate_limit(9, status=403, retry_after=30, only="graphql")
    with pytest.raises(GitHubError, match=r"secondary rate limit persisted after 5 waits; try again"):
        fetch_discussions(client, since=None)


def test_a_spent_primary_budget_waits_until_the_reset(
    fake_github: FakeGitHub,
    client: GitHubClient,
    clock: RecordingClock,
) -> None:
    seed(fake_github, 2)
    fake_github.faults.primary_rate_limit(only="graphql", reset_in=30)
    assert len(fetch_discussions(client, since=None).discussions) == 2
    (wait,) = clock.sleeps
    assert 29 <= wait <= 32  # until x-ratelimit-reset, plus a second for clocks that differ


def test_a_primary_budget_spent_for_too_long_fails_clearly(
    fake_github: FakeGitHub,
    clock: RecordingClock,
) -> None:
    github = connect(fake_github.api_url, "t", seconds_between_requests=0, seconds_between_writes=0)
    patient = GitHubClient(github, "octo-org/forum", clock, RetryPolicy(longest_wait=60))
    fake_github.faults.primary_rate_limit(only="graphql", reset_in=1800)
    with pytest.raises(GitHubError, match=r"rate limit for this token is spent; it resets in 30 min"):
        fetch_discussions(patient, since=None)
    assert clock.sleeps == []


def test_a_bad_token_or_repository_is_named() -> None:
    with FakeGitHub(tokens={"good"}) as fake:
        github = connect(fake.api_url, "bad", seconds_between_requests=0, seconds_between_writes=0)
        with pytest.raises(GitHubError, match=r"refused the token \(401 Bad credentials\)"):
            fetch_discussions(GitHubClient(github, "octo-org/forum"), since=None)
        github = connect(fake.api_url, "good", seconds_between_requests=0, seconds_between_writes=0)
        with pytest.raises(
            GitHubError, match=r"Could not resolve to a Repository.*check the repository"
        ) as caught:
            fetch_discussions(GitHubClient(github, "octo-org/nothing"), since=None)
        # The command line names its own flag there (tests/test_sync_cli.py).
        assert "check --repository and" in caught.value.render(lambda name: f"--{name}")
    with pytest.raises(GitHubError, match="not of the form owner/name"):
        GitHubClient(github, "forum")


def test_incremental_reads_what_changed_by_discussion_or_comment_timestamps(
    fake_github: FakeGitHub,
    client: GitHubClient,
) -> None:

    store = fake_github.store
    for _ in range(30):
        seed(fake_github, 1, comments=2)
        store.clock.advance(days=1)
    for number, discussion in enumerate(store.default_repository.discussions):
        discussion.title = f"Topic {number}"
    full = fetch_discussions(client, since=None)
    assert full.newest is not None
    store.clock.advance(days=2)
    since = store.clock.current - timedelta(hours=1)
    discussions = store.default_repository.discussions
    store.add_comment(discussions[4], "fr-luc", "A new comment bumps the discussion")
    # An edit does not move the discussion's updatedAt: the comment's own timestamps show it
    # on the pages an incremental sync reads (the most recently active discussions)...
    store.edit_comment(discussions[27].comments[0], "Edited comment")
    # ...but not on an old discussion further down: the scheduled full sync catches that one.
    store.edit_comment(discussions[2].comments[0], "Edited long after")
    fetched = fetch_discussions(client, since=since)
    assert not fetched.complete
    assert {d.title for d in fetched.discussions} == {"Topic 4", "Topic 27"}
    assert fetched.newest is not None and fetched.newest > full.newest
    assert "Topic 2" in {d.title for d in fetch_discussions(client, since=None).discussions}

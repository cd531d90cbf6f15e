"""Talking to GitHub: PyGithub without its own retries, and a client that retries as
GitHub asks, on a clock that tests replace.

Server errors and dropped connections are retried with exponential backoff; a spent
primary budget (HTTP 200 with an error of type RATE_LIMITED, or 403/429 with
`x-ratelimit-remaining: 0`) waits until `x-ratelimit-reset`; a secondary rate limit (200,
403 or 429 with a message about it) honours `retry-after`, else waits at least a minute
and backs off. After that a `GitHubError` says what happened in one line. Every request
and every GraphQL point is counted in a `Budget` for the sync's report.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import requests
from github import Auth, Github, GithubException

from sync.model.errors import ForumError, given

T = TypeVar("T")
# PyGithub's entry point, named for the modules outside sync.github that pass one along (tests).
PyGithub = Github


class GitHubError(ForumError):
    """GitHub could not be read or written; the message says why in one line."""


@dataclass
class Budget:
    """What a sync cost: HTTP requests sent (retries included), GraphQL points, waits."""

    requests: int = 0
    graphql_requests: int = 0
    points: int = 0
    waits: list[float] = field(default_factory=list)
    remaining: int | None = None  # GraphQL points left, as the last query's rateLimit said


class Clock(Protocol):
    """Time for waits; tests pass one that records sleeps instead of sleeping."""

    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """How patient the sync is with GitHub."""

    attempts: int = 5  # for server errors and network failures
    backoff: float = 2.0  # first wait, doubled each time
    secondary_waits: int = 5
    secondary_minimum: float = 60.0  # GitHub: wait at least a minute without retry-after
    primary_waits: int = 2
    longest_wait: float = 3700.0  # a primary budget resets within the hour


def connect(
    api_url: str,
    token: str,
    seconds_between_requests: float | None = 0.25,
    seconds_between_writes: float | None = 1.0,
) -> Github:
    """PyGithub for `api_url`, without its own retries: `GitHubClient` retries, on its clock.

    GitHub asks clients to space their requests; PyGithub does so by default (and counts
    a GraphQL POST as a write). Tests pass 0 for both.
    """
    return Github(
        base_url=api_url.rstrip("/"),
        auth=Auth.Token(token),
        retry=None,
        seconds_between_requests=seconds_between_requests,
        seconds_between_writes=seconds_between_writes,
    )


class GitHubClient:
    """One repository on GitHub, read with retries, counted in a `Budget`."""

    def __init__(
        self,
        github: Github,
        repository: str,
        clock: Clock | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        owner, _, name = repository.partition("/")
        if not owner or not name or "/" in name:
            raise GitHubError(f"repository {repository!r} is not of the form owner/name")
        self.github = github
        self.repository = repository
        self.owner, self.name = owner, name
        self.clock = clock or SystemClock()
        self.policy = policy or RetryPolicy()
        self.budget = Budget()

    def graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The `data` of a GraphQL answer; points charged are added to the budget."""
        self.budget.graphql_requests += 1
        _, answer = self.call("GraphQL query", lambda: self.github.requester.graphql_query(query, variables))
        data = answer.get("data") or {}
        limit = data.get("rateLimit") or {}
        self.budget.points += int(limit.get("cost") or 0)
        if limit.get("remaining") is not None:
            self.budget.remaining = int(limit["remaining"])
        return data

    def call(self, what: str, action: Callable[[], T]) -> T:
        """Run one request, retrying as GitHub asks; a `GitHubError` once patience runs out."""
        failures = secondary = primary = 0
        while True:
            self.budget.requests += 1
            try:
                return action()
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError):
                failures += 1
                if failures >= self.policy.attempts:
                    raise GitHubError(
                        f"{what}: no answer from GitHub after {failures} attempts "
                        "(network failure); try again later"
                    ) from None
                self._wait(self.policy.backoff * 2 ** (failures - 1))
            except GithubException as error:
                kind = _kind(error)
                if kind == "server":
                    failures += 1
                    if failures >= self.policy.attempts:
                        raise GitHubError(
                            f"{what}: GitHub answered HTTP {error.status} {failures} times; try again later"
                        ) from None
                    self._wait(self.policy.backoff * 2 ** (failures - 1))
                elif kind == "secondary":
                    secondary += 1
                    if secondary > self.policy.secondary_waits:
                        raise GitHubError(
                            f"{what}: GitHub's secondary rate limit persisted after {secondary - 1} waits; "
                            "try again in an hour"
                        ) from None
                    self._wait(self._secondary_wait(error, secondary))
                elif kind == "primary":
                    primary += 1
                    wait = self._primary_wait(error)
                    if primary > self.policy.primary_waits or wait > self.policy.longest_wait:
                        raise GitHubError(
                            f"{what}: GitHub's rate limit for this token is spent; it resets in "
                            f"{wait / 60:.0f} min, run the sync again then"
                        ) from None
                    self._wait(wait)
                else:
                    raise GitHubError(f"{what}: {_describe(error)}") from None

    def _wait(self, seconds: float) -> None:
        self.budget.waits.append(seconds)
        self.clock.sleep(seconds)

    def _secondary_wait(self, error: GithubException, attempt: int) -> float:
        retry_after = _header(error, "retry-after")
        if retry_after is not None:
            return max(1.0, retry_after)
        return self.policy.secondary_minimum * 2 ** (attempt - 1)

    def _primary_wait(self, error: GithubException) -> float:
        reset = _header(error, "x-ratelimit-reset")
        if reset is None:
            return self.policy.secondary_minimum
        return max(1.0, reset - self.clock.time() + 1)


def _header(error: GithubException, name: str) -> float | None:
    """A numeric header of GitHub's answer (retry-after, x-ratelimit-*), if it has one."""
    headers = {key.lower(): value for key, value in (error.headers or {}).items()}
    try:
        return float(headers[name])
    except (KeyError, TypeError, ValueError):
        return None


def _messages(error: GithubException) -> list[str]:
    data = error.data if isinstance(error.data, dict) else {}
    messages = [str(data.get("message") or "")]
    messages += [str(e.get("message") or "") for e in data.get("errors") or [] if isinstance(e, dict)]
    return [m for m in messages if m]


def _kind(error: GithubException) -> str:
    """server, secondary, primary or fatal: what GitHub's answer asks the client to do."""
    data = error.data if isinstance(error.data, dict) else {}
    text = " ".join(_messages(error)).lower()
    # "abuse detection" is how GitHub worded secondary limits before 2022, and GHES may still.
    secondary = "secondary rate limit" in text or "abuse detection" in text
    if secondary and error.status in (200, 400, 403, 429):
        return "secondary"
    types = {e.get("type") for e in data.get("errors") or [] if isinstance(e, dict)}
    if "RATE_LIMITED" in types or (
        error.status in (403, 429) and _header(error, "x-ratelimit-remaining") == 0
    ):
        return "primary"
    if error.status >= 500:
        return "server"
    return "fatal"


def _describe(error: GithubException) -> str:
    if error.status == 401:
        token = given("token", "the token given")
        return f"GitHub refused the token (401 Bad credentials); check GITHUB_TOKEN or {token}"
    messages = "; ".join(_messages(error)) or "no message"
    if error.status == 404:
        repository = given("repository", "the repository")
        return f"not found on GitHub ({messages}); check {repository} and the token's access"
    return f"GitHub answered HTTP {error.status}: {messages}"

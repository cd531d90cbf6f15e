"""The sync's pull request on GitHub: found, opened or updated with PyGithub's REST objects.

What leaves this module is a `Repository` and a `SyncPull`: the few facts the sync needs,
with PyGithub's own object kept inside so that updating a pull request costs no extra
request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from github.PullRequest import PullRequest as _PyGithubPull
from github.Repository import Repository as _PyGithubRepository

from sync.github.client import GitHubClient


@dataclass(frozen=True)
class Repository:
    """The forum's repository on GitHub: its owner and default branch."""

    full_name: str  # owner/name
    default_branch: str
    _handle: _PyGithubRepository = field(repr=False, compare=False)

    @property
    def owner(self) -> str:
        """The account the repository belongs to."""
        return self.full_name.split("/")[0]


@dataclass(frozen=True)
class SyncPull:
    """An open sync pull request."""

    number: int
    branch: str  # its head branch in the repository, e.g. sync/2026-10-05
    title: str
    body: str
    url: str  # on the web
    _handle: _PyGithubPull = field(repr=False, compare=False)


def read_repository(client: GitHubClient) -> Repository:
    """The client's repository, as GitHub describes it."""
    handle = client.call("read the repository", lambda: client.github.get_repo(client.repository))
    return Repository(handle.full_name, handle.default_branch, handle)


def find_sync_pull(client: GitHubClient, repository: Repository, base: str, prefix: str) -> SyncPull | None:
    """The open sync pull request into `base` (a head branch starting with `prefix` in the
    repository itself, never a fork's), if there is one; the newest if several."""
    pulls = client.call(
        "list pull requests", lambda: list(repository._handle.get_pulls(state="open", base=base))
    )
    ours = [
        p for p in pulls if p.head.ref.startswith(prefix) and p.head.label.startswith(f"{repository.owner}:")
    ]
    return _pull(max(ours, key=lambda p: p.number)) if ours else None


def open_or_update_pull(
    client: GitHubClient,
    repository: Repository,
    pull: SyncPull | None,
    base: str,
    branch: str,
    title: str,
    body: str,
) -> tuple[SyncPull, str]:
    """Open the sync pull request from `branch` into `base`, or update the open one's title
    and body. Returns the pull request and what was done: opened, updated or unchanged."""
    if pull is None:
        created = client.call(
            "open the pull request",
            lambda: repository._handle.create_pull(base=base, head=branch, title=title, body=body),
        )
        return _pull(created), "opened"
    if pull.title == title and pull.body == body:
        return pull, "unchanged"
    client.call("update the pull request", lambda: pull._handle.edit(title=title, body=body))
    return pull, "updated"


def _pull(handle: _PyGithubPull) -> SyncPull:
    return SyncPull(handle.number, handle.head.ref, handle.title, handle.body or "", handle.html_url, handle)

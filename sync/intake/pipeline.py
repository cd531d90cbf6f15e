"""`forum sync` from start to end: read GitHub, moderate, commit, push, pull request.

Each step is a function of its own module: `sync.github.discussions` reads the discussions,
`sync.intake.moderation` decides what enters content/ and writes it, `sync.intake.state` remembers
where the sync stopped, `sync.gitrepo.worktree` commits and pushes in a worktree of its own,
`sync.intake.pull_request` writes the pull request's body and `sync.github.pull_requests`
opens it. This module only runs them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sync.github import DEFAULT_API_URL, pull_requests
from sync.github.client import Budget, Clock, GitHubClient, PyGithub, connect
from sync.github.discussions import fetch_discussions
from sync.github.limits import ContentLimiter
from sync.gitrepo import worktree as gitrepo
from sync.intake.moderation import HeldBack, ImportReport, import_discussions
from sync.intake.pull_request import pull_request_text
from sync.intake.rooms import RoomsOutcome, merge_rooms, mirror_rooms, read_rooms
from sync.intake.rules import Rules
from sync.intake.state import read_state, write_state
from sync.model.config import Project
from sync.model.content import load_forum
from sync.model.credentials import load_credentials
from sync.model.domain import Roster
from sync.model.roster import load_proposals_category

# GitHub's timestamps are taken when a change is made, but a change can show in the API a
# little later; an incremental sync reads again what changed in the hour before it stopped.
OVERLAP = timedelta(hours=1)
SHOW_PROGRESS_FROM = 100  # discussions: fewer are read in a moment


@dataclass(frozen=True)
class SyncSettings:
    """Where to sync from, following GitHub Actions' own variables."""

    repository: str  # owner/name, GITHUB_REPOSITORY
    token: str  # GITHUB_TOKEN
    api_url: str = DEFAULT_API_URL  # GITHUB_API_URL; GitHub Enterprise Server: https://HOST/api/v3
    full: bool = False  # read every discussion instead of what changed
    remote: str = "origin"  # the git remote that is the GitHub repository
    # The delegations' credentials file (FORUM_CREDENTIALS): posts of a member state without
    # a delegation credential are held back. None: not checked, and the report says so.
    credentials: Path | None = None


@dataclass
class SyncOutcome:
    """What a sync did, for the command's output."""

    report: ImportReport
    held_back: list[HeldBack]
    budget: Budget
    full: bool
    since: datetime | None
    discussions: int  # read in full
    commit: str | None = None
    pull_url: str | None = None
    pull_action: str = "none"  # opened, updated, unchanged or none
    ignored: dict[str, int] = field(default_factory=dict)
    rooms: RoomsOutcome = field(default_factory=RoomsOutcome)
    delegations_checked: bool = False


def run_sync(
    root: Path,
    settings: SyncSettings,
    *,
    github: PyGithub | None = None,
    clock: Clock | None = None,
    progress: Callable[[int, int], None] | None = None,
    now: datetime | None = None,
) -> SyncOutcome:
    """Sync the forum checkout at `root` with its repository's discussions.

    `github` and `clock` are for tests: a PyGithub without throttling, a clock that
    records waits instead of waiting.
    """
    checkout = gitrepo.checkout_repo(root)
    relative = Path(root).resolve().relative_to(Path(checkout.working_tree_dir or root).resolve())
    with gitrepo.sync_lock(checkout), gitrepo.git_errors():
        client = GitHubClient(github or connect(settings.api_url, settings.token), settings.repository, clock)
        repository = pull_requests.read_repository(client)
        base = repository.default_branch
        pull = pull_requests.find_sync_pull(client, repository, base, gitrepo.BRANCH_PREFIX)
        branch = pull.branch if pull else gitrepo.branch_name(now or datetime.now(UTC))
        continued = pull is not None
        workspace = gitrepo.open_workspace(checkout, settings.remote, base, branch, continued)
        try:
            project = Project(workspace.path / relative)
            outcome, roster = _sync(project, workspace, client, settings, progress)
            if workspace.ahead():
                title, body = pull_request_text(workspace, outcome.report, outcome.held_back, roster)
                opened, outcome.pull_action = pull_requests.open_or_update_pull(
                    client, repository, pull, base, branch, title, body
                )
                outcome.pull_url = opened.url
            return outcome
        finally:
            gitrepo.close_workspace(workspace)


def _sync(
    project: Project,
    workspace: gitrepo.Workspace,
    client: GitHubClient,
    settings: SyncSettings,
    progress: Callable[[int, int], None] | None,
) -> tuple[SyncOutcome, Roster]:
    """Read, moderate and write into the worktree; commit and push if anything changed."""
    languages = project.languages()
    forum = load_forum(project.content, languages)
    delegations = None
    if settings.credentials is not None:
        delegations = frozenset(code.upper() for code in load_credentials(settings.credentials).delegations)
    rules = Rules(
        roster=forum.roster,
        categories=forum.categories,
        proposals_category=load_proposals_category(project.content / "categories.yml"),
        languages=languages,
        delegations=delegations,
    )
    state = read_state(project.content)
    since = None if settings.full or state.synced_until is None else state.synced_until - OVERLAP
    fetched = fetch_discussions(client, since, progress)
    # Guests write in rooms of their own: their posts join their topic's discussion here.
    rooms = read_rooms(client, project.content, fetched, datetime.now(UTC).date())
    report = import_discussions(project.content, merge_rooms(fetched, rooms), rules, forum)
    mirrored = mirror_rooms(client, project.content, rooms, rules, forum, ContentLimiter(client.clock))
    after = state.after(fetched, report.held_back)
    outcome = SyncOutcome(
        report, after.held_back, client.budget, since is None, since, len(fetched.discussions)
    )
    outcome.ignored = dict(report.ignored)
    outcome.rooms, outcome.delegations_checked = mirrored, delegations is not None
    if workspace.changed():
        # The state travels with the posts it describes; alone it is no reason for a commit.
        write_state(project.content, after)
        outcome.commit = workspace.commit(commit_message(report))
        gitrepo.push(workspace)
    return outcome, forum.roster


def commit_message(report: ImportReport) -> str:
    """The commit's subject with this sync's counts, and a line per removed post."""
    subject = (
        f"Sync from GitHub Discussions: {report.count('new')} new, "
        f"{report.count('edited')} edited, {report.count('removed')} removed"
    )
    removed = [f"- {c.post_id}: {c.reason}" for c in report.changes if c.action == "removed"]
    return subject + ("\n\nRemoved:\n" + "\n".join(removed) if removed else "")


def describe(outcome: SyncOutcome) -> list[str]:
    """What the sync did, in a few lines for the terminal or the Actions log."""
    report, budget = outcome.report, outcome.budget
    read = "every discussion" if outcome.full else f"changes since {outcome.since:%Y-%m-%d %H:%M} UTC"
    lines = [
        f"Read {read}: {outcome.discussions} discussion(s) in full, with {budget.graphql_requests} "
        f"GraphQL queries costing {budget.points} points ({budget.requests} requests in all).",
        f"Changes: {report.count('new')} new, {report.count('edited')} edited, "
        f"{report.count('removed')} removed; {report.outdated_translations} translation(s) marked outdated.",
    ]
    if outcome.held_back:
        lines.append(f"Held back: {len(outcome.held_back)}")
        lines += [f"  - {entry.url}: {entry.reason}" for entry in outcome.held_back]
    if not outcome.delegations_checked:
        lines.append("Delegations not checked: FORUM_CREDENTIALS is not set (see README, Sync).")
    rooms = outcome.rooms
    if rooms.read:
        lines.append(
            f"Guests' rooms: {rooms.read} read; copies {rooms.copied} made, {rooms.updated} updated, "
            f"{rooms.deleted} deleted"
            + (f"; paused: {rooms.paused}, the rest at the next sync" if rooms.paused else "")
        )
    if outcome.ignored:
        categories = ", ".join(f"{slug} ({count})" for slug, count in sorted(outcome.ignored.items()))
        lines.append(f"Not the forum's: discussions in the GitHub categories {categories}")
    if outcome.pull_url:
        lines.append(f"Pull request {outcome.pull_action}: {outcome.pull_url}")
    else:
        lines.append("Nothing changed: no pull request.")
    return lines

"""A forum repository on the fake GitHub, for the sync's tests.

`World` holds the three places a sync touches: discussions on the fake GitHub, the bare
git repository standing in for GitHub's copy of the forum, and the user's checkout (a
small `Archive` committed on `main` and pushed). Its helpers play the people involved:
the moderator and delegates writing on GitHub, the moderator merging the pull request.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import git
from archive import Archive
from fake_github import FakeGitHub
from fake_github.models import Discussion, DiscussionComment, PullRequest

from sync.github.client import connect
from sync.intake.pipeline import SyncOutcome, SyncSettings, run_sync
from sync.model.content import load_forum
from sync.model.domain import Forum

REPOSITORY = "octo-org/forum"
IDENTITY = {"name": "Forum Tester", "email": "tester@example.org"}
START = datetime(2026, 10, 5, 8, tzinfo=UTC)  # a Monday: topics open in week 2026-W41


class RecordingClock:
    """Real time for reading GitHub's reset headers; waits recorded, not slept."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def time(self) -> float:
        import time

        return time.time()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


class World:
    """The fake GitHub, its bare remote, and the user's checkout of the forum."""

    def __init__(self, fake: FakeGitHub, archive: Archive, tmp: Path) -> None:
        self.fake = fake
        self.store = fake.store
        self.archive = archive
        self.root = archive.root
        self.clock = RecordingClock()
        self.store.clock.set(START)
        self.store.clock.auto_tick = timedelta(minutes=1)
        for slug, name in [("training", "Training"), ("copyright", "Copyright"), ("proposals", "Proposals")]:
            self.store.add_category(name, slug=slug)
        self.remote = fake.repo.remote_path or fake.attach_remote(tmp / "remote.git")
        self.repo = git.Repo.init(self.root, initial_branch="main")
        with self.repo.config_writer() as config:
            config.set_value("user", "name", IDENTITY["name"])
            config.set_value("user", "email", IDENTITY["email"])
        (self.root / ".gitignore").write_text("site/\n__pycache__/\n", encoding="utf-8")
        self.repo.create_remote("origin", str(self.remote))
        self.commit_and_push("The forum: roster, categories, protocol")

    # -- the user's checkout --------------------------------------------------------------

    def commit_and_push(self, message: str) -> str:
        """Commit everything in the checkout on main and push it, as a maintainer would."""
        self.repo.git.add("--all")
        self.repo.git.commit("--quiet", "--allow-empty", "-m", message)
        self.repo.git.push("--quiet", "origin", "main")
        return self.repo.head.commit.hexsha

    def pull(self) -> None:
        """Bring main up to date after a merge on GitHub."""
        self.repo.git.pull("--quiet", "--ff-only", "origin", "main")

    def forum(self) -> Forum:
        """The checkout's content, as the site reads it."""
        return load_forum(self.archive.content, ("en", "fr", "es"))

    def post_file(self, post_id: str) -> Path:
        """The original file of a post in the checkout (after a pull)."""
        found = [*self.archive.content.glob(f"topics/*/{post_id}.md"), self.proposal_file(post_id)]
        found = [path for path in found if path.is_file()]
        assert len(found) == 1, f"{post_id}: {found}"
        return found[0]

    def proposal_file(self, post_id: str) -> Path:
        return self.archive.content / "proposals" / f"{post_id}.md"

    def has_post(self, post_id: str) -> bool:
        return (
            any(self.archive.content.glob(f"topics/*/{post_id}*.md")) or self.proposal_file(post_id).exists()
        )

    # -- GitHub ---------------------------------------------------------------------------

    def sync(self, full: bool = False, **options: Any) -> SyncOutcome:
        """`forum sync` against the fake, without PyGithub's throttling or real waits."""
        settings = SyncSettings(repository=REPOSITORY, token="t", api_url=self.fake.api_url, full=full)
        github = connect(self.fake.api_url, "t", seconds_between_requests=0, seconds_between_writes=0)
        options.setdefault("now", self.store.clock.current)
        return run_sync(self.root, settings, github=github, clock=self.clock, **options)

    def sync_and_merge(self, full: bool = False) -> SyncOutcome:
        """Sync, merge the pull request on GitHub, pull main into the checkout."""
        outcome = self.sync(full=full)
        pull = self.open_pull()
        assert pull is not None, "the sync opened no pull request"
        self.fake.merge_pull_request(pull.number)
        self.pull()
        return outcome

    def open_pull(self) -> PullRequest | None:
        """The open pull request on the fake, if any (there is at most one)."""
        pulls = [p for p in self.fake.repo.pulls if p.state == "open"]
        assert len(pulls) <= 1, pulls
        return pulls[0] if pulls else None

    def topic(
        self, title: str, body: str = "What worked in your country?", category: str = "training", **kw: Any
    ) -> Discussion:
        """The moderator opens a topic."""
        return self.store.add_discussion(
            title, body, author=kw.pop("author", "wipo-mod"), category=category, **kw
        )

    def reply(
        self, discussion: Discussion, author: str, body: str, to: DiscussionComment | None = None
    ) -> DiscussionComment:
        """Someone comments on a discussion, or replies to a comment."""
        return self.store.add_comment(discussion, author, body, reply_to=to)

    def later(self, **delta: float) -> None:
        """Let time pass on GitHub."""
        self.store.clock.advance(**delta)

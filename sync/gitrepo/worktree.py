"""The git side of the sync: a worktree of its own, a commit, a push, one pull request.

The sync never works in the user's working tree and never moves a local branch: it adds a
detached worktree in `.git/forum-sync/worktree`, starting from the remote's default branch
or from the open sync pull request's branch (so the moderator's corrections pushed there
are kept), commits there and pushes `HEAD` to `sync/<date>`. A sync that fails or is
interrupted leaves nothing behind but that worktree, which the next sync discards before
doing the whole work again. A lock file in the git folder keeps two syncs apart. The pull
request itself is `sync.github.pull_requests`'.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import git

from sync.model.errors import ForumError

LOCK_FILE = "forum-sync.lock"
WORKTREE = Path("forum-sync") / "worktree"
BRANCH_PREFIX = "sync/"
# Used when git has no identity configured, as on a GitHub Actions runner.
BOT_IDENTITY = {
    "GIT_AUTHOR_NAME": "github-actions[bot]",
    "GIT_AUTHOR_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "github-actions[bot]",
    "GIT_COMMITTER_EMAIL": "41898282+github-actions[bot]@users.noreply.github.com",
}


class GitError(ForumError):
    """The forum's git repository could not be used; the message says why in one line."""


class SyncBusyError(GitError):
    """Another sync holds the lock."""


def checkout_repo(root: Path) -> git.Repo:
    """The git repository of the forum checkout at `root`."""
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{root} is not in a git repository; sync works on a clone of the forum") from None


@contextmanager
def sync_lock(repo: git.Repo) -> Iterator[None]:
    """Hold the sync lock, or refuse at once with who holds it.

    flock rather than a file's mere existence: the kernel releases it when its process
    ends, however it ends, so a crashed sync never blocks the next one.
    """
    path = Path(repo.common_dir) / LOCK_FILE
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise SyncBusyError(
                f"another sync is running ({holder}); wait for it to finish, then run again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def git_errors() -> Iterator[None]:
    """Turn a failed git command into a `GitError` with git's own last line."""
    try:
        yield
    except git.GitCommandError as error:
        command = " ".join(str(part) for part in error.command[1:2]) if error.command else ""
        raise GitError(f"git {command} failed: {_last_line(error)}") from None


@dataclass
class Workspace:
    """The sync's own worktree, and where its commits go."""

    checkout: git.Repo  # the user's repository
    repo: git.Repo  # the worktree
    remote: str
    base: str  # the default branch, where the pull request goes
    branch: str  # the branch pushed to
    continued: bool  # True when continuing an open pull request's branch

    @property
    def path(self) -> Path:
        """The worktree's folder."""
        return Path(self.repo.working_tree_dir or "")

    def changed(self) -> bool:
        """True when the worktree has changes that are not committed."""
        return bool(self.repo.git.status("--porcelain", "--", "content"))

    def commit(self, message: str) -> str:
        """Commit every change in content/; the new commit's sha."""
        self.repo.git.add("--all", "--", "content")
        with self.repo.git.custom_environment(**_identity(self.checkout)):
            self.repo.git.commit("--quiet", "-m", message)
        return self.repo.head.commit.hexsha

    def ahead(self) -> bool:
        """True when HEAD has commits that the default branch does not have."""
        return bool(self.repo.git.rev_list(f"{self.remote}/{self.base}..HEAD"))

    def changed_files(self) -> list[ChangedFile]:
        """The content/ files changed on the branch since it left the default branch, with
        their text."""
        listing = self.repo.git.diff("--name-status", "--no-renames", self._base, "HEAD", "--", "content")
        result = []
        for line in listing.splitlines():
            status, _, path = line.partition("\t")
            if status[0] == "D":
                result.append(ChangedFile("D", path, None, self.text(path, before=True)))
            else:
                result.append(ChangedFile(status[0], path, self.text(path), None))
        return result

    def text(self, path: str, before: bool = False) -> str | None:
        """A file's text on the branch (or, `before`, where the branch left the default
        branch); None when it is not there."""
        if not before:
            try:
                return (self.path / path).read_text(encoding="utf-8")  # HEAD, as committed
            except FileNotFoundError:
                return None
        try:
            return self.repo.git.show(f"{self._base}:{path}")
        except git.GitCommandError:
            return None

    @cached_property
    def _base(self) -> str:
        """Where the branch left the default branch."""
        return self.repo.git.merge_base(f"{self.remote}/{self.base}", "HEAD")


@dataclass(frozen=True)
class ChangedFile:
    """A file the sync branch adds (A), modifies (M) or deletes (D), as plain text."""

    status: str
    path: str  # from the repository's root, e.g. content/topics/2026-w41-training/R_1.md
    new_text: str | None  # on the branch; None when deleted
    old_text: str | None  # before: read for a deleted file only (one git command each)


def open_workspace(checkout: git.Repo, remote: str, base: str, branch: str, continued: bool) -> Workspace:
    """A fresh worktree at the remote's `branch` (continued) or default branch."""
    _discard_worktree(checkout)
    refspecs = [f"+refs/heads/{base}:refs/remotes/{remote}/{base}"]
    if continued:
        refspecs.append(f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    try:
        checkout.git.fetch("--quiet", remote, *refspecs)
    except git.GitCommandError as error:
        raise GitError(f"could not fetch {base} from the remote {remote!r}: {_last_line(error)}") from None
    start = f"{remote}/{branch if continued else base}"
    path = Path(checkout.common_dir) / WORKTREE
    path.parent.mkdir(parents=True, exist_ok=True)
    checkout.git.worktree("add", "--quiet", "--detach", str(path), start)
    return Workspace(checkout, git.Repo(path), remote, base, branch, continued)


def close_workspace(workspace: Workspace) -> None:
    """Remove the worktree; the user's checkout is as it was."""
    _discard_worktree(workspace.checkout)


def _discard_worktree(checkout: git.Repo) -> None:
    path = Path(checkout.common_dir) / WORKTREE
    if path.exists():
        try:
            checkout.git.worktree("remove", "--force", str(path))
        except git.GitCommandError:
            shutil.rmtree(path, ignore_errors=True)
    checkout.git.worktree("prune")


def push(workspace: Workspace) -> None:
    """Push HEAD to the sync branch.

    A continued branch moves forward only (a moderator's push meanwhile makes it fail, and
    the next sync starts from their commit); a new one replaces whatever an earlier,
    interrupted sync pushed there without opening its pull request.
    """
    refspec = f"HEAD:refs/heads/{workspace.branch}"
    options = [] if workspace.continued else ["--force"]
    try:
        workspace.repo.git.push("--quiet", *options, workspace.remote, refspec)
    except git.GitCommandError as error:
        message = f"could not push {workspace.branch}: {_last_line(error)}; run the sync again"
        raise GitError(message) from None


def branch_name(now: datetime) -> str:
    """`sync/<date>`, the branch of a new sync pull request."""
    return f"{BRANCH_PREFIX}{now.astimezone(UTC):%Y-%m-%d}"


def _identity(checkout: git.Repo) -> dict[str, str]:
    reader = checkout.config_reader()
    if reader.has_option("user", "name") and reader.has_option("user", "email"):
        return {}
    return BOT_IDENTITY


def _last_line(error: git.GitCommandError) -> str:
    lines = [line for line in str(error.stderr or error).strip().splitlines() if line.strip()]
    return lines[-1].strip().removeprefix("stderr: ").strip("'") if lines else "git failed"

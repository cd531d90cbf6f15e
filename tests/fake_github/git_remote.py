"""A local bare git repository standing in for the GitHub remote.

The tool under test pushes branches here with plain git; the fake GitHub reads
branch heads from it (a pull request's ``head.sha`` follows pushes, as on
GitHub) and merges pull requests inside it the way GitHub's merge button does.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import git

if TYPE_CHECKING:
    from .models import PullRequest
    from .store import Store

#: Commits made by the fake GitHub itself, like GitHub's own "web-flow" commits.
IDENTITY = {
    "GIT_AUTHOR_NAME": "GitHub",
    "GIT_AUTHOR_EMAIL": "noreply@github.com",
    "GIT_COMMITTER_NAME": "GitHub",
    "GIT_COMMITTER_EMAIL": "noreply@github.com",
}

MERGE_METHODS = ("merge", "squash", "fast-forward")


class MergeConflictError(RuntimeError):
    """The head branch does not merge cleanly into the base branch."""


def create_bare_remote(path: Path, *, seed_from: Path | None = None, default_branch: str = "main") -> Path:
    """Create a bare repository at ``path`` (``git init --bare``) and optionally seed it.

    ``seed_from`` may be a git work tree, whose local branches are all pushed,
    or a plain directory, whose files become one initial commit on
    ``default_branch``.  Without it the remote starts empty, like a new GitHub
    repository.
    """
    path.mkdir(parents=True, exist_ok=True)
    bare = git.Repo.init(path, bare=True, initial_branch=default_branch)
    if seed_from is None:
        return path
    if (seed_from / ".git").exists():
        source = git.Repo(seed_from)
        source.git.push(str(path), "refs/heads/*:refs/heads/*")
    else:
        with tempfile.TemporaryDirectory(prefix="fake-github-seed-") as scratch:
            work = git.Repo.init(scratch, initial_branch=default_branch)
            shutil.copytree(seed_from, scratch, dirs_exist_ok=True)
            work.git.add("--all")
            with work.git.custom_environment(**IDENTITY):
                work.git.commit("--allow-empty", "-m", "Initial commit")
            work.git.push(str(path), f"HEAD:refs/heads/{default_branch}")
    bare.git.symbolic_ref("HEAD", f"refs/heads/{default_branch}")
    return path


def branch_sha(path: Path, branch: str) -> str | None:
    """The commit a branch points to in the bare repository, or None if it does not exist."""
    try:
        return git.Repo(path).git.rev_parse("--verify", "--quiet", f"refs/heads/{branch}^{{commit}}")
    except git.GitCommandError:
        return None


def is_ancestor(path: Path, ancestor: str, descendant: str) -> bool:
    """True when ``ancestor`` is reachable from ``descendant`` (i.e. nothing new to merge)."""
    return git.Repo(path).is_ancestor(ancestor, descendant)


def merge_branch(
    path: Path,
    *,
    head: str,
    base: str,
    method: str = "merge",
    message: str,
    delete_head: bool = False,
) -> str:
    """Merge branch ``head`` into ``base`` inside the bare repository; return base's new sha.

    ``merge`` always records a merge commit (GitHub's "Create a merge commit"),
    ``squash`` adds one commit with the combined change, ``fast-forward`` only
    moves ``base`` and refuses anything else.  Work happens in a throwaway
    clone because a bare repository has no work tree to merge in.
    """
    if method not in MERGE_METHODS:
        raise ValueError(f"merge method must be one of {MERGE_METHODS}, not {method!r}")
    with tempfile.TemporaryDirectory(prefix="fake-github-merge-") as scratch:
        clone = git.Repo.clone_from(str(path), scratch, branch=base)
        with clone.git.custom_environment(**IDENTITY):
            try:
                if method == "fast-forward":
                    clone.git.merge("--ff-only", f"origin/{head}")
                elif method == "squash":
                    clone.git.merge("--squash", f"origin/{head}")
                    clone.git.commit("-m", message)
                else:
                    clone.git.merge("--no-ff", "-m", message, f"origin/{head}")
            except git.GitCommandError as error:
                raise MergeConflictError(
                    f"cannot {method} {head} into {base}: {error.stderr.strip()}"
                ) from error
        clone.git.push("origin", f"HEAD:refs/heads/{base}")
        if delete_head:
            clone.git.push("origin", f":refs/heads/{head}")
        return clone.head.commit.hexsha


def merge_pull_request(
    store: Store, pull: PullRequest, *, method: str = "merge", delete_branch: bool = False
) -> str:
    """Merge a pull request's head into its base in the bare remote and mark it merged.

    Without a linked remote the merge is only recorded (with a made-up sha).
    """
    repo = pull.repository
    if repo.remote_path is not None:
        message = (
            f"{pull.title} (#{pull.number})"
            if method == "squash"
            else f"Merge pull request #{pull.number} from {pull.head_owner}/{pull.head_ref}\n\n{pull.title}"
        )
        pull.head_sha = branch_sha(repo.remote_path, pull.head_ref) or pull.head_sha
        sha = merge_branch(
            repo.remote_path,
            head=pull.head_ref,
            base=pull.base_ref,
            method=method,
            message=message,
            delete_head=delete_branch,
        )
    else:
        sha = hashlib.sha1(f"merge:{pull.id}".encode()).hexdigest()
    now = store.clock.now()
    pull.state, pull.merged, pull.merge_commit_sha = "closed", True, sha
    pull.merged_at = pull.closed_at = pull.updated_at = now
    return sha

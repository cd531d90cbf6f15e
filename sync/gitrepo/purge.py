"""The history purge: every commit rewritten with git-filter-repo so that no commit holds an
erased post's files (`forum erase --purge-history`).

git-filter-repo removes the remote `origin` as a safeguard; it is put back, so that the
rewritten history can be pushed as the moderator is told.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from sync.gitrepo.worktree import GitError


def purge_posts(root: Path, content: Path, post_ids: Iterable[str]) -> None:
    """Rewrite the history of the checkout at `root` without the files of these posts (in
    any language) under `content`; refuses with uncommitted changes."""
    git_root = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    if _git(git_root, "status", "--porcelain").strip():
        raise GitError(
            "the checkout has uncommitted changes; commit the erasure (content/) first, then purge"
        )
    prefix = content.resolve().relative_to(git_root.resolve()).as_posix()
    globs = []
    for post_id in post_ids:
        for folder in ("topics/*", "proposals"):
            globs += ["--path-glob", f"{prefix}/{folder}/{post_id}.md"]
            globs += ["--path-glob", f"{prefix}/{folder}/{post_id}.*.md"]
    origin = _git(git_root, "remote", "get-url", "origin", check=False).strip()
    command = [sys.executable, _filter_repo(), "--force", "--invert-paths", *globs]
    done = subprocess.run(command, cwd=git_root, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise GitError(f"git filter-repo failed: {last}")
    if origin and not _git(git_root, "remote", check=False).split():
        _git(git_root, "remote", "add", "origin", origin)  # filter-repo removes it as a safeguard


def _filter_repo() -> str:
    """git-filter-repo's script, installed from PyPI with the forum (a pinned dependency)."""
    import git_filter_repo

    return str(Path(git_filter_repo.__file__))


def _git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if check and done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise GitError(f"git {args[0]} failed: {last}")
    return done.stdout

"""The git side of `forum sync`: a worktree of its own, crashes, two syncs at once."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import git
import pytest
from syncworld import World

from sync.github import pull_requests
from sync.github.client import GitHubError
from sync.gitrepo import worktree as gitrepo
from sync.gitrepo.worktree import SyncBusyError, sync_lock

pytest_plugins = ["syncfixtures"]  # the fake GitHub's fixtures, and `world`


class Crash(Exception):
    """The machine going down at the worst moment."""


def snapshot(world: World) -> tuple[str, str, str, list[str]]:
    """What the user sees of their checkout: HEAD, main, status, worktrees."""
    repo = world.repo
    worktrees = [
        line for line in repo.git.worktree("list", "--porcelain").splitlines() if line.startswith("worktree")
    ]
    return repo.head.commit.hexsha, repo.commit("main").hexsha, repo.git.status("--porcelain"), worktrees


def test_a_crash_between_commit_and_push_leaves_the_checkout_as_it_was_and_the_next_run_completes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = world.topic("National IP strategies")
    reply = world.reply(topic, "br-ana", "Our strategy has ten indicators.")
    (world.root / "notes.txt").write_text("the user's own unsaved work\n", encoding="utf-8")
    before = snapshot(world)
    committed: list[str] = []

    def crash_before_pushing(workspace: gitrepo.Workspace) -> None:
        committed.append(str(workspace.repo.head.commit.message).strip())
        raise Crash

    monkeypatch.setattr(gitrepo, "push", crash_before_pushing)
    with pytest.raises(Crash):
        world.sync()
    assert committed == ["Sync from GitHub Discussions: 2 new, 0 edited, 0 removed"]
    assert snapshot(world) == before
    assert (world.root / "notes.txt").read_text() == "the user's own unsaved work\n"
    assert world.open_pull() is None
    assert "sync/" not in world.repo.git.ls_remote("origin")

    monkeypatch.undo()
    outcome = world.sync()
    assert outcome.pull_action == "opened" and snapshot(world) == before
    world.fake.merge_pull_request(world.open_pull().number)  # type: ignore[union-attr]
    world.pull()
    assert world.has_post(reply.id)


def test_a_crash_after_the_push_is_completed_by_the_next_run(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:

    topic = world.topic("National IP strategies")
    world.reply(topic, "br-ana", "Our strategy has ten indicators.")

    def crash(*_: object) -> None:
        raise Crash

    monkeypatch.setattr(pull_requests, "open_or_update_pull", crash)
    with pytest.raises(Crash):
        world.sync()
    assert "refs/heads/sync/2026-10-05" in world.repo.git.ls_remote("origin") and world.open_pull() is None
    monkeypatch.undo()
    world.later(minutes=5)
    world.reply(topic, "fr-luc", "Nous aussi.")
    outcome = world.sync()
    pull = world.open_pull()
    assert outcome.pull_action == "opened" and pull is not None
    assert pull.title == "Sync from GitHub Discussions: 3 new, 0 edited, 0 removed"


def test_github_failing_mid_sync_leaves_everything_as_it_was(world: World) -> None:
    world.reply(world.topic("Topic"), "br-ana", "An answer.")
    before = snapshot(world)
    world.fake.faults.fail_next(20, only="graphql", status=502)
    with pytest.raises(GitHubError, match="GitHub answered HTTP 502 5 times"):
        world.sync()
    assert snapshot(world) == before and world.open_pull() is None
    assert world.clock.sleeps == [2.0, 4.0, 8.0, 16.0]


def test_the_moderators_commits_on_the_sync_branch_are_kept(world: World) -> None:
    topic = world.topic("Topic")
    comment = world.reply(topic, "br-ana", "Nous avons quarante formateurs.")
    world.sync()
    # The moderator corrects a language in the pull request's branch.
    review = git.Repo.clone_from(str(world.remote), world.root.parent / "review", branch="sync/2026-10-05")
    path = next((world.root.parent / "review" / "content" / "topics").glob(f"*/{comment.id}.md"))
    path.write_text(path.read_text().replace("language: fr", "language: en"), encoding="utf-8")
    review.git.commit("-am", "Language: English", env={"GIT_AUTHOR_NAME": "Mod", "GIT_AUTHOR_EMAIL": "m@x"})
    review.git.push("origin", "sync/2026-10-05")

    world.later(hours=2)
    world.reply(topic, "fr-luc", "Nous aussi.")
    world.store.edit_comment(comment, "Nous avons quarante-deux formateurs.")
    assert world.sync().pull_action == "updated"
    world.fake.merge_pull_request(world.open_pull().number)  # type: ignore[union-attr]
    world.pull()
    assert "language: en" in world.post_file(comment.id).read_text()
    assert "quarante-deux" in world.post_file(comment.id).read_text()


def test_a_second_sync_at_the_same_time_is_refused(world: World) -> None:
    world.reply(world.topic("Topic"), "br-ana", "An answer.")
    with sync_lock(world.repo), pytest.raises(SyncBusyError) as refused:
        world.sync()
    assert str(refused.value).startswith("another sync is running (pid ")
    assert str(refused.value).endswith("wait for it to finish, then run again")
    assert world.open_pull() is None
    assert world.sync().pull_action == "opened"  # the lock is free again


def test_the_lock_of_a_killed_sync_does_not_block_the_next(world: World) -> None:
    holder = textwrap.dedent(
        f"""
        import git, os, sys
        from sync.gitrepo.worktree import sync_lock
        with sync_lock(git.Repo({str(world.root)!r})):
            print("locked", flush=True)
            sys.stdin.read()
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        with pytest.raises(SyncBusyError, match=rf"pid {process.pid}, started"):
            world.sync()
    finally:
        process.kill()
        process.wait()
    world.reply(world.topic("Topic"), "br-ana", "An answer.")
    assert world.sync().pull_action == "opened"

"""`forum sync` as the moderator and GitHub Actions run it, and the whole path to the site."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner
from conftest import BuiltSite
from github import Github
from syncworld import REPOSITORY, World

from sync.cli.main import main
from sync.github.client import connect
from sync.gitrepo.worktree import sync_lock
from sync.intake import pipeline
from sync.site.pages import topic_slug

pytest_plugins = ["syncfixtures"]  # the fake GitHub's fixtures, and `world`


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyGithub spaces requests by a second for GitHub's sake; the fake needs no such care."""

    def fast(api_url: str, token: str) -> Github:
        return connect(api_url, token, seconds_between_requests=0, seconds_between_writes=0)

    monkeypatch.setattr(pipeline, "connect", fast)


def forum_sync(world: World, *arguments: str, **environment: str) -> object:
    env = {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_TOKEN": "t", "GITHUB_API_URL": world.fake.api_url}
    return CliRunner().invoke(main, ["sync", "--project", str(world.root), *arguments], env=env | environment)


def test_discussions_to_the_built_site_through_forum_sync_and_a_merged_pull_request(
    world: World, build: Callable[..., BuiltSite]
) -> None:

    topic = world.topic("Training of trainers: what worked?", "Tell us what worked in your region.")
    ana = world.reply(topic, "br-ana", "We trained **forty** trainers in two years.")
    world.reply(topic, "fr-luc", "Nous avons formé vingt formateurs l'an dernier.", to=ana)
    world.reply(topic, "spammer", "Buy cheap watches")

    result = forum_sync(world)
    assert result.exit_code == 0, result.output
    assert "Changes: 3 new, 0 edited, 0 removed" in result.stdout
    assert "Held back: 1\n" in result.stdout and "@spammer is not on the roster" in result.stdout
    assert "Pull request opened: https://github.com/octo-org/forum/pull/" in result.stdout
    pull = world.open_pull()
    assert pull is not None and "@spammer is not on the roster" in pull.body

    world.fake.merge_pull_request(pull.number)
    world.pull()
    site = build()
    text = site.text(f"topics/{topic_slug(topic.id)}/")
    assert "Training of trainers: what worked?" in text
    assert "We trained forty trainers in two years." in text
    assert "Nous avons formé vingt formateurs l'an dernier." in text
    assert "Buy cheap watches" not in text

    again = forum_sync(world)
    assert again.exit_code == 0 and again.stdout.strip().endswith("Nothing changed: no pull request.")


def test_every_query_the_sync_sends_is_valid_against_githubs_schema(world: World) -> None:
    from fake_github import validate_query

    topic = world.topic("Long", "Many comments")
    first = world.reply(topic, "br-ana", "first")
    for number in range(12):
        world.reply(topic, "fr-luc", f"reply {number}", to=first)
    for number in range(30):
        world.reply(topic, "mx-eva", f"comment {number}")
    assert forum_sync(world).exit_code == 0
    assert forum_sync(world, "--full").exit_code == 0
    assert len({call.query for call in world.fake.log}) == 3  # a page, more comments, more replies
    for call in world.fake.log:
        assert validate_query(call.query) == [], call.query


def test_progress_is_shown_on_a_long_sync(world: World) -> None:
    for week in range(150):
        world.topic(f"Topic {week}")
    result = forum_sync(world)
    assert result.exit_code == 0, result.output
    assert "Reading discussions: 100/150\nReading discussions: 150/150\n" in result.stderr


def test_settings_come_from_github_actions_variables_or_flags(world: World) -> None:
    result = CliRunner().invoke(main, ["sync", "--project", str(world.root)], env={"GITHUB_REPOSITORY": None})
    assert result.exit_code == 2 and "Missing option '--repository'" in result.stderr
    flags = ["--repository", REPOSITORY, "--token", "t", "--api-url", world.fake.api_url]
    result = CliRunner().invoke(
        main, ["sync", "--project", str(world.root), *flags], env={"GITHUB_TOKEN": None}
    )
    assert result.exit_code == 0, result.output


def test_errors_are_one_line_on_stderr(world: World) -> None:
    world.fake.tokens = {"the-right-token"}
    result = forum_sync(world, GITHUB_TOKEN="wrong")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: sync failed: read the repository: GitHub refused the token (401 Bad credentials); "
        "check GITHUB_TOKEN or --token\n"
    )
    world.fake.tokens = None
    result = forum_sync(world, GITHUB_REPOSITORY="octo-org/missing")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "not found on GitHub" in result.stderr
    with sync_lock(world.repo):
        result = forum_sync(world)
    assert result.exit_code == 1 and result.stderr.startswith(
        "Error: sync failed: another sync is running (pid "
    )


def test_a_git_failure_is_one_line_too(world: World) -> None:
    world.repo.remote("origin").set_url(str(world.root.parent / "no-such-remote.git"))
    result = forum_sync(world)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: sync failed: could not fetch main from the remote 'origin': ")

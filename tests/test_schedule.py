"""`forum topic new` and `forum topic publish-due`: weekly topics opened on the fake GitHub and
written in content/, planned weeks ahead, published once only."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml
from click.testing import CliRunner
from fake_github import validate_query
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from syncworld import REPOSITORY, World

from sync.cli.main import main
from sync.github.client import GitHubClient, connect
from sync.github.writes import QUERIES
from sync.model.content import read_file
from sync.model.dates import week_of
from sync.moderator.schedule import (
    PlannedTopic,
    load_schedule,
    publish_due,
    save_schedule,
)

pytest_plugins = ["syncfixtures"]

TODAY = date.today()


def forum(world: World, *args: str) -> tuple[int, str]:
    github = ["--repository", REPOSITORY, "--token", "t", "--api-url", world.fake.api_url]
    result = CliRunner().invoke(main, [*args, *github, "--project", str(world.root)])
    return result.exit_code, result.output


def week(weeks_ahead: int) -> str:
    return week_of(TODAY + timedelta(weeks=weeks_ahead)).code


def drafts(tmp_path: Path) -> tuple[Path, Path]:
    english = tmp_path / "topic.en.md"
    english.write_text("How do you train examiners?\n\nTell us what worked.\n", encoding="utf-8")
    french = tmp_path / "topic.fr.md"
    french.write_text("Comment formez-vous les examinateurs ?\n", encoding="utf-8")
    return english, french


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "content").rglob("*")) if p.is_file()
    }


def test_topic_new_opens_the_discussion_and_the_topic_linked_both_ways(world: World, tmp_path: Path) -> None:
    english, french = drafts(tmp_path)

    status, output = forum(
        world,
        "topic", "new", "--category", "training", "--title", "Training examiners",
        "--body-file", str(english), "--translation", "fr", "Former les examinateurs", str(french),
    )  # fmt: skip

    assert status == 0, output
    (discussion,) = world.fake.repo.discussions
    assert (discussion.title, discussion.category.slug) == ("Training examiners", "training")
    assert discussion.body == "How do you train examiners?\n\nTell us what worked."
    (folder,) = (world.archive.content / "topics").iterdir()
    assert folder.name == f"{week(0).lower()}-training-examiners"
    fields, body = read_file(folder / "topic.md")
    assert fields.metadata["id"] == discussion.id and fields.metadata["url"] == discussion.url
    assert (fields.metadata["week"], fields.metadata["category"], fields.metadata["language"]) == (
        week(0),
        "training",
        "en",
    )
    assert body == discussion.body
    assert read_file(folder / "topic.fr.md")[0].metadata["title"] == "Former les examinateurs"
    assert f"Opened {discussion.id}: {discussion.url} -> {folder.name}" in output
    assert output.splitlines()[-1] == "Awaiting translation into: es"
    assert all(validate_query(call.query) == [] for call in world.fake.log)

    # Replies on GitHub reach the topic through the sync; the topic itself stays as written.
    world.commit_and_push("Topic of the week")
    topic_text = (folder / "topic.md").read_text(encoding="utf-8")
    reply = world.reply(discussion, "br-ana", "We pair new examiners with senior ones for a year.")
    outcome = world.sync_and_merge()
    assert world.post_file(reply.id).parent == folder
    assert (folder / "topic.md").read_text(encoding="utf-8") == topic_text
    assert not [held for held in outcome.held_back if held.post_id == discussion.id]


def test_planned_topics_are_published_when_their_week_comes_and_only_once(
    world: World, tmp_path: Path
) -> None:
    english, _ = drafts(tmp_path)
    for title, ahead in [("Training examiners", 1), ("Patent information centres", 2)]:
        status, output = forum(
            world, "topic", "new", "--category", "training", "--title", title,
            "--body-file", str(english), "--week", week(ahead),
        )  # fmt: skip
        assert status == 0 and f"Planned for {week(ahead)}: {title}" in output, output
    assert not world.fake.repo.discussions and not (world.archive.content / "topics").exists()

    status, output = forum(world, "topic", "publish-due")
    assert status == 0 and output.strip() == "No planned topic is due.", output

    client = GitHubClient(connect(world.fake.api_url, "t", 0, 0), REPOSITORY)
    next_monday = TODAY + timedelta(weeks=1)
    (opened,) = publish_due(world.archive.content, ("en", "fr", "es"), client, next_monday)
    assert opened.title == "Training examiners" and opened.week == week(1)
    assert publish_due(world.archive.content, ("en", "fr", "es"), client, next_monday) == []
    assert [d.title for d in world.fake.repo.discussions] == ["Training examiners"]
    schedule = load_schedule(world.archive.content)
    assert [(p.title, p.published) for p in schedule] == [
        ("Training examiners", opened.id),
        ("Patent information centres", None),
    ]
    assert read_file(opened.path)[0].metadata["week"] == week(1)


def test_every_refusal_names_the_problem_and_changes_nothing(world: World, tmp_path: Path) -> None:
    english, french = drafts(tmp_path)
    forum(world, "topic", "new", "--category", "training", "--title", "Taken", "--body-file", str(english),
          "--week", week(1))  # fmt: skip
    before = snapshot(world.root)
    base = ["topic", "new", "--body-file", str(english)]
    refusals = {
        ("--category", "training", "--title", "T", "--week", week(-1)): f"--week {week(-1)} is in the past",
        ("--category", "training", "--title", "T", "--week", "2026-48"): "expected an ISO week such as",
        ("--category", "training", "--title", "T", "--week", "2026-W60"): "there is no such week",
        ("--category", "nope", "--title", "T", "--week", week(1)): "--category 'nope': unknown",
        ("--category", "training", "--title", "Taken", "--week", week(1)): "already open or planned",
        ("--category", "training", "--title", "T", "--language", "de"): "language 'de': expected one of",
        (
            "--category",
            "training",
            "--title",
            "T",
            "--translation",
            "en",
            "X",
            str(french),
        ): "the topic's own",
        ("--category", "ip-strategies", "--title", "T"): "has no Discussions category 'ip-strategies'",
    }
    for args, message in refusals.items():
        status, output = forum(world, *base, *args)
        assert status == 1 and message in output, (args, output)
        assert snapshot(world.root) == before
    assert not world.fake.repo.discussions
    result = CliRunner().invoke(main, ["topic", "publish-due", "--project", str(world.root)], env={})
    assert result.exit_code == 1 and "needs GitHub: give --repository and --token" in result.output
    assert yaml.safe_load((world.archive.content / "schedule.yml").read_text())[0]["title"] == "Taken"


def test_the_queries_are_valid_against_githubs_schema() -> None:
    for query in QUERIES:
        assert validate_query(query) == [], query


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(min_size=1, max_size=80).filter(str.strip),
    body=st.text(min_size=1, max_size=300).filter(str.strip),
)
def test_the_schedule_keeps_any_title_and_body_as_written(tmp_path: Path, title: str, body: str) -> None:
    planned = PlannedTopic(week="2030-W01", category="training", language="en", title=title, body=body)

    save_schedule(tmp_path, [planned])

    assert load_schedule(tmp_path) == [planned]

"""`forum proposal accept` and `decline`: a delegate's proposal, synced from the fake GitHub,
planned as a week's topic credited to its member state, or answered on GitHub with a reason."""

from __future__ import annotations

from datetime import date, timedelta

from click.testing import CliRunner
from fake_github import validate_query
from syncworld import REPOSITORY, World

from sync.cli.main import main
from sync.github.client import GitHubClient, connect
from sync.github.writes import ANSWER_MUTATION
from sync.model.content import read_file
from sync.model.dates import week_of
from sync.moderator.schedule import load_schedule, publish_due

pytest_plugins = ["syncfixtures"]

NEXT_WEEK = week_of(date.today() + timedelta(weeks=1)).code


def forum(world: World, *args: str) -> tuple[int, str]:
    github = ["--repository", REPOSITORY, "--token", "t", "--api-url", world.fake.api_url]
    result = CliRunner().invoke(main, [*args, *github, "--project", str(world.root)])
    return result.exit_code, result.output


def accept(world: World, proposal_id: str, week: str = NEXT_WEEK) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        [
            "proposal",
            "accept",
            proposal_id,
            "--week",
            week,
            "--category",
            "training",
            "--project",
            str(world.root),
        ],
    )
    return result.exit_code, result.output


def proposals(world: World):
    clinics = world.topic(
        "IP clinics for start-ups", "Universities run them well.", "proposals", author="br-ana"
    )
    fees = world.topic("Fee reductions for SMEs", "Should we compare them?", "proposals", author="mx-eva")
    world.sync_and_merge()
    return clinics, fees


def status(world: World, proposal_id: str) -> str:
    return read_file(world.proposal_file(proposal_id))[0].metadata["status"]


def test_an_accepted_proposal_becomes_the_topic_of_its_week_credited_to_its_member_state(
    world: World,
) -> None:
    clinics, _ = proposals(world)

    code, output = accept(world, clinics.id)

    assert code == 0 and f"Accepted {clinics.id}: planned for {NEXT_WEEK}, proposed by BR." in output
    assert status(world, clinics.id) == "accepted"
    (planned,) = load_schedule(world.archive.content)
    assert (planned.title, planned.proposed_by, planned.proposal) == (
        "IP clinics for start-ups",
        "BR",
        clinics.id,
    )
    client = GitHubClient(connect(world.fake.api_url, "t", 0, 0), REPOSITORY)
    (topic,) = publish_due(
        world.archive.content, ("en", "fr", "es"), client, date.today() + timedelta(weeks=1)
    )
    assert read_file(topic.path)[0].metadata["proposed_by"] == "BR"
    assert [d.title for d in world.fake.repo.discussions if d.category.slug == "training"] == [
        "IP clinics for start-ups"
    ]
    # A decision is taken once.
    code, output = accept(world, clinics.id)
    assert code == 1 and f"proposal {clinics.id} was already accepted" in output


def test_a_declined_proposal_is_answered_on_github_and_the_decision_survives_a_full_sync(
    world: World,
) -> None:
    _, fees = proposals(world)

    code, output = forum(world, "proposal", "decline", fees.id, "--reason", "It was the topic of week 40.")

    assert code == 0, output
    assert status(world, fees.id) == "declined"
    (answer,) = fees.comments
    assert (
        answer.body
        == "Thank you for this proposal. The moderator has declined it: It was the topic of week 40."
    )
    assert all(validate_query(call.query) == [] for call in world.fake.log)
    world.commit_and_push("Decline a proposal")
    world.sync(full=True)
    assert world.open_pull() is None and status(world, fees.id) == "declined"


def test_refusals_change_nothing(world: World) -> None:
    clinics, fees = proposals(world)
    before = world.proposal_file(clinics.id).read_bytes()
    past = week_of(date.today() - timedelta(weeks=1)).code
    assert accept(world, "D_nope")[1].strip() == "Error: no proposal D_nope in content/proposals/"
    assert f"--week {past} is in the past" in accept(world, clinics.id, past)[1]
    code, output = forum(world, "proposal", "decline", fees.id, "--reason", " ")
    assert code == 1 and "--reason is empty" in output
    assert world.proposal_file(clinics.id).read_bytes() == before and status(world, fees.id) == "open"
    assert not fees.comments and not (world.archive.content / "schedule.yml").exists()


def test_the_answer_is_valid_against_githubs_schema() -> None:
    assert validate_query(ANSWER_MUTATION) == []

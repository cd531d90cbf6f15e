"""The injection corpus (tests/injection.py) through every way text gets into content/.

Each hostile text is either refused, with a line naming the file, field or post and nothing
written, or stored so that its file reads back as the same plain text, with exactly the front
matter keys the forum writes (no YAML injected by a newline, a `---` or a `key: value`)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from archive import Archive
from click.testing import CliRunner
from injection import BODIES, LINE_BREAKING, LONG, MARKUP, TITLES
from syncworld import World

from sync.cli.main import main
from sync.intake.sanitize import sanitize_body
from sync.model.content import load_forum, normal_body, read_file
from sync.model.dates import week_of
from sync.model.domain import ContentError
from sync.moderator.schedule import plain_text

pytest_plugins = ["syncfixtures"]

LANGUAGES = ("en", "fr", "es")
NEXT_WEEK = week_of(date.today() + timedelta(weeks=1)).code
UNTIL = (date.today() + timedelta(days=30)).isoformat()
REFUSED = {*LINE_BREAKING, "long"}  # what a single line of plain text may not hold
TOPIC_KEYS = {"id", "title", "category", "week", "author", "language", "date", "url"}
REPLY_KEYS = {"id", "author", "member_state", "language", "date", "url"}
SCHEDULE_KEYS = {"week", "category", "language", "title", "body"}
RUNS = re.compile(r"<script|<svg|\bon\w+\s*=|\]\(\s*javascript:|href=\"javascript:", re.IGNORECASE)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def front_matter_keys(path: Path) -> set[str]:
    header = path.read_text(encoding="utf-8").removeprefix("---\n").split("\n---\n", 1)[0]
    return set(yaml.safe_load(header))


# forum sync: titles and bodies from GitHub ---------------------------------------------------


def test_hostile_titles_and_bodies_from_github_are_held_back_or_kept_as_plain_text(world: World) -> None:
    discussions = {name: world.topic(title, "How do IP clinics work?") for name, title in TITLES.items()}
    thread = world.topic("Clinics", "How do IP clinics work?")
    comments = {name: world.reply(thread, "br-ana", body) for name, body in BODIES.items()}

    outcome = world.sync_and_merge()

    held = {entry.post_id: entry.reason for entry in outcome.held_back}
    topics = {topic.id: topic for topic in world.forum().topics}
    for name, discussion in discussions.items():
        if name in REFUSED:
            assert held[discussion.id].startswith("title: expected "), name
            assert discussion.id not in topics, name
        else:
            topic = topics[discussion.id]
            assert topic.title == " ".join(TITLES[name].split()), name
            assert front_matter_keys(topic.path) == TOPIC_KEYS, name
    replies = {reply.id: reply for reply in topics[thread.id].replies}
    for name, comment in comments.items():
        kept = normal_body(sanitize_body(BODIES[name]))
        if not kept.strip():
            assert held[comment.id] == "empty once unsafe HTML is removed", name
            continue
        reply = replies[comment.id]
        assert reply.body == kept and read_file(reply.path)[1] == kept, name
        assert front_matter_keys(reply.path) == REPLY_KEYS, name
        assert not RUNS.search(reply.body), f"{name}: {reply.body[:80]!r}"
        assert "\x00" not in reply.body


# forum translations import --------------------------------------------------------------------


def test_translations_import_refuses_or_keeps_every_hostile_title(archive: Archive, tmp_path: Path) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1, body="How do IP clinics work?")
    runner = CliRunner()
    package = tmp_path / "package"
    runner.invoke(main, ["translations", "export", "--lang", "es", "--out", str(package), "--project",
                         str(archive.root)])  # fmt: skip
    exported = (package / "D_t1.es.md").read_text(encoding="utf-8")
    fields, _ = read_file(package / "D_t1.es.md")
    for name, title in TITLES.items():
        sent = package / "D_t1.es.md"
        metadata = {**fields.metadata, "title": title, "translator": "Ana"}
        sent.write_text("---\n" + yaml.safe_dump(metadata, allow_unicode=True) + "---\n\n¿Cómo funcionan?\n",
                        encoding="utf-8")  # fmt: skip
        before = snapshot(archive.content)

        result = runner.invoke(main, ["translations", "import", str(package), "--project", str(archive.root)])

        translation = archive.content / "topics" / "2026-w40-d_t1" / "topic.es.md"
        if name in REFUSED:
            assert result.exit_code == 1 and "refused D_t1.es.md: expected " in result.output, name
            assert snapshot(archive.content) == before, name
        else:
            assert result.exit_code == 0, (name, result.output)
            translated = load_forum(archive.content, LANGUAGES).topics[0].translations["es"]
            assert translated.title == title, name
            assert front_matter_keys(translation) == {"title", "translator", "date"}, name
        sent.write_text(exported, encoding="utf-8")


# forum topic new --title / --body-file ----------------------------------------------------


def topic_new(archive: Archive, title: str, body: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["topic", "new", "--category", "training", "--title", title,
                                       "--body-file", str(body), "--week", NEXT_WEEK,
                                       "--project", str(archive.root)])  # fmt: skip
    return result.exit_code, result.output


def planned(archive: Archive) -> list[dict]:
    return yaml.safe_load((archive.content / "schedule.yml").read_text(encoding="utf-8"))


def test_topic_new_refuses_or_plans_every_hostile_title_and_body_as_written(
    archive: Archive, tmp_path: Path
) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1)
    body = tmp_path / "body.md"
    body.write_text("How do you train examiners?\n", encoding="utf-8")
    for name, title in TITLES.items():
        before = snapshot(archive.content)
        status, output = topic_new(archive, title, body)
        if name in REFUSED:
            assert status == 1 and "Error: --title: expected " in output, name
            assert snapshot(archive.content) == before, name
        else:
            assert status == 0, (name, output)
            assert planned(archive)[-1]["title"] == title and set(planned(archive)[-1]) == SCHEDULE_KEYS
    for name, text in BODIES.items():
        body.write_text(text, encoding="utf-8", newline="")
        status, output = topic_new(archive, f"Body: {name}", body)
        assert status == 0, (name, output)
        entry = planned(archive)[-1]
        assert entry["body"] == plain_text(text) and set(entry) == SCHEDULE_KEYS, name


# forum proposal accept ------------------------------------------------------------------------


def hostile_proposal(archive: Archive, number: int, title: str) -> Path:
    """A proposal file with this title, written as YAML writes it (not by the forum's writer,
    which refuses a title that breaks the line)."""
    path = archive.content / "proposals" / f"D_p{number}.md"
    path.parent.mkdir(exist_ok=True)
    metadata = {"id": f"D_p{number}", "title": title, "status": "open", "author": "br-ana",
                "member_state": "BR", "language": "en", "date": "2026-10-02T09:00:00Z"}  # fmt: skip
    path.write_text("---\n" + yaml.safe_dump(metadata, allow_unicode=True) + "---\n\nWhy it matters.\n",
                    encoding="utf-8")  # fmt: skip
    return path


@pytest.mark.parametrize("name", [*MARKUP, *LINE_BREAKING, "long"])
def test_proposal_accept_of_a_hostile_title_is_refused_or_planned_as_written(
    archive: Archive, name: str
) -> None:
    title = {**MARKUP, **LINE_BREAKING, "long": LONG}[name]
    path = hostile_proposal(archive, 1, title)
    before = snapshot(archive.content)

    result = CliRunner().invoke(main, ["proposal", "accept", "D_p1", "--week", NEXT_WEEK,
                                       "--category", "training", "--project", str(archive.root)])  # fmt: skip

    if name in REFUSED:
        assert result.exit_code == 1 and f"Error: {path}: field 'title': expected " in result.output
        assert snapshot(archive.content) == before
    else:
        assert result.exit_code == 0, result.output
        (entry,) = planned(archive)
        assert entry["title"] == title and set(entry) == {*SCHEDULE_KEYS, "proposed_by", "proposal"}


# forum invite --name / --organization ---------------------------------------------------------


@pytest.mark.parametrize("option", ["--name", "--organization"])
def test_invite_refuses_or_records_every_hostile_name_as_written(
    archive: Archive, tmp_path: Path, option: str
) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1)
    secrets = tmp_path / "secrets" / "credentials.yml"
    for number, (name, text) in enumerate(TITLES.items()):
        values = {"--name": "Ada Lab", "--organization": "Open Lab", option: text}
        before = snapshot(archive.content)
        result = CliRunner().invoke(main, ["invite", "--topic", "D_t1", "--requested-by", "KE",
                                           "--guest", f"guest-{number}", "--name", values["--name"],
                                           "--organization", values["--organization"], "--until", UNTIL,
                                           "--file", str(secrets), "--project", str(archive.root)])  # fmt: skip
        if name in REFUSED:
            assert result.exit_code == 1 and f"Error: {option}: expected " in result.output, name
            assert snapshot(archive.content) == before, name
            continue
        assert result.exit_code == 0, (name, result.output)
        field = option.removeprefix("--")
        roster = load_forum(archive.content, LANGUAGES).roster
        guest = roster.person(f"guest-{number}")
        assert guest is not None and getattr(guest, field) == text, name
        entry = yaml.safe_load((archive.content / "roster.yml").read_text(encoding="utf-8"))["guests"][-1]
        assert set(entry) == {"login", "name", "organization", "topic", "requested_by", "until"}, name
        register = yaml.safe_load((archive.content / "invitations.yml").read_text(encoding="utf-8"))
        assert register[-1][field] == text, name


# content/roster.yml and content/categories.yml ------------------------------------------------


@pytest.mark.parametrize("where", ["delegate name", "category name", "category description"])
def test_roster_and_category_files_refuse_or_read_back_every_hostile_name(
    archive: Archive, where: str
) -> None:
    roster = yaml.safe_load((archive.content / "roster.yml").read_text(encoding="utf-8"))
    categories = yaml.safe_load((archive.content / "categories.yml").read_text(encoding="utf-8"))
    for name, text in TITLES.items():
        if where == "delegate name":
            roster["member_states"]["BR"][0]["name"] = text
        else:
            categories["categories"][0]["names" if where == "category name" else "descriptions"]["es"] = text
        archive.write_yaml("roster.yml", roster)
        archive.write_yaml("categories.yml", categories)
        try:
            forum = load_forum(archive.content, LANGUAGES)
        except ContentError as refused:
            assert name in REFUSED, name
            assert refused.field is not None and refused.expected.startswith("expected "), name
            continue
        assert name not in REFUSED, name
        category = next(iter(forum.categories.values()))
        read = {
            "delegate name": forum.roster.member_states["BR"].delegates[0].name,
            "category name": category.names["es"],
            "category description": category.descriptions.get("es"),
        }[where]
        assert read == text.strip(), name

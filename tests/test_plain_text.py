"""Plain text is plain text: titles, names, organizations and category names are one line,
refused with the file and the field wherever they come in (build, sync, import, commands)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from archive import Archive
from click.testing import CliRunner
from injection import LINE_BREAKING, LONG, MARKUP, ORDINARY
from syncworld import World

from sync.cli.main import main
from sync.model.content import load_forum, read_file
from sync.model.dates import week_of
from sync.model.domain import ContentError
from sync.model.fields import plain_line, plain_line_problem

pytest_plugins = ["syncfixtures"]

LANGUAGES = ("en", "fr", "es")
NEXT_WEEK = week_of(date.today() + timedelta(weeks=1)).code
UNTIL = (date.today() + timedelta(days=30)).isoformat()


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the checkout and beside it, to show that a refusal wrote nothing."""
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".git" not in p.parts}


@pytest.mark.parametrize("text", [*LINE_BREAKING.values(), LONG], ids=[*LINE_BREAKING, "long"])
def test_plain_line_refuses_line_breaks_control_and_bidi_characters_and_very_long_text(text: str) -> None:
    problem = plain_line_problem(text)
    assert problem is not None
    with pytest.raises(ContentError) as refused:
        plain_line("content/roster.yml", "moderators[1].name", text)
    assert str(refused.value).startswith("content/roster.yml: field 'moderators[1].name': expected ")


def test_plain_line_names_the_character_and_where_it_is() -> None:
    assert plain_line_problem("Clinics \u202etxt") == (
        "expected one line of plain text; found a control character U+202E RIGHT-TO-LEFT OVERRIDE at character 9"
    )
    assert plain_line_problem("IP\nclinics") == (
        "expected one line of plain text; found a line break U+000A at character 3"
    )


@pytest.mark.parametrize("text", [*ORDINARY.values(), *MARKUP.values()], ids=[*ORDINARY, *MARKUP])
def test_plain_line_accepts_ordinary_text_in_every_script_and_markup_as_text(text: str) -> None:
    assert plain_line_problem(text) is None


# At build: reading content/ --------------------------------------------------------------


def hostile_front_matter(path: Path, field: str, value: str) -> None:
    """Put `value` in a field of a content file, written as YAML would write it (escaped)."""
    text = path.read_text(encoding="utf-8")
    header, body = text.removeprefix("---\n").split("\n---\n", 1)
    metadata = yaml.safe_load(header)
    metadata[field] = value
    path.write_text("---\n" + yaml.safe_dump(metadata, allow_unicode=True) + "---\n" + body, encoding="utf-8")


@pytest.mark.parametrize("kind", ["topic", "translation", "proposal", "reply author"])
def test_a_content_file_whose_title_breaks_the_line_is_refused_naming_file_and_field(
    archive: Archive, kind: str
) -> None:
    topic = archive.topic("D_t1", "Clinics", "2026-W40", 1)
    translation = archive.translate(topic, "es", "¿Cómo?", title="Clínicas de PI")
    proposal = archive.proposal("D_p1", "Fees", "br-ana", "BR", 2)
    reply = archive.reply(topic, "DC_r1", "br-ana", "BR", 2, "We run three clinics.")
    path, field = {
        "topic": (topic.path, "title"),
        "translation": (translation.path, "title"),
        "proposal": (proposal.path, "title"),
        "reply author": (reply.path, "author"),
    }[kind]
    hostile_front_matter(path, field, "Clínicas de PI\n---\n.")

    with pytest.raises(ContentError) as refused:
        load_forum(archive.content, LANGUAGES)

    assert refused.value.path == str(path) and refused.value.field == field
    assert "found a line break U+000A" in refused.value.expected


def test_forum_build_stops_at_a_translated_title_with_a_newline_and_publishes_nothing(
    archive: Archive,
) -> None:
    topic = archive.topic("D_t1", "Clinics", "2026-W40", 1)
    translation = archive.translate(topic, "es", "¿Cómo funcionan?", title="Clínicas")
    hostile_front_matter(translation.path, "title", "Clínicas de PI\n---\n.")

    result = CliRunner().invoke(main, ["build", "--demo", "--project", str(archive.root)])

    assert result.exit_code == 1
    assert f"{translation.path}: field 'title': expected one line of plain text" in result.output
    assert not (archive.root / "site").exists()


@pytest.mark.parametrize(
    "where",
    ["delegate name", "guest name", "guest organization", "moderator name", "category name", "description"],
)
@pytest.mark.parametrize("text", ["Ana\nSouza", "Ana \u202eazuoS", "Ana\x00"], ids=["newline", "bidi", "nul"])
def test_roster_and_category_names_are_one_line_or_refused_naming_the_entry(
    archive: Archive, where: str, text: str
) -> None:
    roster = yaml.safe_load((archive.content / "roster.yml").read_text(encoding="utf-8"))
    categories = yaml.safe_load((archive.content / "categories.yml").read_text(encoding="utf-8"))
    field = {
        "delegate name": "member_states.BR[1].name",
        "guest name": "guests[1].name",
        "guest organization": "guests[1].organization",
        "moderator name": "moderators[1].name",
        "category name": "categories[1].names.fr",
        "description": "categories[1].descriptions.fr",
    }[where]
    if where == "delegate name":
        roster["member_states"]["BR"][0]["name"] = text
    elif where.startswith("guest"):
        roster["guests"][0][where.split()[1]] = text
    elif where == "moderator name":
        roster["moderators"][0]["name"] = text
    else:
        categories["categories"][0]["names" if where == "category name" else "descriptions"]["fr"] = text
    archive.write_yaml("roster.yml", roster)
    archive.write_yaml("categories.yml", categories)
    path = archive.content / ("categories.yml" if field.startswith("categories") else "roster.yml")

    with pytest.raises(ContentError) as refused:
        load_forum(archive.content, LANGUAGES)

    assert (refused.value.path, refused.value.field) == (str(path), field)
    assert refused.value.expected.startswith("expected one line of plain text; found ")


@pytest.mark.parametrize("category_id", ['x" onmouseover="alert(1)', "../pages", "Training", "a/b", ""])
def test_a_category_id_is_a_slug_since_it_names_an_address(archive: Archive, category_id: str) -> None:
    categories = yaml.safe_load((archive.content / "categories.yml").read_text(encoding="utf-8"))
    categories["categories"][0]["id"] = category_id
    archive.write_yaml("categories.yml", categories)

    with pytest.raises(ContentError) as refused:
        load_forum(archive.content, LANGUAGES)

    assert refused.value.field == "categories[1].id"


def test_a_description_may_be_a_long_line(archive: Archive) -> None:
    categories = yaml.safe_load((archive.content / "categories.yml").read_text(encoding="utf-8"))
    sentence = "Training of examiners, judges and officials in every region of the world. " * 5
    categories["categories"][0]["descriptions"]["en"] = sentence.strip()
    archive.write_yaml("categories.yml", categories)

    forum = load_forum(archive.content, LANGUAGES)

    assert next(iter(forum.categories.values())).descriptions["en"] == sentence.strip()


# At sync: a discussion's title from GitHub -----------------------------------------------


@pytest.mark.parametrize(
    "title", ["Clinics\n---\nencryption: none", "Clinics \u202etxt.exe", "Clinics\rlevel: none"]
)
def test_a_discussion_whose_title_breaks_the_line_is_held_back_with_the_reason(
    world: World, title: str
) -> None:
    topic = world.topic(title, "How do IP clinics work?")
    proposal = world.topic(title, "Should we compare fees?", "proposals", author="br-ana")
    fine = world.topic("Clinics", "How do IP clinics work in your country?")

    outcome = world.sync()

    held = {entry.post_id: entry.reason for entry in outcome.held_back}
    assert held[topic.id].startswith("title: expected one line of plain text; found ")
    assert held[proposal.id].startswith("title: expected one line of plain text; found ")
    assert fine.id not in held
    pull = world.open_pull()
    assert pull is not None and "title: expected one line of plain text" in pull.body
    assert "\nencryption: none" not in pull.body and "\rlevel" not in pull.body
    assert "\u202e" not in pull.body, "the moderator reads the table as it is stored"
    world.fake.merge_pull_request(pull.number)
    world.pull()
    assert [t.id for t in world.forum().topics] == [fine.id] and world.forum().proposals == []


def test_an_edit_that_breaks_an_imported_title_is_held_back_and_the_title_kept(world: World) -> None:
    topic = world.topic("Clinics", "How do IP clinics work?")
    world.sync_and_merge()
    topic.title = "Clinics\n---\nencryption: none"
    world.later(hours=1)

    outcome = world.sync(full=True)

    assert [entry.reason for entry in outcome.held_back] == [
        "edit held back: title: expected one line of plain text; found a line break U+000A at character 8"
    ]
    assert world.forum().topics[0].title == "Clinics"


# At import and in the moderator's commands ------------------------------------------------


def test_translations_import_refuses_a_title_with_a_newline_naming_the_file(
    archive: Archive, tmp_path: Path
) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1, body="How do IP clinics work?")
    package = tmp_path / "package"
    runner = CliRunner()
    assert runner.invoke(main, ["translations", "export", "--lang", "es", "--out", str(package),
                                "--project", str(archive.root)]).exit_code == 0  # fmt: skip
    sent = package / "D_t1.es.md"
    fields, _ = read_file(sent)
    metadata = {**fields.metadata, "title": "Clínicas de PI\n---\n.", "translator": "Ana"}
    sent.write_text("---\n" + yaml.safe_dump(metadata, allow_unicode=True) + "---\n\n¿Cómo funcionan?\n",
                    encoding="utf-8")  # fmt: skip
    before = snapshot(archive.content)

    result = runner.invoke(main, ["translations", "import", str(package), "--project", str(archive.root)])

    assert result.exit_code == 1
    assert "  refused D_t1.es.md: expected one line of plain text; found a line break U+000A" in result.output
    assert snapshot(archive.content) == before


@pytest.mark.parametrize("title", ["Clinics\n---\nlevel: none", "Clinics \u202e", "Clinics\x00"])
def test_topic_new_refuses_a_title_that_breaks_the_line_and_writes_nothing(
    archive: Archive, tmp_path: Path, title: str
) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1)
    body = tmp_path / "body.md"
    body.write_text("How do you train examiners?\n", encoding="utf-8")
    before = snapshot(archive.content)

    result = CliRunner().invoke(main, ["topic", "new", "--category", "training", "--title", title,
                                       "--body-file", str(body), "--week", NEXT_WEEK,
                                       "--project", str(archive.root)])  # fmt: skip

    assert result.exit_code == 1
    assert "Error: --title: expected one line of plain text; found " in result.output
    assert snapshot(archive.content) == before


def test_topic_new_refuses_a_translated_title_that_breaks_the_line(archive: Archive, tmp_path: Path) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1)
    body = tmp_path / "body.md"
    body.write_text("How do you train examiners?\n", encoding="utf-8")
    before = snapshot(archive.content)

    result = CliRunner().invoke(main, ["topic", "new", "--category", "training", "--title", "Examiners",
                                       "--body-file", str(body), "--week", NEXT_WEEK,
                                       "--translation", "fr", "Examinateurs\r\n---", str(body),
                                       "--project", str(archive.root)])  # fmt: skip

    assert result.exit_code == 1
    assert "Error: --translation fr: expected one line of plain text; found a line break" in result.output
    assert snapshot(archive.content) == before


def test_proposal_accept_refuses_a_hostile_proposal_title_naming_the_file(archive: Archive) -> None:
    proposal = archive.proposal("D_p1", "Fees", "br-ana", "BR", 2)
    hostile_front_matter(proposal.path, "title", '<img src=x onerror="alert(1)">\n---\n')
    before = snapshot(archive.content)

    result = CliRunner().invoke(main, ["proposal", "accept", "D_p1", "--week", NEXT_WEEK,
                                       "--category", "training", "--project", str(archive.root)])  # fmt: skip

    assert result.exit_code == 1
    assert f"{proposal.path}: field 'title': expected one line of plain text" in result.output
    assert snapshot(archive.content) == before


@pytest.mark.parametrize("option", ["--name", "--organization", "--decline"])
def test_invite_refuses_a_name_or_organization_that_breaks_the_line_and_writes_nothing(
    archive: Archive, tmp_path: Path, option: str
) -> None:
    archive.topic("D_t2", "Technology transfer", "2026-W41", 8)
    secrets = tmp_path / "secrets" / "credentials.yml"
    values = {"--name": "Ada Lab", "--organization": "Open Lab", "--decline": None}
    values[option] = "Open\nLab: \u202e"
    extra = ["--decline", values["--decline"]] if values["--decline"] else []
    before = snapshot(archive.content)

    result = CliRunner().invoke(main, ["invite", "--topic", "D_t2", "--requested-by", "KE",
                                       "--guest", "ada-lab", "--name", values["--name"],
                                       "--organization", values["--organization"], "--until", UNTIL,
                                       *extra, "--file", str(secrets),
                                       "--project", str(archive.root)])  # fmt: skip

    assert result.exit_code == 1
    assert f"Error: {option}: expected one line of plain text; found a line break U+000A" in result.output
    assert snapshot(archive.content) == before and not secrets.exists()


def test_a_hand_edited_register_with_a_name_that_breaks_the_line_is_refused(archive: Archive) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1)
    archive.write_yaml("invitations.yml", [{
        "guest": "ada-lab", "name": "Ada\n---", "organization": "Open Lab", "topic": "D_t1",
        "requested_by": "BR", "until": "2030-12-31", "decision": "accepted", "decided": "2026-10-01",
    }])  # fmt: skip
    from sync.moderator.invitations import load_register

    with pytest.raises(ContentError) as refused:
        load_register(archive.content)

    assert (refused.value.path, refused.value.field) == (str(archive.content / "invitations.yml"), "[1].name")

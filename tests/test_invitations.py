"""`forum invite` and `forum invite revoke`: the register, the roster and the guest's credential."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import yaml
from archive import Archive
from click.testing import CliRunner
from conftest import BuiltSite

from sync.cli.main import main
from sync.model.content import load_forum
from sync.model.credentials import load_credentials
from sync.model.domain import Role

UNTIL = (date.today() + timedelta(days=30)).isoformat()


def run(archive: Archive, secrets: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--file", str(secrets), "--project", str(archive.root)])
    return result.exit_code, result.stdout, result.stderr


def snapshot(archive: Archive, secrets: Path) -> dict[str, bytes]:
    files = [p for p in sorted(archive.content.rglob("*")) if p.is_file()]
    return {str(p): p.read_bytes() for p in [*files, secrets] if p.exists()}


def invite(archive: Archive, secrets: Path, *extra: str) -> tuple[int, str, str]:
    return run(
        archive, secrets, "invite", "--topic", "D_t2", "--requested-by", "ke", "--guest", "ada-lab",
        "--name", "Ada Lab", "--organization", "Open Lab", "--until", UNTIL, *extra,
    )  # fmt: skip


def test_invite_records_the_request_adds_the_guest_and_issues_a_credential(
    archive: Archive, tmp_path: Path
) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1)
    archive.topic("D_t2", "Technology transfer", "2026-W41", 8)
    roster = archive.content / "roster.yml"
    roster.write_text("# Who may post.\n" + roster.read_text(encoding="utf-8"), encoding="utf-8")
    secrets = tmp_path / "secrets" / "credentials.yml"

    status, out, err = invite(archive, secrets)

    assert status == 0, err
    user, password = out.strip().split(": ")
    assert user == "ada-lab" and len(password) == 29
    assert f"Invited @ada-lab to topic D_t2 until {UNTIL}" in err
    # The roster admits the guest on that topic only, and keeps its comment and other guests.
    assert roster.read_text(encoding="utf-8").startswith("# Who may post.\n")
    forum = load_forum(archive.content, ("en", "fr", "es"))
    guests = {(g.login, g.topic) for g in forum.roster.guests}
    assert guests == {("uni-guest", "D_t1"), ("ada-lab", "D_t2")}
    ada = next(g for g in forum.roster.guests if g.login == "ada-lab")
    assert (ada.role, ada.requested_by, ada.organization, ada.until.isoformat()) == (
        Role.GUEST,
        "KE",
        "Open Lab",
        UNTIL,
    )
    # The register has the request and the decision; the credential opens that topic.
    (entry,) = yaml.safe_load((archive.content / "invitations.yml").read_text(encoding="utf-8"))
    assert entry == {
        "guest": "ada-lab",
        "name": "Ada Lab",
        "organization": "Open Lab",
        "topic": "D_t2",
        "requested_by": "KE",
        "until": date.fromisoformat(UNTIL),
        "decision": "accepted",
        "decided": date.today(),
    }
    credential = load_credentials(secrets).guests["ada-lab"]
    assert credential.topics == ("D_t2",) and credential.password == password

    status, out, err = run(archive, secrets, "invite", "revoke", "ada-lab", "--topic", "D_t2")

    assert status == 0 and "Revoked @ada-lab's invitation to D_t2" in out, err
    assert "ada-lab" not in load_credentials(secrets).guests
    assert {g.login for g in load_forum(archive.content, ("en", "fr", "es")).roster.guests} == {"uni-guest"}
    (entry,) = yaml.safe_load((archive.content / "invitations.yml").read_text(encoding="utf-8"))
    assert entry["revoked"] == date.today()
    status, _, err = run(archive, secrets, "invite", "revoke", "ada-lab", "--topic", "D_t2")
    assert status == 1 and "no active invitation of @ada-lab to topic D_t2" in err


def test_a_declined_request_is_recorded_with_its_reason_and_admits_no_one(
    archive: Archive, tmp_path: Path
) -> None:
    archive.topic("D_t2", "Technology transfer", "2026-W41", 8)
    secrets = tmp_path / "credentials.yml"

    status, out, _ = invite(archive, secrets, "--decline", "The topic is for member states only")

    assert status == 0 and "Declined @ada-lab for topic D_t2" in out
    (entry,) = yaml.safe_load((archive.content / "invitations.yml").read_text(encoding="utf-8"))
    assert (entry["decision"], entry["reason"]) == ("declined", "The topic is for member states only")
    assert not secrets.exists()
    assert "ada-lab" not in (archive.content / "roster.yml").read_text(encoding="utf-8")


def test_every_refusal_says_why_and_changes_nothing(archive: Archive, tmp_path: Path) -> None:
    archive.topic("D_t2", "Technology transfer", "2026-W41", 8)
    secrets = tmp_path / "credentials.yml"
    assert invite(archive, secrets)[0] == 0
    before = snapshot(archive, secrets)
    past = (date.today() - timedelta(days=1)).isoformat()
    base = ["invite", "--requested-by", "KE", "--organization", "Open Lab", "--until", UNTIL]
    refusals = {
        ("--topic", "D_nope", "--guest", "bob"): "--topic D_nope: no such topic in content/",
        ("--topic", "D_t2", "--guest", "ada-lab"): "@ada-lab is already invited to topic D_t2",
        ("--topic", "D_t2", "--guest", "br-ana"): "@br-ana is on the roster as a delegate, not a guest",
        ("--topic", "D_t2", "--guest", "bad login!"): "expected a GitHub login",
        ("--topic", "D_t2", "--guest", "bob", "--until", past): f"--until {past} is in the past",
        ("--topic", "D_t2", "--guest", "bob", "--requested-by", "ZZ"): "--requested-by ZZ: not a member state",
        ("--guest", "bob",): "missing --topic",
    }  # fmt: skip
    for args, message in refusals.items():
        status, _, err = run(archive, secrets, *base, *args)
        assert status != 0 and message in err, (args, err)
        assert snapshot(archive, secrets) == before


def test_the_register_is_a_protected_page_of_the_site_in_every_language(
    archive: Archive, tmp_path: Path, build
) -> None:
    archive.topic("D_t2", "Technology transfer", "2026-W41", 8)
    secrets = tmp_path / "credentials.yml"
    assert invite(archive, secrets)[0] == 0
    assert run(archive, secrets, "invite", "--topic", "D_t2", "--requested-by", "BR", "--guest", "bob-org",
               "--organization", "Bob Org", "--until", UNTIL, "--decline", "Out of scope")[0] == 0  # fmt: skip

    site = BuiltSite(build().dir, "WIPO")  # the register opens with the moderator's credential alone

    assert "mkdocs-encrypted-content" in site.raw("invitations/")
    text = site.text("invitations/")
    assert text.startswith("Guest invitations Guest Topic Requested by Until Decision")
    assert (
        "bob-org (@bob-org), Bob Org Technology transfer Brazil" in text and "Declined: Out of scope" in text
    )
    assert "Ada Lab (@ada-lab), Open Lab Technology transfer Kenya" in text and "Accepted" in text
    assert "Invitations d'invités" in site.text("fr/invitations/")
    assert "Guest invitations" in [a.get_text(strip=True) for a in site.page("").select("nav a")]

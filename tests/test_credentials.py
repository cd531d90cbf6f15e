"""`forum credentials`: issuing, rotating, revoking and listing passwords, never losing one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml
from archive import Archive
from click.testing import CliRunner

from sync.cli.main import main
from sync.model.credentials import load_credentials, new_password


@pytest.fixture
def secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "secrets" / "forum-credentials.yml"
    monkeypatch.setenv("FORUM_CREDENTIALS", str(path))
    return path


def forum(archive: Archive, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["credentials", *args, "--project", str(archive.root)])
    return result.exit_code, result.output


def test_a_delegation_gets_a_strong_password_in_a_file_only_its_owner_reads(
    archive: Archive, secrets_file: Path
) -> None:
    code, output = forum(archive, "add", "br")

    assert code == 0, output
    user, password = output.splitlines()[0].split(": ")
    assert user == "BR"
    assert len(password) == 29 and password.count("-") == 5
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert load_credentials(secrets_file).delegations["BR"].password == password


def test_passwords_are_never_the_same_twice() -> None:
    assert len({new_password() for _ in range(200)}) == 200


def test_rotating_changes_only_that_delegation(archive: Archive, secrets_file: Path) -> None:
    forum(archive, "add", "BR")
    forum(archive, "add", "FR")
    before = load_credentials(secrets_file)

    code, output = forum(archive, "rotate", "BR")

    after = load_credentials(secrets_file)
    assert code == 0
    assert after.delegations["BR"].password != before.delegations["BR"].password
    assert output.strip() == f"BR: {after.delegations['BR'].password}"
    assert after.delegations["FR"] == before.delegations["FR"]


def test_revoking_removes_the_credential(archive: Archive, secrets_file: Path) -> None:
    forum(archive, "add", "BR")
    forum(archive, "add", "MX")

    code, output = forum(archive, "revoke", "mx")

    assert code == 0
    assert output.strip() == "Revoked MX; rebuild the site for it to take effect."
    assert set(load_credentials(secrets_file).delegations) == {"BR"}


def test_a_guest_credential_opens_one_topic_until_a_date(archive: Archive, secrets_file: Path) -> None:
    code, output = forum(
        archive, "add-guest", "uni-guest", "--topic", "D_t1", "--requested-by", "br", "--until", "2030-06-30"
    )

    assert code == 0, output
    guest = load_credentials(secrets_file).guests["uni-guest"]
    assert (guest.topics, guest.requested_by, str(guest.until)) == (("D_t1",), "BR", "2030-06-30")


def test_list_shows_who_has_a_credential_but_never_a_password(archive: Archive, secrets_file: Path) -> None:
    forum(archive, "add", "BR")
    forum(
        archive, "add-guest", "uni-guest", "--topic", "D_t1", "--requested-by", "BR", "--until", "2030-06-30"
    )
    passwords = [c.password for c in load_credentials(secrets_file).all()]

    result = CliRunner().invoke(main, ["credentials", "list"])

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("BR  delegation  issued ")
    assert lines[1].endswith("topics D_t1  requested by BR  until 2030-06-30")
    assert not any(password in result.output for password in passwords)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "ZZ"], "ZZ is not a member state of the roster (content/roster.yml)"),
        (["add", "BR"], "BR already has a credential; use `forum credentials rotate BR`"),
        (["rotate", "KE"], "no credential for 'KE' in "),
        (["revoke", "nobody"], "no credential for 'nobody' in "),
        (
            ["add-guest", "g", "--topic", "D_t1", "--requested-by", "ZZ", "--until", "2030-01-01"],
            "--requested-by ZZ: not a member state",
        ),
        (
            ["add-guest", "g", "--topic", "D_t1", "--requested-by", "BR", "--until", "2020-01-01"],
            "--until 2020-01-01 is in the past",
        ),
    ],
)
def test_a_refused_command_says_why_and_changes_nothing(
    archive: Archive, secrets_file: Path, args: list[str], message: str
) -> None:
    forum(archive, "add", "BR")
    before = secrets_file.read_bytes()

    code, output = forum(archive, *args)

    assert code == 1
    assert output.startswith("Error: ") and message in output
    assert secrets_file.read_bytes() == before
    assert [p.name for p in secrets_file.parent.iterdir()] == [secrets_file.name], "no temporary file left"


def test_without_a_credentials_file_the_command_says_how_to_name_one(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORUM_CREDENTIALS", raising=False)

    code, output = forum(archive, "add", "BR")

    assert code == 1
    assert "no credentials file: set FORUM_CREDENTIALS to its path (outside the repository)" in output


def test_the_file_is_plain_yaml_an_admin_can_read(archive: Archive, secrets_file: Path) -> None:
    forum(archive, "add", "BR")

    document = yaml.safe_load(secrets_file.read_text(encoding="utf-8"))

    assert secrets_file.read_text(encoding="utf-8").startswith("# Forum credentials: SECRET.")
    assert set(document["delegations"]["BR"]) == {"password", "issued"}

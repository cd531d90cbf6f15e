"""Secrets stay secret on disk: every command refuses a credentials (or subscribers) file inside
the repository before it writes anything, and what a build keeps beside the credentials (the
key cache, the rebuild record) is readable by its owner only, like the credentials file."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from archive import STRONG, Archive, write_credentials
from click.testing import CliRunner

from sync.cli.main import main
from sync.site.build import build_site

UNTIL = (date.today() + timedelta(days=30)).isoformat()

COMMANDS = {
    "credentials add": ["credentials", "add", "KE"],
    "credentials add-guest": [
        "credentials",
        "add-guest",
        "ada-lab",
        "--topic",
        "D_t1",
        "--requested-by",
        "BR",
        "--until",
        UNTIL,
    ],
    "credentials rotate": ["credentials", "rotate", "BR"],
    "credentials revoke": ["credentials", "revoke", "BR"],
    "invite": [
        "invite",
        "--topic",
        "D_t1",
        "--requested-by",
        "BR",
        "--guest",
        "ada-lab",
        "--name",
        "Ada",
        "--organization",
        "Open Lab",
        "--until",
        UNTIL,
    ],
}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def a_forum(archive: Archive) -> None:
    archive.topic("D_t1", "Clinics", "2026-W40", 1)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("place", ["content", "checkout", "repository above", "link to inside"])
def test_every_credentials_command_refuses_a_file_inside_the_repository_and_writes_nothing(
    archive: Archive, tmp_path: Path, command: str, place: str
) -> None:
    a_forum(archive)
    inside = {
        "content": archive.content / "credentials.yml",
        "checkout": archive.root / "secrets" / "credentials.yml",
        # The forum is a folder of a larger repository: its root holds .git.
        "repository above": tmp_path / "secrets" / "credentials.yml",
        "link to inside": archive.root / "credentials.yml",
    }[place]
    if place == "repository above":
        (tmp_path / ".git").mkdir()
    inside.parent.mkdir(exist_ok=True)
    write_credentials(inside, STRONG)
    given = inside
    if place == "link to inside":
        given = tmp_path / "outside" / "credentials.yml"
        given.parent.mkdir()
        given.symlink_to(inside)
    before = snapshot(tmp_path)

    result = CliRunner().invoke(
        main, [*COMMANDS[command], "--file", str(given), "--project", str(archive.root)]
    )

    assert result.exit_code == 1
    assert result.output == (
        f"Error: the credentials file {inside.resolve()} is inside the repository; keep it outside "
        "(e.g. ~/.config/wipo-forum/credentials.yml) and set FORUM_CREDENTIALS to it\n"
    )
    assert snapshot(tmp_path) == before


def test_a_credentials_file_named_by_the_environment_is_checked_the_same_way(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_forum(archive)
    inside = archive.content / "credentials.yml"
    monkeypatch.setenv("FORUM_CREDENTIALS", str(inside))

    result = CliRunner().invoke(main, ["credentials", "add", "BR", "--project", str(archive.root)])

    assert result.exit_code == 1 and "is inside the repository; keep it outside" in result.output
    assert not inside.exists()


@pytest.mark.parametrize("inside", ["credentials", "subscribers"])
def test_digest_send_refuses_secrets_inside_the_repository_before_writing_previews(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inside: str
) -> None:
    a_forum(archive)
    files = {name: tmp_path / "secrets" / f"{name}.yml" for name in ("credentials", "subscribers")}
    files[inside] = archive.content / f"{inside}.yml"
    files["credentials"].parent.mkdir(exist_ok=True)
    files["subscribers"].parent.mkdir(exist_ok=True)
    write_credentials(files["credentials"], STRONG)
    subscribers = [{"address": "ana@example.org", "member_state": "BR", "language": "en"}]
    files["subscribers"].write_text(yaml.safe_dump({"subscribers": subscribers}), "utf-8")
    monkeypatch.setenv("FORUM_CREDENTIALS", str(files["credentials"]))
    monkeypatch.setenv("FORUM_SUBSCRIBERS", str(files["subscribers"]))
    for name, value in [("HOST", "127.0.0.1"), ("PORT", "9"), ("FROM", "digest@forum.example.org")]:
        monkeypatch.setenv(f"FORUM_SMTP_{name}", value)
    before = snapshot(tmp_path)

    result = CliRunner().invoke(main, ["digest", "--send", "--week", "2026-W40", "--site-url",
                                       "https://forum.example.org/", "--project", str(archive.root)])  # fmt: skip

    assert result.exit_code == 1
    assert (
        len(result.output.splitlines()) == 1 and "outside" in result.output and "repository" in result.output
    )
    assert snapshot(tmp_path) == before


def test_the_key_cache_and_the_rebuild_record_beside_the_credentials_are_owner_only(
    archive: Archive, credentials_file: Path
) -> None:
    a_forum(archive)
    write_credentials(credentials_file, STRONG)
    credentials_file.chmod(0o600)
    old_umask = os.umask(0o022)  # as on most machines: new files readable by everyone
    try:
        build_site(archive.project)
        build_site(archive.project)  # a rebuild rewrites them
    finally:
        os.umask(old_umask)

    beside = sorted(credentials_file.parent.iterdir())
    # The rebuild record lives in the checkout's .cache/ now (it holds no key, only which keys).
    assert {p.name for p in beside} >= {"credentials.yml.kdf-cache"}
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in beside} == {p.name: "0o600" for p in beside}

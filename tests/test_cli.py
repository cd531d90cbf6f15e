"""The `forum` command as a maintainer types it: build, serve, and its error messages."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from archive import Archive
from click.testing import CliRunner
from conftest import forum_serve
from decrypt import open_page, sign_in
from ports import free_port

from sync.cli.main import main
from sync.site.protection import demo_password


def test_forum_build_builds_the_site_and_says_how_many_pages(archive: Archive) -> None:
    archive.topic("D_a", "A topic", "2026-W40", 1)

    result = CliRunner().invoke(main, ["build", "--demo", "--project", str(archive.root)])

    assert result.exit_code == 0, result.output
    # 3 languages x (home, 9 categories, topics by week, 1 topic, proposals, statistics, invitations,
    # search, protocol)
    assert result.output.splitlines()[-1].startswith("Built 54 pages into ")  # with the moderator's view
    assert (archive.root / "site" / "fr" / "index.html").is_file()


def test_forum_build_reports_a_broken_file_in_one_line_without_traceback(archive: Archive) -> None:
    topic = archive.topic("D_a", "A topic", "2026-W40", 1)
    topic.path.write_text(
        topic.path.read_text(encoding="utf-8").replace("category: training", "category: nope")
    )

    result = CliRunner().invoke(main, ["build", "--demo", "--project", str(archive.root)])

    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: build failed: {topic.path}: field 'category': unknown category 'nope'; expected one of "
        "copyright, general, ip-strategies, ip-users, legislative-advice, office-modernization, "
        "respect-for-ip, technology-transfer, training"
    )
    assert "Traceback" not in result.output
    assert not (archive.root / "site").exists()


def test_forum_build_without_credentials_refuses_to_build_an_unprotected_site(
    archive: Archive, monkeypatch
) -> None:
    monkeypatch.delenv("FORUM_CREDENTIALS", raising=False)
    archive.topic("D_a", "A topic", "2026-W40", 1)

    result = CliRunner().invoke(main, ["build", "--project", str(archive.root)])

    assert result.exit_code == 1
    assert result.output == (
        "Error: build failed: no credentials file: set FORUM_CREDENTIALS to its path (outside the "
        "repository), or use --demo for the demo credentials\n"
    )
    assert not (archive.root / "site").exists()


def test_forum_build_demo_says_loudly_that_it_is_a_demo(archive: Archive) -> None:
    result = CliRunner().invoke(main, ["build", "--demo", "--project", str(archive.root)])

    assert "DEMO BUILD: the documented demo passwords open this site" in result.stderr
    home = (archive.root / "site" / "fr" / "index.html").read_text(encoding="utf-8")
    assert "Site de démonstration : son contenu et ses mots de passe sont des exemples publics" in home


def test_forum_outside_a_checkout_says_where_it_looked(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--project", str(tmp_path)])

    assert result.exit_code == 1
    assert "is not inside a forum checkout (no mkdocs.yml beside content/)" in result.output


def test_forum_serve_serves_the_forum_on_localhost_and_rebuilds_on_edit(archive: Archive) -> None:
    topic = archive.topic("D_a", "A first title", "2026-W40", 1)
    port = free_port()
    server = forum_serve(
        archive.root,
        port,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert f"Serving the forum at http://127.0.0.1:{port}/" in server.stdout.readline()
        assert "A first title" in _fetch_when_ready(f"http://127.0.0.1:{port}/fr/", "A first title")
        topic.path.write_text(topic.path.read_text(encoding="utf-8").replace("A first title", "A new title"))
        assert "A new title" in _fetch_when_ready(f"http://127.0.0.1:{port}/fr/", "A new title")
    finally:
        server.terminate()
        server.wait(timeout=20)


def _fetch_when_ready(url: str, expected: str, seconds: float = 60) -> str:
    """The page at `url`, opened with Brazil's demo credential, once it contains `expected`
    (the server builds, then rebuilds)."""
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                html = response.read().decode("utf-8")
            keys = sign_in(html, "BR", demo_password("BR"))
            page = (keys and open_page(html, keys)) or ""
            if expected in page:
                return page
        except (OSError, AssertionError):
            pass
        time.sleep(0.3)
    return page


def test_every_command_is_listed_and_runs_while_forum_build_imports_nothing_of_github() -> None:
    """The commands that talk to GitHub live in modules of their own, imported when one of
    them runs: `forum build`, after every merged sync, starts without PyGithub."""
    listed = CliRunner().invoke(main, ["--help"])
    assert listed.exit_code == 0, listed.output
    for name in ("build", "serve", "sync", "credentials", "stats", "digest", "access", "erase", "invite"):
        assert f"  {name} " in listed.output, name
    for name in ("topic", "proposal", "translations", "access", "erase", "invite"):
        shown = CliRunner().invoke(main, [name, "--help"])
        assert shown.exit_code == 0 and "Usage: " in shown.output, (name, shown.output)
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, sync.cli.main; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'github'" not in imported and "'sync.github.client'" not in imported and "'git'" not in imported

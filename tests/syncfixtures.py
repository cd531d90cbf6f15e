"""Pytest fixtures for the sync's tests, loaded with `pytest_plugins = ["syncfixtures"]`:
the fake GitHub's own (`fake_github`, `fake_github_remote`) and `world`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from archive import Archive
from fake_github import FakeGitHub
from fake_github.fixtures import fake_github, fake_github_remote  # noqa: F401 - offered to tests
from syncworld import World


@pytest.fixture
def world(
    fake_github_remote: FakeGitHub,  # noqa: F811
    archive: Archive,
    tmp_path: Path,
) -> Iterator[World]:
    """A forum on the fake GitHub with an empty archive, ready to sync."""
    yield World(fake_github_remote, archive, tmp_path)

"""Pytest fixtures for the fake GitHub; import them explicitly into a test module.

from fake_github.fixtures import fake_github, fake_github_remote  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .server import FakeGitHub


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A running fake GitHub with one repository, ``octo-org/forum`` (default branch ``main``)."""
    with FakeGitHub() as github:
        yield github


@pytest.fixture
def fake_github_remote(fake_github: FakeGitHub, tmp_path: Path) -> FakeGitHub:
    """The same fake, with an empty bare git repository at ``tmp_path/remote.git`` as its remote."""
    fake_github.attach_remote(tmp_path / "remote.git")
    return fake_github

"""The code is kept ruff-clean: checked with the tests, so CI fails on a lint error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from archive import ROOT


def test_ruff_finds_nothing_to_fix() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_the_code_as_it_is() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--no-cache", "--check", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reads_every_room_of_the_code() -> None:
    """An exclusion meant for the built site/ once matched sync/site/ too, and hid its errors."""
    listed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--show-files", str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    files = {Path(line.strip()).resolve() for line in listed.splitlines() if line.strip()}
    for module in sorted((ROOT / "sync").rglob("*.py")):
        assert module.resolve() in files, f"ruff does not check {module.relative_to(ROOT)}"

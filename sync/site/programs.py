"""Starting one of the forum's own programs (`python -m sync.site.…`) beside a build: the
same Python, and this very `sync` first on its path, whatever the current folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder `sync` is in


def program(module: str, *arguments: str) -> list[str]:
    """The command that runs `module` as a program."""
    return [sys.executable, "-m", module, *arguments]


def environment() -> dict[str, str]:
    """This process's environment, with this `sync` found first (an empty entry of a path is
    the current folder: none is added)."""
    entries = [str(_PACKAGE_ROOT), *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(entry for entry in entries if entry)}

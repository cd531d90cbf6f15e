"""The one error every part of the forum raises for something a person can fix.

Each room has its own kind (`ContentError` for a content file, `GitHubError`, `GitError`,
`BuildError`, …), all `ForumError`s, so that each command catches one thing and prints
one line. A message that names something the user gave (a week, a member state, the
token) marks it with `given`: the message reads "week 2026-W01 is in the past" for the
build or a log, and the command line shows its own flag there ("--week 2026-W01 is in
the past"), so that flags are named by the command line only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_MARK = "\x1f"  # a control character no message is written with
_GIVEN = re.compile(f"{_MARK}([a-z_]+)\\|([^{_MARK}]*){_MARK}")


def given(name: str, words: str | None = None) -> str:
    """`name` (an option's name, e.g. requested_by) marked as given by the user; `words` is
    how the message reads outside the command line (default: the name, with spaces)."""
    return f"{_MARK}{name}|{words or name.replace('_', ' ')}{_MARK}"


class ForumError(Exception):
    """Something the forum cannot do as asked; the message says what to do, in one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.marked = message

    def __str__(self) -> str:
        return _GIVEN.sub(lambda match: match[2], self.marked)

    def render(self, flag: Callable[[str], str]) -> str:
        """The message with each given input named by `flag(name)`, as the command line does."""
        return _GIVEN.sub(lambda match: flag(match[1]), self.marked)

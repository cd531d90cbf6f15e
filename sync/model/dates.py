"""The forum's calendar: ISO weeks (a topic's `week`, the schedule, the digest, the
statistics) and GitHub's timestamps, each read and written in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")  # as content/ and the schedule write it: 2026-W48


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week such as 2026-W48; weeks sort by time."""

    code: str  # 2026-W48
    monday: date

    @property
    def start(self) -> datetime:
        """00:00 UTC on its Monday."""
        return datetime.combine(self.monday, time(), tzinfo=UTC)

    def __str__(self) -> str:
        return self.code


def parse_week(text: str) -> Week:
    """The week `2026-W48` (`2026-w48` too); ValueError if it is not one or there is no such week."""
    match = WEEK.match(text.strip().upper())
    if not match:
        raise ValueError(f"not an ISO week such as 2026-W48: {text!r}")
    monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    return Week(f"{match[1]}-W{match[2]}", monday)


def week_of(day: date) -> Week:
    """The ISO week a day (or a moment, in its own time zone) falls in."""
    # By its day (a moment's own: moments equal in time are not always on the same day).
    return _week_of_day(day.date() if isinstance(day, datetime) else day)


@lru_cache(maxsize=8192)
def _week_of_day(day: date) -> Week:
    """Worked out once per day: the statistics ask it of every post of the archive."""
    year, number, _ = day.isocalendar()
    return Week(f"{year}-W{number:02d}", date.fromisocalendar(year, number, 1))


def parse_timestamp(text: str) -> datetime:
    """A timestamp as GitHub writes them, `2026-10-05T09:12:00Z`; ValueError if it is not one."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_datetime(moment: datetime) -> str:
    """A UTC timestamp as GitHub writes them: 2026-10-05T09:12:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

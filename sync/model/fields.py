"""Typed reading of one content file's front matter, with errors that name file and field.

Every reader of `content/` goes through `Fields`, so a missing title, a bad date or an
unknown language gets the same kind of message wherever it is found.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sync.model.dates import parse_timestamp, parse_week
from sync.model.domain import ContentError


class Fields:
    """The front matter of one file, read field by field with validation."""

    def __init__(self, path: Path, metadata: Mapping[str, Any]) -> None:
        self.path = path
        self.metadata = metadata

    def error(self, name: str | None, expected: str) -> ContentError:
        """An error about field `name` of this file."""
        return ContentError(self.path, name, expected)

    def text(self, name: str) -> str:
        """A required, non-empty piece of text."""
        value = self.metadata.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise self.error(name, "is missing; expected a non-empty text")
        if not isinstance(value, str | int):
            raise self.error(name, f"expected a text, got {value!r}")
        return str(value).strip()

    def optional_text(self, name: str) -> str | None:
        """Text that may be left out."""
        if self.metadata.get(name) in (None, ""):
            return None
        return self.text(name)

    def choice(self, name: str, allowed: Collection[str], what: str) -> str:
        """A required value from a known list (a language, a category, a member state)."""
        value = self.text(name)
        if value not in allowed:
            raise self.error(name, f"unknown {what} {value!r}; expected one of {_list(allowed)}")
        return value

    def optional_choice(self, name: str, allowed: Collection[str], what: str) -> str | None:
        """A value from a known list, or nothing."""
        return None if self.metadata.get(name) in (None, "") else self.choice(name, allowed, what)

    def moment(self, name: str) -> datetime:
        """A required timestamp, e.g. 2026-10-05T09:12:00Z; a bare date means midnight UTC."""
        value = self.metadata.get(name)
        if value is None:
            raise self.error(name, "is missing; expected a date such as 2026-10-05T09:12:00Z")
        return self._moment(name, value)

    def optional_moment(self, name: str) -> datetime | None:
        """A timestamp that may be left out."""
        value = self.metadata.get(name)
        return None if value in (None, "") else self._moment(name, value)

    def day(self, name: str) -> date | None:
        """An optional calendar date, e.g. 2026-12-31."""
        value = self.metadata.get(name)
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.error(name, f"expected a date such as 2026-12-31, got {value!r}") from None

    def week(self, name: str) -> str:
        """A required ISO week such as 2026-W40."""
        value = self.text(name)
        try:
            written_as_such = parse_week(value).code == value  # 2026-W40 exactly, as the site sorts it
        except ValueError:
            written_as_such = False
        if not written_as_such:
            raise self.error(name, f"expected an ISO week such as 2026-W40, got {value!r}")
        return value

    def flag(self, name: str) -> bool:
        """A yes/no field, no when left out."""
        value = self.metadata.get(name, False)
        if not isinstance(value, bool):
            raise self.error(name, f"expected true or false, got {value!r}")
        return value

    def names(self, name: str, languages: Collection[str], required: bool) -> dict[str, str]:
        """A mapping language → text (category names), every forum language present if required."""
        value = self.metadata.get(name) or {}
        if not isinstance(value, Mapping):
            raise self.error(name, f"expected a mapping of language to text, got {value!r}")
        missing = [lang for lang in languages if not str(value.get(lang) or "").strip()]
        if required and missing:
            raise self.error(name, f"expected a text for every forum language; missing {_list(missing)}")
        return {str(lang): str(text).strip() for lang, text in value.items() if text}

    def _moment(self, name: str, value: object) -> datetime:
        # YAML already turns well-formed timestamps into datetimes; text is parsed here so that
        # a quoted timestamp is accepted too and anything else is refused with an example.
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
        else:
            try:
                moment = parse_timestamp(str(value))
            except ValueError:
                raise self.error(
                    name, f"expected a date such as 2026-10-05T09:12:00Z, got {value!r}"
                ) from None
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _list(values: Collection[str]) -> str:
    return ", ".join(sorted(values)) if values else "(none)"

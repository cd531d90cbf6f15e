"""Typed reading of one content file's front matter, with errors that name file and field.

Every reader of `content/` goes through `Fields`, so a missing title, a bad date or an
unknown language gets the same kind of message wherever it is found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sync.model.dates import parse_timestamp, parse_week
from sync.model.domain import ContentError

# Titles, names, organizations and category names are one line of plain text. The longest
# GitHub allows for a discussion's title is 256 characters; names are shorter still.
LINE_LIMIT = 300
# A category's description is one line too (a sentence or two, shown under its name).
DESCRIPTION_LIMIT = 1000
# Zero-width joiners are part of ordinary writing (Persian, Indic scripts, emoji sequences);
# every other format character (bidi overrides and isolates, marks, invisible operators) is not.
_JOINERS = {"\u200c", "\u200d"}
# Control (Cc), format (Cf), surrogate (Cs), line and paragraph separator (Zl, Zp) characters.
_NOT_PLAIN = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def plain_line_problem(text: str, limit: int = LINE_LIMIT) -> str | None:
    """Why `text` is not one line of plain text (a title, a name), or None if it is."""
    if len(text) > limit:
        return f"expected at most {limit} characters, got {len(text)}"
    if text.isascii() and text.isprintable():
        return None  # ASCII's only characters that are not plain are its controls (Cc)
    for position, character in enumerate(text, start=1):
        if character == " " or character in _JOINERS:
            continue
        if unicodedata.category(character) in _NOT_PLAIN:
            kind = "a line break" if character in "\n\r\x0b\x0c\x85\u2028\u2029" else "a control character"
            name = unicodedata.name(character, "")
            return (
                f"expected one line of plain text; found {kind} U+{ord(character):04X}"
                f"{f' {name}' if name else ''} at character {position}"
            )
    return None


# A category's id, in addresses (categories/<id>/) and in links of every page.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
# GitHub's node ids (D_kwDO…, DC_kwDO…, and the older base64 ones) as the forum accepts them:
# they become file names, so nothing that could climb out of a folder or hide a file.
NODE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_=-]{0,99}")


def node_id_problem(node_id: object) -> str | None:
    """Why a GitHub node id cannot name a file in content/, or None if it can."""
    if isinstance(node_id, str) and NODE_ID.fullmatch(node_id):
        return None
    return f"unsafe GitHub node id {str(node_id)[:120]!r}; expected letters, digits, _, = and - only"


def plain_line(path: Path | str, field: str | None, value: str, limit: int = LINE_LIMIT) -> str:
    """`value` if it is one line of plain text; else a ContentError naming file and field."""
    problem = plain_line_problem(value, limit)
    if problem is not None:
        raise ContentError(path, field, problem)
    return value


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

    def line(self, name: str) -> str:
        """A required title or name: one line of plain text."""
        value = self.text(name)
        problem = plain_line_problem(value)
        if problem is not None:
            raise self.error(name, problem)
        return value

    def slug(self, name: str) -> str:
        """A required id that names a folder and an address: lower-case letters, digits, -."""
        value = self.text(name)
        if not SLUG.fullmatch(value):
            raise self.error(
                name, f"expected lower-case letters, digits and - (such as ip-users), got {value!r}"
            )
        return value

    def optional_line(self, name: str) -> str | None:
        """A name that may be left out; one line of plain text when given."""
        return None if self.metadata.get(name) in (None, "") else self.line(name)

    def optional_text(self, name: str) -> str | None:
        """Text that may be left out."""
        if self.metadata.get(name) in (None, ""):
            return None
        return self.text(name)

    def optional_web_address(self, name: str) -> str | None:
        """An http(s) address with a host (a post's discussion on GitHub), or nothing: a
        `javascript:` or `data:` link, or one with spaces, would be a link to run, not to follow."""
        value = self.optional_text(name)
        if value is None:
            return None
        scheme, _, rest = value.partition("://")
        host = rest.split("/", 1)[0]
        if (
            scheme.lower() not in ("http", "https")
            or not host
            or any(ord(c) < 0x21 or c == "\x7f" for c in value)
        ):
            raise self.error(
                name,
                f"expected a web address such as https://github.com/OWNER/REPO/discussions/1, got {value!r}",
            )
        return value

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

    def names(
        self, name: str, languages: Collection[str], required: bool, limit: int = LINE_LIMIT
    ) -> dict[str, str]:
        """A mapping language → one line of text (category names), every forum language present
        if required."""
        value = self.metadata.get(name) or {}
        if not isinstance(value, Mapping):
            raise self.error(name, f"expected a mapping of language to text, got {value!r}")
        missing = [lang for lang in languages if not str(value.get(lang) or "").strip()]
        if required and missing:
            raise self.error(name, f"expected a text for every forum language; missing {_list(missing)}")
        named = {str(lang): str(text).strip() for lang, text in value.items() if text}
        for language, text in named.items():
            problem = plain_line_problem(text, limit)
            if problem is not None:
                raise self.error(f"{name}.{language}", problem)
        return named

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

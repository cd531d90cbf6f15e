"""Reading the roster (who may post) and the categories of technical-assistance activity.

Both are YAML files in `content/` that the moderator edits by hand, so every entry is
checked and a mistake is reported with the file, the entry and the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

from sync.model.domain import Category, ContentError, MemberState, Person, Role, Roster
from sync.model.fields import DESCRIPTION_LIMIT, Fields

# ISO 3166 alpha-2 codes as CLDR knows them. Numeric codes are UN M.49 regions, and these
# letter codes are groupings or placeholders, not states.
_NOT_STATES = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}
COUNTRY_CODES = frozenset(
    code for code in Locale("en").territories if code.isalpha() and code not in _NOT_STATES
)


# libyaml's safe loader where the machine has it: a full roster is thousands of lines.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """A YAML file of content/, with errors that name it."""
    try:
        return yaml.load(path.read_bytes().decode("utf-8"), Loader=FAST_LOADER)
    except FileNotFoundError:
        raise ContentError(path, None, "is missing") from None
    except UnicodeDecodeError as error:
        raise ContentError(path, None, f"expected UTF-8 text (bad byte at {error.start})") from None
    except yaml.YAMLError as error:
        raise ContentError(path, None, f"expected valid YAML: {error}") from None


def load_categories(path: Path, languages: Sequence[str]) -> dict[str, Category]:
    """The categories, in the file's order, each named in every forum language."""
    entries = (read_yaml(path) or {}).get("categories")
    if not isinstance(entries, list) or not entries:
        raise ContentError(path, "categories", "expected a list of categories")
    categories: dict[str, Category] = {}
    for number, entry in enumerate(entries, start=1):
        fields = _entry(path, f"categories[{number}]", entry)
        category_id = fields.slug("id")
        if category_id in categories:
            raise fields.error("id", f"expected a unique id; {category_id!r} appears twice")
        categories[category_id] = Category(
            id=category_id,
            names=fields.names("names", languages, required=True),
            descriptions=fields.names("descriptions", languages, required=False, limit=DESCRIPTION_LIMIT),
            discussion_category=fields.optional_line("discussion_category") or category_id,
        )
    slugs = [category.discussion_slug for category in categories.values()]
    for slug in slugs:
        if slugs.count(slug) > 1:
            raise ContentError(path, "discussion_category", f"expected a unique slug; {slug!r} appears twice")
    return categories


PROPOSALS_CATEGORY = "proposals"


def load_proposals_category(path: Path) -> str:
    """The slug of the GitHub Discussions category where delegates propose topics.

    `proposals_category:` at the top of categories.yml; `proposals` when left out.
    """
    value = (read_yaml(path) or {}).get("proposals_category") or PROPOSALS_CATEGORY
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, "proposals_category", f"expected a category slug, got {value!r}")
    return value.strip()


def load_roster(path: Path) -> Roster:
    """The roster: member states and their delegates, the moderators, the invited guests."""
    document = read_yaml(path) or {}
    states = document.get("member_states") or {}
    if not isinstance(states, dict):
        raise ContentError(path, "member_states", "expected a mapping of ISO 3166 code to delegates")
    member_states = {}
    for code, delegates in states.items():
        if str(code) not in COUNTRY_CODES:
            raise ContentError(
                path,
                f"member_states.{code}",
                "unknown member state; expected an ISO 3166 alpha-2 code such as BR or FR",
            )
        people = tuple(
            _person(path, f"member_states.{code}[{n}]", entry, Role.DELEGATE, str(code))
            for n, entry in enumerate(delegates or [], start=1)
        )
        member_states[str(code)] = MemberState(str(code), people)
    moderators = tuple(
        _person(path, f"moderators[{n}]", entry, Role.MODERATOR)
        for n, entry in enumerate(document.get("moderators") or [], start=1)
    )
    guests = tuple(
        _guest(path, f"guests[{n}]", entry, frozenset(member_states))
        for n, entry in enumerate(document.get("guests") or [], start=1)
    )
    roster = Roster(member_states, moderators, guests)
    _check_unique_logins(path, roster)
    return roster


def _entry(path: Path, where: str, entry: Any) -> Fields:
    if not isinstance(entry, dict):
        raise ContentError(path, where, f"expected a mapping of fields, got {entry!r}")
    return _Entry(path, where, entry)


class _Entry(Fields):
    """Fields of one entry in a list, so that errors say which entry."""

    def __init__(self, path: Path, where: str, metadata: dict[str, Any]) -> None:
        super().__init__(path, metadata)
        self.where = where

    def error(self, name: str | None, expected: str) -> ContentError:
        return ContentError(self.path, f"{self.where}.{name}" if name else self.where, expected)


def _person(path: Path, where: str, entry: Any, role: Role, member_state: str | None = None) -> Person:
    fields = _entry(path, where, entry)
    return Person(
        login=fields.line("login"),
        name=fields.line("name"),
        role=role,
        member_state=member_state,
    )


def _guest(path: Path, where: str, entry: Any, member_states: frozenset[str]) -> Person:
    fields = _entry(path, where, entry)
    return Person(
        login=fields.line("login"),
        name=fields.line("name"),
        role=Role.GUEST,
        organization=fields.line("organization"),
        topic=fields.text("topic"),
        requested_by=fields.choice("requested_by", member_states, "member state"),
        until=fields.day("until"),
    )


def _check_unique_logins(path: Path, roster: Roster) -> None:
    seen: set[str] = set()
    for person in roster.people():
        # A guest may be invited to several topics, one entry each; anyone else appears once.
        key = f"{person.login.lower()} {person.topic}" if person.role is Role.GUEST else person.login.lower()
        if key in seen:
            raise ContentError(path, None, f"lists the login {person.login!r} twice")
        seen.add(key)

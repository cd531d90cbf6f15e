"""The mirror record, `content/mirrors.yml`: which GitHub comment is a copy of which post.

A guest writes in a room of their own; the forum's account copies what they write into
the topic's main discussion, and what delegates write there into the room. Each copy is
recorded here (original id, copy id, where), so that nothing is copied twice, the sync
never imports a copy as a contribution, and `forum erase` removes the copies with the post.
Each copy's body also ends with a marker naming its original (see `sync.github.rooms`), so
a copy made by a sync that failed before committing this file is still recognised.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from babel import Locale

from sync.model.domain import ContentError, Forum, Person, Role, Topic
from sync.model.files import write_atomically
from sync.model.roster import read_yaml

MIRRORS = "mirrors.yml"
_MARKER = re.compile(r"<!-- forum-mirror (\S+) -->\s*$")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


@dataclass(frozen=True)
class Mirror:
    """One copy: the original post's id, the copy's comment id, and the discussion it is in."""

    original: str
    copy: str
    discussion: str  # node id of the discussion holding the copy
    fingerprint: str = ""  # of the original's text when copied: an edit updates the copy
    source: str = ""  # node id of the discussion the original was written in


def load_mirrors(content: Path) -> list[Mirror]:
    """Every recorded copy; no file means none."""
    path = content / MIRRORS
    entries = read_yaml(path) if path.is_file() else None
    if not entries:
        return []
    if not isinstance(entries, list):
        raise ContentError(path, None, "expected a list of copies (original, copy, discussion)")
    mirrors = []
    for entry in entries:
        if not isinstance(entry, dict) or not {"original", "copy", "discussion"} <= set(entry):
            raise ContentError(path, None, f"expected original, copy and discussion; got {entry!r}")
        mirrors.append(
            Mirror(
                str(entry["original"]),
                str(entry["copy"]),
                str(entry["discussion"]),
                str(entry.get("fingerprint") or ""),
                str(entry.get("source") or ""),
            )
        )
    return mirrors


def save_mirrors(content: Path, mirrors: list[Mirror]) -> None:
    """Write the record atomically, sorted so that an unchanged record makes no diff."""
    path = content / MIRRORS
    if not mirrors and not path.exists():
        return
    header = (
        "# Copies made by the forum's account between guests' rooms and topics' discussions\n"
        "# (`forum sync`). `forum erase` removes a post's copies. Do not edit by hand.\n"
    )
    entries = [asdict(m) for m in sorted(set(mirrors), key=lambda m: (m.original, m.copy))]
    write_atomically(path, header + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False))


def mirror_marker(original: str) -> str:
    """The line that ends every copy: invisible on GitHub, it names the original post."""
    return f"<!-- forum-mirror {original} -->"


def marked_original(body: str) -> str | None:
    """The original's id named by a copy's closing marker, if the body ends with one."""
    match = _MARKER.search(body)
    return match[1] if match else None


def fingerprint(body: str) -> str:
    """A short digest of a post's text: a copy made from another text is out of date."""
    return hashlib.sha256(body.strip().encode()).hexdigest()[:16]


def author_line(login: str, person: Person | None, language: str, member_state: str | None) -> str:
    """Who wrote the original and in which language, in plain English Markdown."""
    english = Locale("en")
    spoken = english.languages.get(language, language)
    name = _escape(person.name) if person else f"@{login}"
    if person is not None and person.role is Role.GUEST:
        asked = english.territories.get(person.requested_by or "", person.requested_by or "")
        who = f"guest ({_escape(person.organization or '')}), invited at the request of {asked}"
    elif person is not None and person.role is Role.MODERATOR:
        who = "moderator"
    else:
        state = member_state or (person.member_state if person else None)
        who = f"delegate of {english.territories.get(state, state)}" if state else "not on the roster"
    return f"**{name}** (@{login}), {who}; written in {spoken}:"


def copy_body(body: str, line: str, original: str) -> str:
    """A copy's text: who wrote it, the original text as written, the marker."""
    return f"{line}\n\n{body.strip()}\n\n{mirror_marker(original)}"


def opening_body(forum: Forum, topic: Topic, body: str) -> str:
    """The room discussion's text: the topic's opening post, attributed, in its language."""
    person = forum.roster.person(topic.author)
    line = author_line(topic.author, person, topic.language, topic.member_state)
    return copy_body(body, line, topic.id)


def _escape(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))

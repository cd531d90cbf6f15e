"""Where the last sync stopped, kept in the repository as `content/sync-state.yml`.

It travels with the sync's own commits, so it says exactly what the content beside it was
synced to: a sync whose pull request is closed unmerged leaves main's state as it was,
and the next sync reads the same changes again. It also keeps the list of contributions
held back, so that an incremental sync, which reads only what changed, still lists in its
pull request those it did not read again.

content/*.yml is kept out of the built site by mkdocs.yml's exclude_docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from sync.github.discussions import Fetched
from sync.intake.moderation import HeldBack
from sync.model.content import _Dumper
from sync.model.domain import ContentError
from sync.model.fields import Fields
from sync.model.roster import read_yaml

STATE_FILE = "sync-state.yml"
HEADER = """\
# Where `forum sync` stopped reading GitHub Discussions, written with each sync's commit.
# Delete this file to make the next sync read every discussion again (as `forum sync --full`).
"""


@dataclass
class SyncState:
    """The newest GitHub timestamp synced, and what is held back."""

    synced_until: datetime | None = None
    held_back: list[HeldBack] = field(default_factory=list)

    def after(self, fetched: Fetched, held_back: list[HeldBack]) -> SyncState:
        """The state once `fetched` is imported: a full read replaces the held-back list; an
        incremental one replaces the entries of the discussions it read and keeps the rest."""
        until = max(m for m in (self.synced_until, fetched.newest) if m) if fetched.newest else None
        if fetched.complete:
            return SyncState(until or self.synced_until, list(held_back))
        read = {discussion.id for discussion in fetched.discussions}
        kept = [entry for entry in self.held_back if entry.discussion_id not in read]
        return SyncState(until or self.synced_until, kept + held_back)


def read_state(content: Path) -> SyncState:
    """The state in `content/sync-state.yml`; an empty one when there is none yet."""
    path = content / STATE_FILE
    if not path.is_file():
        return SyncState()
    document = read_yaml(path) or {}
    if not isinstance(document, dict):
        raise ContentError(path, None, "expected synced_until: and held_back:")
    fields = Fields(path, document)
    entries = document.get("held_back") or []
    if not isinstance(entries, list):
        raise ContentError(path, "held_back", "expected a list")
    return SyncState(fields.optional_moment("synced_until"), [_held_back(path, e) for e in entries])


def write_state(content: Path, state: SyncState) -> None:
    """Write the state file, in a fixed order so that the same state gives the same text."""
    document: dict[str, Any] = {"synced_until": state.synced_until}
    document["held_back"] = [
        {
            "post": entry.post_id,
            "discussion": entry.discussion_id,
            "title": entry.discussion_title,
            "discussion_url": entry.discussion_url,
            "author": entry.author,
            "url": entry.url,
            "reason": entry.reason,
        }
        for entry in sorted(state.held_back, key=lambda e: (e.discussion_url, e.url))
    ]
    text = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    (content / STATE_FILE).write_text(HEADER + text, encoding="utf-8")


def _held_back(path: Path, entry: Any) -> HeldBack:
    if not isinstance(entry, dict):
        raise ContentError(path, "held_back", f"expected entries with post: and reason:, got {entry!r}")
    fields = Fields(path, entry)
    return HeldBack(
        post_id=fields.text("post"),
        discussion_id=fields.text("discussion"),
        discussion_title=fields.text("title"),
        discussion_url=fields.text("discussion_url"),
        author=fields.optional_text("author"),
        url=fields.text("url"),
        reason=fields.text("reason"),
    )

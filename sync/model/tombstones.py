"""Tombstones: what remains of a post erased at someone's request (`content/tombstones.yml`).

A tombstone holds the post's id, the day and who asked, never its text. The sync reads the
ids so that no later sync brings the post back; the history purge removes their files from
every commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from sync.model.domain import ContentError
from sync.model.files import write_atomically
from sync.model.roster import read_yaml

TOMBSTONES = "tombstones.yml"


@dataclass(frozen=True)
class Tombstone:
    """What remains of an erased post: its id, the day, who asked. Never its text."""

    id: str
    date: date
    requested_by: str


def load_tombstones(content: Path) -> list[Tombstone]:
    """The erased posts, oldest first; no file means none."""
    path = content / TOMBSTONES
    if not path.is_file():
        return []
    entries = read_yaml(path) or []
    if not isinstance(entries, list):
        raise ContentError(path, None, "expected a list of tombstones (id, date, requested_by)")
    tombstones = []
    for entry in entries:
        if not isinstance(entry, dict) or not {"id", "date", "requested_by"} <= set(entry):
            raise ContentError(
                path, None, f"expected id, date and requested_by in each tombstone; got {entry!r}"
            )
        day = entry["date"] if isinstance(entry["date"], date) else date.fromisoformat(str(entry["date"]))
        tombstones.append(Tombstone(str(entry["id"]), day, str(entry["requested_by"])))
    return tombstones


def erased_ids(content: Path) -> frozenset[str]:
    """The ids of every erased post, which the sync must never import again."""
    return frozenset(tombstone.id for tombstone in load_tombstones(content))


def save_tombstones(content: Path, tombstones: list[Tombstone]) -> None:
    """Write the tombstones atomically, with a header saying what the file is for."""
    header = (
        "# Posts erased at someone's request (`forum erase`): id, day, who asked; never the text.\n"
        "# `forum sync` never imports these ids again. Do not edit by hand.\n"
    )
    entries = [{"id": t.id, "date": t.date, "requested_by": t.requested_by} for t in tombstones]
    text = header + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
    write_atomically(content / TOMBSTONES, text)

"""The sync pull request's title and body: what changed, and what was held back and why.

The table is read from the branch's own diff against the default branch, not from the last
sync's memory: a pull request that several syncs added to shows their sum, and a post
added then removed again before the merge does not show at all.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import frontmatter
import yaml

from sync.gitrepo.worktree import Workspace
from sync.intake.moderation import HeldBack, ImportReport
from sync.model.domain import Role, Roster
from sync.model.roster import FAST_LOADER

GITHUB_BODY_LIMIT = 65_536  # characters GitHub accepts in a pull request's body
ACTIONS = ("new", "edited", "removed")
_STATUS = {"A": "new", "M": "edited", "D": "removed"}

INTRODUCTION = """\
Contributions from GitHub Discussions, for the moderator to review. Merging publishes them
with the next build. Corrections pushed to this branch (a post's `language`, say) are kept
by later syncs, which add their changes to this pull request.
"""


@dataclass(frozen=True)
class PostChange:
    """One post of the branch's diff, with what the table needs to place it."""

    action: str
    post_id: str
    topic_title: str
    topic_url: str
    member_state: str  # ISO code, or the author's role
    author: str
    url: str


def pull_request_text(
    workspace: Workspace, report: ImportReport, held_back: list[HeldBack], roster: Roster
) -> tuple[str, str]:
    """The title and the Markdown body of the sync pull request."""
    changes, outdated = branch_changes(workspace, roster)
    counts = Counter(change.action for change in changes)
    title = "Sync from GitHub Discussions: " + ", ".join(f"{counts[a]} {a}" for a in ACTIONS)
    reasons = {change.post_id: change.reason for change in report.changes if change.reason}
    sections = [INTRODUCTION, _table(changes)]
    if outdated:
        sections.append(f"{outdated} translation(s) marked outdated: their original was edited.\n")
    removed = [change for change in changes if change.action == "removed"]
    if removed:
        lines = [
            f"- {_link(f'post by @{c.author}', c.url)} in {_link(c.topic_title, c.topic_url)}: "
            f"{reasons.get(c.post_id, 'removed on GitHub')}"
            for c in removed
        ]
        sections.append("### Removed\n\n" + "\n".join(lines) + "\n")
    if held_back:
        sections.append(_held_back_table(held_back))
    if report.guessed_language:
        ids = ", ".join(f"`{post_id}`" for post_id in report.guessed_language)
        sections.append(f"### Language to check\n\nNot detected, set to the default language: {ids}\n")
    return title, _fit("\n".join(sections))


def branch_changes(workspace: Workspace, roster: Roster) -> tuple[list[PostChange], int]:
    """The posts the branch adds, edits and removes, and how many translations it marks
    outdated."""
    changes: list[PostChange] = []
    outdated = 0
    topics: dict[str, tuple[str, str]] = {}
    for changed in workspace.changed_files():
        path, status = changed.path, changed.status
        parts = path.split("/")
        stem, _, language = parts[-1].removesuffix(".md").partition(".")
        if not path.endswith(".md") or parts[1] not in ("topics", "proposals"):
            continue
        if language:
            outdated += status == "M"
            continue
        meta = _front_matter(changed.new_text if changed.new_text is not None else changed.old_text or "")
        if parts[1] == "topics":
            folder = "/".join(parts[:3])
            if folder not in topics:
                topics[folder] = _topic_link(workspace, folder)
            topic_title, topic_url = topics[folder]
        else:
            topic_title, topic_url = f"Proposal: {meta.get('title', stem)}", str(meta.get("url") or "")
        changes.append(
            PostChange(
                action=_STATUS.get(status, "edited"),
                post_id=str(meta.get("id", stem)),
                topic_title=topic_title,
                topic_url=topic_url,
                member_state=_member_state(meta, roster),
                author=str(meta.get("author", "")),
                url=str(meta.get("url") or ""),
            )
        )
    return changes, outdated


def _topic_link(workspace: Workspace, folder: str) -> tuple[str, str]:
    # A topic removed with its folder is read where it still was.
    for before in (False, True):
        text = workspace.text(f"{folder}/topic.md", before=before)
        if text is not None:
            meta = _front_matter(text)
            return str(meta.get("title", folder)), str(meta.get("url") or "")
    return folder, ""


def _member_state(meta: dict[str, Any], roster: Roster) -> str:
    if meta.get("member_state"):
        return str(meta["member_state"])
    person = roster.person(str(meta.get("author", "")))
    if person is not None and person.role is Role.MODERATOR:
        return "moderator"
    return "guest" if person is not None and person.role is Role.GUEST else "—"


def _front_matter(text: str) -> dict[str, Any]:
    handler = frontmatter.YAMLHandler()
    header, _ = handler.split(text)
    meta = yaml.load(header, Loader=FAST_LOADER)  # libyaml: a first sync reads thousands
    return meta if isinstance(meta, dict) else {}


def _table(changes: list[PostChange]) -> str:
    if not changes:
        return "No post changed; see what is held back below.\n"
    rows: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for change in changes:
        rows[(change.topic_title, change.topic_url, change.member_state)][change.action] += 1
    lines = [
        "### Changes\n",
        "| Topic | Member state | New | Edited | Removed |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for (title, url, state), counts in sorted(rows.items()):
        numbers = " | ".join(str(counts[a] or "") for a in ACTIONS)
        lines.append(f"| {_link(title, url)} | {state} | {numbers} |")
    return "\n".join(lines) + "\n"


def _held_back_table(held_back: list[HeldBack]) -> str:
    lines = ["### Held back\n", "| Topic | Author | Post | Why |", "| --- | --- | --- | --- |"]
    for entry in sorted(held_back, key=lambda e: (e.discussion_url, e.url)):
        author = f"@{entry.author}" if entry.author else "(deleted account)"
        post = "opening post" if entry.post_id == entry.discussion_id else "comment"
        lines.append(
            f"| {_link(entry.discussion_title, entry.discussion_url)} | {author} | "
            f"{_link(post, entry.url)} | {_cell(entry.reason)} |"
        )
    return "\n".join(lines) + "\n"


# Line breaks, control and format characters (a bidi override would reorder what the
# moderator reads) in a title or reason shown in the pull request's tables.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def _cell(text: str) -> str:
    visible = _INVISIBLE.sub(lambda m: " " if m[0] in "\r\n\t\u2028\u2029" else "\ufffd", text)
    return visible.replace("|", "\\|").replace("<", "&lt;")


def _link(text: str, url: str) -> str:
    label = _cell(text).replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({url})" if url else label


def _fit(body: str) -> str:
    """The body within GitHub's limit, cut at a line with a note if it is longer."""
    if len(body) <= GITHUB_BODY_LIMIT:
        return body
    note = "\n\n… (cut to fit GitHub's limit: the branch's diff has the rest)\n"
    cut = body[: GITHUB_BODY_LIMIT - len(note)].rsplit("\n", 1)[0]
    return cut + note

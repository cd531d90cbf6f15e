"""Where each post's file belongs in content/, and what its writer refuses.

Ids come from GitHub's answers and file names are made from them; a hostile id such as
`../../pages/x.en` must not write anywhere else (content/pages/ is published in clear). The
sync checks ids as they come in (sync.intake.moderation); the writers check again here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sync.model.domain import Post, Proposal, Reply, Topic
from sync.model.fields import node_id_problem, plain_line

TOPIC_FILE = "topic"
_TRANSLATION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_=-]{0,99}\.[a-z]{2,3}(?:-[A-Za-z0-9]+)?\.md")


def post_path_problem(post: Post) -> str | None:
    """Why `post.path` is not where the post belongs, or None: a topic's `topic.md` and its
    replies' `<id>.md` in a folder of content/topics/, a proposal's `<id>.md` in
    content/proposals/. A hostile id must not write anywhere else (content/pages/ is public)."""
    if isinstance(post, Reply | Proposal) and (problem := node_id_problem(post.id)):
        return problem
    expected = f"{TOPIC_FILE}.md" if isinstance(post, Topic) else f"{post.id}.md"
    if isinstance(post, Proposal):
        return _placed(post.path, expected, "proposals", "content/proposals/")
    return _placed(post.path, expected, "topics", "a topic folder of content/topics/")


def _placed(path: Path, name: str, home: str, where: str) -> str | None:
    folder = path.parent if home == "proposals" else path.parent.parent
    if ".." in path.parts or path.name != name or folder.name != home or path.parent.name.startswith("."):
        return f"would be written to {path}; expected {name} in {where}"
    return None


def translation_path_problem(path: Path) -> str | None:
    """Why a translation cannot be written to `path`, or None: `<post>.<language>.md` beside
    the post it translates."""
    beside_post = path.parent.name == "proposals" or path.parent.parent.name == "topics"
    if ".." in path.parts or not beside_post or not _TRANSLATION_NAME.fullmatch(path.name):
        return f"would be written to {path}; expected <post>.<language>.md beside the post it translates"
    return None


def check_lines(path: Path, metadata: dict[str, Any], names: tuple[str, ...]) -> None:
    """What is read back as one line of plain text is written as one (a file the reader
    would refuse is never written)."""
    for name in names:
        if isinstance(metadata.get(name), str):
            plain_line(path, name, metadata[name])

"""A new topic's folder in content/topics/: `<yyyy>-w<ww>-<slug>`, named the same way whether
the sync brings the topic from GitHub or the moderator opens it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path


def slug(title: str, limit: int = 50) -> str:
    """An ASCII slug of a title for a folder name: `Évaluer l'impact` → `evaluer-l-impact`."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0]
    return words


def new_topic_folder(content: Path, week: str, title: str, fallback: str) -> Path:
    """`<yyyy>-w<ww>-<slug>` for a new topic (`fallback` when the title has no letter to
    keep), numbered when that name is taken."""
    name = f"{week.lower()}-{slug(title) or fallback}"
    folder, number = content / "topics" / name, 2
    while folder.exists():
        folder, number = content / "topics" / f"{name}-{number}", number + 1
    return folder

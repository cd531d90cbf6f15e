"""The texts of the forum the publish gate looks for in whatever a reader without a
credential can read: titles, categories' names and descriptions, people's names and
organizations, and the first and last words of each post and translation."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sync.model.domain import Forum, Post

_SPACE = re.compile(r"\s+")
# Not a word or plain punctuation: what Markdown may change (* _ ` [ ] < > & # | ~ ! …).
_NOT_PLAIN = re.compile("[^\\w ,.;:?'\u2019()-]|_")
# Texts shorter than this are too common to mean a leak (a name such as "Li" is in "Link").
SHORTEST_SECRET = 6
_SNIPPET = 80  # characters of a post's text looked for, at its start and at its end


def forum_secrets(forum: Forum, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The texts of the forum that nobody without a credential may read."""
    texts: list[str] = list(extra)
    for category in forum.categories.values():
        texts += [*category.names.values(), *category.descriptions.values()]
    for person in forum.roster.people():
        texts += [person.name, person.organization or ""]
    posts: list[Post] = [*forum.topics, *forum.proposals]
    posts += [reply for topic in forum.topics for reply in topic.replies]
    for post in posts:
        texts.append(getattr(post, "title", "") or "")
        texts += _snippets(post.body)
        for translation in post.translations.values():
            texts += [translation.title or "", *_snippets(translation.body)]
    unique = {_SPACE.sub(" ", text).strip() for text in texts}
    return tuple(sorted(text for text in unique if len(text) >= SHORTEST_SECRET))


def _snippets(body: str) -> list[str]:
    """Words of a post as its page shows them, from its first and last lines: the longest run
    of plain words and punctuation at the start of the first and the end of the last, which
    Markdown writes out as it is (rendering every post again would cost a rebuild more than
    the build itself)."""
    lines = [line for line in body.splitlines() if line.strip()]
    if not lines:
        return []
    found = []
    for part in {lines[0][: _SNIPPET * 2], lines[-1][-_SNIPPET * 2 :]}:
        run = " ".join(max(_NOT_PLAIN.split(part), key=len).split()).strip(" ,.;:?'\u2019()-")
        found.append(run if len(run) <= _SNIPPET else run[:_SNIPPET].rsplit(" ", 1)[0])
    return found

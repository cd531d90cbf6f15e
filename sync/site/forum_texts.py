"""The texts of the forum the publish gate looks for in whatever a reader without a
credential can read: titles, categories' names and descriptions, people's names and
organizations, and the first and last words of each post and translation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from sync.model.domain import Forum, Post, Topic

_SPACE = re.compile(r"\s+")
# Not a word or plain punctuation: what Markdown may change (* _ ` [ ] < > & # | ~ ! …).
_NOT_PLAIN = re.compile("[^\\w ,.;:?'\u2019()-]|_")
# Texts shorter than this are too common to mean a leak (a name such as "Li" is in "Link").
SHORTEST_SECRET = 6
_SNIPPET = 80  # characters of a post's text looked for, at its start and at its end


def forum_secrets(
    forum: Forum, extra: Iterable[str] = (), texts_of: Callable[[Topic], tuple[str, ...]] | None = None
) -> tuple[tuple[str, ...], ...]:
    """The texts of the forum that nobody without a credential may read, in groups that
    change together: the forum's own (categories, people, `extra`), each topic's, the
    proposals'. The publish gate looks for a group's texts in lines it passed before only
    when the group changed. `texts_of` gives a topic's (`topic_texts`, or as a cache kept
    them: sync.site.topics_cache)."""
    texts: list[str] = list(extra)
    for category in forum.categories.values():
        texts += [*category.names.values(), *category.descriptions.values()]
    for person in forum.roster.people():
        texts += [person.name, person.organization or ""]
    proposals = _normal(text for proposal in forum.proposals for text in _post_texts(proposal))
    return (
        tuple(sorted(set(_normal(texts)))),
        *((texts_of or topic_texts)(topic) for topic in forum.topics),
        tuple(sorted(set(proposals))),
    )


def topic_texts(topic: Topic) -> tuple[str, ...]:
    """A topic's texts the gate looks for: titles, and the first and last words of the
    opening post, each reply and each translation."""
    posts: list[Post] = [topic, *topic.replies]
    return tuple(sorted(set(_normal(text for post in posts for text in _post_texts(post)))))


def _post_texts(post: Post) -> Iterator[str]:
    yield getattr(post, "title", "") or ""
    yield from _snippets(post.body)
    for translation in post.translations.values():
        yield translation.title or ""
        yield from _snippets(translation.body)


def _normal(texts: Iterable[str]) -> Iterator[str]:
    """Texts with their white space as one space, those long enough to mean a leak."""
    for text in texts:
        text = _SPACE.sub(" ", text).strip()
        if len(text) >= SHORTEST_SECRET:
            yield text


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

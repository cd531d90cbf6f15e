"""The forum's translation memory: every existing translation as TMX pairs (written with
translate-toolkit), so that the providers' CAT tools offer what was translated already.

Titles are one pair each. A body is paired paragraph by paragraph when the original and
its translation have as many paragraphs (the usual case: translators keep paragraphs);
otherwise the whole post is one pair. Outdated translations are left out: they no longer
match their original. Segments are plain text, as a CAT tool matches them (the XLIFF export
turns the markup into tags that the tool keeps apart from the words).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from translate.misc.xml_helpers import getXMLlang
from translate.storage import tmx

from sync.model.domain import Forum, Post, Proposal, Topic
from sync.moderator.segments import skeleton


@dataclass(frozen=True)
class Pair:
    """One source text and its translation."""

    source_language: str
    source: str
    target_language: str
    target: str


def pairs(forum: Forum) -> list[Pair]:
    """Every pair of the forum's current (not outdated) translations."""
    found: list[Pair] = []
    for post in _posts(forum):
        for language, translation in sorted(post.translations.items()):
            if translation.outdated or language == post.language:
                continue
            if isinstance(post, Topic | Proposal) and translation.title:
                found.append(Pair(post.language, post.title, language, translation.title))
            found += [Pair(post.language, s, language, t) for s, t in _aligned(post.body, translation.body)]
    return found


def _posts(forum: Forum) -> list[Post]:
    posts: list[Post] = []
    for topic in forum.topics:
        posts += [topic, *topic.replies]
    return posts + list(forum.proposals)


def _aligned(source: str, target: str) -> list[tuple[str, str]]:
    """Paragraph pairs where the two texts have as many paragraphs, else the whole text."""
    sources = [segment.text() for segment in skeleton(source).segments()]
    targets = [segment.text() for segment in skeleton(target).segments()]
    if len(sources) == len(targets):
        return [(s, t) for s, t in zip(sources, targets, strict=True) if s and t]
    return [("\n\n".join(sources), "\n\n".join(targets))]


def write_memory(forum: Forum, path: Path) -> int:
    """Write the forum's translation memory as TMX 1.4 to `path`; how many pairs."""
    memory = tmx.tmxfile(sourcelanguage="*all*")
    found = pairs(forum)
    for pair in found:
        memory.addtranslation(pair.source, pair.source_language, pair.target, pair.target_language)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(memory))
    return len(found)


def read_memory(path: Path) -> list[Pair]:
    """The pairs of a TMX file (the forum's, or a provider's), read with translate-toolkit."""
    memory = tmx.tmxfile.parsestring(path.read_bytes())
    found = []
    for unit in memory.units:
        variants = [(_language(node), unit.getNodeText(node) or "") for node in unit.getlanguageNodes()]
        if len(variants) == 2:
            (source_language, source), (target_language, target) = variants
            found.append(Pair(source_language, source, target_language, target))
    return found


def _language(node: object) -> str:
    return getXMLlang(node) or ""

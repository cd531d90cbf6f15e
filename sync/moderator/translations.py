"""Translations: what is still to translate, a package for an external translator, and
reading the translator's files back.

`waiting` lists, per language, the posts written in another language with no translation
(untranslated) or with one made before the original was edited (outdated). `export`
writes one file per such post: front matter with the post's id, the target language, the
context (topic, author, date) and a fingerprint of the source; then the source text, which
the translator replaces with the translation. `import_package` takes a file back only if it
names a post that exists, a language of the forum other than the post's own, and the
source is unchanged since the export; anything else is refused with the reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sync.model.content import markdown_text, read_file, write_translation
from sync.model.domain import ContentError, Forum, Post, Proposal, Topic, Translation
from sync.model.errors import ForumError, given


class TranslationError(ForumError):
    """A translation package that cannot be made as asked; the message says what to change."""


@dataclass(frozen=True)
class Waiting:
    """A post still to translate into one language."""

    post: Post
    topic: Topic | None  # the topic it belongs to, for context; None for proposals
    outdated: bool  # a translation exists but the original changed since


@dataclass
class ImportReport:
    """What `import_package` took and what it refused, with the reason."""

    taken: list[tuple[str, str]] = field(default_factory=list)  # (post id, language)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


def _posts(forum: Forum) -> list[tuple[Post, Topic | None]]:
    posts: list[tuple[Post, Topic | None]] = []
    for topic in forum.topics:
        posts += [(topic, topic), *((reply, topic) for reply in topic.replies)]
    return posts + [(proposal, None) for proposal in forum.proposals]


def waiting(forum: Forum, language: str) -> list[Waiting]:
    """Posts written in another language that have no translation into `language`, or an
    outdated one; oldest first, as a translator would take them."""
    found = []
    for post, topic in _posts(forum):
        if post.language == language:
            continue
        translation = post.translation(language)
        if translation is None or translation.outdated:
            found.append(Waiting(post, topic, outdated=translation is not None))
    return sorted(found, key=lambda w: (w.post.date, w.post.id))


def fingerprint(post: Post) -> str:
    """A short hash of what a translator translates: the title (if any) and the body."""
    title = post.title if isinstance(post, Topic | Proposal) else ""
    return hashlib.sha256(f"{title}\n\n{post.body}".encode()).hexdigest()[:16]


def export(forum: Forum, language: str, folder: Path) -> list[Path]:
    """One file per post to translate into `language`, in `folder`."""
    if language not in forum.languages:
        known = ", ".join(forum.languages)
        raise TranslationError(f"{given('language')} {language}: expected one of {known}")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in waiting(forum, language):
        post = item.post
        meta: dict[str, object] = {"post": post.id, "language": language, "source_language": post.language}
        if isinstance(post, Topic | Proposal):
            meta["title"] = post.title  # to translate
        meta["context"] = _context(item)
        meta |= {"source": fingerprint(post), "translator": ""}
        path = folder / f"{post.id}.{language}.md"
        path.write_text(markdown_text(meta, post.body), encoding="utf-8")
        written.append(path)
    return written


def _context(item: Waiting) -> str:
    post = item.post
    where = f"proposal {post.id}" if item.topic is None else f"topic {item.topic.title!r} ({item.topic.week})"
    kind = "opening post" if item.topic is post else "reply" if item.topic else "topic proposal"
    note = "; the existing translation is outdated" if item.outdated else ""
    return f"{kind} by {post.author} on {post.date.date().isoformat()}, {where}{note}"


def import_package(forum: Forum, folder: Path, now: datetime | None = None) -> ImportReport:
    """Take back the translator's files that pass the checks; refuse the others."""
    report = ImportReport()
    posts = {post.id: post for post, _ in _posts(forum)}
    for path in sorted(folder.glob("*.md")):
        try:
            post, translation = _check(path, posts, forum, now or datetime.now(UTC))
        except ContentError as error:
            report.refused.append((path.name, error.expected))
            continue
        write_translation(translation)
        report.taken.append((post.id, translation.language))
    return report


def _check(path: Path, posts: dict[str, Post], forum: Forum, now: datetime) -> tuple[Post, Translation]:
    fields, body = read_file(path)
    post = posts.get(fields.text("post"))
    if post is None:
        raise ContentError(path, "post", f"no post {fields.text('post')} in content/")
    language = fields.choice("language", forum.languages, "language")
    if language == post.language:
        raise ContentError(path, "language", f"the post is written in {language} already")
    if fields.text("source") != fingerprint(post):
        raise ContentError(path, "source", "the original was edited since the export; export it again")
    translator = fields.optional_text("translator")
    if not translator:
        raise ContentError(path, "translator", "is empty; the translator signs the translation")
    if body.strip() == post.body.strip():
        raise ContentError(path, "body", "is still the source text; nothing was translated")
    titled = isinstance(post, Topic | Proposal)
    translation = Translation(
        language=language,
        body=body,
        translator=translator,
        date=now,
        path=post.path.with_name(f"{post.path.stem}.{language}.md"),
        title=fields.text("title") if titled else None,
    )
    return post, translation

"""Reading, writing and validating `content/`, the forum's archive.

The layout, one file per post per language:

    content/categories.yml                 categories, named in each language
    content/roster.yml                     member states' delegates, moderators, guests
    content/pages/protocol.<lang>.md       the usage protocol, one page per language (MkDocs' docs_dir)
    content/topics/<folder>/topic.md       a topic's opening post, in its original language
    content/topics/<folder>/topic.fr.md    its French translation
    content/topics/<folder>/<id>.md        a reply, named by its GitHub node id
    content/topics/<folder>/<id>.es.md     that reply's Spanish translation
    content/proposals/<id>.md              a topic proposed by a delegate

Both the MkDocs hooks and the sync tool go through this module, so there is one reading of
the files and one set of error messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from sync.model.dates import format_datetime
from sync.model.domain import (
    ContentError,
    Forum,
    Post,
    Proposal,
    ProposalStatus,
    Reply,
    Topic,
    Translation,
)
from sync.model.fields import Fields
from sync.model.files import write_atomically
from sync.model.front_matter import load_front_matter
from sync.model.paths import check_lines, post_path_problem, translation_path_problem
from sync.model.roster import load_categories, load_roster

TOPIC_FILE = "topic"
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


@dataclass(frozen=True)
class Known:
    """What a post's fields are checked against."""

    languages: tuple[str, ...]
    categories: frozenset[str]
    member_states: frozenset[str]


# Reads the topics of a list of folders; the site's builds pass one that remembers them
# between runs (sync.site.topics_cache), everyone else reads every folder.
TopicsReader = Callable[[Path, list[Path], Known], list[Topic]]


def load_forum(content: Path, languages: Sequence[str], read_topics: TopicsReader | None = None) -> Forum:
    """Read and validate the whole archive; the first broken file raises ContentError."""
    languages = tuple(languages)
    categories = load_categories(content / "categories.yml", languages)
    roster = load_roster(content / "roster.yml")
    known = Known(languages, frozenset(categories), frozenset(roster.member_states))
    topics_dir = content / "topics"
    folders = sorted(p for p in topics_dir.iterdir() if p.is_dir()) if topics_dir.is_dir() else []
    if read_topics is not None:
        topics = read_topics(content, folders, known)
    else:
        topics = [read_topic(folder, known) for folder in folders]
    topics.sort(key=lambda t: (t.week, t.date), reverse=True)
    proposals = read_proposals(content / "proposals", known)
    _check_unique_ids(topics, proposals)
    return Forum(languages, categories, roster, topics, proposals)


def read_topic(folder: Path, known: Known) -> Topic:
    """A topic folder: the opening post, its replies, and every translation of them."""
    originals, translations = _posts_in(folder, known)
    if TOPIC_FILE not in originals:
        raise ContentError(folder, None, f"expected a {TOPIC_FILE}.md file with the opening post")
    fields, body = originals.pop(TOPIC_FILE)
    topic = Topic(
        **_post_fields(fields, body, known),
        title=fields.line("title"),
        category=fields.choice("category", known.categories, "category"),
        week=fields.week("week"),
        proposed_by=fields.optional_choice("proposed_by", known.member_states, "member state"),
    )
    topic.translations = _translations(translations.pop(TOPIC_FILE, []), topic, titled=True)
    replies = []
    for stem, (fields, body) in sorted(originals.items()):
        reply = Reply(**_post_fields(fields, body, known), parent=fields.optional_text("parent"))
        if reply.id != stem:
            raise fields.error("id", f"expected {stem!r}, the file's name, got {reply.id!r}")
        reply.translations = _translations(translations.pop(stem, []), reply, titled=False)
        replies.append(reply)
    for stem, orphans in translations.items():
        raise ContentError(orphans[0][0].path, None, f"is a translation of {stem}.md, which is missing")
    topic.replies = _thread(sorted(replies, key=lambda r: (r.date, r.id)))
    return topic


def read_proposals(folder: Path, known: Known) -> list[Proposal]:
    """The topics delegates proposed, newest first."""
    if not folder.is_dir():
        return []
    originals, translations = _posts_in(folder, known)
    proposals = []
    for stem, (fields, body) in originals.items():
        status = fields.optional_choice("status", [s.value for s in ProposalStatus], "status")
        proposal = Proposal(
            **_post_fields(fields, body, known),
            title=fields.line("title"),
            status=ProposalStatus(status or ProposalStatus.OPEN),
        )
        if proposal.id != stem:
            raise fields.error("id", f"expected {stem!r}, the file's name, got {proposal.id!r}")
        proposal.translations = _translations(translations.pop(stem, []), proposal, titled=True)
        proposals.append(proposal)
    for stem, orphans in translations.items():
        raise ContentError(orphans[0][0].path, None, f"is a translation of {stem}.md, which is missing")
    return sorted(proposals, key=lambda p: (p.date, p.id), reverse=True)


def read_file(path: Path) -> tuple[Fields, str]:
    """One Markdown file with YAML front matter: its fields and its body."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContentError(path, None, f"expected UTF-8 text (bad byte at {error.start})") from None
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        raise ContentError(path, "front matter", "is missing; expected a --- block at the top")
    try:
        header, body = handler.split(text)
    except ValueError:
        raise ContentError(path, "front matter", "is not closed; expected a second --- line") from None
    try:
        # Reading front matter is most of reading the archive (sync.model.front_matter).
        metadata = load_front_matter(header)
    except yaml.YAMLError as error:
        raise ContentError(path, "front matter", f"expected valid YAML: {error}") from None
    except ValueError as error:  # a date YAML recognizes but no calendar has (2026-13-45)
        raise ContentError(path, "front matter", f"expected valid dates: {error}") from None
    if not isinstance(metadata, dict) or not metadata:
        raise ContentError(path, "front matter", "expected fields such as id: and author:")
    return Fields(path, metadata), normal_body(body)


def normal_body(body: str) -> str:
    """A body as it is stored: no blank lines around it, and the indentation of its first
    line kept (python-frontmatter's own loader strips it, turning a code block into text)."""
    return _LEADING_BLANK_LINES.sub("", body).rstrip()


# A post's files, grouped by name: originals[stem] and translations[stem] = [(fields, body, lang)].
_Originals = dict[str, tuple[Fields, str]]
_Translations = dict[str, list[tuple[Fields, str, str]]]


def _posts_in(folder: Path, known: Known) -> tuple[_Originals, _Translations]:
    originals: _Originals = {}
    translations: _Translations = {}
    for path in sorted(folder.glob("*.md")):
        stem, _, language = path.name.removesuffix(".md").partition(".")
        if language and language not in known.languages:
            raise ContentError(
                path,
                None,
                f"unknown language {language!r} in the file name; "
                f"expected one of {', '.join(known.languages)}",
            )
        fields, body = read_file(path)
        if language:
            translations.setdefault(stem, []).append((fields, body, language))
        else:
            originals[stem] = (fields, body)
    return originals, translations


def _post_fields(fields: Fields, body: str, known: Known) -> dict[str, Any]:
    """The fields every post has, checked against the forum's languages and member states."""
    if not body.strip():
        raise fields.error("body", "is empty; expected the post's text below the front matter")
    return {
        "id": fields.text("id"),
        "author": fields.line("author"),
        "language": fields.choice("language", known.languages, "language"),
        "date": fields.moment("date"),
        "body": body,
        "path": fields.path,
        "member_state": fields.optional_choice("member_state", known.member_states, "member state"),
        "edited": fields.optional_moment("edited"),
        "url": fields.optional_web_address("url"),
    }


def _translations(files: list[tuple[Fields, str, str]], post: Post, titled: bool) -> dict[str, Translation]:
    result = {}
    for fields, body, language in files:
        if language == post.language:
            raise ContentError(fields.path, None, f"translates the post into its own language ({language})")
        if not body.strip():
            raise fields.error("body", "is empty; expected the translated text")
        result[language] = Translation(
            language=language,
            body=body,
            translator=fields.line("translator"),
            date=fields.moment("date"),
            path=fields.path,
            title=fields.line("title") if titled else None,
            outdated=fields.flag("outdated"),
        )
    return result


def _thread(replies: list[Reply]) -> list[Reply]:
    """Check each reply's parent; GitHub threads one level deep, so a reply to a reply to
    a reply is attached to the top-level reply it descends from."""
    by_id = {reply.id: reply for reply in replies}
    for reply in replies:
        if reply.parent is None:
            continue
        if reply.parent not in by_id:
            raise ContentError(reply.path, "parent", f"unknown reply {reply.parent!r} in this topic")
        seen = {reply.id}
        while by_id[reply.parent].parent is not None:
            if reply.parent in seen:
                raise ContentError(
                    reply.path, "parent", "expected replies not to answer each other in a loop"
                )
            seen.add(reply.parent)
            reply.parent = by_id[reply.parent].parent
    return replies


def _check_unique_ids(topics: list[Topic], proposals: list[Proposal]) -> None:
    seen: dict[str, Path] = {}
    posts: list[Post] = [*proposals]
    for topic in topics:
        posts += [topic, *topic.replies]
    for post in posts:
        if post.id in seen:
            raise ContentError(
                post.path, "id", f"expected a unique id; {post.id!r} is also in {seen[post.id]}"
            )
        seen[post.id] = post.path


# Writing ---------------------------------------------------------------------------------


def post_metadata(post: Post) -> dict[str, Any]:
    """A post's front matter in a fixed order, so that unchanged posts rewrite byte for byte."""
    meta: dict[str, Any] = {"id": post.id}
    if isinstance(post, Topic | Proposal):
        meta["title"] = post.title
    if isinstance(post, Topic):
        meta |= {"category": post.category, "week": post.week, "proposed_by": post.proposed_by}
    if isinstance(post, Proposal):
        meta["status"] = post.status.value
    meta |= {
        "author": post.author,
        "member_state": post.member_state,
        "language": post.language,
        "date": post.date,
        "edited": post.edited,
        "url": post.url,
    }
    if isinstance(post, Reply):
        meta["parent"] = post.parent
    return {key: value for key, value in meta.items() if value is not None}


def translation_metadata(translation: Translation) -> dict[str, Any]:
    """A translation's front matter in a fixed order."""
    meta: dict[str, Any] = {"title": translation.title, "translator": translation.translator}
    meta |= {"date": translation.date, "outdated": translation.outdated or None}
    return {key: value for key, value in meta.items() if value is not None}


class _Dumper(yaml.SafeDumper):
    """Writes timestamps as GitHub does (2026-10-05T09:12:00Z), unquoted, as people write them."""


_Dumper.add_representer(
    datetime,
    lambda dumper, moment: dumper.represent_scalar("tag:yaml.org,2002:timestamp", format_datetime(moment)),
)


def write_post(post: Post) -> None:
    """Write a post's original file (not its translations) to `post.path`, if it belongs there."""
    problem = post_path_problem(post)
    if problem is not None:
        raise ContentError(post.path, "id", problem)
    metadata = post_metadata(post)
    check_lines(post.path, metadata, ("title", "author"))
    write_markdown(post.path, metadata, post.body)


def write_translation(translation: Translation) -> None:
    """Write one translation file to `translation.path`, beside the post it translates."""
    path = translation.path
    problem = translation_path_problem(path)
    if problem is not None:
        raise ContentError(path, None, problem)
    metadata = translation_metadata(translation)
    check_lines(path, metadata, ("title", "translator"))
    write_markdown(path, metadata, translation.body)


def markdown_text(metadata: dict[str, Any], body: str) -> str:
    """A content file's text: front matter in the given order, a blank line, the body."""
    header = yaml.dump(metadata, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n\n{normal_body(body)}\n"


def write_markdown(path: Path, metadata: dict[str, Any], body: str) -> None:
    """Write front matter and body atomically: a crash leaves the old file or the new one."""
    write_atomically(path, markdown_text(metadata, body))

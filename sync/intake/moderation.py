"""Moderation: what GitHub's discussions bring into content/, and what they do not.

Each discussion goes the way Staticman takes a contribution: received (`sync.github.discussions`),
validated against the roster and the categories (`sync.intake.rules`),
transformed into the content model's posts (`_topic`, `_reply`, `_proposal`), then
written (`_write`), only where the file's text would change, so that an unchanged post
makes no diff. A moderator asking "why was this held back?" finds the answer in
`HeldBack.reason`, written by the one function that decided it.

Rules:
- topics are opened by the moderator; proposals by delegates (or the moderator); replies
  by delegates, the moderator, and a guest on the one topic they were invited to, until
  their invitation ends; anyone else is held back and listed in the pull request; so is a
  delegate whose member state holds no delegation credential any more (when the sync is
  given the credentials file);
- a comment hidden (minimized) on GitHub is not imported, and is removed if it was;
- a comment deleted on GitHub, kept as a tombstone (`deletedAt`) or gone altogether, is its
  author's request to remove the post: it is removed with its translations;
- an edited post is rewritten and its translations are marked outdated;
- a post once imported keeps the language, member state and week in its front matter, so
  the moderator's corrections in a pull request survive later syncs.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from sync.github.discussions import Discussion, DiscussionComment, Fetched
from sync.intake.erased import forget_erased
from sync.intake.language import detect_language
from sync.intake.rules import Rules, author_verdict, proposal_verdict, title_problem, topic_verdict
from sync.intake.sanitize import sanitize_body
from sync.model.content import markdown_text, normal_body, post_metadata, write_post, write_translation
from sync.model.dates import week_of
from sync.model.domain import (
    Category,
    Forum,
    Person,
    Post,
    Proposal,
    ProposalStatus,
    Reply,
    Topic,
)
from sync.model.fields import node_id_problem
from sync.model.folders import new_topic_folder
from sync.model.tombstones import erased_ids

TOPIC_FILE = "topic.md"


@dataclass(frozen=True)
class Change:
    """A post written or removed by this sync."""

    action: str  # new, edited or removed
    post_id: str
    path: Path
    reason: str | None = None  # why a post was removed


@dataclass(frozen=True)
class HeldBack:
    """A contribution left out of content/, and why."""

    post_id: str
    discussion_id: str
    discussion_title: str
    discussion_url: str
    author: str | None
    url: str
    reason: str


@dataclass
class ImportReport:
    """What an import did, for the pull request and the command's output."""

    changes: list[Change] = field(default_factory=list)
    held_back: list[HeldBack] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)  # discussions per unused GitHub category
    guessed_language: list[str] = field(default_factory=list)  # post ids set to the default language
    outdated_translations: int = 0

    def count(self, action: str) -> int:
        """How many posts were new, edited or removed."""
        return sum(1 for change in self.changes if change.action == action)


def import_discussions(content: Path, fetched: Fetched, rules: Rules, forum: Forum) -> ImportReport:
    """Bring the fetched discussions into `content`, the checkout's content/ folder."""
    report = ImportReport()
    topics = {topic.id: topic for topic in forum.topics}
    proposals = {proposal.id: proposal for proposal in forum.proposals}
    erased = erased_ids(content)  # posts erased at someone's request are never brought back
    for discussion in fetched.discussions:
        if (problem := node_id_problem(discussion.id)) is not None:
            # Its id would name files in content/: nothing of it is read further.
            _hold(report, discussion, None, problem)
            continue
        if discussion.id in erased:
            continue
        discussion = forget_erased(discussion, erased)
        category = rules.category_for(discussion.category_slug)
        known = topics.get(discussion.id) or proposals.get(discussion.id)
        if discussion.category_slug == rules.proposals_category and discussion.id not in topics:
            _sync_proposal(discussion, proposals.get(discussion.id), content, rules, report)
        elif category is not None and discussion.id not in proposals:
            _sync_topic(discussion, category, topics.get(discussion.id), content, rules, report)
        elif known is not None:
            where = f"the GitHub category {discussion.category_name!r}"
            _hold(report, discussion, None, f"moved to {where}; the forum's copy is left as it is")
        else:
            report.ignored[discussion.category_slug] += 1
    if fetched.complete:
        # A full read saw every discussion: one of ours that is gone was deleted on GitHub.
        seen = {discussion.id for discussion in fetched.discussions}
        ours = f"{fetched.repository_url}/discussions/"
        for post in [*topics.values(), *proposals.values()]:
            if post.id not in seen and (post.url or "").startswith(ours):
                _remove(post, "discussion deleted on GitHub", report, whole_topic=isinstance(post, Topic))
    return report


def _body(raw: str) -> tuple[str, str | None]:
    """The body as it will be kept, or why there is nothing to keep."""
    body = normal_body(sanitize_body(raw))
    if body.strip():
        return body, None
    return body, "empty once unsafe HTML is removed" if raw.strip() else "empty"


# Topics, replies and proposals ------------------------------------------------------------


def _sync_topic(
    discussion: Discussion,
    category: Category,
    existing: Topic | None,
    content: Path,
    rules: Rules,
    report: ImportReport,
) -> None:
    verdict = topic_verdict(discussion, rules)
    body, empty = _body(discussion.body)
    reason = verdict if isinstance(verdict, str) else empty or title_problem(discussion.title)
    if reason and existing is None:
        waiting = sum(1 for _ in discussion.posts())
        _hold(report, discussion, None, reason + (f" ({waiting} comments wait with it)" if waiting else ""))
        return
    if reason and existing is not None:
        if body != existing.body or discussion.title.strip() != existing.title:
            _hold(report, discussion, None, f"edit held back: {reason}")
        folder = existing.path.parent
    else:
        topic = _topic(discussion, category, body, verdict, existing, content, rules, report)
        _write(topic, existing, report)
        folder = topic.path.parent
    replies = {reply.id: reply for reply in existing.replies} if existing else {}
    _sync_replies(discussion, folder, replies, rules, report)


def _topic(
    discussion: Discussion,
    category: Category,
    body: str,
    author: Person | str,
    existing: Topic | None,
    content: Path,
    rules: Rules,
    report: ImportReport,
) -> Topic:
    week = existing.week if existing else week_of(discussion.created_at).code
    fallback = f"discussion-{discussion.number}"
    path = (
        existing.path
        if existing
        else new_topic_folder(content, week, discussion.title, fallback) / TOPIC_FILE
    )
    member_state = author.member_state if isinstance(author, Person) else None
    return Topic(
        id=discussion.id,
        author=discussion.author or "",
        language=_language(existing, f"{discussion.title}\n\n{body}", discussion.id, rules, report),
        date=discussion.created_at,
        body=body,
        path=path,
        member_state=existing.member_state if existing else member_state,
        edited=discussion.last_edited_at,
        url=discussion.url,
        title=_one_line(discussion.title),
        category=category.id,
        week=week,
        proposed_by=existing.proposed_by if existing else None,
        translations=existing.translations if existing else {},
    )


def _sync_replies(
    discussion: Discussion, folder: Path, existing: dict[str, Reply], rules: Rules, report: ImportReport
) -> None:
    """Write the replies that pass, remove those deleted or hidden, keep the threads valid."""
    comments = list(discussion.posts())
    accepted: list[tuple[DiscussionComment, Person, str]] = []
    kept: set[str] = set()  # the ids of replies in content/ once this sync is done
    for comment in comments:
        if (problem := node_id_problem(comment.id)) is not None:
            _hold(report, discussion, comment, problem)  # its id would name a file
            continue
        old = existing.get(comment.id)
        if comment.deleted_at is not None or comment.is_minimized:
            if old is not None:
                _remove(old, _why_gone(comment), report)
            continue
        verdict = author_verdict(comment.author, rules, discussion.id, comment.created_at)
        body, empty = _body(comment.body)
        reason = verdict if isinstance(verdict, str) else empty
        if reason is None and isinstance(verdict, Person):
            accepted.append((comment, verdict, body))
            kept.add(comment.id)
        elif old is not None:
            kept.add(comment.id)  # a post once imported stays; only its edit waits
            if body != old.body:
                _hold(report, discussion, comment, f"edit held back: {reason}")
        else:
            _hold(report, discussion, comment, str(reason))
    present = {comment.id for comment in comments}
    rewritten = {comment.id for comment, _, _ in accepted}
    for old in existing.values():
        if old.id not in present:
            _remove(old, "deleted on GitHub", report)
        elif old.id in kept and old.id not in rewritten and old.parent and old.parent not in kept:
            _write(replace(old, parent=None), old, report)  # its parent is gone: keep the thread valid
    for comment, person, body in accepted:
        # A reply whose parent is not in the forum (deleted, hidden, held back) answers the topic.
        parent = comment.reply_to if comment.reply_to in kept else None
        old = existing.get(comment.id)
        reply = _reply(comment, person, body, parent, old, folder, rules, report)
        _write(reply, old, report)


def _reply(
    comment: DiscussionComment,
    person: Person,
    body: str,
    parent: str | None,
    old: Reply | None,
    folder: Path,
    rules: Rules,
    report: ImportReport,
) -> Reply:
    return Reply(
        id=comment.id,
        author=comment.author or "",
        language=_language(old, body, comment.id, rules, report),
        date=comment.created_at,
        body=body,
        path=old.path if old else folder / f"{comment.id}.md",
        member_state=old.member_state if old else person.member_state,
        edited=comment.last_edited_at,
        url=comment.url,
        translations=old.translations if old else {},
        parent=parent,
    )


def _sync_proposal(
    discussion: Discussion, existing: Proposal | None, content: Path, rules: Rules, report: ImportReport
) -> None:
    """A topic proposal; comments on it are discussion among delegates, not imported."""
    verdict = proposal_verdict(discussion, rules)
    body, empty = _body(discussion.body)
    reason = verdict if isinstance(verdict, str) else empty or title_problem(discussion.title)
    if reason is not None or not isinstance(verdict, Person):
        changed = existing is None or body != existing.body or discussion.title.strip() != existing.title
        if changed:
            _hold(report, discussion, None, str(reason) if existing is None else f"edit held back: {reason}")
        return
    proposal = Proposal(
        id=discussion.id,
        author=discussion.author or "",
        language=_language(existing, f"{discussion.title}\n\n{body}", discussion.id, rules, report),
        date=discussion.created_at,
        body=body,
        path=existing.path if existing else content / "proposals" / f"{discussion.id}.md",
        member_state=existing.member_state if existing else verdict.member_state,
        edited=discussion.last_edited_at,
        url=discussion.url,
        translations=existing.translations if existing else {},
        title=_one_line(discussion.title),
        status=existing.status if existing else ProposalStatus.OPEN,  # the moderator decides
    )
    _write(proposal, existing, report)


# Writing ------------------------------------------------------------------------------------


def _write(post: Post, old: Post | None, report: ImportReport) -> None:
    """Write a post where its text changes; an edit marks its translations outdated."""
    # A new file needs no comparison: a first sync of a large archive writes thousands.
    current = post.path.read_text(encoding="utf-8") if post.path.is_file() else None
    if current is not None and current == markdown_text(post_metadata(post), post.body):
        return
    write_post(post)
    report.changes.append(Change("new" if old is None else "edited", post.id, post.path))
    if old is None or (old.body == post.body and getattr(old, "title", "") == getattr(post, "title", "")):
        return
    for translation in old.translations.values():
        if not translation.outdated:
            write_translation(replace(translation, outdated=True))
            report.outdated_translations += 1


def _remove(post: Post, reason: str, report: ImportReport, whole_topic: bool = False) -> None:
    """Remove a post and its translations; a topic goes with its whole folder."""
    if whole_topic:
        shutil.rmtree(post.path.parent)
    else:
        post.path.unlink(missing_ok=True)
        for translation in post.translations.values():
            translation.path.unlink(missing_ok=True)
    report.changes.append(Change("removed", post.id, post.path, reason))


def _hold(
    report: ImportReport, discussion: Discussion, comment: DiscussionComment | None, reason: str
) -> None:
    post = comment or discussion
    report.held_back.append(
        HeldBack(post.id, discussion.id, discussion.title, discussion.url, post.author, post.url, reason)
    )


def _why_gone(comment: DiscussionComment) -> str:
    if comment.deleted_at is not None:
        return "deleted by its author"
    return f"hidden by the moderator ({comment.minimized_reason or 'minimized'})"


def _language(old: Post | None, text: str, post_id: str, rules: Rules, report: ImportReport) -> str:
    if old is not None:
        return old.language  # the moderator may have corrected it
    found = detect_language(text, rules.languages)
    if found is None:
        report.guessed_language.append(post_id)
        return rules.languages[0]
    return found


def _one_line(title: str) -> str:
    return " ".join(title.split())

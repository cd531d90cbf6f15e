"""Deletion requests: a post erased from content/, from GitHub, and if asked from history.

A member state (or a post's author) asks for a post to go. `erase_post` removes its file
and every translation, re-threads the replies that answered it, deletes (or hides) the
comment on GitHub, and leaves a tombstone in `content/tombstones.yml`: the post's id, the
day and who asked, never its text. `sync.intake.moderation` reads the tombstones, so no later sync
brings the post back. The text still lives in earlier commits: `purge_history` rewrites
them with git-filter-repo and says how to publish the rewritten history.

Order of work, so that a refusal changes nothing: validate, then GitHub, then content/.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import yaml

from sync.github.client import GitHubClient, GitHubError
from sync.github.discussions import Discussion, DiscussionComment
from sync.model.content import load_forum, write_post
from sync.model.domain import ContentError, Forum, Post, Proposal, Topic
from sync.model.files import write_atomically
from sync.model.roster import read_yaml
from sync.site.topics_cache import forget_read_topics

TOMBSTONES = "tombstones.yml"
MODERATOR = "WIPO"

DELETE_COMMENT_MUTATION = """
mutation ForumEraseComment($id: ID!) {
  deleteDiscussionComment(input: {id: $id}) { comment { id } }
}
"""

MINIMIZE_COMMENT_MUTATION = """
mutation ForumHideComment($id: ID!) {
  minimizeComment(input: {subjectId: $id, classifier: RESOLVED}) { minimizedComment { isMinimized } }
}
"""

DELETE_DISCUSSION_MUTATION = """
mutation ForumEraseDiscussion($id: ID!) {
  deleteDiscussion(input: {id: $id}) { discussion { id } }
}
"""

MUTATIONS = (DELETE_COMMENT_MUTATION, MINIMIZE_COMMENT_MUTATION, DELETE_DISCUSSION_MUTATION)


class ErasureError(Exception):
    """A deletion request that cannot be carried out; the message says what to do."""


@dataclass(frozen=True)
class Tombstone:
    """What remains of an erased post: its id, the day, who asked. Never its text."""

    id: str
    date: date
    requested_by: str


@dataclass
class Erasure:
    """What `erase_post` did, for the command's output."""

    post_id: str
    removed: list[Path]
    rethreaded: list[str]  # replies that answered the erased one and now answer the topic
    on_github: str  # deleted, hidden, or why nothing was done there


# Tombstones ---------------------------------------------------------------------------------


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


def forget_erased(discussion: Discussion, erased: frozenset[str]) -> Discussion:
    """The discussion as the sync should see it: erased comments count as deleted (their
    replies stay and answer the topic), so they are neither imported nor held back."""

    def forget(comment: DiscussionComment) -> DiscussionComment:
        if comment.id in erased and comment.deleted_at is None:
            comment = replace(comment, deleted_at=comment.updated_at)
        return replace(comment, replies=tuple(forget(reply) for reply in comment.replies))

    if not erased:
        return discussion
    return replace(discussion, comments=tuple(forget(comment) for comment in discussion.comments))


# Erasing a post -----------------------------------------------------------------------------


def erase_post(
    content: Path,
    languages: tuple[str, ...],
    post_id: str,
    requested_by: str,
    today: date,
    client: GitHubClient | None,
    hide_only: bool = False,
) -> Erasure:
    """Erase a reply or a proposal everywhere; raise ErasureError, changing nothing, if it can't."""
    forum = load_forum(content, languages)
    tombstones = load_tombstones(content)
    post, topic = _validate(forum, tombstones, post_id)
    asked_by = _requester(forum, requested_by)
    on_github = _erase_on_github(post, client, hide_only)
    removed = [post.path, *(t.path for t in post.translations.values())]
    rethreaded = []
    for reply in topic.replies if topic else []:
        if reply.parent == post.id:
            write_post(replace(reply, parent=None))
            rethreaded.append(reply.id)
    for path in removed:
        path.unlink()
    forget_read_topics(content)  # the copy of the archive kept for builds held the post too
    save_tombstones(content, [*tombstones, Tombstone(post.id, today, asked_by)])
    return Erasure(post.id, removed, rethreaded, on_github)


def _validate(forum: Forum, tombstones: list[Tombstone], post_id: str) -> tuple[Post, Topic | None]:
    """The post to erase and its topic, or why it cannot be erased."""
    earlier = next((t for t in tombstones if t.id == post_id), None)
    if earlier is not None:
        raise ErasureError(
            f"post {post_id} was already erased on {earlier.date.isoformat()} "
            f"(asked by {earlier.requested_by}); nothing to do"
        )
    for topic in forum.topics:
        if topic.id == post_id:
            raise ErasureError(
                f"{post_id} is the opening post of the topic {topic.title!r}; erase its replies one "
                "by one, or remove the topic's folder and delete the discussion on GitHub"
            )
        for reply in topic.replies:
            if reply.id == post_id:
                return reply, topic
    for proposal in forum.proposals:
        if proposal.id == post_id:
            return proposal, None
    raise ErasureError(f"no reply or proposal with id {post_id} in content/; check the id in the post's file")


def _requester(forum: Forum, requested_by: str) -> str:
    """Who asked: a member state of the roster, WIPO, or a login of the roster."""
    code = requested_by.strip().upper()
    if code in forum.roster.member_states or code == MODERATOR:
        return code
    person = forum.roster.person(requested_by.strip())
    if person is not None:
        return person.login
    raise ErasureError(
        f"--requested-by {requested_by!r}: expected a member state of the roster, WIPO, "
        "or the GitHub login of someone on the roster"
    )


def _erase_on_github(post: Post, client: GitHubClient | None, hide_only: bool) -> str:
    """Delete (or hide) the post on GitHub; a post that never came from GitHub is left."""
    if not post.url:
        return "not on GitHub (no url in its file)"
    if client is None:
        raise ErasureError(
            f"{post.id} came from GitHub ({post.url}): give --repository and --token "
            "(or GITHUB_REPOSITORY and GITHUB_TOKEN) so it is removed there too"
        )
    if isinstance(post, Proposal):
        mutation, done = DELETE_DISCUSSION_MUTATION, "discussion deleted"
    elif hide_only:
        mutation, done = MINIMIZE_COMMENT_MUTATION, "comment hidden"
    else:
        mutation, done = DELETE_COMMENT_MUTATION, "comment deleted"
    try:
        client.graphql(mutation, {"id": post.id})
    except GitHubError as error:
        if "could not resolve to a node" not in str(error).lower():
            raise
        return f"already gone ({post.url})"  # its author deleted it first
    return f"{done} ({post.url})"


# Purging history ----------------------------------------------------------------------------


def purge_history(root: Path) -> list[str]:
    """Rewrite the checkout's history so no commit holds an erased post's files; return the
    steps that publish the rewritten history. Refuses with uncommitted changes."""
    git_root = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    content = root / "content"
    tombstones = load_tombstones(content)
    if not tombstones:
        raise ErasureError("no erased posts in content/tombstones.yml; run `forum erase <post id>` first")
    if _git(git_root, "status", "--porcelain").strip():
        raise ErasureError(
            "the checkout has uncommitted changes; commit the erasure (content/) first, then purge"
        )
    prefix = content.resolve().relative_to(git_root.resolve()).as_posix()
    globs = []
    for tombstone in tombstones:
        for folder in ("topics/*", "proposals"):
            globs += ["--path-glob", f"{prefix}/{folder}/{tombstone.id}.md"]
            globs += ["--path-glob", f"{prefix}/{folder}/{tombstone.id}.*.md"]
    origin = _git(git_root, "remote", "get-url", "origin", check=False).strip()
    command = [sys.executable, _filter_repo(), "--force", "--invert-paths", *globs]
    done = subprocess.run(command, cwd=git_root, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ErasureError(f"git filter-repo failed: {last}")
    if origin and not _git(git_root, "remote", check=False).split():
        _git(git_root, "remote", "add", "origin", origin)  # filter-repo removes it as a safeguard
    return [
        f"History rewritten: {len(tombstones)} erased posts are gone from every commit.",
        "To publish it (every collaborator must then clone the repository afresh):",
        "  git push --force origin --all",
        "  git push --force origin --tags",
        "  delete the remote sync/* branches, whose old commits still hold the text",
        "  ask GitHub Support to purge cached views and pull-request refs (refs/pull/*),",
        "  which a force-push does not rewrite",
    ]


def _filter_repo() -> str:
    """git-filter-repo's script, installed from PyPI with the forum (a pinned dependency)."""
    import git_filter_repo

    return str(Path(git_filter_repo.__file__))


def _git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if check and done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ErasureError(f"git {args[0]} failed: {last}")
    return done.stdout

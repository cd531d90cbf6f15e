"""Deletion requests: a post erased from content/, from GitHub, and if asked from history.

A member state (or a post's author) asks for a post to go. `erase_post` removes its file
and every translation, re-threads the replies that answered it, deletes (or hides) the
comment on GitHub, and leaves a tombstone in `content/tombstones.yml`: the post's id, the
day and who asked, never its text. `sync.intake.moderation` reads the tombstones, so no later sync
brings the post back. The text still lives in earlier commits: `purge_history` rewrites
them with git-filter-repo (`sync.gitrepo.purge`) and says how to publish the rewritten history.

Order of work, so that a refusal changes nothing: validate, then GitHub, then content/.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sync.github import writes
from sync.github.client import GitHubClient
from sync.gitrepo.purge import purge_posts
from sync.model.content import load_forum, write_post
from sync.model.domain import Forum, Post, Proposal, Topic
from sync.model.errors import ForumError, given
from sync.model.tombstones import Tombstone, load_tombstones, save_tombstones
from sync.moderator.rooms import erase_copies
from sync.site import gate_memory
from sync.site.topics_cache import forget_read_topics

MODERATOR = "WIPO"


class ErasureError(ForumError):
    """A deletion request that cannot be carried out; the message says what to do."""


@dataclass
class Erasure:
    """What `erase_post` did, for the command's output."""

    post_id: str
    removed: list[Path]
    rethreaded: list[str]  # replies that answered the erased one and now answer the topic
    on_github: str  # deleted, hidden, or why nothing was done there


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
    on_github += erase_copies(content, post.id, client)  # copies between guests' rooms and topics
    removed = [post.path, *(t.path for t in post.translations.values())]
    rethreaded = []
    for reply in topic.replies if topic else []:
        if reply.parent == post.id:
            write_post(replace(reply, parent=None))
            rethreaded.append(reply.id)
    for path in removed:
        path.unlink()
    forget_read_topics(content)  # the copy of the archive kept for builds held the post too
    gate_memory.forget_all(content.resolve().parent)  # and the gate's digests of its words
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
        f"{given('requested_by')} {requested_by!r}: expected a member state of the roster, WIPO, "
        "or the GitHub login of someone on the roster"
    )


def _erase_on_github(post: Post, client: GitHubClient | None, hide_only: bool) -> str:
    """Delete (or hide) the post on GitHub; a post that never came from GitHub is left."""
    if not post.url:
        return "not on GitHub (no url in its file)"
    if client is None:
        raise ErasureError(
            f"{post.id} came from GitHub ({post.url}): give {given('repository')} and {given('token')} "
            "(or GITHUB_REPOSITORY and GITHUB_TOKEN) so it is removed there too"
        )
    if isinstance(post, Proposal):
        done, erased = "discussion deleted", writes.delete_discussion(client, post.id)
    elif hide_only:
        done, erased = "comment hidden", writes.minimize_comment(client, post.id)
    else:
        done, erased = "comment deleted", writes.delete_comment(client, post.id)
    if not erased:
        return f"already gone ({post.url})"  # its author deleted it first
    return f"{done} ({post.url})"


# Purging history ----------------------------------------------------------------------------


def purge_history(root: Path) -> list[str]:
    """Rewrite the checkout's history so no commit holds an erased post's files; return the
    steps that publish the rewritten history. Refuses with uncommitted changes."""
    content = root / "content"
    tombstones = load_tombstones(content)
    if not tombstones:
        raise ErasureError("no erased posts in content/tombstones.yml; run `forum erase <post id>` first")
    purge_posts(root, content, [tombstone.id for tombstone in tombstones])
    return [
        f"History rewritten: {len(tombstones)} erased posts are gone from every commit.",
        "To publish it (every collaborator must then clone the repository afresh):",
        "  git push --force origin --all",
        "  git push --force origin --tags",
        "  delete the remote sync/* branches, whose old commits still hold the text",
        "  ask GitHub Support to purge cached views and pull-request refs (refs/pull/*),",
        "  which a force-push does not rewrite",
    ]

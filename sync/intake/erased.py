"""Posts erased at someone's request, as the sync sees them: never brought back.

The tombstones (`sync.model.tombstones`) name the erased posts; an erased comment still on
GitHub (hidden rather than deleted, or shown again) counts as deleted, so that it is
neither imported nor held back, and its replies stay and answer the topic.
"""

from __future__ import annotations

from dataclasses import replace

from sync.github.discussions import Discussion, DiscussionComment


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

"""What the forum writes on GitHub: a topic's discussion, an answer, a comment hidden or
deleted, a proposal's discussion deleted.

The moderator's commands (`sync.moderator`) call these functions; the GraphQL stays here,
and GitHub's answers leave as small dataclasses or a yes/no.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sync.github.client import GitHubClient, GitHubError
from sync.model.dates import parse_timestamp

TARGET_QUERY = """
query ForumTopicTarget($owner: String!, $name: String!, $slug: String!) {
  repository(owner: $owner, name: $name) { id discussionCategory(slug: $slug) { id } }
}
"""

CREATE_DISCUSSION_MUTATION = """
mutation ForumOpenTopic($repositoryId: ID!, $categoryId: ID!, $title: String!, $body: String!) {
  createDiscussion(
    input: {repositoryId: $repositoryId, categoryId: $categoryId, title: $title, body: $body}
  ) {
    discussion { id url createdAt author { login } }
  }
}
"""

ANSWER_MUTATION = """
mutation ForumAnswerProposal($discussionId: ID!, $body: String!) {
  addDiscussionComment(input: {discussionId: $discussionId, body: $body}) { comment { id url } }
}
"""

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

QUERIES = (
    TARGET_QUERY,
    CREATE_DISCUSSION_MUTATION,
    ANSWER_MUTATION,
    DELETE_COMMENT_MUTATION,
    MINIMIZE_COMMENT_MUTATION,
    DELETE_DISCUSSION_MUTATION,
)


@dataclass(frozen=True)
class OpenedDiscussion:
    """A discussion the forum just opened on GitHub."""

    id: str
    url: str
    created_at: datetime  # UTC
    author: str  # the token's login; empty if GitHub gives none


def create_discussion(client: GitHubClient, category_slug: str, title: str, body: str) -> OpenedDiscussion:
    """Open a discussion in the repository's Discussions category `category_slug`."""
    target = client.graphql(TARGET_QUERY, {"owner": client.owner, "name": client.name, "slug": category_slug})
    repository = target.get("repository") or {}
    if not repository.get("discussionCategory"):
        raise GitHubError(
            f"{client.repository} has no Discussions category {category_slug!r}; "
            "create it on GitHub, or set discussion_category: in content/categories.yml"
        )
    answer = client.graphql(
        CREATE_DISCUSSION_MUTATION,
        {
            "repositoryId": repository["id"],
            "categoryId": repository["discussionCategory"]["id"],
            "title": title,
            "body": body,
        },
    )
    discussion = answer["createDiscussion"]["discussion"]
    return OpenedDiscussion(
        id=discussion["id"],
        url=discussion["url"],
        created_at=parse_timestamp(discussion["createdAt"]).astimezone(UTC),
        author=(discussion.get("author") or {}).get("login") or "",
    )


def add_comment(client: GitHubClient, discussion_id: str, body: str) -> None:
    """Answer a discussion with a comment."""
    client.graphql(ANSWER_MUTATION, {"discussionId": discussion_id, "body": body})


def delete_comment(client: GitHubClient, comment_id: str) -> bool:
    """Delete a comment; False when it was already gone."""
    return _unless_gone(client, DELETE_COMMENT_MUTATION, comment_id)


def minimize_comment(client: GitHubClient, comment_id: str) -> bool:
    """Hide (minimize) a comment as resolved; False when it was already gone."""
    return _unless_gone(client, MINIMIZE_COMMENT_MUTATION, comment_id)


def delete_discussion(client: GitHubClient, discussion_id: str) -> bool:
    """Delete a discussion; False when it was already gone."""
    return _unless_gone(client, DELETE_DISCUSSION_MUTATION, discussion_id)


def _unless_gone(client: GitHubClient, mutation: str, node_id: str) -> bool:
    try:
        client.graphql(mutation, {"id": node_id})
    except GitHubError as error:
        if "could not resolve to a node" not in str(error).lower():
            raise
        return False  # its author deleted it first
    return True

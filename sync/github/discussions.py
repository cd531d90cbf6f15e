"""The GitHub side of the sync: reading discussions with the tool's own GraphQL queries.

PyGithub has no accessors for discussions, so the queries below are sent with its
`requester.graphql_query`; pull requests go through PyGithub's REST objects (see
`sync.github.pull_requests`). GitHub's answers are plain dicts only inside this module: they leave it
as `Discussion` and `DiscussionComment` dataclasses.

Budget. GitHub charges a query by the connections it could fill: one request per
connection, times the page sizes of the connections around it, divided by 100. A page of
100 discussions with 20 comments each and 10 replies per comment needs 1 + 100 + 2,000
requests, 21 points; discussions with more comments or replies than that are completed
by follow-up queries of 1 point each. `rateLimit { cost }` in every query says what GitHub
charged, and the client's `Budget` adds it up for the report.

Retries, rate limits and the count of requests are `sync.github.client`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sync.github.client import GitHubClient, GitHubError
from sync.model.dates import parse_timestamp

FULL_PAGE = 100  # discussions per page when reading everything
INCREMENTAL_PAGE = 10  # discussions per page when looking for what changed

COMMENT_FIELDS = """
fragment CommentFields on DiscussionComment {
  id url body createdAt updatedAt lastEditedAt deletedAt isMinimized minimizedReason
  author { login }
  replyTo { id }
}
"""

# 20 comments and 10 replies to each cover most discussions in one page; see the budget above.
DISCUSSIONS_QUERY = (
    """
query ForumDiscussions($owner: String!, $name: String!, $first: Int!, $after: String,
                       $order: DiscussionOrderField!, $direction: OrderDirection!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    url
    discussions(first: $first, after: $after, orderBy: {field: $order, direction: $direction}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id number url title body createdAt updatedAt lastEditedAt
        author { login }
        category { slug name }
        comments(first: 20) {
          pageInfo { hasNextPage endCursor }
          nodes {
            ...CommentFields
            replies(first: 10) { pageInfo { hasNextPage endCursor } nodes { ...CommentFields } }
          }
        }
      }
    }
  }
}
"""
    + COMMENT_FIELDS
)

# Follow-ups for the rare discussion or thread longer than a page: 1 point each.
MORE_COMMENTS_QUERY = (
    """
query ForumMoreComments($id: ID!, $after: String) {
  rateLimit { cost remaining resetAt }
  node(id: $id) {
    ... on Discussion {
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          ...CommentFields
          replies(first: 10) { pageInfo { hasNextPage endCursor } nodes { ...CommentFields } }
        }
      }
    }
  }
}
"""
    + COMMENT_FIELDS
)

MORE_REPLIES_QUERY = (
    """
query ForumMoreReplies($id: ID!, $after: String) {
  rateLimit { cost remaining resetAt }
  node(id: $id) {
    ... on DiscussionComment {
      replies(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { ...CommentFields }
      }
    }
  }
}
"""
    + COMMENT_FIELDS
)

QUERIES = (DISCUSSIONS_QUERY, MORE_COMMENTS_QUERY, MORE_REPLIES_QUERY)

# Deleted accounts: GraphQL gives no author, REST and the web show "ghost".
GHOST = "ghost"


# The objects that leave this module --------------------------------------------------------


@dataclass(frozen=True)
class DiscussionComment:
    """A comment on a discussion, or a reply to one (GitHub threads one level deep)."""

    id: str
    url: str
    author: str | None  # None: the account was deleted
    body: str
    created_at: datetime
    updated_at: datetime
    last_edited_at: datetime | None
    deleted_at: datetime | None  # a deleted comment kept because it has replies
    is_minimized: bool
    minimized_reason: str | None  # lower case, e.g. off-topic
    reply_to: str | None
    replies: tuple[DiscussionComment, ...] = ()

    def moments(self) -> Iterator[datetime]:
        """Every timestamp GitHub gives for this comment and its replies."""
        for moment in (self.created_at, self.updated_at, self.last_edited_at, self.deleted_at):
            if moment is not None:
                yield moment
        for reply in self.replies:
            yield from reply.moments()


@dataclass(frozen=True)
class Discussion:
    """A discussion with all its comments and their replies."""

    id: str
    number: int
    url: str
    title: str
    body: str
    author: str | None
    category_slug: str
    category_name: str
    created_at: datetime
    updated_at: datetime
    last_edited_at: datetime | None
    comments: tuple[DiscussionComment, ...] = ()

    def posts(self) -> Iterator[DiscussionComment]:
        """Comments and replies, each comment followed by its replies."""
        for comment in self.comments:
            yield comment
            yield from comment.replies

    def newest_moment(self) -> datetime:
        """The latest timestamp of the discussion or any of its comments."""
        moments = [self.updated_at, self.last_edited_at or self.updated_at]
        moments += [m for comment in self.comments for m in comment.moments()]
        return max(moments)


@dataclass
class Fetched:
    """The discussions a sync read, and how far it saw."""

    repository_url: str
    discussions: list[Discussion]
    complete: bool  # every discussion of the repository was read (a full sync)
    newest: datetime | None  # the latest GitHub timestamp seen, where the next sync starts


# Reading discussions --------------------------------------------------------------------


Progress = Callable[[int, int], None]


def fetch_discussions(
    client: GitHubClient, since: datetime | None, progress: Progress | None = None
) -> Fetched:
    """Every discussion (since=None), or those that changed since `since`, each complete.

    A full read goes oldest first, so that a discussion opened meanwhile lands on a later
    page instead of shifting the pages. An incremental read goes by `updatedAt`, newest
    first, and stops at the first page older than `since`; because GitHub does not say
    which changes move a discussion's `updatedAt`, a discussion on those pages also counts
    as changed when any comment's own timestamps are newer than `since`.
    """
    full = since is None
    variables: dict[str, Any] = {
        "owner": client.owner,
        "name": client.name,
        "first": FULL_PAGE if full else INCREMENTAL_PAGE,
        "after": None,
        "order": "CREATED_AT" if full else "UPDATED_AT",
        "direction": "ASC" if full else "DESC",
    }
    found: list[Discussion] = []
    newest: datetime | None = None
    seen = 0
    while True:
        data = client.graphql(DISCUSSIONS_QUERY, variables)
        repository = data.get("repository")
        if repository is None:
            raise GitHubError(f"repository {client.repository} not found or not readable with this token")
        page = repository["discussions"]
        for node in page["nodes"]:
            discussion = _discussion(node)
            newest = max(newest or discussion.newest_moment(), discussion.newest_moment())
            if full or _changed_since(discussion, since):
                found.append(_complete(client, discussion, node))
        seen += len(page["nodes"])
        if progress is not None:
            progress(seen, page["totalCount"])
        older = not full and page["nodes"] and parse_timestamp(page["nodes"][-1]["updatedAt"]) < since
        if not page["pageInfo"]["hasNextPage"] or older:
            return Fetched(repository["url"], found, complete=full, newest=newest)
        variables["after"] = page["pageInfo"]["endCursor"]


def _changed_since(discussion: Discussion, since: datetime | None) -> bool:
    return since is None or discussion.newest_moment() >= since


def _complete(client: GitHubClient, discussion: Discussion, node: dict[str, Any]) -> Discussion:
    """The discussion with every comment and reply, following pages past the first."""
    comment_nodes = list(node["comments"]["nodes"])
    info = node["comments"]["pageInfo"]
    while info["hasNextPage"]:
        data = client.graphql(MORE_COMMENTS_QUERY, {"id": discussion.id, "after": info["endCursor"]})
        more = data["node"]["comments"]
        comment_nodes += more["nodes"]
        info = more["pageInfo"]
    comments = tuple(_comment(c, _all_replies(client, c)) for c in comment_nodes)
    return _replace_comments(discussion, comments)


def _all_replies(client: GitHubClient, node: dict[str, Any]) -> list[dict[str, Any]]:
    replies = list(node["replies"]["nodes"])
    info = node["replies"]["pageInfo"]
    while info["hasNextPage"]:
        data = client.graphql(MORE_REPLIES_QUERY, {"id": node["id"], "after": info["endCursor"]})
        more = data["node"]["replies"]
        replies += more["nodes"]
        info = more["pageInfo"]
    return replies


def _replace_comments(discussion: Discussion, comments: tuple[DiscussionComment, ...]) -> Discussion:
    fields = {name: getattr(discussion, name) for name in discussion.__dataclass_fields__}
    return Discussion(**{**fields, "comments": comments})


def _discussion(node: dict[str, Any]) -> Discussion:
    """A discussion from its JSON, with the comments of its first page."""
    comments = tuple(_comment(c, c["replies"]["nodes"]) for c in node["comments"]["nodes"])
    return Discussion(
        id=node["id"],
        number=int(node["number"]),
        url=node["url"],
        title=node["title"],
        body=node["body"] or "",
        author=_login(node.get("author")),
        category_slug=node["category"]["slug"],
        category_name=node["category"]["name"],
        created_at=parse_timestamp(node["createdAt"]),
        updated_at=parse_timestamp(node["updatedAt"]),
        last_edited_at=_optional(node.get("lastEditedAt")),
        comments=comments,
    )


def _comment(node: dict[str, Any], replies: list[dict[str, Any]]) -> DiscussionComment:
    return DiscussionComment(
        id=node["id"],
        url=node["url"],
        author=_login(node.get("author")),
        body=node["body"] or "",
        created_at=parse_timestamp(node["createdAt"]),
        updated_at=parse_timestamp(node["updatedAt"]),
        last_edited_at=_optional(node.get("lastEditedAt")),
        deleted_at=_optional(node.get("deletedAt")),
        is_minimized=bool(node.get("isMinimized")),
        minimized_reason=(node.get("minimizedReason") or "").lower() or None,
        reply_to=(node.get("replyTo") or {}).get("id"),
        replies=tuple(_comment(r, []) for r in replies),
    )


def _login(author: dict[str, Any] | None) -> str | None:
    login = (author or {}).get("login")
    return None if not login or login == GHOST else login


def _optional(text: str | None) -> datetime | None:
    return parse_timestamp(text) if text else None

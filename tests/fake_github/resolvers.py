"""Field resolvers that serve GitHub's GraphQL schema from the in-memory store.

Most fields need no resolver: :func:`default_resolver` reads the snake_case
attribute of the same name (``lastEditedAt`` -> ``last_edited_at``).  The table
:data:`RESOLVERS` covers connections, lookups and mutations.  A field that is in
the schema but that the fake cannot serve fails loudly with ``NOT_IMPLEMENTED``
instead of returning a plausible-looking null.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from graphql import GraphQLResolveInfo

from .models import (
    Discussion,
    DiscussionCategory,
    DiscussionComment,
    Repository,
    User,
    iso,
)
from .store import Store

Resolver = Callable[..., Any]


class GitHubError(Exception):
    """An error GitHub reports with a ``type`` (``NOT_FOUND``, ``UNPROCESSABLE``, ...)."""

    def __init__(self, type_: str, message: str) -> None:
        super().__init__(message)
        self.type = type_


def not_found_node(global_id: str) -> GitHubError:
    return GitHubError("NOT_FOUND", f"Could not resolve to a node with the global id of '{global_id}'")


def store_of(info: GraphQLResolveInfo) -> Store:
    return info.context.store


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def default_resolver(source: Any, info: GraphQLResolveInfo, **_args: Any) -> Any:
    """Serve a field from a dict key or the matching snake_case attribute."""
    resolver = RESOLVERS.get((info.parent_type.name, info.field_name))
    if resolver is not None:
        return resolver(source, info, **_args)
    if isinstance(source, dict):
        if info.field_name not in source:
            raise _not_implemented(info)
        value = source[info.field_name]
    else:
        attribute = _snake(info.field_name)
        if not hasattr(source, attribute):
            raise _not_implemented(info)
        value = getattr(source, attribute)
    # GitHub's DateTime scalar is an ISO-8601 string; the schema's scalar has no serializer.
    return iso(value) if isinstance(value, datetime) else value


def _not_implemented(info: GraphQLResolveInfo) -> GitHubError:
    return GitHubError(
        "NOT_IMPLEMENTED",
        f"The fake GitHub does not implement {info.parent_type.name}.{info.field_name}",
    )


def type_resolver(value: Any, _info: GraphQLResolveInfo, _abstract: Any) -> str:
    """Name the concrete GraphQL type behind an interface (Node, Actor, Minimizable...)."""
    if isinstance(value, User):
        return value.kind
    return type(value).__name__


# -- connections -------------------------------------------------------------------


def _cursor(key: Sequence[Any]) -> str:
    return base64.b64encode(f"cursor:v2:{json.dumps(list(key))}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[Any, ...]:
    try:
        text = base64.b64decode(cursor, validate=True).decode()
        if text.startswith("cursor:v2:"):
            return tuple(json.loads(text.removeprefix("cursor:v2:")))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise GitHubError("INVALID_CURSOR_ARGUMENTS", f"`{cursor}` does not appear to be a valid cursor.")


def connection(
    items: Sequence[Any],
    key: Callable[[Any], tuple[Any, ...]],
    *,
    descending: bool = False,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> dict[str, Any]:
    """Page through ``items`` (already in order) the way GitHub's connections do.

    Cursors encode the sort key rather than a position, so a page boundary stays
    put when items are inserted or deleted between two requests, as on GitHub.
    """

    def precedes(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
        return a > b if descending else a < b

    keys = [tuple(key(item)) for item in items]
    lo, hi = 0, len(items)
    if after is not None:
        mark = _decode_cursor(after)
        lo = next((i for i, k in enumerate(keys) if precedes(mark, k)), len(items))
    if before is not None:
        mark = _decode_cursor(before)
        hi = next((i for i, k in enumerate(keys) if not precedes(k, mark)), len(items))
    hi = max(lo, hi)
    if first is not None:
        hi = min(hi, lo + max(first, 0))
    if last is not None:
        lo = max(lo, hi - max(last, 0))
    if first is None and last is None:
        # Only totalCount was asked for (anything else is refused before execution).
        lo = hi
    window = list(items[lo:hi])
    cursors = [_cursor(k) for k in keys[lo:hi]]
    return {
        "totalCount": len(items),
        "nodes": window,
        "edges": [{"cursor": c, "node": n} for c, n in zip(cursors, window, strict=True)],
        "pageInfo": {
            "hasNextPage": hi < len(items),
            "hasPreviousPage": lo > 0,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }


def _paging(args: dict[str, Any]) -> dict[str, Any]:
    return {k: args.get(k) for k in ("first", "after", "last", "before")}


def _comment_key(comment: DiscussionComment) -> tuple[Any, ...]:
    return (iso(comment.created_at), comment.database_id)


def discussions(repo: Repository, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    order = args.get("orderBy") or {"field": "UPDATED_AT", "direction": "DESC"}
    attribute = "created_at" if order["field"] == "CREATED_AT" else "updated_at"
    items = list(repo.discussions)
    if args.get("categoryId") is not None:
        category = store_of(info).node(args["categoryId"])
        if not isinstance(category, DiscussionCategory) or category.repository is not repo:
            raise not_found_node(args["categoryId"])
        items = [d for d in items if d.category is category]

    def key(d: Discussion) -> tuple[Any, ...]:
        return (iso(getattr(d, attribute)), d.number)

    descending = order["direction"] == "DESC"
    items.sort(key=key, reverse=descending)
    return connection(items, key, descending=descending, **_paging(args))


def categories(repo: Repository, _info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    position = {c.id: i for i, c in enumerate(repo.categories)}
    return connection(repo.categories, lambda c: (position[c.id],), **_paging(args))


def comments(discussion: Discussion, _info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    ordered = sorted(discussion.comments, key=_comment_key)
    return connection(ordered, _comment_key, **_paging(args))


def replies(comment: DiscussionComment, _info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    ordered = sorted(comment.replies, key=_comment_key)
    return connection(ordered, _comment_key, **_paging(args))


# -- lookups -----------------------------------------------------------------------


def repository(_root: Any, info: GraphQLResolveInfo, owner: str, name: str, **_: Any) -> Repository:
    found = store_of(info).repository(f"{owner}/{name}")
    if found is None:
        raise GitHubError("NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'.")
    return found


def node(_root: Any, info: GraphQLResolveInfo, id: str) -> Any:
    found = store_of(info).node(id)
    if found is None:
        raise not_found_node(id)
    return found


def nodes(_root: Any, info: GraphQLResolveInfo, ids: list[str]) -> list[Any]:
    # An exception as a list item becomes null at that index plus one error, like GitHub.
    return [store_of(info).node(i) or not_found_node(i) for i in ids]


def discussion_by_number(repo: Repository, info: GraphQLResolveInfo, number: int) -> Discussion:
    found = store_of(info).discussion(number, repo)
    if found is None:
        raise GitHubError("NOT_FOUND", f"Could not resolve to a Discussion with the number of {number}.")
    return found


def category_by_slug(repo: Repository, _info: GraphQLResolveInfo, slug: str) -> DiscussionCategory | None:
    return next((c for c in repo.categories if c.slug == slug), None)


def rate_limit(_root: Any, info: GraphQLResolveInfo, dryRun: bool = False) -> dict[str, Any]:
    budget, analysis = info.context.budget, info.context.analysis
    return {
        "cost": analysis.cost,
        "limit": budget.limit,
        "remaining": budget.remaining,
        "used": budget.used,
        "resetAt": iso(datetime.fromtimestamp(budget.reset_at, UTC)),
        "nodeCount": analysis.node_count,
    }


def _typed(info: GraphQLResolveInfo, global_id: str | None, kind: type) -> Any:
    found = store_of(info).node(global_id) if global_id else None
    if not isinstance(found, kind):
        raise not_found_node(str(global_id))
    return found


def _writable(repo: Repository) -> None:
    """GitHub refuses every write in an archived repository, and discussions where they are off."""
    if repo.archived:
        raise GitHubError("UNPROCESSABLE", "Repository was archived so is read-only.")
    if not repo.has_discussions:
        raise GitHubError("UNPROCESSABLE", "Discussions are disabled for this repository.")


def _require_body(body: str | None) -> str:
    if not body or not body.strip():
        raise GitHubError("UNPROCESSABLE", "Body can't be blank")
    return body


# -- mutations (all performed as the viewer, who is taken to be a maintainer) -------


def create_discussion(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    store = store_of(info)
    repo = _typed(info, input["repositoryId"], Repository)
    category = _typed(info, input["categoryId"], DiscussionCategory)
    if category.repository is not repo:
        raise not_found_node(input["categoryId"])
    _writable(repo)
    created = store.add_discussion(
        input["title"],
        _require_body(input["body"]),
        author=store.viewer.login,
        category=category,
        repo=repo,
    )
    return {"clientMutationId": input.get("clientMutationId"), "discussion": created}


def add_comment(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    store = store_of(info)
    discussion = _typed(info, input["discussionId"], Discussion)
    parent = _typed(info, input["replyToId"], DiscussionComment) if input.get("replyToId") else None
    if parent is not None and parent.discussion is not discussion:
        raise not_found_node(input["replyToId"])
    _writable(discussion.repository)
    try:
        created = store.add_comment(
            discussion, store.viewer.login, _require_body(input["body"]), reply_to=parent
        )
    except ValueError as error:
        raise GitHubError("UNPROCESSABLE", str(error)) from error
    return {"clientMutationId": input.get("clientMutationId"), "comment": created}


def update_comment(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    comment = _typed(info, input["commentId"], DiscussionComment)
    _writable(comment.discussion.repository)
    store_of(info).edit_comment(comment, _require_body(input["body"]))
    return {"clientMutationId": input.get("clientMutationId"), "comment": comment}


def update_discussion(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    discussion = _typed(info, input["discussionId"], Discussion)
    category = _typed(info, input["categoryId"], DiscussionCategory) if input.get("categoryId") else None
    store_of(info).edit_discussion(
        discussion, title=input.get("title"), body=input.get("body"), category=category
    )
    return {"clientMutationId": input.get("clientMutationId"), "discussion": discussion}


def delete_comment(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    comment = _typed(info, input["id"], DiscussionComment)
    _writable(comment.discussion.repository)
    store_of(info).delete_comment(comment)
    return {"clientMutationId": input.get("clientMutationId"), "comment": comment}


def delete_discussion(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    discussion = _typed(info, input["id"], Discussion)
    store_of(info).delete_discussion(discussion)
    return {"clientMutationId": input.get("clientMutationId"), "discussion": discussion}


def minimize(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    comment = _typed(info, input["subjectId"], DiscussionComment)
    store_of(info).minimize_comment(comment, input["classifier"])
    return {"clientMutationId": input.get("clientMutationId"), "minimizedComment": comment}


def unminimize(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
    comment = _typed(info, input["subjectId"], DiscussionComment)
    store_of(info).unminimize_comment(comment)
    return {"clientMutationId": input.get("clientMutationId"), "unminimizedComment": comment}


RESOLVERS: dict[tuple[str, str], Resolver] = {
    ("Query", "repository"): repository,
    ("Query", "node"): node,
    ("Query", "nodes"): nodes,
    ("Query", "viewer"): lambda _root, info: store_of(info).viewer,
    ("Query", "rateLimit"): rate_limit,
    ("Repository", "discussions"): discussions,
    ("Repository", "discussionCategories"): categories,
    ("Repository", "discussion"): discussion_by_number,
    ("Repository", "discussionCategory"): category_by_slug,
    ("Repository", "owner"): lambda repo, info: store_of(info).user(repo.owner),
    ("Repository", "defaultBranchRef"): lambda repo, _info: {
        "name": repo.default_branch,
        "prefix": "refs/heads/",
    },
    ("Repository", "hasDiscussionsEnabled"): lambda repo, _info: repo.has_discussions,
    ("Repository", "isArchived"): lambda repo, _info: repo.archived,
    ("Repository", "isPrivate"): lambda repo, _info: repo.private,
    ("Discussion", "comments"): comments,
    ("DiscussionComment", "replies"): replies,
    ("DiscussionComment", "isAnswer"): lambda _comment, _info: False,
    ("Mutation", "createDiscussion"): create_discussion,
    ("Mutation", "updateDiscussion"): update_discussion,
    ("Mutation", "addDiscussionComment"): add_comment,
    ("Mutation", "updateDiscussionComment"): update_comment,
    ("Mutation", "deleteDiscussionComment"): delete_comment,
    ("Mutation", "deleteDiscussion"): delete_discussion,
    ("Mutation", "minimizeComment"): minimize,
    ("Mutation", "unminimizeComment"): unminimize,
}

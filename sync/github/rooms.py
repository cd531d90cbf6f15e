"""A guest's room on GitHub: a private repository of its own, with one discussion.

GitHub lets whoever can comment in a repository's discussions read all of it, so a guest
never joins the forum's repository: `create_room` makes a private repository (REST
`POST /orgs/{org}/repos`, or `/user/repos` for the token's own account), switches its
Discussions on (`PATCH /repos/{owner}/{repo}`), and invites the guest there alone, with
read access, which is enough to write in discussions. `close_room` removes the guest and
archives the repository (read-only, kept like the rest of the archive).

Copies between a room and its topic are comments of the forum's account that end with a
marker naming the original (`mirror_marker`), so a copy is recognised on GitHub itself.
"""

from __future__ import annotations

from sync.github.access import forum_account
from sync.github.client import GitHubClient, GitHubError
from sync.model.mirrors import marked_original

ROOM_PERMISSION = "pull"  # read: a collaborator with read access writes in discussions
ROOM_CATEGORY = "general"  # GitHub's default category of a new repository's Discussions

ROOM_TARGET_QUERY = """
query ForumRoomTarget($owner: String!, $name: String!) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    id
    discussionCategories(first: 25) { nodes { id slug } }
  }
}
"""

OPEN_ROOM_DISCUSSION_MUTATION = """
mutation ForumOpenRoom($repositoryId: ID!, $categoryId: ID!, $title: String!, $body: String!) {
  createDiscussion(
    input: {repositoryId: $repositoryId, categoryId: $categoryId, title: $title, body: $body}
  ) {
    discussion { id url }
  }
}
"""

ADD_COPY_MUTATION = """
mutation ForumMirrorComment($discussionId: ID!, $body: String!, $replyToId: ID) {
  addDiscussionComment(input: {discussionId: $discussionId, body: $body, replyToId: $replyToId}) {
    comment { id url }
  }
}
"""

UPDATE_COPY_MUTATION = """
mutation ForumMirrorEdit($id: ID!, $body: String!) {
  updateDiscussionComment(input: {commentId: $id, body: $body}) { comment { id } }
}
"""

DELETE_COPY_MUTATION = """
mutation ForumMirrorDelete($id: ID!) {
  deleteDiscussionComment(input: {id: $id}) { comment { id } }
}
"""

UPDATE_OPENING_MUTATION = """
mutation ForumRoomOpening($id: ID!, $body: String!) {
  updateDiscussion(input: {discussionId: $id, body: $body}) { discussion { id } }
}
"""

COPY_QUERY = """
query ForumCopy($id: ID!) {
  rateLimit { cost remaining resetAt }
  node(id: $id) { ... on DiscussionComment { id body } }
}
"""

QUERIES = (
    ROOM_TARGET_QUERY,
    COPY_QUERY,
    UPDATE_OPENING_MUTATION,
    OPEN_ROOM_DISCUSSION_MUTATION,
    ADD_COPY_MUTATION,
    UPDATE_COPY_MUTATION,
    DELETE_COPY_MUTATION,
)


def copy_original(client: GitHubClient, comment: str) -> str | None:
    """The original a comment on GitHub says it copies (its closing marker), if it is there."""
    try:
        node = client.graphql(COPY_QUERY, {"id": comment}).get("node") or {}
    except GitHubError as error:
        if "could not resolve to a node" in str(error).lower():
            return None
        raise
    return marked_original(str(node.get("body") or ""))


def create_room(client: GitHubClient, repository: str, guest: str, description: str) -> str:
    """Make the private repository with Discussions on and invite the guest alone; its url."""
    owner, _, name = repository.partition("/")
    own = forum_account(client).lower() == owner.lower()

    def make() -> object:
        if own:
            return client.github.get_user().create_repo(name, description=description, private=True)
        organization = client.github.get_organization(owner)
        return organization.create_repo(name, description=description, private=True)

    try:
        created = client.call(f"create the room {repository}", make)
    except GitHubError as error:
        if "already exists" in str(error).lower():
            raise GitHubError(
                f"the room {repository} already exists on GitHub; archive or rename it, or choose another "
                "rooms.name in content/access.yml"
            ) from None
        raise
    client.call(f"turn on Discussions in {repository}", lambda: created.edit(has_discussions=True))  # type: ignore[attr-defined]
    client.call(
        f"invite @{guest} to {repository}",
        lambda: created.add_to_collaborators(guest, ROOM_PERMISSION),  # type: ignore[attr-defined]
    )
    return str(created.html_url)  # type: ignore[attr-defined]


def open_room_discussion(client: GitHubClient, repository: str, title: str, body: str) -> tuple[str, str]:
    """The room's one discussion, in its General category: (node id, url)."""
    owner, _, name = repository.partition("/")
    target = client.graphql(ROOM_TARGET_QUERY, {"owner": owner, "name": name}).get("repository")
    if not target:
        raise GitHubError(f"the room {repository} cannot be read with this token")
    categories = target["discussionCategories"]["nodes"]
    if not categories:
        raise GitHubError(f"the room {repository} has no Discussions category")
    category = next((c for c in categories if c["slug"] == ROOM_CATEGORY), categories[0])
    answer = client.graphql(
        OPEN_ROOM_DISCUSSION_MUTATION,
        {"repositoryId": target["id"], "categoryId": category["id"], "title": title, "body": body},
    )
    discussion = answer["createDiscussion"]["discussion"]
    return discussion["id"], discussion["url"]


def add_copy(client: GitHubClient, discussion: str, body: str, reply_to: str | None) -> str:
    """Post a copy as a comment (or a reply in a thread); its node id."""
    answer = client.graphql(
        ADD_COPY_MUTATION, {"discussionId": discussion, "body": body, "replyToId": reply_to}
    )
    return str(answer["addDiscussionComment"]["comment"]["id"])


def update_opening(client: GitHubClient, discussion: str, body: str) -> None:
    """Rewrite the room discussion's opening post after the topic's was edited."""
    client.graphql(UPDATE_OPENING_MUTATION, {"id": discussion, "body": body})


def update_copy(client: GitHubClient, comment: str, body: str) -> None:
    """Rewrite a copy after its original was edited."""
    client.graphql(UPDATE_COPY_MUTATION, {"id": comment, "body": body})


def delete_copy(client: GitHubClient, comment: str) -> bool:
    """Delete a copy; False when it was already gone (or its room is archived, read-only)."""
    try:
        client.graphql(DELETE_COPY_MUTATION, {"id": comment})
    except GitHubError as error:
        text = str(error).lower()
        if "could not resolve to a node" in text or "archived" in text:
            return False
        raise
    return True


def close_room(client: GitHubClient, repository: str, guest: str) -> str:
    """Remove the guest (and any pending invitation) and archive the room; what was done."""
    try:
        room = client.call(f"read the room {repository}", lambda: client.github.get_repo(repository))
    except GitHubError as error:
        if "not found" not in str(error).lower():
            raise
        return f"room {repository} not found on GitHub; nothing to close"
    client.call(f"remove @{guest} from {repository}", lambda: room.remove_from_collaborators(guest))
    invitations = client.call(
        f"list invitations of {repository}", lambda: list(room.get_pending_invitations())
    )
    for invitation in invitations:
        if invitation.invitee is not None and invitation.invitee.login.lower() == guest.lower():
            client.call(
                f"cancel @{guest}'s invitation", lambda i=invitation: room.remove_invitation(int(i.id))
            )
    client.call(f"archive {repository}", lambda: room.edit(archived=True))
    return f"closed room {repository}: @{guest} removed, repository archived"


def room_is_archived(client: GitHubClient, repository: str) -> bool | None:
    """Whether GitHub has archived the room; None when it is not there (any more)."""
    try:
        room = client.call(f"read the room {repository}", lambda: client.github.get_repo(repository))
    except GitHubError as error:
        if "not found" not in str(error).lower():
            raise
        return None
    return bool(room.archived)

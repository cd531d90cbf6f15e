"""Who has access to the forum's repository on GitHub, and carrying out an access plan.

Two set-ups, as `content/access.yml` says: repository collaborators with their pending
invitations (REST `/repos/{owner}/{repo}/collaborators`, `/invitations`), or the members of
an organization team with its pending invitations (`/orgs/{org}/teams/{slug}/...`). Every
call goes through `GitHubClient.call`, with its retries; GitHub's dicts end here.
"""

from __future__ import annotations

from typing import Any

from sync.github.client import GitHubClient, GitHubError
from sync.model.access import AccessPlan, AccessSettings, CurrentAccess

VIEWER_QUERY = """
query ForumAccount {
  rateLimit { cost remaining resetAt }
  viewer { login }
}
"""


def forum_account(client: GitHubClient) -> str:
    """The login of the token's account: the forum's own, never removed by a plan.

    Asked with GraphQL's `viewer`, which answers for a GitHub App's installation token too
    (REST `GET /user` does not)."""
    data = client.graphql(VIEWER_QUERY, {})
    login = (data.get("viewer") or {}).get("login")
    if not login:
        raise GitHubError("GitHub did not say which account the token belongs to")
    return str(login)


def read_access(client: GitHubClient, settings: AccessSettings) -> CurrentAccess:
    """Members and pending invitations, as GitHub has them now."""
    if settings.uses_team:
        return _read_team(client, settings)
    repository = client.call("read the repository", lambda: client.github.get_repo(client.repository))
    collaborators = client.call("list collaborators", lambda: list(repository.get_collaborators()))
    invitations = client.call("list invitations", lambda: list(repository.get_pending_invitations()))
    members = frozenset(user.login.lower() for user in collaborators)
    admins = frozenset(
        user.login.lower()
        for user in collaborators
        if user.permissions is not None and (user.permissions.admin or user.permissions.maintain)
    )
    pending = {i.invitee.login.lower(): int(i.id) for i in invitations if i.invitee is not None}
    return CurrentAccess(members, pending, admins)


def _team_path(settings: AccessSettings) -> str:
    return f"/orgs/{settings.team_organization}/teams/{settings.team_slug}"


def _read_team(client: GitHubClient, settings: AccessSettings) -> CurrentAccess:
    path = _team_path(settings)
    members = _paged(client, f"{path}/members", "list the team's members")
    invitations = _paged(client, f"{path}/invitations", "list the team's invitations")
    logins = frozenset(str(m["login"]).lower() for m in members)
    pending = {str(i["login"]).lower(): int(i["id"]) for i in invitations if i.get("login")}
    return CurrentAccess(logins, pending)


def _paged(client: GitHubClient, path: str, what: str) -> list[dict[str, Any]]:
    """Every item of a REST list, page by page (100 a page)."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        url = f"{path}?per_page=100&page={page}"
        _, data = client.call(what, lambda url=url: client.github.requester.requestJsonAndCheck("GET", url))
        if not isinstance(data, list):
            raise GitHubError(f"{what}: GitHub answered something other than a list")
        items += [item for item in data if isinstance(item, dict)]
        if len(data) < 100:
            return items
        page += 1


def apply_access(client: GitHubClient, settings: AccessSettings, plan: AccessPlan) -> list[str]:
    """Invite, remove and cancel as planned; the lines say what was done."""
    done: list[str] = []
    if settings.uses_team:
        path = _team_path(settings)
        request = client.github.requester.requestJsonAndCheck
        for login in plan.invite:
            client.call(
                f"add @{login} to the team", lambda login=login: request("PUT", f"{path}/memberships/{login}")
            )
            done.append(f"invited @{login} to the team {settings.team_slug}")
        for login in [*plan.remove, *(login for login, _ in plan.cancel)]:
            client.call(
                f"remove @{login} from the team",
                lambda login=login: request("DELETE", f"{path}/memberships/{login}"),
            )
            done.append(f"removed @{login} from the team {settings.team_slug}")
        return done
    repository = client.call("read the repository", lambda: client.github.get_repo(client.repository))
    for login in plan.invite:
        invitation = client.call(
            f"invite @{login}",
            lambda login=login: repository.add_to_collaborators(
                login, plan.permissions.get(login, settings.permission)
            ),
        )
        done.append(f"invited @{login}" if invitation is not None else f"@{login} already had access")
    for login in plan.remove:
        client.call(f"remove @{login}", lambda login=login: repository.remove_from_collaborators(login))
        done.append(f"removed @{login}")
    for login, number in plan.cancel:
        client.call(
            f"cancel @{login}'s invitation", lambda number=number: repository.remove_invitation(number)
        )
        done.append(f"cancelled the invitation of @{login}")
    return done

"""REST routes for access: collaborators, invitations, teams, repository creation and settings.

Shapes and status codes follow GitHub's REST documentation ("Collaborators",
"Repository invitations", "Teams / Members", "Repositories"): adding a collaborator
answers 201 with the invitation, or 204 when the person already collaborates; removing one,
or cancelling an invitation, 204; a team membership 200 with its `state`, `active` for a
member of the organization and `pending` for someone invited to join it; creating a
repository 201, or 422 when the name is taken; a write to an archived repository 403.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .models import Repository, RepositoryInvitation, Team, iso
from .rest_api import RestReply, error, not_found

if TYPE_CHECKING:
    from .rest_api import RestAPI

#: What PUT's `permission` shows as in an invitation and a collaborator's `role_name`.
ROLE_NAMES = {"pull": "read", "triage": "triage", "push": "write", "maintain": "maintain", "admin": "admin"}
_LEVELS = ("pull", "triage", "push", "maintain", "admin")


def routes(api: RestAPI) -> list[tuple[str, re.Pattern[str], Callable[..., RestReply]]]:
    """The access routes, for `RestAPI.routes`."""
    handlers = AccessRoutes(api)
    repo = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
    team = r"/orgs/(?P<org>[^/]+)/teams/(?P<slug>[^/]+)"
    return [
        ("PATCH", re.compile(repo), handlers.update_repo),
        ("GET", re.compile(repo + r"/collaborators"), handlers.list_collaborators),
        ("GET", re.compile(repo + r"/collaborators/(?P<user>[^/]+)"), handlers.check_collaborator),
        ("PUT", re.compile(repo + r"/collaborators/(?P<user>[^/]+)"), handlers.add_collaborator),
        ("DELETE", re.compile(repo + r"/collaborators/(?P<user>[^/]+)"), handlers.remove_collaborator),
        ("GET", re.compile(repo + r"/invitations"), handlers.list_invitations),
        ("DELETE", re.compile(repo + r"/invitations/(?P<number>\d+)"), handlers.cancel_invitation),
        ("GET", re.compile(r"/orgs/(?P<org>[^/]+)"), handlers.get_org),
        ("POST", re.compile(r"/orgs/(?P<org>[^/]+)/repos"), handlers.create_org_repo),
        ("POST", re.compile(r"/user/repos"), handlers.create_user_repo),
        ("GET", re.compile(team), handlers.get_team),
        ("GET", re.compile(team + r"/members"), handlers.team_members),
        ("GET", re.compile(team + r"/invitations"), handlers.team_invitations),
        ("PUT", re.compile(team + r"/memberships/(?P<user>[^/]+)"), handlers.add_membership),
        ("DELETE", re.compile(team + r"/memberships/(?P<user>[^/]+)"), handlers.remove_membership),
    ]


class AccessRoutes:
    """Handlers over the store, sharing the REST API's JSON shapes and paging."""

    def __init__(self, api: RestAPI) -> None:
        self.api = api
        self.store = api.store

    # -- JSON ----------------------------------------------------------------------------

    def collaborator_json(self, login: str, permission: str) -> dict[str, Any]:
        level = _LEVELS.index(permission)
        flags = {name: level >= _LEVELS.index(name) for name in _LEVELS}
        permissions = {"admin": flags["admin"], "maintain": flags["maintain"], "push": flags["push"],
                       "triage": flags["triage"], "pull": True}  # fmt: skip
        user = self.api.user_json(self.store.user(login))
        return {**user, "permissions": permissions, "role_name": ROLE_NAMES[permission]}

    def invitation_json(self, repo: Repository, invitation: RepositoryInvitation) -> dict[str, Any]:
        base = f"{self.api.api_url}/repos/{repo.name_with_owner}"
        return {
            "id": invitation.id,
            "node_id": invitation.node_id,
            "repository": self.api.repo_json(repo),
            "invitee": self.api.user_json(invitation.invitee),
            "inviter": self.api.user_json(invitation.inviter),
            "permissions": ROLE_NAMES[invitation.permission],
            "created_at": iso(invitation.created_at),
            "expired": False,
            "url": f"{base}/invitations/{invitation.id}",
            "html_url": f"{repo.url}/invitations",
        }

    def team_json(self, team: Team) -> dict[str, Any]:
        url = f"{self.api.api_url}/orgs/{team.organization}/teams/{team.slug}"
        return {
            "id": team.database_id,
            "node_id": team.id,
            "url": url,
            "html_url": f"{self.store.web_url}/orgs/{team.organization}/teams/{team.slug}",
            "name": team.slug,
            "slug": team.slug,
            "description": None,
            "privacy": "closed",
            "permission": "push",
            "members_url": url + "/members{/member}",
            "repositories_url": url + "/repos",
            "parent": None,
        }

    # -- repositories ------------------------------------------------------------------------

    def update_repo(self, repo: Repository, body: Any, **_: Any) -> RestReply:
        body = body or {}
        if repo.archived and body.get("archived") is not False:
            return error(403, "Repository was archived so is read-only.")
        for name in ("archived", "has_discussions", "private"):
            if isinstance(body.get(name), bool):
                setattr(repo, name, body[name])
        if isinstance(body.get("description"), str):
            repo.description = body["description"]
        return RestReply(200, self.api.repo_json(repo))

    def _create_repo(self, owner: str, body: Any) -> RestReply:
        body = body or {}
        name = str(body.get("name") or "")
        if not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", name):
            return error(422, "Repository creation failed.", errors=[
                {"resource": "Repository", "code": "custom", "field": "name", "message": "name is invalid"}])  # fmt: skip
        if self.store.repository(f"{owner}/{name}") is not None:
            return error(422, "Repository creation failed.", errors=[
                {"resource": "Repository", "code": "custom", "field": "name",
                 "message": "name already exists on this account"}])  # fmt: skip
        repo = self.store.add_repository(owner, name)
        repo.private = bool(body.get("private", False))
        repo.has_discussions = bool(body.get("has_discussions", False))
        repo.description = str(body.get("description") or "")
        data = self.api.repo_json(repo)
        return RestReply(201, data, {"Location": data["url"]})

    def create_user_repo(self, body: Any, **_: Any) -> RestReply:
        return self._create_repo(self.store.viewer.login, body)

    def create_org_repo(self, org: str, body: Any, **_: Any) -> RestReply:
        if org not in self.store.organizations:
            return not_found()
        return self._create_repo(org, body)

    def get_org(self, org: str, **_: Any) -> RestReply:
        if org not in self.store.organizations:
            return not_found()
        user = self.store.user(org)
        url = f"{self.api.api_url}/orgs/{org}"
        return RestReply(200, {"login": org, "id": user.database_id, "node_id": user.id, "url": url,
                               "repos_url": url + "/repos", "html_url": user.url, "type": "Organization"})  # fmt: skip

    # -- collaborators and invitations ----------------------------------------------------

    def list_collaborators(self, repo: Repository, query: dict[str, str], **_: Any) -> RestReply:
        items = [self.collaborator_json(login, level) for login, level in sorted(repo.collaborators.items())]
        return self.api._page(f"/repos/{repo.name_with_owner}/collaborators", query, items)

    def check_collaborator(self, repo: Repository, user: str, **_: Any) -> RestReply:
        found = any(login.lower() == user.lower() for login in repo.collaborators)
        return RestReply(204, None) if found else not_found()

    def add_collaborator(self, repo: Repository, user: str, body: Any, **_: Any) -> RestReply:
        if repo.archived:
            return error(403, "Repository was archived so is read-only.")
        permission = str((body or {}).get("permission") or "push")
        if permission not in _LEVELS:
            return error(422, "Validation Failed", errors=[
                {"resource": "Repository", "code": "invalid", "field": "permission"}])  # fmt: skip
        invitation = self.store.invite_collaborator(repo, user, permission)
        if invitation is None:
            return RestReply(204, None)
        return RestReply(201, self.invitation_json(repo, invitation))

    def remove_collaborator(self, repo: Repository, user: str, **_: Any) -> RestReply:
        if repo.archived:
            return error(403, "Repository was archived so is read-only.")
        for login in list(repo.collaborators):
            if login.lower() == user.lower():
                del repo.collaborators[login]
        return RestReply(204, None)

    def list_invitations(self, repo: Repository, query: dict[str, str], **_: Any) -> RestReply:
        items = [self.invitation_json(repo, i) for i in repo.invitations]
        return self.api._page(f"/repos/{repo.name_with_owner}/invitations", query, items)

    def cancel_invitation(self, repo: Repository, number: str, **_: Any) -> RestReply:
        before = len(repo.invitations)
        repo.invitations = [i for i in repo.invitations if i.id != int(number)]
        return RestReply(204, None) if len(repo.invitations) < before else not_found()

    # -- teams -------------------------------------------------------------------------------

    def _team(self, org: str, slug: str) -> Team | None:
        return self.store.team(org, slug)

    def get_team(self, org: str, slug: str, **_: Any) -> RestReply:
        team = self._team(org, slug)
        return RestReply(200, self.team_json(team)) if team else not_found()

    def team_members(self, org: str, slug: str, query: dict[str, str], **_: Any) -> RestReply:
        team = self._team(org, slug)
        if team is None:
            return not_found()
        items = [self.api.user_json(self.store.user(login)) for login in sorted(team.members)]
        return self.api._page(f"/orgs/{org}/teams/{slug}/members", query, items)

    def team_invitations(self, org: str, slug: str, query: dict[str, str], **_: Any) -> RestReply:
        team = self._team(org, slug)
        if team is None:
            return not_found()
        items = [
            {"id": number, "login": login, "email": None, "role": "direct_member",
             "inviter": self.api.user_json(self.store.viewer), "team_count": 1}
            for login, number in sorted(team.invitations.items())
        ]  # fmt: skip
        return self.api._page(f"/orgs/{org}/teams/{slug}/invitations", query, items)

    def add_membership(self, org: str, slug: str, user: str, body: Any, **_: Any) -> RestReply:
        team = self._team(org, slug)
        if team is None:
            return not_found()
        role = str((body or {}).get("role") or "member")
        if user in self.store.organizations.get(org, set()):
            if user not in team.members:
                team.members.append(user)
            state = "active"
        else:
            team.invitations.setdefault(user, self.store._next_id())
            state = "pending"
        url = f"{self.api.api_url}/orgs/{org}/teams/{slug}/memberships/{user}"
        return RestReply(200, {"url": url, "role": role, "state": state})

    def remove_membership(self, org: str, slug: str, user: str, **_: Any) -> RestReply:
        team = self._team(org, slug)
        if team is None:
            return not_found()
        team.members = [login for login in team.members if login.lower() != user.lower()]
        team.invitations = {k: v for k, v in team.invitations.items() if k.lower() != user.lower()}
        return RestReply(204, None)

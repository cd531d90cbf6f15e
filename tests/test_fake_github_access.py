"""The fake GitHub's access routes answer as GitHub's REST documentation says."""

from __future__ import annotations

import requests
from fake_github import FakeGitHub
from fake_github.fixtures import fake_github  # noqa: F401 - the fixture

from sync.github.client import connect

AUTH = {"Authorization": "token t", "Accept": "application/vnd.github+json"}


def call(fake: FakeGitHub, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, fake.api_url + path, json=body, headers=AUTH, timeout=10)


def test_collaborators_and_invitations(fake_github: FakeGitHub) -> None:  # noqa: F811
    repo = "/repos/octo-org/forum"
    added = call(fake_github, "PUT", f"{repo}/collaborators/ana", {"permission": "pull"})
    assert added.status_code == 201
    invitation = added.json()
    assert invitation["invitee"]["login"] == "ana" and invitation["permissions"] == "read"
    assert call(fake_github, "GET", f"{repo}/collaborators/ana").status_code == 404  # not yet accepted
    (listed,) = call(fake_github, "GET", f"{repo}/invitations").json()
    assert listed["id"] == invitation["id"]

    fake_github.store.accept_invitation("octo-org/forum", "ana")
    assert call(fake_github, "GET", f"{repo}/collaborators/ana").status_code == 204
    again = call(fake_github, "PUT", f"{repo}/collaborators/ana", {"permission": "push"})
    assert again.status_code == 204 and again.content == b""  # already a collaborator
    people = {c["login"]: c["role_name"] for c in call(fake_github, "GET", f"{repo}/collaborators").json()}
    assert people == {"forum-bot": "admin", "ana": "write"}

    assert call(fake_github, "DELETE", f"{repo}/collaborators/ana").status_code == 204
    assert call(fake_github, "GET", f"{repo}/collaborators/ana").status_code == 404
    luc = call(fake_github, "PUT", f"{repo}/collaborators/luc").json()
    assert call(fake_github, "DELETE", f"{repo}/invitations/{luc['id']}").status_code == 204
    assert call(fake_github, "DELETE", f"{repo}/invitations/{luc['id']}").status_code == 404
    assert call(fake_github, "GET", f"{repo}/invitations").json() == []


def test_team_memberships(fake_github: FakeGitHub) -> None:  # noqa: F811
    fake_github.store.add_team("octo-org", "delegates")
    fake_github.store.add_organization("octo-org", ("ana",))
    team = "/orgs/octo-org/teams/delegates"
    assert call(fake_github, "PUT", f"{team}/memberships/ana").json()["state"] == "active"
    assert call(fake_github, "PUT", f"{team}/memberships/luc").json()["state"] == "pending"
    assert [m["login"] for m in call(fake_github, "GET", f"{team}/members").json()] == ["ana"]
    assert [i["login"] for i in call(fake_github, "GET", f"{team}/invitations").json()] == ["luc"]
    assert call(fake_github, "DELETE", f"{team}/memberships/ana").status_code == 204
    assert call(fake_github, "GET", f"{team}/members").json() == []
    assert call(fake_github, "GET", "/orgs/octo-org/teams/nobody/members").status_code == 404


def test_creating_archiving_and_discussions_in_several_repositories(fake_github: FakeGitHub) -> None:  # noqa: F811
    created = call(fake_github, "POST", "/orgs/octo-org/repos", {"name": "room", "private": True})
    assert created.status_code == 201 and created.json()["private"] and not created.json()["has_discussions"]
    taken = call(fake_github, "POST", "/orgs/octo-org/repos", {"name": "room"})
    assert taken.status_code == 422 and "name already exists" in taken.text
    mine = call(fake_github, "POST", "/user/repos", {"name": "mine"})
    assert mine.json()["full_name"] == "forum-bot/mine"
    assert call(fake_github, "POST", "/orgs/nowhere/repos", {"name": "x"}).status_code == 404

    github = connect(fake_github.api_url, "t", seconds_between_requests=0, seconds_between_writes=0)
    query = "mutation($r: ID!, $c: ID!) { createDiscussion(input: {repositoryId: $r, categoryId: $c, "
    query += 'title: "T", body: "B"}) { discussion { id } } }'
    room = fake_github.store.repository("octo-org/room")
    general = fake_github.store.category("general", room)
    refused = github.requester.requestJson("POST", github.requester.graphql_url,
                                           input={"query": query, "variables": {"r": room.id, "c": general.id}})  # fmt: skip
    assert "Discussions are disabled" in refused[2]
    assert call(fake_github, "PATCH", "/repos/octo-org/room", {"has_discussions": True}).json()[
        "has_discussions"
    ]
    _, answer = github.requester.graphql_query(query, {"r": room.id, "c": general.id})
    assert answer["data"]["createDiscussion"]["discussion"]["id"]
    assert len(room.discussions) == 1 and fake_github.repo.discussions == []  # each repository its own

    assert call(fake_github, "PATCH", "/repos/octo-org/room", {"archived": True}).json()["archived"]
    assert call(fake_github, "PUT", "/repos/octo-org/room/collaborators/ana").status_code == 403
    (discussion,) = room.discussions
    comment = (
        'mutation($d: ID!) { addDiscussionComment(input: {discussionId: $d, body: "x"}) { comment { id } } }'
    )
    status = github.requester.requestJson("POST", github.requester.graphql_url,
                                          input={"query": comment, "variables": {"d": discussion.id}})  # fmt: skip
    assert "Repository was archived so is read-only." in status[2]

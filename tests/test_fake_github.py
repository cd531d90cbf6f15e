"""Tests of the fake GitHub itself, driven the way the sync tool will drive it.

PyGithub talks to the fake exactly as it would to GitHub: REST for pull
requests, ``Requester.graphql_query`` for discussions.  Raw HTTP is used where a
test needs to see GitHub's wire format (status, headers, error JSON).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import git
import pytest
import requests
from fake_github import FakeGitHub, SchemaNotInstalledError, analyze, get_schema, validate_query
from fake_github.fixtures import fake_github, fake_github_remote  # noqa: F401 - pytest fixtures
from fake_github.store import Store
from github import Auth, Github, GithubException, GithubRetry, UnknownObjectException
from github.GithubException import RateLimitExceededException
from graphql import parse

IDENTITY = {
    "GIT_AUTHOR_NAME": "Tester",
    "GIT_AUTHOR_EMAIL": "tester@example.org",
    "GIT_COMMITTER_NAME": "Tester",
    "GIT_COMMITTER_EMAIL": "tester@example.org",
}

DISCUSSIONS_PAGE = """
query($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    discussions(first: 2, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id number title url author { login } category { id name slug }
        comments(first: 2) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { ...CommentFields }
        }
      }
    }
  }
}
fragment CommentFields on DiscussionComment {
  id databaseId body url createdAt deletedAt isMinimized minimizedReason
  author { login }
  replyTo { id }
  replies(first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { id body replyTo { id } } }
}
"""

MORE_COMMENTS = """
query($id: ID!, $after: String) {
  node(id: $id) {
    ... on Discussion {
      comments(first: 2, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id body replyTo { id }
          replies(first: 1) { pageInfo { hasNextPage endCursor } nodes { id body replyTo { id } } }
        }
      }
    }
  }
}
"""

MORE_REPLIES = """
query($id: ID!, $after: String) {
  node(id: $id) {
    ... on DiscussionComment {
      replies(first: 1, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id body replyTo { id } }
      }
    }
  }
}
"""


def connect(fake: FakeGitHub, **options: Any) -> Github:
    """PyGithub pointed at the fake, without retries unless asked, so tests see every answer.

    PyGithub throttles itself (0.25 s between requests, 1 s between writes, and a
    GraphQL POST counts as a write); that protects real GitHub, not the fake.
    """
    options = {"retry": None, "seconds_between_requests": 0, "seconds_between_writes": 0, **options}
    return Github(base_url=fake.api_url, auth=Auth.Token("t"), **options)


@pytest.fixture
def client(fake_github: FakeGitHub) -> Iterator[Github]:  # noqa: F811
    github = connect(fake_github)
    yield github
    github.close()


def post(url: str, payload: Any, token: str | None = "t") -> tuple[int, dict[str, str], Any]:
    """Send one raw request and return status, headers and decoded JSON."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"token {token}"
    request = urllib.request.Request(url, json.dumps(payload).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            decoded = json.loads(body)
        except ValueError:
            decoded = body.decode()
        return error.code, dict(error.headers), decoded


def gql(fake: FakeGitHub, query: str, **variables: Any) -> tuple[int, dict[str, str], Any]:
    return post(fake.graphql_url, {"query": query, "variables": variables})


def commit_file(work: git.Repo, name: str, text: str, message: str) -> str:
    Path(work.working_dir, name).write_text(text)
    work.git.add(name)
    with work.git.custom_environment(**IDENTITY):
        work.git.commit("-m", message)
    return work.head.commit.hexsha


def seed_forum(store: Store) -> None:
    """Three discussions; the second has three comments with two replies each."""
    for number in range(3):
        store.add_discussion(f"Topic {number}", f"Body {number}", author=f"user{number}")
        store.clock.advance(60)
    busy = store.discussion(2)
    assert busy is not None
    for c in range(3):
        comment = store.add_comment(busy, "alice", f"comment {c}")
        store.clock.advance(1)
        for r in range(2):
            store.add_comment(busy, "bob", f"reply {c}.{r}", reply_to=comment)
            store.clock.advance(1)


# -- schema -------------------------------------------------------------------------


def test_validate_query_accepts_the_tools_queries_and_rejects_unknown_fields() -> None:
    for query in (DISCUSSIONS_PAGE, MORE_COMMENTS, MORE_REPLIES):
        assert validate_query(query) == []
    errors = validate_query('{ repository(owner: "a", name: "b") { nope } }')
    assert len(errors) == 1
    assert errors[0].startswith("Cannot query field 'nope' on type 'Repository'.")
    assert validate_query("{ repository(") != []


def test_missing_schema_names_the_npm_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FAKE_GITHUB_SCHEMA", str(tmp_path / "absent.graphql"))
    with pytest.raises(SchemaNotInstalledError, match=r"npm ci --prefix tests"):
        get_schema()


# -- REST: pull requests through PyGithub ---------------------------------------------


def test_pygithub_opens_lists_and_updates_a_pull_request(
    fake_github_remote: FakeGitHub,  # noqa: F811
    tmp_path: Path,
) -> None:
    fake = fake_github_remote
    github = connect(fake)
    assert github.get_user().login == "forum-bot"
    repo = github.get_repo("octo-org/forum")
    assert repo.url == f"{fake.api_url}/repos/octo-org/forum"
    assert repo.default_branch == "main"

    work = git.Repo.clone_from(str(fake.repo.remote_path), tmp_path / "work")
    commit_file(work, "README.md", "forum\n", "initial")
    work.git.push("origin", "HEAD:refs/heads/main")
    work.git.checkout("-b", "sync/update")
    first_sha = commit_file(work, "post.md", "hello\n", "add post")
    work.git.push("origin", "sync/update")

    pull = repo.create_pull(base="main", head="sync/update", title="Sync", body="From GitHub")
    assert (pull.number, pull.state, pull.merged) == (1, "open", False)
    assert pull.head.sha == first_sha and pull.head.label == "octo-org:sync/update"
    assert pull.html_url == "https://github.com/octo-org/forum/pull/1"

    with pytest.raises(GithubException) as duplicate:
        repo.create_pull(base="main", head="sync/update", title="Again", body="")
    assert duplicate.value.status == 422
    assert "already exists for octo-org:sync/update" in json.dumps(duplicate.value.data)
    with pytest.raises(GithubException, match="invalid"):
        repo.create_pull(base="main", head="no-such-branch", title="x", body="")

    # A later push moves the pull request's head, as on GitHub.
    second_sha = commit_file(work, "post.md", "hello again\n", "edit post")
    work.git.push("origin", "sync/update")
    listed = list(repo.get_pulls(state="open", head="octo-org:sync/update", base="main"))
    assert [p.number for p in listed] == [1]
    assert listed[0].head.sha == second_sha
    assert listed[0].merged is False  # not in list items: PyGithub fetched the full object
    assert list(repo.get_pulls(state="open", head="octo-org:other")) == []

    pull.edit(title="Sync (2 changes)", body="Updated")
    again = repo.get_pull(1)
    assert (again.title, again.body) == ("Sync (2 changes)", "Updated")
    comment = again.create_issue_comment("Ready for review")
    assert comment.body == "Ready for review"
    again.edit(state="closed")
    assert repo.get_pull(1).state == "closed"
    assert [p.number for p in repo.get_pulls(state="closed")] == [1]
    assert fake.stats.by_route["POST /repos/{owner}/{repo}/pulls"] == 3
    assert fake.errors == []


def test_pull_request_list_is_paginated_with_link_headers(fake_github: FakeGitHub) -> None:  # noqa: F811
    github = connect(fake_github, per_page=2)
    repo = github.get_repo("octo-org/forum")
    for number in range(5):
        repo.create_pull(base="main", head=f"branch-{number}", title=f"PR {number}", body="")
    titles = [p.title for p in repo.get_pulls(state="all", sort="created", direction="asc")]
    assert titles == [f"PR {n}" for n in range(5)]
    assert fake_github.stats.by_route["GET /repos/{owner}/{repo}/pulls"] == 3


def test_requests_need_an_authorization_header() -> None:
    with FakeGitHub(tokens={"good"}) as fake:
        status, _, body = post(fake.graphql_url, {"query": "{ viewer { login } }"}, token=None)
        assert status == 401 and "authenticated" in body["message"]
        status, _, body = post(fake.graphql_url, {"query": "{ viewer { login } }"}, token="bad")
        assert (status, body["message"]) == (401, "Bad credentials")
        status, _, body = post(fake.graphql_url, {"query": "{ viewer { login } }"}, token="good")
        assert body == {"data": {"viewer": {"login": "forum-bot"}}}


# -- GraphQL: reading discussions ------------------------------------------------------


def crawl(github: Github) -> dict[int, list[tuple[str, list[str]]]]:
    """Read every discussion, comment and reply with pagination, as the sync tool will."""
    result: dict[int, list[tuple[str, list[str]]]] = {}
    after = None
    while True:
        _, data = github.requester.graphql_query(
            DISCUSSIONS_PAGE, {"owner": "octo-org", "name": "forum", "after": after}
        )
        page = data["data"]["repository"]["discussions"]
        for discussion in page["nodes"]:
            comments = discussion["comments"]
            nodes = list(comments["nodes"])
            info = comments["pageInfo"]
            while info["hasNextPage"]:
                _, more = github.requester.graphql_query(
                    MORE_COMMENTS, {"id": discussion["id"], "after": info["endCursor"]}
                )
                info = more["data"]["node"]["comments"]["pageInfo"]
                nodes += more["data"]["node"]["comments"]["nodes"]
            threads = []
            for comment in nodes:
                replies = comment["replies"]
                reply_nodes, reply_info = list(replies["nodes"]), replies["pageInfo"]
                while reply_info["hasNextPage"]:
                    _, more = github.requester.graphql_query(
                        MORE_REPLIES, {"id": comment["id"], "after": reply_info["endCursor"]}
                    )
                    reply_info = more["data"]["node"]["replies"]["pageInfo"]
                    reply_nodes += more["data"]["node"]["replies"]["nodes"]
                assert all(r["replyTo"]["id"] == comment["id"] for r in reply_nodes)
                threads.append((comment["body"], [r["body"] for r in reply_nodes]))
            result[discussion["number"]] = threads
        if not page["pageInfo"]["hasNextPage"]:
            return result
        after = page["pageInfo"]["endCursor"]


def test_graphql_reads_discussions_comments_and_replies_page_by_page(
    fake_github: FakeGitHub,  # noqa: F811
    client: Github,
) -> None:
    seed_forum(fake_github.store)
    threads = crawl(client)
    assert threads == {
        1: [],
        2: [(f"comment {c}", [f"reply {c}.0", f"reply {c}.1"]) for c in range(3)],
        3: [],
    }
    # Every query the client sent is valid against GitHub's schema.
    assert fake_github.log and all(validate_query(call.query) == [] for call in fake_github.log)
    first = fake_github.log[0]
    assert first.cost == 1 and first.node_count == 2 + 2 * 2 + 2 * 2 * 1


def test_discussion_fields_and_connection_shapes(fake_github: FakeGitHub) -> None:  # noqa: F811
    store = fake_github.store
    discussion = store.add_discussion("Hello", "Line one\n\nLine two", author="carol", category="q-a")
    comment = store.add_comment(discussion, "dave", "Answer")
    _, headers, body = gql(
        fake_github,
        """query($n: Int!) { repository(owner: "octo-org", name: "forum") {
             id name nameWithOwner url
             discussionCategories(first: 10) { totalCount nodes { name slug emoji isAnswerable } }
             discussion(number: $n) { id number title bodyHTML url author { __typename login }
               category { name slug } createdAt updatedAt lastEditedAt
               comments(first: 5) { edges { cursor node { id databaseId url } } } } } }""",
        n=discussion.number,
    )
    repo = body["data"]["repository"]
    assert repo["nameWithOwner"] == "octo-org/forum" and repo["id"].startswith("R_kgDO")
    assert repo["discussionCategories"]["totalCount"] == 6
    assert {"name": "Q&A", "slug": "q-a", "emoji": ":pray:", "isAnswerable": True} in repo[
        "discussionCategories"
    ]["nodes"]
    found = repo["discussion"]
    assert found["id"].startswith("D_kwDO") and found["author"] == {
        "__typename": "User",
        "login": "carol",
    }
    assert found["bodyHTML"] == "<p>Line one</p>\n<p>Line two</p>"
    assert found["url"] == "https://github.com/octo-org/forum/discussions/1"
    assert found["createdAt"] == "2024-01-01T12:00:00Z" and found["lastEditedAt"] is None
    edge = found["comments"]["edges"][0]
    assert edge["node"]["id"].startswith("DC_kwDO")
    assert edge["node"]["url"].endswith(f"/discussions/1#discussioncomment-{comment.database_id}")
    assert headers["x-ratelimit-resource"] == "graphql"


def test_discussions_order_by_updated_and_filter_by_category(
    fake_github: FakeGitHub,  # noqa: F811
) -> None:
    store = fake_github.store
    old = store.add_discussion("Old", "", category="ideas")
    store.clock.advance(60)
    store.add_discussion("New", "")
    store.clock.advance(60)
    store.add_comment(old, "erin", "bump")  # a comment bumps the discussion's updatedAt
    query = """query($cat: ID) { repository(owner: "octo-org", name: "forum") {
        discussions(first: 10, categoryId: $cat) { totalCount nodes { title updatedAt } } } }"""
    _, _, body = gql(fake_github, query)
    nodes = body["data"]["repository"]["discussions"]["nodes"]
    assert [n["title"] for n in nodes] == ["Old", "New"]  # default: UPDATED_AT DESC
    _, _, body = gql(fake_github, query, cat=store.category("ideas").id)
    assert body["data"]["repository"]["discussions"]["totalCount"] == 1


def test_backward_pagination_with_last_and_before(fake_github: FakeGitHub) -> None:  # noqa: F811
    discussion = fake_github.store.add_discussion("Long thread", "")
    for n in range(5):
        fake_github.store.add_comment(discussion, "frank", f"c{n}")
        fake_github.store.clock.advance(1)
    query = """query($id: ID!, $before: String) { node(id: $id) { ... on Discussion {
        comments(last: 2, before: $before) {
          pageInfo { hasPreviousPage hasNextPage startCursor } nodes { body } } } } }"""
    bodies, before = [], None
    while True:
        _, _, body = gql(fake_github, query, id=discussion.id, before=before)
        page = body["data"]["node"]["comments"]
        bodies = [n["body"] for n in page["nodes"]] + bodies
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert bodies == [f"c{n}" for n in range(5)]


# -- GitHub's limits and errors ----------------------------------------------------------


def test_connections_require_first_or_last_at_most_100(
    fake_github: FakeGitHub,  # noqa: F811
    client: Github,
) -> None:
    status, _, body = gql(
        fake_github,
        '{ repository(owner: "octo-org", name: "forum") { discussions { nodes { id } } } }',
    )
    assert status == 200 and body["data"] is None
    assert body["errors"][0]["type"] == "MISSING_PAGINATION_BOUNDARIES"
    assert body["errors"][0]["message"] == (
        "You must provide a `first` or `last` value to properly paginate the `discussions` connection."
    )
    assert body["errors"][0]["path"] == ["repository", "discussions"]

    too_many = """query($n: Int!) { repository(owner: "octo-org", name: "forum") {
        discussions(first: 10) { nodes { comments(first: $n) { totalCount } } } } }"""
    with pytest.raises(GithubException) as raised:
        client.requester.graphql_query(too_many, {"n": 101})
    error = raised.value.data["errors"][0]
    assert error["type"] == "EXCESSIVE_PAGINATION"
    assert error["message"] == (
        "Requesting 101 records on the `comments` connection exceeds the `first` limit of 100 records."
    )
    huge = """{ repository(owner: "octo-org", name: "forum") { discussions(first: 100) { nodes {
        comments(first: 100) { nodes { replies(first: 100) { nodes { id } } } } } } } }"""
    body = gql(fake_github, huge)[2]
    assert body["data"] is None and body["errors"][0]["type"] == "MAX_NODE_LIMIT_EXCEEDED"
    # Counting alone needs no page size, as on GitHub.
    _, _, body = gql(
        fake_github, '{ repository(owner: "octo-org", name: "forum") { discussions { totalCount } } }'
    )
    assert body == {"data": {"repository": {"discussions": {"totalCount": 0}}}}


def test_invalid_queries_and_unknown_nodes_answer_200_with_errors(
    fake_github: FakeGitHub,  # noqa: F811
    client: Github,
) -> None:
    status, _, body = gql(fake_github, "{ viewer { nope } }")
    assert status == 200 and "data" not in body
    assert body["errors"][0]["message"].startswith("Cannot query field 'nope' on type 'User'.")
    status, _, body = gql(fake_github, "{ viewer { login }")
    assert status == 200 and body["errors"][0]["message"].startswith("Syntax Error")

    status, _, body = gql(fake_github, 'query { node(id: "D_nope") { id } }')
    assert body["data"] == {"node": None}
    assert body["errors"][0]["type"] == "NOT_FOUND"
    assert body["errors"][0]["message"] == "Could not resolve to a node with the global id of 'D_nope'"
    with pytest.raises(UnknownObjectException):
        client.requester.graphql_query('{ repository(owner: "x", name: "y") { id } }', {})


def test_cost_follows_githubs_rule(fake_github: FakeGitHub, client: Github) -> None:  # noqa: F811
    query = """{ rateLimit { cost nodeCount remaining used limit resetAt }
      repository(owner: "octo-org", name: "forum") {
        discussions(first: 50) { nodes { comments(first: 100) { nodes {
          replies(first: 10) { nodes { id } } } } } } } }"""
    headers, data = client.requester.graphql_query(query, {})
    # 1 + 50 + 50*100 = 5,051 requests -> 50.51 -> 51 points; 50 + 5,000 + 50,000 nodes.
    assert data["data"]["rateLimit"]["cost"] == 51
    assert data["data"]["rateLimit"]["nodeCount"] == 55_050
    assert data["data"]["rateLimit"]["remaining"] == 5000 - 51
    assert headers["x-ratelimit-used"] == "51" and headers["x-ratelimit-remaining"] == "4949"
    client.requester.graphql_query("{ viewer { login } }", {})  # no connection: minimum 1
    assert fake_github.stats.graphql_points == 52

    dry = "{ rateLimit(dryRun: true) { cost remaining } }"
    assert client.requester.graphql_query(dry, {})[1]["data"]["rateLimit"]["remaining"] == 4948
    assert client.get_rate_limit().resources.graphql.used == 52

    # The example from GitHub's documentation of the rule.
    documented = parse("""{ viewer { repositories(first: 100) { edges { node {
        issues(first: 50) { edges { node { labels(first: 60) { edges { node { name } } } } } }
      } } } } }""")
    cost = analyze(get_schema(), documented)
    assert (cost.requests, cost.cost, cost.node_count) == (5101, 51, 305_100)


def test_exhausting_the_budget_gives_rate_limited(fake_github: FakeGitHub) -> None:  # noqa: F811
    fake_github.graphql.budget.used = 4999
    assert gql(fake_github, "{ viewer { login } }")[2]["data"]["viewer"]["login"] == "forum-bot"
    status, headers, body = gql(fake_github, "{ viewer { login } }")
    assert status == 200 and body["errors"][0]["type"] == "RATE_LIMITED"
    assert headers["x-ratelimit-remaining"] == "0"


# -- comment life cycle --------------------------------------------------------------------

COMMENTS = """query($id: ID!) { node(id: $id) { ... on Discussion { comments(first: 10) {
  totalCount nodes { id body deletedAt isMinimized minimizedReason lastEditedAt updatedAt
    replies(first: 10) { totalCount nodes { id body } } } } } } }"""


def test_deleted_comments_follow_githubs_semantics(fake_github: FakeGitHub) -> None:  # noqa: F811
    store = fake_github.store
    discussion = store.add_discussion("Thread", "")
    parent = store.add_comment(discussion, "gina", "parent")
    reply = store.add_comment(discussion, "hank", "reply", reply_to=parent)
    lonely = store.add_comment(discussion, "ivan", "lonely")
    store.clock.advance(30)
    store.delete_comment(parent)  # has a reply: stays, emptied, with deletedAt
    _, _, body = gql(
        fake_github,
        "mutation($id: ID!) { deleteDiscussionComment(input: {id: $id}) { comment { id } } }",
        id=lonely.id,
    )
    assert body["data"]["deleteDiscussionComment"]["comment"]["id"] == lonely.id
    _, _, body = gql(fake_github, COMMENTS, id=discussion.id)
    comments = body["data"]["node"]["comments"]
    assert comments["totalCount"] == 1
    tombstone = comments["nodes"][0]
    assert (tombstone["id"], tombstone["body"]) == (parent.id, "")
    assert tombstone["deletedAt"] == "2024-01-01T12:00:30Z"
    assert tombstone["replies"]["nodes"] == [{"id": reply.id, "body": "reply"}]
    _, _, body = gql(fake_github, "query($id: ID!) { node(id: $id) { id } }", id=lonely.id)
    assert body["errors"][0]["type"] == "NOT_FOUND"


def test_minimized_and_edited_comments(fake_github: FakeGitHub) -> None:  # noqa: F811
    store = fake_github.store
    discussion = store.add_discussion("Thread", "")
    spam = store.add_comment(discussion, "jack", "buy now")
    edited = store.add_comment(discussion, "kate", "first draft")
    store.minimize_comment(spam, "SPAM")
    store.clock.advance(minutes=5)
    store.edit_comment(edited, "second draft")
    _, _, body = gql(
        fake_github,
        """mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OFF_TOPIC}) {
             minimizedComment { isMinimized minimizedReason } } }""",
        id=edited.id,
    )
    assert body["data"]["minimizeComment"]["minimizedComment"] == {
        "isMinimized": True,
        "minimizedReason": "off-topic",
    }
    _, _, body = gql(fake_github, COMMENTS, id=discussion.id)
    first, second = body["data"]["node"]["comments"]["nodes"]
    assert (first["isMinimized"], first["minimizedReason"]) == (True, "spam")
    assert second["body"] == "second draft"
    assert second["lastEditedAt"] == second["updatedAt"] == "2024-01-01T12:05:00Z"
    gql(
        fake_github,
        "mutation($id: ID!) { unminimizeComment(input: {subjectId: $id}) { clientMutationId } }",
        id=spam.id,
    )
    assert (spam.is_minimized, spam.minimized_reason) == (False, None)


def test_mutations_create_discussions_comments_and_replies(fake_github: FakeGitHub) -> None:  # noqa: F811
    store = fake_github.store
    create = """mutation($repo: ID!, $cat: ID!) { createDiscussion(input:
        {repositoryId: $repo, categoryId: $cat, title: "Posted", body: "From the forum"}) {
        discussion { id number author { login } category { slug } } } }"""
    _, _, body = gql(fake_github, create, repo=fake_github.repo.id, cat=store.category("general").id)
    created = body["data"]["createDiscussion"]["discussion"]
    assert created["author"]["login"] == "forum-bot" and created["category"]["slug"] == "general"
    add = """mutation($d: ID!, $body: String!, $to: ID) { addDiscussionComment(input:
        {discussionId: $d, body: $body, replyToId: $to}) { comment { id replyTo { id } } } }"""
    _, _, body = gql(fake_github, add, d=created["id"], body="top")
    top = body["data"]["addDiscussionComment"]["comment"]
    _, _, body = gql(fake_github, add, d=created["id"], body="nested", to=top["id"])
    reply = body["data"]["addDiscussionComment"]["comment"]
    assert reply["replyTo"]["id"] == top["id"]
    _, _, body = gql(fake_github, add, d=created["id"], body="deeper", to=reply["id"])
    assert body["data"]["addDiscussionComment"] is None and body["errors"][0]["type"] == "UNPROCESSABLE"
    update = """mutation($id: ID!) { updateDiscussionComment(input: {commentId: $id, body: "fixed"}) {
        comment { body lastEditedAt } } }"""
    _, _, body = gql(fake_github, update, id=top["id"])
    assert body["data"]["updateDiscussionComment"]["comment"]["body"] == "fixed"
    assert fake_github.errors == []


# -- fault injection -----------------------------------------------------------------------


def test_fault_http_502_then_recovery(fake_github: FakeGitHub, client: Github) -> None:  # noqa: F811
    fake_github.faults.fail_next(1, only="graphql")
    status, _, _ = gql(fake_github, "{ viewer { login } }")
    assert status == 502
    assert gql(fake_github, "{ viewer { login } }")[0] == 200
    # PyGithub's own retry (urllib3 Retry with 5xx in its force list) gets through one 502.
    retrying = connect(fake_github, retry=GithubRetry(total=2, backoff_factor=0))
    fake_github.faults.fail_next(1, only="/repos/*/*")
    assert retrying.get_repo("octo-org/forum").full_name == "octo-org/forum"
    assert fake_github.stats.faults["http_error"] == 2
    fake_github.faults.fail_next(1, status=503)
    with pytest.raises(GithubException) as raised:
        client.get_repo("octo-org/forum")
    assert raised.value.status == 503


def test_fault_hits_the_kth_matching_request(fake_github: FakeGitHub) -> None:  # noqa: F811
    fake_github.faults.fail_next(2, only="graphql", skip=2)
    statuses = [gql(fake_github, "{ viewer { login } }")[0] for _ in range(5)]
    assert statuses == [200, 200, 502, 502, 200]
    assert [call.fault for call in fake_github.log] == [None, None, "http_error", "http_error", None]


def test_fault_primary_rate_limit(fake_github: FakeGitHub, client: Github) -> None:  # noqa: F811
    fake_github.faults.primary_rate_limit(only="graphql")
    status, headers, body = gql(fake_github, "{ viewer { login } }")
    assert status == 200
    assert body["errors"][0]["type"] == "RATE_LIMITED"
    assert body["errors"][0]["message"].startswith("API rate limit exceeded")
    assert headers["x-ratelimit-remaining"] == "0"
    assert time.time() < int(headers["x-ratelimit-reset"]) <= time.time() + 3
    fake_github.faults.primary_rate_limit(only="rest")
    with pytest.raises(RateLimitExceededException) as raised:
        client.get_repo("octo-org/forum")
    assert raised.value.status == 403


@pytest.mark.parametrize("status", [403, 429])
def test_fault_secondary_rate_limit(
    fake_github: FakeGitHub,  # noqa: F811
    client: Github,
    status: int,
) -> None:
    fake_github.faults.secondary_rate_limit(status=status, retry_after=7)
    code, headers, body = gql(fake_github, "{ viewer { login } }")
    assert code == status and headers["retry-after"] == "7"
    assert body["message"].startswith("You have exceeded a secondary rate limit")
    fake_github.faults.secondary_rate_limit(status=status, retry_after=7)
    with pytest.raises(GithubException) as raised:
        client.requester.graphql_query("{ viewer { login } }", {})
    assert raised.value.status == status
    if status == 403:
        assert isinstance(raised.value, RateLimitExceededException)


def test_fault_disconnect(fake_github: FakeGitHub, client: Github) -> None:  # noqa: F811
    fake_github.faults.disconnect(only="graphql")
    with pytest.raises(requests.exceptions.ConnectionError):
        client.requester.graphql_query("{ viewer { login } }", {})
    _, data = client.requester.graphql_query("{ viewer { login } }", {})
    assert data["data"]["viewer"]["login"] == "forum-bot"
    assert fake_github.faults.fired[0][0] == "disconnect"


# -- the bare git remote --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["merge", "fast-forward", "squash"])
def test_merge_pull_request_in_the_bare_remote(tmp_path: Path, method: str) -> None:
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "README.md").write_text("forum\n")
    with FakeGitHub() as fake:
        remote = fake.attach_remote(tmp_path / "remote.git", seed_from=seed)
        work = git.Repo.clone_from(str(remote), tmp_path / "work")
        work.git.checkout("-b", "sync/1")
        head_sha = commit_file(work, "post.md", "post\n", "add post")
        work.git.push("origin", "sync/1")
        github = connect(fake)
        pull = github.get_repo("octo-org/forum").create_pull(
            base="main", head="sync/1", title="Sync", body=""
        )
        sha = fake.merge_pull_request(pull.number, method=method)
        merged = github.get_repo("octo-org/forum").get_pull(pull.number)
        assert (merged.merged, merged.state, merged.merge_commit_sha) == (True, "closed", sha)
        bare = git.Repo(remote)
        main = bare.commit("main")
        assert main.hexsha == sha
        assert main.tree["post.md"].data_stream.read() == b"post\n"
        expected_parents = {"merge": 2, "fast-forward": 1, "squash": 1}[method]
        assert len(main.parents) == expected_parents
        assert (sha == head_sha) == (method == "fast-forward")
        if method != "squash":  # after a squash the branch's commits are still "new", as on GitHub
            with pytest.raises(GithubException, match="No commits between"):
                github.get_repo("octo-org/forum").create_pull(
                    base="main", head="sync/1", title="Again", body=""
                )


def test_clock_is_controllable() -> None:
    store = Store()
    store.add_repository("o", "r")
    store.clock.set(datetime(2030, 5, 1, tzinfo=UTC))
    discussion = store.add_discussion("Later", "")
    assert discussion.created_at == datetime(2030, 5, 1, tzinfo=UTC)
    store.clock.advance(days=1)
    assert store.add_comment(discussion, "x", "y").created_at.day == 2


def test_merge_through_the_rest_api(fake_github_remote: FakeGitHub, tmp_path: Path) -> None:  # noqa: F811
    fake = fake_github_remote
    work = git.Repo.clone_from(str(fake.repo.remote_path), tmp_path / "work")
    commit_file(work, "README.md", "forum\n", "initial")
    work.git.push("origin", "HEAD:refs/heads/main")
    work.git.checkout("-b", "sync/2")
    commit_file(work, "post.md", "post\n", "add post")
    work.git.push("origin", "sync/2")
    repo = connect(fake).get_repo("octo-org/forum")
    pull = repo.create_pull(base="main", head="sync/2", title="Sync", body="")
    status = pull.merge()
    assert status.merged and repo.get_pull(pull.number).merged
    assert git.Repo(fake.repo.remote_path).commit("main").hexsha == status.sha
    assert repo.get_branch("main").commit.sha == status.sha


def test_deleting_a_discussion_removes_it_with_its_comments(fake_github: FakeGitHub) -> None:  # noqa: F811
    store = fake_github.store
    kept = store.add_discussion("Kept", "stays")
    doomed = store.add_discussion("Doomed", "goes")
    comment = store.add_comment(doomed, "lena", "a comment")
    reply = store.add_comment(doomed, "mia", "a reply", reply_to=comment)
    _, _, body = gql(
        fake_github,
        "mutation($id: ID!) { deleteDiscussion(input: {id: $id}) { discussion { id title } } }",
        id=doomed.id,
    )
    assert body["data"]["deleteDiscussion"]["discussion"] == {"id": doomed.id, "title": "Doomed"}
    _, _, body = gql(
        fake_github,
        '{ repository(owner: "octo-org", name: "forum") { discussions(first: 10) { nodes { id } } } }',
    )
    assert body["data"]["repository"]["discussions"]["nodes"] == [{"id": kept.id}]
    for gone in (doomed, comment, reply):
        _, _, body = gql(fake_github, "query($id: ID!) { node(id: $id) { id } }", id=gone.id)
        assert body["errors"][0]["type"] == "NOT_FOUND"


def test_secondary_rate_limit_as_graphql_200_and_without_retry_after(
    fake_github: FakeGitHub,  # noqa: F811
) -> None:
    # GitHub's GraphQL documentation: a secondary limit is a 200 or 403 with a message about
    # it, and retry-after may be missing (then clients wait at least a minute).
    fake_github.faults.secondary_rate_limit(status=200, retry_after=None, only="graphql")
    status, headers, body = gql(fake_github, "{ viewer { login } }")
    assert status == 200 and "retry-after" not in {name.lower() for name in headers}
    assert body["errors"][0]["message"].startswith("You have exceeded a secondary rate limit")
    assert gql(fake_github, "{ viewer { login } }")[2]["data"]["viewer"]["login"] == "forum-bot"
    with pytest.raises(ValueError, match="only GraphQL"):
        fake_github.faults.secondary_rate_limit(status=200)


def test_a_pull_request_body_over_githubs_limit_is_refused(fake_github: FakeGitHub) -> None:  # noqa: F811
    repo = connect(fake_github).get_repo("octo-org/forum")
    with pytest.raises(GithubException) as raised:
        repo.create_pull(base="main", head="sync/x", title="Sync", body="x" * 65_537)
    assert raised.value.status == 422 and "body is too long (maximum is 65536 characters)" in json.dumps(
        raised.value.data
    )
    pull = repo.create_pull(base="main", head="sync/x", title="Sync", body="x" * 65_536)
    with pytest.raises(GithubException, match="body is too long"):
        pull.edit(body="y" * 70_000)

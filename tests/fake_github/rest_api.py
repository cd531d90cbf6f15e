"""The REST routes PyGithub uses to open and maintain pull requests.

JSON follows GitHub's shapes.  Every ``url`` field is built from the server's own
base address because PyGithub asserts that the URLs it follows point at the host
and port it was configured with; ``html_url`` fields point at github.com as on
GitHub.  List items are GitHub's "simple" pull requests (no ``merged`` field), so
PyGithub has to fetch the full object when a caller reads one, as it does for real.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from . import git_remote
from .graphql_api import RateBudget
from .models import IssueComment, PullRequest, Repository, User, iso
from .store import Store

DOCS = "https://docs.github.com/rest"


@dataclass
class RestReply:
    status: int
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)


def error(http_status: int, message: str, **extra: Any) -> RestReply:
    return RestReply(http_status, {"message": message, "documentation_url": DOCS, **extra})


#: GitHub refuses a pull request body longer than this (422, "body is too long").
MAX_BODY = 65_536


def body_too_long(body: Any) -> RestReply | None:
    text = (body or {}).get("body") or ""
    if len(text) <= MAX_BODY:
        return None
    return validation_failed(
        field="body", code="custom", message=f"body is too long (maximum is {MAX_BODY} characters)"
    )


def not_found() -> RestReply:
    return error(404, "Not Found", status="404")


def validation_failed(**problem: Any) -> RestReply:
    return error(422, "Validation Failed", errors=[{"resource": "PullRequest", **problem}])


class RestAPI:
    """Routes REST calls (paths below ``/api/v3``) to handlers over the store."""

    def __init__(
        self,
        store: Store,
        api_url: str,
        budget: RateBudget | None = None,
        graphql_budget: RateBudget | None = None,
    ) -> None:
        self.store = store
        self.api_url = api_url.rstrip("/")
        self.budget = budget or RateBudget("core")
        #: Reported by ``GET /rate_limit`` beside ``core``, as GitHub does.
        self.graphql_budget = graphql_budget or RateBudget("graphql")
        repo = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
        self.routes: list[tuple[str, re.Pattern[str], Callable[..., RestReply]]] = [
            ("GET", re.compile(r"/user"), self.get_user),
            ("GET", re.compile(r"/rate_limit"), self.get_rate_limit),
            ("GET", re.compile(repo), self.get_repo),
            ("GET", re.compile(repo + r"/branches/(?P<branch>.+)"), self.get_branch),
            ("GET", re.compile(repo + r"/pulls"), self.list_pulls),
            ("POST", re.compile(repo + r"/pulls"), self.create_pull),
            ("GET", re.compile(repo + r"/pulls/(?P<number>\d+)"), self.get_pull),
            ("PATCH", re.compile(repo + r"/pulls/(?P<number>\d+)"), self.update_pull),
            ("PUT", re.compile(repo + r"/pulls/(?P<number>\d+)/merge"), self.merge_pull),
            ("GET", re.compile(repo + r"/issues/(?P<number>\d+)/comments"), self.list_comments),
            ("POST", re.compile(repo + r"/issues/(?P<number>\d+)/comments"), self.add_comment),
        ]
        from .rest_access import routes as access_routes  # collaborators, teams, new repositories

        self.routes += access_routes(self)

    def dispatch(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[str, RestReply]:
        """Answer one request; returns the matched route template (for stats) and the reply."""
        self.budget.roll()
        self.budget.used += 1
        route, reply = f"{method} (unknown)", not_found()
        for verb, pattern, handler in self.routes:
            match = pattern.fullmatch(path)
            if match is None or verb != method:
                continue
            route = f"{method} {_template(pattern.pattern)}"
            params: dict[str, Any] = match.groupdict()
            if "owner" in params:
                params["repo"] = self.store.repository(f"{params.pop('owner')}/{params['repo']}")
            if "repo" in params and params["repo"] is None:
                break
            reply = handler(query=query, body=body, **params)
            break
        reply.headers.update(self.budget.headers())
        return route, reply

    # -- JSON shapes ---------------------------------------------------------------

    def user_json(self, user: User) -> dict[str, Any]:
        return {
            "login": user.login,
            "id": user.database_id,
            "node_id": user.id,
            "type": user.kind,
            "site_admin": False,
            "url": f"{self.api_url}/users/{user.login}",
            "html_url": user.url,
            "avatar_url": f"https://avatars.githubusercontent.com/u/{user.database_id}?v=4",
        }

    def repo_json(self, repo: Repository) -> dict[str, Any]:
        base = f"{self.api_url}/repos/{repo.name_with_owner}"
        clone_url = repo.remote_path.as_uri() if repo.remote_path else f"{repo.url}.git"
        return {
            "id": repo.database_id,
            "node_id": repo.id,
            "name": repo.name,
            "full_name": repo.name_with_owner,
            "owner": self.user_json(self.store.user(repo.owner)),
            "private": repo.private,
            "visibility": "private" if repo.private else "public",
            "fork": False,
            "archived": repo.archived,
            "description": repo.description or None,
            "html_url": repo.url,
            "url": base,
            "pulls_url": base + "/pulls{/number}",
            "issues_url": base + "/issues{/number}",
            "branches_url": base + "/branches{/branch}",
            "clone_url": clone_url,
            "default_branch": repo.default_branch,
            "has_issues": True,
            "has_discussions": repo.has_discussions,
            "permissions": {
                "admin": True,
                "maintain": True,
                "push": True,
                "triage": True,
                "pull": True,
            },
        }

    def _branch_sha(self, repo: Repository, branch: str) -> str | None:
        if repo.remote_path is None:
            # No remote linked: a stable made-up sha so that fields are well formed.
            return hashlib.sha1(f"{repo.name_with_owner}:{branch}".encode()).hexdigest()
        return git_remote.branch_sha(repo.remote_path, branch)

    def pull_json(self, pull: PullRequest, *, full: bool = True) -> dict[str, Any]:
        repo = pull.repository
        base = f"{self.api_url}/repos/{repo.name_with_owner}"
        if pull.state == "open":
            # An open pull request follows pushes to its branch, as on GitHub.
            pull.head_sha = self._branch_sha(repo, pull.head_ref) or pull.head_sha
        owner = self.user_json(self.store.user(repo.owner))
        data: dict[str, Any] = {
            "url": f"{base}/pulls/{pull.number}",
            "id": pull.database_id,
            "node_id": pull.id,
            "html_url": f"{repo.url}/pull/{pull.number}",
            "diff_url": f"{repo.url}/pull/{pull.number}.diff",
            "issue_url": f"{base}/issues/{pull.number}",
            "comments_url": f"{base}/issues/{pull.number}/comments",
            "commits_url": f"{base}/pulls/{pull.number}/commits",
            "number": pull.number,
            "state": pull.state,
            "locked": False,
            "title": pull.title,
            "body": pull.body or None,
            "user": self.user_json(pull.user),
            "labels": [],
            "created_at": iso(pull.created_at),
            "updated_at": iso(pull.updated_at),
            "closed_at": iso(pull.closed_at) if pull.closed_at else None,
            "merged_at": iso(pull.merged_at) if pull.merged_at else None,
            "merge_commit_sha": pull.merge_commit_sha,
            "draft": pull.draft,
            "head": {
                "label": pull.head_label,
                "ref": pull.head_ref,
                "sha": pull.head_sha,
                "user": self.user_json(self.store.user(pull.head_owner)),
                "repo": self.repo_json(repo),
            },
            "base": {
                "label": f"{repo.owner}:{pull.base_ref}",
                "ref": pull.base_ref,
                "sha": self._branch_sha(repo, pull.base_ref),
                "user": owner,
                "repo": self.repo_json(repo),
            },
            "author_association": "OWNER",
        }
        if full:
            data.update(
                merged=pull.merged,
                mergeable=None if pull.merged else True,
                comments=len(pull.comments),
                maintainer_can_modify=False,
            )
        return data

    def comment_json(self, pull: PullRequest, comment: IssueComment) -> dict[str, Any]:
        base = f"{self.api_url}/repos/{pull.repository.name_with_owner}"
        return {
            "id": comment.database_id,
            "node_id": comment.id,
            "url": f"{base}/issues/comments/{comment.database_id}",
            "html_url": (f"{pull.repository.url}/pull/{pull.number}#issuecomment-{comment.database_id}"),
            "issue_url": f"{base}/issues/{pull.number}",
            "body": comment.body,
            "user": self.user_json(comment.user),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.created_at),
            "author_association": "OWNER",
        }

    # -- handlers --------------------------------------------------------------------

    def get_user(self, **_: Any) -> RestReply:
        return RestReply(200, {**self.user_json(self.store.viewer), "name": None, "email": None})

    def get_rate_limit(self, **_: Any) -> RestReply:
        def resource(budget: RateBudget) -> dict[str, Any]:
            return {
                "limit": budget.limit,
                "used": budget.used,
                "remaining": budget.remaining,
                "reset": int(budget.reset_at),
            }

        resources = {"core": resource(self.budget), "graphql": resource(self.graphql_budget)}
        return RestReply(200, {"resources": resources, "rate": resources["core"]})

    def get_repo(self, repo: Repository, **_: Any) -> RestReply:
        return RestReply(200, self.repo_json(repo))

    def get_branch(self, repo: Repository, branch: str, **_: Any) -> RestReply:
        sha = git_remote.branch_sha(repo.remote_path, branch) if repo.remote_path else None
        if sha is None:
            return error(404, "Branch not found", status="404")
        base = f"{self.api_url}/repos/{repo.name_with_owner}"
        return RestReply(
            200,
            {
                "name": branch,
                "commit": {"sha": sha, "url": f"{base}/commits/{sha}"},
                "protected": False,
                "_links": {
                    "self": f"{base}/branches/{branch}",
                    "html": f"{repo.url}/tree/{branch}",
                },
            },
        )

    def _pull(self, repo: Repository, number: str) -> PullRequest | None:
        return self.store.pull(int(number), repo)

    def list_pulls(self, repo: Repository, query: dict[str, str], **_: Any) -> RestReply:
        state = query.get("state", "open")
        pulls = [p for p in repo.pulls if state == "all" or p.state == state]
        if "head" in query:
            head = query["head"] if ":" in query["head"] else f"{repo.owner}:{query['head']}"
            pulls = [p for p in pulls if p.head_label == head]
        if "base" in query:
            pulls = [p for p in pulls if p.base_ref == query["base"]]
        sort_key = "updated_at" if query.get("sort") in ("updated", "long-running") else "created_at"
        pulls.sort(
            key=lambda p: (getattr(p, sort_key), p.number),
            reverse=query.get("direction", "desc") == "desc",
        )
        path = f"/repos/{repo.name_with_owner}/pulls"
        return self._page(path, query, [self.pull_json(p, full=False) for p in pulls])

    def _page(self, path: str, query: dict[str, str], items: list[Any]) -> RestReply:
        """Slice a list with per_page/page and add GitHub's ``Link`` header."""
        per_page = max(1, min(100, int(query.get("per_page", 30))))
        page = max(1, int(query.get("page", 1)))
        last = max(1, math.ceil(len(items) / per_page))

        def link(number: int, rel: str) -> str:
            params = urlencode({**query, "page": number, "per_page": per_page})
            return f'<{self.api_url}{path}?{params}>; rel="{rel}"'

        links = []
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links += [link(page - 1, "prev"), link(1, "first")]
        reply = RestReply(200, items[(page - 1) * per_page : page * per_page])
        if links:
            reply.headers["Link"] = ", ".join(links)
        return reply

    def create_pull(self, repo: Repository, body: Any, **_: Any) -> RestReply:
        body = body or {}
        for name in ("head", "base"):
            if not body.get(name):
                return validation_failed(field=name, code="missing_field")
        if not body.get("title") and not body.get("issue"):
            return validation_failed(field="title", code="missing_field")
        if (too_long := body_too_long(body)) is not None:
            return too_long
        head_owner, _, head_ref = body["head"].rpartition(":")
        head_owner = head_owner or repo.owner
        head_sha = self._branch_sha(repo, head_ref)
        base_sha = self._branch_sha(repo, body["base"])
        if base_sha is None:
            return validation_failed(field="base", code="invalid")
        if head_sha is None:
            return validation_failed(field="head", code="invalid")
        label = f"{head_owner}:{head_ref}"
        if any(
            p.state == "open" and p.head_label == label and p.base_ref == body["base"] for p in repo.pulls
        ):
            return validation_failed(code="custom", message=f"A pull request already exists for {label}.")
        if repo.remote_path and git_remote.is_ancestor(repo.remote_path, head_sha, base_sha):
            return validation_failed(
                code="custom", message=f"No commits between {body['base']} and {head_ref}"
            )
        pull = self.store.add_pull_request(
            title=body.get("title") or "",
            head=label,
            base=body["base"],
            head_sha=head_sha,
            body=body.get("body") or "",
            draft=bool(body.get("draft")),
            repo=repo,
        )
        data = self.pull_json(pull)
        return RestReply(201, data, {"Location": data["url"]})

    def get_pull(self, repo: Repository, number: str, **_: Any) -> RestReply:
        pull = self._pull(repo, number)
        return RestReply(200, self.pull_json(pull)) if pull else not_found()

    def update_pull(self, repo: Repository, number: str, body: Any, **_: Any) -> RestReply:
        pull = self._pull(repo, number)
        if pull is None:
            return not_found()
        body = body or {}
        if (too_long := body_too_long(body)) is not None:
            return too_long
        now = self.store.clock.now()
        if body.get("state") == "open" and pull.merged:
            return validation_failed(
                code="custom",
                message="state cannot be changed. The pull request cannot be reopened.",
            )
        for name in ("title", "body"):
            if name in body and body[name] is not None:
                setattr(pull, name, body[name])
        if body.get("base"):
            if self._branch_sha(repo, body["base"]) is None:
                return validation_failed(field="base", code="invalid")
            pull.base_ref = body["base"]
        if body.get("state") in ("open", "closed") and body["state"] != pull.state:
            pull.state = body["state"]
            pull.closed_at = now if pull.state == "closed" else None
        pull.updated_at = now
        return RestReply(200, self.pull_json(pull))

    def merge_pull(self, repo: Repository, number: str, body: Any, **_: Any) -> RestReply:
        pull = self._pull(repo, number)
        if pull is None:
            return not_found()
        if pull.state != "open":
            return error(405, "Pull Request is not mergeable")
        method = {"rebase": "fast-forward"}.get((body or {}).get("merge_method", "merge"), "merge")
        try:
            sha = git_remote.merge_pull_request(self.store, pull, method=method)
        except git_remote.MergeConflictError:
            return error(405, "Pull Request is not mergeable")
        return RestReply(200, {"sha": sha, "merged": True, "message": "Pull Request successfully merged"})

    def list_comments(self, repo: Repository, number: str, query: dict[str, str], **_: Any) -> RestReply:
        pull = self._pull(repo, number)
        if pull is None:
            return not_found()
        path = f"/repos/{repo.name_with_owner}/issues/{number}/comments"
        return self._page(path, query, [self.comment_json(pull, c) for c in pull.comments])

    def add_comment(self, repo: Repository, number: str, body: Any, **_: Any) -> RestReply:
        pull = self._pull(repo, number)
        if pull is None:
            return not_found()
        if not (body or {}).get("body"):
            return error(
                422,
                "Validation Failed",
                errors=[{"resource": "IssueComment", "field": "body", "code": "missing_field"}],
            )
        comment = self.store.add_issue_comment(pull, body["body"])
        data = self.comment_json(pull, comment)
        return RestReply(201, data, {"Location": data["url"]})


def _template(pattern: str) -> str:
    """Turn a route regex back into GitHub's documented path template."""
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern).replace("\\d+", "")

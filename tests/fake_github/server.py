"""The fake GitHub's HTTP server: REST under ``/api/v3``, GraphQL at ``/api/graphql``.

Those are the paths PyGithub 2.10 uses with ``Github(base_url=".../api/v3")``:
its Requester strips a trailing ``/v3`` and appends ``/graphql``.  ``/graphql``
is accepted too.  Requests are served one at a time under the store's lock, so
tests see a consistent state and concurrent clients are serialised as GitHub
effectively serialises writes to one repository.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import git_remote
from .faults import DISCONNECT, PRIMARY_RATE_LIMIT, SECONDARY_RATE_LIMIT, Fault, Faults
from .graphql_api import GraphQLAPI, RateBudget, rate_limited_payload
from .models import Clock, Repository
from .rest_api import DOCS, RestAPI, RestReply
from .store import Store

REST_PREFIX = "/api/v3"
GRAPHQL_PATHS = ("/api/graphql", "/graphql")
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID {request_id}."
)


@dataclass
class GraphQLCall:
    """One GraphQL request as received, for tests to validate and count."""

    query: str
    variables: dict[str, Any]
    operation_name: str | None
    points: int = 0
    cost: int | None = None
    node_count: int | None = None
    fault: str | None = None


@dataclass
class Stats:
    """Request counts and GraphQL points consumed, for assertions and benchmarks."""

    requests: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_route: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    graphql_points: int = 0

    def reset(self) -> None:
        self.requests = self.graphql_points = 0
        self.by_kind.clear()
        self.by_route.clear()
        self.faults.clear()


class FakeGitHub:
    """A GitHub (REST + GraphQL) on 127.0.0.1, backed by an in-memory :class:`Store`.

    Use as a context manager; the store can be seeded before or after start.
    """

    def __init__(
        self,
        *,
        owner: str = "octo-org",
        repo: str | None = "forum",
        viewer: str = "forum-bot",
        clock: Clock | None = None,
        tokens: set[str] | None = None,
    ) -> None:
        self.store = Store(viewer=viewer, clock=clock)
        if repo is not None:
            self.store.add_organization(owner)
            self.store.add_repository(owner, repo)
        #: Accepted tokens; None accepts any token (an Authorization header is still required).
        self.tokens = tokens
        self.stats = Stats()
        self.faults = Faults()
        self.log: list[GraphQLCall] = []
        #: Unexpected exceptions raised while serving (each also answered with a 500).
        self.errors: list[BaseException] = []
        self.graphql = GraphQLAPI(self.store, RateBudget("graphql"))
        self.rest: RestAPI | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> FakeGitHub:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self.rest = RestAPI(self.store, self.api_url, RateBudget("core"), self.graphql.budget)
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-github",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake GitHub is not running; call start() first")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """What to pass as PyGithub's ``base_url``."""
        return self.base_url + REST_PREFIX

    @property
    def graphql_url(self) -> str:
        return self.base_url + GRAPHQL_PATHS[0]

    @property
    def repo(self) -> Repository:
        """The repository created at construction (the first one)."""
        return self.store.default_repository

    # -- test helpers ------------------------------------------------------------

    def attach_remote(
        self, path: Path, *, seed_from: Path | None = None, repo: Repository | str | None = None
    ) -> Path:
        """Create a bare git repository at ``path`` and make it the repository's remote."""
        repository = self.store.get_repository(repo)
        git_remote.create_bare_remote(path, seed_from=seed_from, default_branch=repository.default_branch)
        with self.store.lock:
            repository.remote_path = path
        return path

    def merge_pull_request(
        self,
        number: int,
        *,
        repo: Repository | str | None = None,
        method: str = "merge",
        delete_branch: bool = False,
    ) -> str:
        """Merge a pull request as a maintainer pressing GitHub's button; returns the new sha."""
        with self.store.lock:
            pull = self.store.pull(number, repo)
            if pull is None or pull.state != "open":
                raise LookupError(f"no open pull request #{number}")
            return git_remote.merge_pull_request(self.store, pull, method=method, delete_branch=delete_branch)

    # -- request handling (called on the server's threads) -----------------------

    def serve(self, handler: _Handler) -> None:
        method = handler.command
        split = urlsplit(handler.path)
        path, query = split.path, dict(parse_qsl(split.query))
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        api = "graphql" if path in GRAPHQL_PATHS else "rest"
        rest_path = path.removeprefix(REST_PREFIX) if path.startswith(REST_PREFIX + "/") else None
        with self.store.lock:
            self.stats.requests += 1
            self.stats.by_kind[api] += 1
            call = self._log_graphql(raw) if api == "graphql" else None
            fault = self.faults.take(api, method, rest_path or path)
            if fault is not None:
                self.stats.faults[fault.kind] += 1
                if call is not None:
                    call.fault = fault.kind
                self._inject(handler, fault, api)
                return
            try:
                status, payload, headers = self._answer(handler, method, api, rest_path, query, raw, call)
            except Exception as error:  # a bug in the fake: report it rather than hang the client
                self.errors.append(error)
                status, payload, headers = 500, {"message": f"fake GitHub error: {error!r}"}, {}
        self._send(handler, status, payload, headers)

    def _log_graphql(self, raw: bytes) -> GraphQLCall:
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        call = GraphQLCall(str(body.get("query", "")), body.get("variables") or {}, body.get("operationName"))
        self.log.append(call)
        return call

    def _answer(
        self,
        handler: _Handler,
        method: str,
        api: str,
        rest_path: str | None,
        query: dict[str, str],
        raw: bytes,
        call: GraphQLCall | None,
    ) -> tuple[int, Any, dict[str, str]]:
        if api == "graphql" and method != "POST":
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        if api == "rest" and (rest_path is None or self.rest is None):
            return 404, {"message": "Not Found", "documentation_url": DOCS}, {}
        unauthorized = self._check_auth(handler.headers.get("Authorization"), api)
        if unauthorized is not None:
            self.stats.by_kind["unauthorized"] += 1
            return unauthorized.status, unauthorized.payload, {}
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return 400, {"message": "Problems parsing JSON", "documentation_url": DOCS}, {}
        if api == "graphql":
            reply = self.graphql.handle(body)
            self.stats.graphql_points += reply.points
            if call is not None:
                call.points = reply.points
                call.cost = reply.cost.cost if reply.cost else None
                call.node_count = reply.cost.node_count if reply.cost else None
            return 200, reply.payload, self.graphql.budget.headers()
        assert self.rest is not None and rest_path is not None
        route, rest_reply = self.rest.dispatch(method, rest_path, query, body)
        self.stats.by_route[route] += 1
        return rest_reply.status, rest_reply.payload, rest_reply.headers

    def _check_auth(self, header: str | None, api: str) -> RestReply | None:
        scheme, _, token = (header or "").partition(" ")
        if not header or scheme.lower() not in ("token", "bearer") or not token:
            message = (
                "This endpoint requires you to be authenticated."
                if api == "graphql"
                else "Requires authentication"
            )
            return RestReply(401, {"message": message, "documentation_url": DOCS})
        if self.tokens is not None and token not in self.tokens:
            return RestReply(401, {"message": "Bad credentials", "documentation_url": DOCS})
        return None

    def _inject(self, handler: _Handler, fault: Fault, api: str) -> None:
        if fault.kind == DISCONNECT:
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault.kind == PRIMARY_RATE_LIMIT:
            budget = self.graphql.budget if api == "graphql" else RateBudget("core")
            headers = {
                **budget.headers(),
                "x-ratelimit-remaining": "0",
                "x-ratelimit-used": str(budget.limit),
                "x-ratelimit-reset": str(int(time.time()) + fault.seconds),
            }
            if api == "graphql":
                payload = rate_limited_payload(self.store.viewer.database_id)
                self._send(handler, 200, payload, headers)
            else:
                message = f"API rate limit exceeded for user ID {self.store.viewer.database_id}."
                self._send(handler, 403, {"message": message, "documentation_url": DOCS}, headers)
        elif fault.kind == SECONDARY_RATE_LIMIT:
            message = SECONDARY_MESSAGE.format(request_id=uuid.uuid4().hex[:16].upper())
            headers = {"retry-after": str(fault.seconds)} if fault.retry_after_header else {}
            if fault.status == 200:
                self._send(handler, 200, {"errors": [{"message": message}]}, headers)
            else:
                self._send(handler, fault.status, {"message": message, "documentation_url": DOCS}, headers)
        else:
            page = f"<html><body><h1>{fault.status} Server Error</h1></body></html>".encode()
            self._send_raw(handler, fault.status, page, "text/html; charset=utf-8", {})

    def _send(self, handler: _Handler, status: int, payload: Any, headers: dict[str, str]) -> None:
        # 204 No Content has no body, and a keep-alive client would read one as the next answer.
        body = b"" if status == 204 else json.dumps(payload).encode()
        self._send_raw(handler, status, body, "application/json; charset=utf-8", headers)

    @staticmethod
    def _send_raw(
        handler: _Handler, status: int, body: bytes, content_type: str, headers: dict[str, str]
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("X-GitHub-Request-Id", uuid.uuid4().hex[:20].upper())
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeGitHub

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def close_connections(self) -> None:
        """Drop idle keep-alive connections so their handler threads end with the server."""
        with self.connections_lock:
            for connection in self.connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            self.connections.clear()


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keep-alive, as PyGithub's requests session expects from GitHub.
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 30

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def _serve(self) -> None:
        self.server.fake.serve(self)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet; the fake's own stats and log record the traffic."""

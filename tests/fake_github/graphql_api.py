"""The fake GitHub's GraphQL endpoint: GitHub's real schema, executed by graphql-core.

A request goes through the same gates as on GitHub, each failing in GitHub's
shape and always with HTTP 200: JSON body -> parse -> schema validation ->
pagination and node limits (``data: null``) -> rate-limit budget
(``RATE_LIMITED``) -> execution, whose resolver errors sit beside partial data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    execute,
    parse,
    validate,
)
from graphql.error import GraphQLSyntaxError

from .cost import QueryCost, analyze
from .resolvers import GitHubError, default_resolver, type_resolver
from .schema import get_schema
from .store import Store


@dataclass
class RateBudget:
    """One primary rate-limit budget (GitHub keeps ``graphql`` and ``core`` apart).

    The window runs on real time, not the store's clock: clients sleep until
    ``x-ratelimit-reset`` by the wall clock, so a frozen test clock there would
    make them wait forever or not at all.
    """

    resource: str
    limit: int = 5000
    used: int = 0
    window_seconds: float = 3600.0
    reset_at: float = field(default_factory=lambda: time.time() + 3600.0)

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def roll(self) -> None:
        """Start a fresh window once the reset time has passed."""
        now = time.time()
        if now >= self.reset_at:
            self.used = 0
            self.reset_at = now + self.window_seconds

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(int(self.reset_at)),
            "x-ratelimit-used": str(self.used),
            "x-ratelimit-resource": self.resource,
        }


@dataclass
class ExecutionContext:
    """What resolvers can see besides their parent object."""

    store: Store
    budget: RateBudget
    analysis: QueryCost


@dataclass
class GraphQLReply:
    """The JSON body to send (always with HTTP 200) and the points it consumed."""

    payload: dict[str, Any]
    points: int = 0
    cost: QueryCost | None = None


def format_error(error: GraphQLError) -> dict[str, Any]:
    """Render an execution error as GitHub does: ``type`` (when known), path, locations."""
    out: dict[str, Any] = {}
    if isinstance(error.original_error, GitHubError):
        out["type"] = error.original_error.type
    if error.path:
        out["path"] = list(error.path)
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    out["message"] = error.message
    return out


def rate_limited_payload(user_id: int) -> dict[str, Any]:
    """GitHub's answer to a GraphQL call made with an exhausted primary budget."""
    return {
        "errors": [
            {
                "type": "RATE_LIMITED",
                "message": f"API rate limit exceeded for user ID {user_id}.",
            }
        ]
    }


def _dry_run(operation: OperationDefinitionNode, variables: dict[str, Any]) -> bool:
    """True when the query asks ``rateLimit(dryRun: true)``, which GitHub does not charge."""
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value == "rateLimit":
            for argument in selection.arguments:
                if argument.name.value == "dryRun":
                    value = argument.value
                    if getattr(value, "kind", "") == "variable":
                        return bool(variables.get(value.name.value))  # type: ignore[attr-defined]
                    return bool(getattr(value, "value", False))
    return False


class GraphQLAPI:
    """Executes GraphQL requests against the store, charging the GraphQL budget."""

    def __init__(self, store: Store, budget: RateBudget | None = None) -> None:
        self.store = store
        self.budget = budget or RateBudget("graphql")

    def handle(self, body: Any) -> GraphQLReply:
        """Answer one decoded JSON request body ``{"query", "variables", "operationName"}``."""
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return GraphQLReply(
                {"errors": [{"message": "A query attribute must be specified and must be a string."}]}
            )
        query: str = body["query"]
        variables: dict[str, Any] = body.get("variables") or {}
        operation_name: str | None = body.get("operationName")
        schema = get_schema()
        try:
            document = parse(query)
        except GraphQLSyntaxError as error:
            return GraphQLReply({"errors": [format_error(error)]})
        problems = validate(schema, document)
        if problems:
            return GraphQLReply({"errors": [format_error(p) for p in problems]})

        analysis = analyze(schema, document, variables, operation_name)
        if analysis.errors:
            return GraphQLReply(
                {"data": None, "errors": [e.to_json() for e in analysis.errors]}, cost=analysis
            )

        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        operation = next(
            (o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)),
            None,
        )
        dry_run = operation is not None and _dry_run(operation, variables)
        self.budget.roll()
        points = 0 if dry_run else analysis.cost
        if points > self.budget.remaining:
            return GraphQLReply(rate_limited_payload(self.store.viewer.database_id), cost=analysis)
        self.budget.used += points

        result = execute(
            schema,
            document,
            root_value={},
            context_value=ExecutionContext(self.store, self.budget, analysis),
            variable_values=variables,
            operation_name=operation_name,
            field_resolver=default_resolver,
            type_resolver=type_resolver,
        )
        payload: dict[str, Any] = {"data": result.data}  # type: ignore[union-attr]
        if result.errors:  # type: ignore[union-attr]
            payload["errors"] = [format_error(e) for e in result.errors]  # type: ignore[union-attr]
        return GraphQLReply(payload, points=points, cost=analysis)

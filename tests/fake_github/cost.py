"""GitHub's static limits on a GraphQL query: pagination bounds, node limit and point cost.

GitHub checks these before running a query (a violation fails the whole call
with ``data: null``) and charges the cost against the hourly budget.  The rules,
from GitHub's "Rate limits and node limits for the GraphQL API" page:

* every connection needs ``first`` or ``last``, each within 0..100;
* node count = for each connection, its page size times the page sizes of all
  connections it is nested in, summed; at most 500,000;
* cost = for each connection, the number of requests needed to fill it, i.e.
  the product of the page sizes of the connections *around* it (1 at the top),
  summed, divided by 100, rounded, and at least 1.

Example: ``discussions(first: 50) { comments(first: 100) { replies(first: 10) } }``
needs 1 + 50 + 50*100 = 5,051 requests, so it costs round(50.51) = 51 points and
counts 50 + 5,000 + 50,000 = 55,050 nodes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInt,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Undefined,
    get_named_type,
    type_from_ast,
    value_from_ast,
)
from graphql.type import GraphQLInterfaceType

MAX_PAGE_SIZE = 100
MAX_NODES = 500_000


@dataclass
class LimitError:
    """One GitHub-shaped error: ``type`` is e.g. ``EXCESSIVE_PAGINATION``."""

    type: str
    message: str
    path: list[str]
    line: int
    column: int

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "path": self.path,
            "locations": [{"line": self.line, "column": self.column}],
            "message": self.message,
        }


@dataclass
class QueryCost:
    """What GitHub would charge and count for one operation."""

    requests: int = 0
    node_count: int = 0
    errors: list[LimitError] = field(default_factory=list)

    @property
    def cost(self) -> int:
        # Half-up rounding (Python's round() would send 50.5 to 50), minimum 1.
        return max(1, math.floor(self.requests / 100 + 0.5))


def is_connection(field_type: GraphQLNamedType, arg_names: set[str]) -> bool:
    """GitHub's connections are the ``*Connection`` types paginated with first/last."""
    return field_type.name.endswith("Connection") and {"first", "last"} <= arg_names


def analyze(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> QueryCost:
    """Compute cost, node count and limit violations of the selected operation.

    The document must already have passed schema validation.
    """
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    result = QueryCost()
    if not operations:
        return result
    operation = operations[0]
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
        OperationType.SUBSCRIPTION: schema.subscription_type,
    }[operation.operation]
    walker = _Walker(schema, fragments, _variable_values(schema, operation, variables or {}), result)
    if root is not None:
        walker.walk(operation.selection_set, root, multiplier=1, path=[])
    return result


def _variable_values(
    schema: GraphQLSchema, operation: OperationDefinitionNode, given: dict[str, Any]
) -> dict[str, Any]:
    """Variables with their declared defaults filled in, for reading first/last."""
    values = dict(given)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        var_type = type_from_ast(schema, definition.type)
        if name not in values and definition.default_value is not None and var_type is not None:
            values[name] = value_from_ast(definition.default_value, var_type)  # type: ignore[arg-type]
    return values


@dataclass
class _Walker:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]
    result: QueryCost

    def walk(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType,
        multiplier: int,
        path: list[str],
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self._field(selection, parent, multiplier, path)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                self.walk(selection.selection_set, target or parent, multiplier, path)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    self.walk(fragment.selection_set, target or parent, multiplier, path)

    def _field(self, node: FieldNode, parent: GraphQLNamedType, multiplier: int, path: list[str]) -> None:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return
        definition = parent.fields.get(name)
        if definition is None:
            return
        field_type = get_named_type(definition.type)
        here = [*path, name]
        if node.selection_set is None:
            return
        if not is_connection(field_type, set(definition.args)):
            self.walk(node.selection_set, field_type, multiplier, here)
            return
        page = self._page_size(node, name, here)
        self.result.requests += multiplier
        nested = multiplier * page
        self.result.node_count += nested
        if self.result.node_count > MAX_NODES and not any(
            e.type == "MAX_NODE_LIMIT_EXCEEDED" for e in self.result.errors
        ):
            self._error(
                "MAX_NODE_LIMIT_EXCEEDED",
                f"By the time this query traverses to the {name} connection, it is requesting "
                f"up to {self.result.node_count:,} possible nodes which exceeds the maximum "
                f"limit of {MAX_NODES:,}.",
                node,
                here,
            )
        self.walk(node.selection_set, field_type, nested, here)

    def _page_size(self, node: FieldNode, name: str, path: list[str]) -> int:
        args: dict[str, Any] = {}
        for argument in node.arguments:
            if argument.name.value in ("first", "last"):
                value = value_from_ast(argument.value, GraphQLInt, self.variables)
                args[argument.name.value] = None if value is Undefined else value
        first, last = args.get("first"), args.get("last")
        if first is None and last is None:
            if _only_counts(node.selection_set):
                # GitHub lets `issues { totalCount }` through without a page size.
                return 0
            self._error(
                "MISSING_PAGINATION_BOUNDARIES",
                f"You must provide a `first` or `last` value to properly paginate the `{name}` connection.",
                node,
                path,
            )
            return 0
        for arg_name, value in (("first", first), ("last", last)):
            if value is not None and value > MAX_PAGE_SIZE:
                self._error(
                    "EXCESSIVE_PAGINATION",
                    f"Requesting {value} records on the `{name}` connection exceeds the "
                    f"`{arg_name}` limit of {MAX_PAGE_SIZE} records.",
                    node,
                    path,
                )
        return max(0, min(MAX_PAGE_SIZE, max(v for v in (first, last) if v is not None)))

    def _error(self, kind: str, message: str, node: FieldNode, path: list[str]) -> None:
        location = node.loc.source.get_location(node.loc.start) if node.loc else None
        self.result.errors.append(
            LimitError(
                kind,
                message,
                path,
                location.line if location else 0,
                location.column if location else 0,
            )
        )


def _only_counts(selection_set: SelectionSetNode | None) -> bool:
    """True when a connection is asked only for ``totalCount`` (and ``__typename``)."""
    if selection_set is None:
        return True
    return all(
        isinstance(s, FieldNode) and s.name.value in ("totalCount", "__typename")
        for s in selection_set.selections
    )

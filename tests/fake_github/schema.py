"""GitHub's public GraphQL schema, loaded from the ``@octokit/graphql-schema`` npm package.

The project ships no copy of the schema: ``npm ci --prefix tests`` installs the
pinned package into ``tests/node_modules`` and this module reads
``schema.graphql`` from there.  Building the schema takes about a second (the file
is over a megabyte), so the result is cached for the life of the process.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from graphql import GraphQLSchema, build_schema, parse, validate
from graphql.error import GraphQLSyntaxError

#: Where ``npm ci --prefix tests`` puts the schema; ``FAKE_GITHUB_SCHEMA`` overrides it.
DEFAULT_SCHEMA_PATH = (
    Path(__file__).resolve().parent.parent / "node_modules" / "@octokit" / "graphql-schema" / "schema.graphql"
)

# lru_cache alone is not enough: two server threads asking for the schema at the
# same time would both spend a second building it.
_BUILD_LOCK = threading.Lock()


class SchemaNotInstalledError(RuntimeError):
    """Raised when the npm package holding GitHub's schema has not been installed."""


def schema_path() -> Path:
    """Return the path of ``schema.graphql``, honouring ``FAKE_GITHUB_SCHEMA``."""
    override = os.environ.get("FAKE_GITHUB_SCHEMA")
    return Path(override) if override else DEFAULT_SCHEMA_PATH


def get_schema() -> GraphQLSchema:
    """Return GitHub's GraphQL schema, built once per process."""
    with _BUILD_LOCK:
        return _build(schema_path())


@lru_cache(maxsize=2)
def _build(path: Path) -> GraphQLSchema:
    if not path.is_file():
        raise SchemaNotInstalledError(
            f"GitHub's GraphQL schema was not found at {path}. "
            "Run `npm ci --prefix tests` from the project root to install "
            "@octokit/graphql-schema into tests/node_modules."
        )
    # assume_valid: GitHub's schema defines
    # EnterpriseOwnerInfo.repositoryDeployKeySetting twice, which strict
    # validation rejects although GitHub itself serves it that way.
    return build_schema(path.read_text(encoding="utf-8"), assume_valid=True)


def validate_query(query: str) -> list[str]:
    """Return the validation errors of a query or mutation against GitHub's schema.

    An empty list means GitHub would accept the document's shape (GitHub's own
    pagination and node limits are checked separately, at request time, by the
    fake server; see :mod:`cost`).
    """
    try:
        document = parse(query)
    except GraphQLSyntaxError as error:
        return [error.message]
    return [error.message for error in validate(get_schema(), document)]

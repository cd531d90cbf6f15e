"""A faithful fake of GitHub's REST and GraphQL APIs for the project's tests.

Start one with ``with FakeGitHub() as github:`` (or the ``fake_github`` fixture
in :mod:`.fixtures`), point PyGithub at ``github.api_url``, seed and inspect
``github.store``, inject failures with ``github.faults``, and check every query
the tool sent with :func:`validate_query` over ``github.log``.
"""

from __future__ import annotations

from .cost import QueryCost, analyze
from .faults import Fault, Faults
from .git_remote import MergeConflictError, create_bare_remote
from .models import (
    Clock,
    Discussion,
    DiscussionCategory,
    DiscussionComment,
    PullRequest,
    Repository,
    RepositoryInvitation,
    Team,
    User,
)
from .schema import SchemaNotInstalledError, get_schema, validate_query
from .server import FakeGitHub, GraphQLCall, Stats
from .store import Store

__all__ = [
    "Clock",
    "Discussion",
    "DiscussionCategory",
    "DiscussionComment",
    "FakeGitHub",
    "Fault",
    "Faults",
    "GraphQLCall",
    "MergeConflictError",
    "PullRequest",
    "QueryCost",
    "Repository",
    "RepositoryInvitation",
    "SchemaNotInstalledError",
    "Stats",
    "Store",
    "Team",
    "User",
    "analyze",
    "create_bare_remote",
    "get_schema",
    "validate_query",
]

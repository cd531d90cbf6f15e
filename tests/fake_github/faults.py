"""Fault injection: make chosen upcoming requests fail the ways GitHub fails.

Each fault applies to requests matching ``only`` (``None`` = any request,
``"graphql"``, ``"rest"``, or a REST path glob such as ``/repos/*/*/pulls*``,
written without the ``/api/v3`` prefix) and optionally ``method``.  ``skip``
lets that many matching requests through first, so ``skip=k-1`` hits the k-th
matching request from now; ``times`` is how many consecutive matching requests
then fail.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field

HTTP_ERROR = "http_error"
PRIMARY_RATE_LIMIT = "primary_rate_limit"
SECONDARY_RATE_LIMIT = "secondary_rate_limit"
DISCONNECT = "disconnect"


@dataclass
class Fault:
    """One armed fault; the server reads ``kind``, ``status`` and ``seconds`` when it fires."""

    kind: str
    times: int = 1
    skip: int = 0
    only: str | None = None
    method: str | None = None
    #: HTTP status for ``http_error`` (502 by default) and ``secondary_rate_limit`` (200, 403, 429).
    status: int = 502
    #: ``retry-after`` for secondary limits; seconds until ``x-ratelimit-reset`` for primary ones.
    seconds: int = 1
    #: Secondary limits only: whether the answer carries ``retry-after`` (GitHub does not always).
    retry_after_header: bool = True

    def matches(self, api: str, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        if self.only is None or self.only == api:
            return True
        return api == "rest" and fnmatch.fnmatchcase(path, self.only)


@dataclass
class Faults:
    """The queue of armed faults, plus a record of those that fired."""

    pending: list[Fault] = field(default_factory=list)
    fired: list[tuple[str, str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self.pending.append(fault)
        return fault

    def fail_next(
        self,
        times: int = 1,
        *,
        status: int = 502,
        only: str | None = None,
        method: str | None = None,
        skip: int = 0,
    ) -> Fault:
        """Answer with an HTTP error (502 Bad Gateway by default), as GitHub's edge does."""
        return self.add(Fault(HTTP_ERROR, times, skip, only, method, status))

    def primary_rate_limit(
        self,
        times: int = 1,
        *,
        reset_in: int = 2,
        only: str | None = None,
        method: str | None = None,
        skip: int = 0,
    ) -> Fault:
        """Answer as if the hourly budget were spent, resetting ``reset_in`` seconds from now.

        GraphQL gets HTTP 200 with a ``RATE_LIMITED`` error; REST gets a 403.
        """
        return self.add(Fault(PRIMARY_RATE_LIMIT, times, skip, only, method, 200, reset_in))

    def secondary_rate_limit(
        self,
        times: int = 1,
        *,
        status: int = 403,
        retry_after: int | None = 1,
        only: str | None = None,
        method: str | None = None,
        skip: int = 0,
    ) -> Fault:
        """Answer with GitHub's secondary (abuse) limit: 403 or 429 plus ``retry-after``.

        GitHub documents that GraphQL may also answer 200 with the message in ``errors``,
        and that ``retry-after`` may be missing (clients then wait at least a minute):
        ``status=200`` (GraphQL only) and ``retry_after=None`` produce those answers.
        """
        if status not in (200, 403, 429):
            raise ValueError("GitHub signals secondary rate limits with 200 (GraphQL), 403 or 429")
        if status == 200 and only != "graphql":
            raise ValueError("only GraphQL answers a secondary rate limit with 200; pass only='graphql'")
        fault = Fault(SECONDARY_RATE_LIMIT, times, skip, only, method, status, retry_after or 0)
        fault.retry_after_header = retry_after is not None
        return self.add(fault)

    def disconnect(
        self, times: int = 1, *, only: str | None = None, method: str | None = None, skip: int = 0
    ) -> Fault:
        """Read the request, then close the connection without answering."""
        return self.add(Fault(DISCONNECT, times, skip, only, method))

    def clear(self) -> None:
        with self._lock:
            self.pending.clear()

    def take(self, api: str, method: str, path: str) -> Fault | None:
        """Called by the server for each request: the fault to apply, if any.

        Every matching fault counts the request against its ``skip``, even when
        an earlier fault fires, so independent faults keep independent counts.
        """
        chosen: Fault | None = None
        with self._lock:
            for fault in list(self.pending):
                if not fault.matches(api, method, path):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                if chosen is None:
                    chosen = fault
                    fault.times -= 1
                    if fault.times <= 0:
                        self.pending.remove(fault)
            if chosen is not None:
                self.fired.append((chosen.kind, method, path))
        return chosen

"""What the browser downloads, step by step, by its own accounting (for bench/reader.py):
the Chrome DevTools Protocol's Network events of the page, each request counted once with
`Network.loadingFinished`'s encodedDataLength (bytes on the wire: headers and the body as
sent, compressed), a response from the browser's cache counted as 0 bytes.

Nothing here knows the forum's files: a step is whatever the browser fetched while it ran.
A dedicated worker's own loading is reported to the worker, not the page: such a request is
counted (`unseen`), its bytes are not (Material's search worker script, 12 KB once, today).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Step:
    """One step of the reader's visit: bytes over the network, requests made, and how many
    of them the browser's cache answered (0 bytes each)."""

    name: str
    transferred: int
    requests: int
    from_cache: int
    largest: tuple[tuple[str, int], ...] = ()  # the heaviest responses: (address, bytes)
    unseen: int = 0  # requests whose end the page's events never told (a worker's script): bytes unknown


@dataclass
class Traffic:
    """Collects the page's Network events; `take` closes a step and starts the next."""

    started: dict[str, str] = field(default_factory=dict)  # request id → address
    cached: set[str] = field(default_factory=set)
    finished: list[tuple[str, int, bool]] = field(default_factory=list)  # address, bytes, cached
    last_event: float = field(default_factory=time.monotonic)

    def on_request(self, event: dict) -> None:
        """Network.requestWillBeSent (a redirect reuses the id: the request is still open)."""
        self.started[event["requestId"]] = event["request"]["url"]
        self.last_event = time.monotonic()

    def on_cached(self, event: dict) -> None:
        """Network.requestServedFromCache (memory or disk cache)."""
        self.cached.add(event["requestId"])

    def on_response(self, event: dict) -> None:
        """Network.responseReceived: a disk-cache hit says so here."""
        response = event.get("response", {})
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.cached.add(event["requestId"])
        self.last_event = time.monotonic()

    def on_finished(self, event: dict) -> None:
        """Network.loadingFinished: the request's bytes on the wire."""
        self._close(event["requestId"], int(event.get("encodedDataLength", 0)))

    def on_failed(self, event: dict) -> None:
        """Network.loadingFailed: counted as a request, its bytes unknown (0)."""
        self._close(event["requestId"], 0)

    def _close(self, request_id: str, encoded: int) -> None:
        address = self.started.pop(request_id, "")
        from_cache = request_id in self.cached
        self.cached.discard(request_id)
        self.finished.append((address, 0 if from_cache else encoded, from_cache))
        self.last_event = time.monotonic()

    @property
    def in_flight(self) -> int:
        """Requests sent and not yet finished."""
        return len(self.started)

    def quiet_for(self) -> float:
        """Seconds since the last network event."""
        return time.monotonic() - self.last_event

    def so_far(self) -> int:
        """Bytes of the step under way, up to now."""
        return sum(size for _, size, _ in self.finished)

    def take(self, name: str) -> Step:
        """The step that ends now: what finished since the last `take`, and the requests
        still open, which no later event will close."""
        done, self.finished = self.finished, []
        unseen, self.started = len(self.started), {}
        heaviest = sorted(((a, b) for a, b, _ in done if b), key=lambda item: -item[1])[:3]
        return Step(
            name,
            transferred=sum(b for _, b, _ in done),
            requests=len(done),
            from_cache=sum(1 for *_, cached in done if cached),
            largest=tuple(heaviest),
            unseen=unseen,
        )

    def listen(self, session: object) -> None:
        """Subscribe to a Playwright CDPSession whose Network domain is enabled."""
        on = session.on  # type: ignore[attr-defined]
        on("Network.requestWillBeSent", self.on_request)
        on("Network.requestServedFromCache", self.on_cached)
        on("Network.responseReceived", self.on_response)
        on("Network.loadingFinished", self.on_finished)
        on("Network.loadingFailed", self.on_failed)

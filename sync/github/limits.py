"""GitHub's limits on content creation: 80 a minute, 500 an hour (secondary rate limits).

GitHub documents that creating content (comments, discussions) too fast triggers a
secondary rate limit, whatever the primary budget says. Mirroring between guests' rooms and
topics creates comments, so every creation first asks a `ContentLimiter`: it waits (on
the client's clock, which tests replace) when the minute is full, and says no when the hour
is full, so that the rest waits for the next sync instead of keeping a workflow busy.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from sync.github.client import Clock, SystemClock

PER_MINUTE = 80
PER_HOUR = 500


@dataclass
class ContentLimiter:
    """Counts content creations in sliding windows of a minute and an hour."""

    clock: Clock = field(default_factory=SystemClock)
    # Read when a limiter is made, so that a test can lower GitHub's figures.
    per_minute: int = field(default_factory=lambda: PER_MINUTE)
    per_hour: int = field(default_factory=lambda: PER_HOUR)
    created: deque[float] = field(default_factory=deque)
    waited: float = 0.0

    def acquire(self) -> bool:
        """Wait until one more creation fits in the minute; False when the hour is full."""
        now = self.clock.time()
        self._forget(now - 3600)
        if len(self.created) >= self.per_hour:
            return False
        in_minute = [t for t in self.created if t > now - 60]
        if len(in_minute) >= self.per_minute:
            wait = in_minute[-self.per_minute] + 60 - now
            if wait > 0:
                self.clock.sleep(wait)
                self.waited += wait
                now = max(self.clock.time(), now + wait)
        self.created.append(now)
        return True

    def _forget(self, before: float) -> None:
        while self.created and self.created[0] <= before:
            self.created.popleft()

"""How much a sync of a ten-year archive costs, end to end, on the fake GitHub.

    .venv/bin/python bench/sync.py [discussions] [comments]

Seeds 500 weekly topics with 10,000 comments and replies (the defaults), runs a full
`forum sync` into a fresh forum checkout (read, moderate, write, commit, push, pull
request), merges it, then changes 10 discussions and runs an incremental sync. Prints
GitHub requests, GraphQL points and seconds for each. The suite runs the same measure at
the default sizes (tests/test_sync_budget.py); this script takes others.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from archive import Archive  # noqa: E402
from archive_seed import change_discussions, seed_archive  # noqa: E402
from fake_github import FakeGitHub  # noqa: E402
from syncworld import World  # noqa: E402


def measure(world: World, label: str, full: bool) -> None:
    world.fake.stats.reset()
    started = time.perf_counter()
    outcome = world.sync(full=full)
    seconds = time.perf_counter() - started
    report = outcome.report
    print(
        f"{label}: {outcome.budget.graphql_requests} GraphQL requests, {outcome.budget.points} points "
        f"({world.fake.stats.graphql_points} charged by the fake), {world.fake.stats.requests} HTTP requests "
        f"in all; {outcome.discussions} discussions read, {report.count('new')} new, "
        f"{report.count('edited')} edited posts; {seconds:.1f} s"
    )


def main(discussions: int = 500, comments: int = 10_000) -> None:
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as scratch, FakeGitHub() as fake:
        tmp = Path(scratch)
        fake.attach_remote(tmp / "remote.git")
        world = World(fake, Archive(tmp / "forum"), tmp)
        created = seed_archive(fake.store, discussions, comments)
        measure(world, f"Full sync, {discussions} discussions / {comments} comments", full=True)
        pull = world.open_pull()
        assert pull is not None
        fake.merge_pull_request(pull.number)
        world.pull()
        change_discussions(fake.store, created, 10)
        measure(world, "Incremental sync, 10 changed discussions", full=False)


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:3]))

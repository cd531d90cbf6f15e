"""What `forum sync` costs on a ten-year archive: the whole path, on the fake GitHub.

GitHub Actions' GITHUB_TOKEN gets 1,000 GraphQL points an hour per repository: a full sync
must stay well under that, an incremental one cost a handful. `bench/sync.py` runs the
same measure on demand, with other sizes and timings.
"""

from __future__ import annotations

import time

import pytest
from archive_seed import change_discussions, seed_archive
from syncworld import World

pytest_plugins = ["syncfixtures"]  # the fake GitHub's fixtures, and `world`


@pytest.mark.slow
def test_budget_of_a_full_and_an_incremental_sync_of_a_ten_year_archive(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:

    discussions = seed_archive(world.store, discussions=500, comments=10_000)
    started = time.perf_counter()
    full = world.sync(full=True)
    full_seconds = time.perf_counter() - started
    assert full.discussions == 500 and full.report.count("new") == 10_500  # topics and comments
    assert full.budget.points == world.fake.stats.graphql_points  # our count is GitHub's charge
    pull = world.open_pull()
    assert pull is not None and len(pull.body) <= 65_536  # GitHub's limit: the table is cut
    assert pull.body.endswith("… (cut to fit GitHub's limit: the branch's diff has the rest)\n")
    world.fake.merge_pull_request(pull.number)
    world.pull()

    change_discussions(world.store, discussions, 10)
    world.fake.stats.reset()
    started = time.perf_counter()
    incremental = world.sync()
    incremental_seconds = time.perf_counter() - started
    # The ten changed discussions, and the archive's last one, inside the overlap window.
    assert incremental.discussions == 11 and incremental.report.count("new") == 10
    assert incremental.budget.points == world.fake.stats.graphql_points
    with capsys.disabled():
        print(
            f"\nforum sync on the fake GitHub: full, 500 discussions / 10,000 comments: "
            f"{full.budget.graphql_requests} GraphQL requests, {full.budget.points} points, "
            f"{full_seconds:.0f} s; incremental, 10 changed discussions: "
            f"{incremental.budget.graphql_requests} requests, {incremental.budget.points} points, "
            f"{incremental_seconds:.0f} s"
        )
    # Pages of 100 discussions cost 21 points each; 20 long discussions need a follow-up for
    # their comments and one for a long thread, 1 point each.
    assert (full.budget.graphql_requests, full.budget.points) == (45, 145)
    # Two pages of 10 recently active discussions, 2 points each.
    assert (incremental.budget.graphql_requests, incremental.budget.points) == (2, 4)

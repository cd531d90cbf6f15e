"""A ten-year archive on the fake GitHub, for measuring what a sync costs.

Shared by the budget test and `bench/sync.py`: 500 weekly topics and 10,000 comments and
replies, of which a few long discussions need the sync's follow-up queries.
"""

from __future__ import annotations

from datetime import timedelta

from fake_github.models import Discussion
from fake_github.store import Store

DELEGATES = ["br-ana", "fr-luc", "mx-eva", "ke-joy"]
SENTENCES = [
    "We trained forty trainers in two years and kept them busy with regional courses.",
    "Nous avons formé vingt formateurs l'an dernier, avec un suivi trimestriel.",
    "Hemos capacitado a cuarenta formadores y evaluamos cada sesión con encuestas.",
]
LONG_EVERY = 25  # one discussion in 25 is long: more comments and replies than a page holds
LONG_COMMENTS, LONG_THREAD = 35, 15


def seed_archive(store: Store, discussions: int = 500, comments: int = 10_000) -> list[Discussion]:
    """Weekly topics in the `training` category with `comments` comments and replies in all."""
    long_ones = len(range(0, discussions, LONG_EVERY))
    rest = comments - long_ones * (LONG_COMMENTS + LONG_THREAD)
    ordinary = discussions - long_ones
    created: list[Discussion] = []
    ordinary_index = 0
    for number in range(discussions):
        topic = store.add_discussion(
            f"Topic of week {number + 1}",
            "What worked in your country?",
            author="wipo-mod",
            category="training",
        )
        created.append(topic)
        if number % LONG_EVERY == 0:
            top, threads = LONG_COMMENTS, [LONG_THREAD]
        else:
            posts = rest // ordinary + (1 if ordinary_index < rest % ordinary else 0)
            ordinary_index += 1
            threads = [2, 2, 2]
            top = posts - sum(threads)
        for position in range(top):
            author = DELEGATES[(number + position) % len(DELEGATES)]
            comment = store.add_comment(topic, author, SENTENCES[(number + position) % len(SENTENCES)])
            for reply in range(threads[position] if position < len(threads) else 0):
                store.add_comment(
                    topic, DELEGATES[reply % len(DELEGATES)], SENTENCES[reply % 3], reply_to=comment
                )
        store.clock.advance(days=7)
    total = sum(len(d.comments) + sum(len(c.replies) for c in d.comments) for d in created)
    assert total == comments, total
    return created


def change_discussions(store: Store, discussions: list[Discussion], count: int) -> None:
    """A day later, a new reply in `count` ordinary discussions spread over the archive."""
    store.clock.advance(days=1)
    step = len(discussions) // count
    for index in range(count):
        discussion = discussions[index * step + 1]  # never a long one: those sit at multiples of 25
        store.add_comment(discussion, "br-ana", "A late answer: it worked well for us too.")
        store.clock.advance(timedelta(minutes=5).total_seconds())

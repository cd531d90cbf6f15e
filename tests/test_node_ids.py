"""GitHub node ids name files in content/: a hostile id in an API answer is held back at the
sync, and the content model's writers refuse a path outside its post's folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from archive import Archive, moment
from syncworld import World

from sync.model.content import write_post, write_translation
from sync.model.domain import ContentError, Proposal, Reply, Translation
from sync.model.fields import node_id_problem

pytest_plugins = ["syncfixtures"]

HOSTILE = ["../../pages/x.en", "../x", ".hidden", "-rf", "a/b", "x.en", "", "D_" + "a" * 120, "D\nx"]


def forge_id(world: World, node: Any, hostile: str) -> None:
    """Make the fake GitHub answer with a forged id for a discussion or comment."""
    world.store.nodes.pop(node.id, None)
    node.id = hostile
    world.store.nodes[hostile] = node


def files_outside_topics(content: Path) -> set[str]:
    topics = content / "topics"
    return {
        str(p.relative_to(content)) for p in content.rglob("*") if p.is_file() and topics not in p.parents
    }


@pytest.mark.parametrize("hostile", HOSTILE)
def test_node_id_problem_refuses_anything_that_could_leave_a_folder_or_hide_a_file(hostile: str) -> None:
    assert node_id_problem(hostile) is not None


def test_node_id_problem_accepts_githubs_ids() -> None:
    for good in ["D_kwDOAJiWg84AmJaN", "DC_kwDOAJiWg84AmJaO", "MDEwOkRpc2N1c3Npb24x", "MDQ6VXNlcjU4MzIzMQ=="]:
        assert node_id_problem(good) is None


def test_a_comment_with_a_hostile_id_is_held_back_and_nothing_is_written_outside_its_topic(
    world: World,
) -> None:
    topic = world.topic("Clinics", "How do IP clinics work?")
    fine = world.reply(topic, "br-ana", "We run three clinics with law students.")
    forged = world.reply(topic, "fr-luc", "Published in clear, if it reached content/pages/.")
    forge_id(world, forged, "../../pages/x.en")
    before = files_outside_topics(world.archive.content)

    outcome = world.sync()

    (held,) = outcome.held_back
    assert held.post_id == "../../pages/x.en"
    assert (
        held.reason == "unsafe GitHub node id '../../pages/x.en'; expected letters, digits, _, = and - only"
    )
    pull = world.open_pull()
    assert pull is not None
    assert "unsafe GitHub node id '../../pages/x.en'" in pull.body
    world.fake.merge_pull_request(pull.number)
    world.pull()
    assert files_outside_topics(world.archive.content) - before <= {"sync-state.yml"}
    assert not (world.archive.content / "pages" / "x.en.md").exists()
    (imported,) = world.forum().topics
    assert [reply.id for reply in imported.replies] == [fine.id]


@pytest.mark.parametrize("category", ["training", "proposals"])
def test_a_discussion_with_a_hostile_id_is_held_back_whole(world: World, category: str) -> None:
    author = "wipo-mod" if category == "training" else "br-ana"
    discussion = world.topic("Clinics", "How do IP clinics work?", category, author=author)
    world.reply(discussion, "br-ana", "We run three clinics with law students.")
    forge_id(world, discussion, "../topics/.x")
    fine = world.topic("Fees", "Should we compare fees?")

    outcome = world.sync()

    assert [(e.post_id, e.reason) for e in outcome.held_back] == [
        ("../topics/.x", "unsafe GitHub node id '../topics/.x'; expected letters, digits, _, = and - only")
    ]
    pull = world.open_pull()
    assert pull is not None and "unsafe GitHub node id" in pull.body
    world.fake.merge_pull_request(pull.number)
    world.pull()
    assert [t.id for t in world.forum().topics] == [fine.id] and world.forum().proposals == []
    assert not list(world.archive.content.rglob(".x*"))


def test_the_writer_refuses_a_reply_or_proposal_whose_id_leaves_its_folder(archive: Archive) -> None:
    topic = archive.topic("D_t1", "Clinics", "2026-W40", 1)
    folder = topic.path.parent
    reply = Reply(id="../../pages/x.en", author="br-ana", language="en", date=moment(2), body="Text.",
                  path=folder / "../../pages/x.en.md")  # fmt: skip
    proposal = Proposal(id="D_p", author="br-ana", language="en", date=moment(2), body="Text.",
                        path=archive.content / "pages" / "D_p.md", title="Fees")  # fmt: skip
    translation = Translation(language="en", body="Text.", translator="T", date=moment(2),
                              path=archive.content / "pages" / "protocol.en.md")  # fmt: skip
    before = {p: p.read_bytes() for p in archive.content.rglob("*") if p.is_file()}

    for write, post in [(write_post, reply), (write_post, proposal), (write_translation, translation)]:
        with pytest.raises(ContentError) as refused:
            write(post)
        assert "would be written to" in str(refused.value) or "unsafe GitHub node id" in str(refused.value)

    assert {p: p.read_bytes() for p in archive.content.rglob("*") if p.is_file()} == before

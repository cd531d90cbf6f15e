"""Moderation rules of `forum sync`, each with its scenario: discussions on the fake GitHub,
a real git repository as the forum, and the pull request the moderator reviews."""

from __future__ import annotations

import git
import pytest
import yaml
from archive import Archive
from syncworld import World

from sync.model.content import read_file
from sync.model.domain import ContentError, ProposalStatus
from sync.model.roster import load_categories, load_proposals_category

pytest_plugins = ["syncfixtures"]  # the fake GitHub's fixtures, and `world`


def front(world: World, post_id: str) -> dict:
    fields, _ = read_file(world.post_file(post_id))
    return dict(fields.metadata)


def body(world: World, post_id: str) -> str:
    return read_file(world.post_file(post_id))[1]


def test_new_topics_replies_and_threads_are_imported_through_a_pull_request(world: World) -> None:
    topic = world.topic("Training of trainers: what worked?", "Tell us what worked.")
    ana = world.reply(topic, "br-ana", "We trained forty trainers in two years and kept them busy.")
    luc = world.reply(
        topic, "fr-luc", "Nous avons formé vingt formateurs l'an dernier, avec un suivi.", to=ana
    )
    world.reply(topic, "mx-eva", "Hemos capacitado a cuarenta formadores en la región andina.")

    outcome = world.sync()
    pull = world.open_pull()
    assert pull is not None and outcome.pull_action == "opened"
    assert pull.head_ref == "sync/2026-10-05" and pull.base_ref == "main"
    assert pull.title == "Sync from GitHub Discussions: 4 new, 0 edited, 0 removed"
    link = "[Training of trainers: what worked?](https://github.com/octo-org/forum/discussions/1)"
    assert f"| {link} | BR | 1 |  |  |" in pull.body
    assert f"| {link} | FR | 1 |  |  |" in pull.body
    assert f"| {link} | moderator | 1 |  |  |" in pull.body
    # Nothing reaches main until the moderator merges.
    assert not world.has_post(ana.id)

    world.fake.merge_pull_request(pull.number)
    world.pull()
    folder = world.post_file(topic.id.replace(topic.id, ana.id)).parent
    assert folder.name == "2026-w41-training-of-trainers-what-worked"
    forum = world.forum()
    (imported,) = forum.topics
    assert (imported.id, imported.title, imported.category, imported.week) == (
        topic.id,
        "Training of trainers: what worked?",
        "training",
        "2026-W41",
    )
    assert imported.url == topic.url and imported.author == "wipo-mod" and imported.member_state is None
    replies = {reply.id: reply for reply in imported.replies}
    assert replies[ana.id].member_state == "BR" and replies[ana.id].language == "en"
    assert replies[luc.id].parent == ana.id and replies[luc.id].language == "fr"
    assert replies[luc.id].body == "Nous avons formé vingt formateurs l'an dernier, avec un suivi."
    assert {reply.language for reply in imported.replies} == {"en", "fr", "es"}
    assert front(world, luc.id)["url"] == luc.url


def test_a_second_sync_in_a_row_opens_no_pull_request_and_pushes_nothing(world: World) -> None:
    topic = world.topic("Clinics", "How do IP clinics work?")
    world.reply(topic, "ke-joy", "Our universities run three clinics with law students.")
    world.sync_and_merge()
    main = world.repo.git.ls_remote("origin", "refs/heads/*")

    outcome = world.sync()
    assert outcome.commit is None and outcome.pull_url is None and world.open_pull() is None
    assert world.repo.git.ls_remote("origin", "refs/heads/*") == main
    assert world.sync(full=True).commit is None and world.open_pull() is None


def test_a_sync_while_the_pull_request_is_open_adds_to_it(world: World) -> None:
    topic = world.topic("Clinics", "How do IP clinics work?")
    world.reply(topic, "ke-joy", "Our universities run three clinics with law students.")
    world.sync()
    first = world.open_pull()
    assert first is not None
    assert world.sync().pull_action == "unchanged"  # nothing new: no commit, same body

    world.later(hours=2)
    late = world.reply(topic, "br-ana", "Our clinics work with the national office.")
    outcome = world.sync()
    pull = world.open_pull()
    assert pull is not None and pull.number == first.number and outcome.pull_action == "updated"
    assert pull.title == "Sync from GitHub Discussions: 3 new, 0 edited, 0 removed"
    remote = git.Repo(world.remote)
    assert len(remote.git.rev_list("main..sync/2026-10-05").split()) == 2  # two syncs, one branch
    world.fake.merge_pull_request(pull.number)
    world.pull()
    assert world.has_post(late.id)


def test_only_the_roster_is_imported_the_rest_is_held_back_with_reasons(world: World) -> None:
    topic = world.topic("Respect for IP", category="training")
    roster = yaml.safe_load((world.archive.content / "roster.yml").read_text())
    roster["guests"] = [
        dict(roster["guests"][0], topic=topic.id, until="2026-10-05"),
        dict(roster["guests"][0], login="old-guest", topic="D_other", until="2030-01-01"),
    ]
    world.archive.write_yaml("roster.yml", roster)
    world.commit_and_push("Invite a guest to the topic")

    guest = world.reply(topic, "uni-guest", "Universities can help with awareness campaigns.")
    stranger = world.reply(topic, "spammer", "Buy cheap watches")
    elsewhere = world.reply(topic, "old-guest", "I was invited to another topic.")
    world.later(days=1)
    late_guest = world.reply(topic, "uni-guest", "One more thing, after my invitation ended.")
    ghost = world.reply(topic, None, "Written by an account since deleted.")  # type: ignore[arg-type]
    delegate_topic = world.topic("A delegate's own topic", author="br-ana")
    world.reply(delegate_topic, "fr-luc", "A reply there")

    world.sync()
    pull = world.open_pull()
    assert pull is not None
    held = pull.body.split("### Held back", 1)[1]
    assert f"| @spammer | [comment]({stranger.url}) | @spammer is not on the roster |" in held
    assert f"[comment]({elsewhere.url}) | @old-guest is a guest invited to another topic |" in held
    assert f"[comment]({late_guest.url}) | @uni-guest's invitation as a guest ended on 2026-10-05 |" in held
    assert f"| (deleted account) | [comment]({ghost.url}) | the author's GitHub account was deleted |" in held
    assert (
        f"[opening post]({delegate_topic.url}) | topics are opened by the moderator; a delegate "
        "proposes one in the proposals category (1 comments wait with it) |"
    ) in held
    world.fake.merge_pull_request(pull.number)
    world.pull()
    assert world.has_post(guest.id) and front(world, guest.id).get("member_state") is None
    for left_out in (stranger, elsewhere, late_guest, ghost):
        assert not world.has_post(left_out.id)
    assert not any(world.archive.content.glob("topics/*delegate-s-own-topic*"))
    # The held-back list is kept with the sync state for the next (incremental) pull request.
    state = yaml.safe_load((world.archive.content / "sync-state.yml").read_text())
    assert {entry["post"] for entry in state["held_back"]} == {
        stranger.id,
        elsewhere.id,
        late_guest.id,
        ghost.id,
        delegate_topic.id,
    }


def test_a_minimized_comment_is_not_imported_and_one_minimized_later_is_removed(world: World) -> None:
    topic = world.topic("Counterfeit medicines")
    spam = world.reply(topic, "mx-eva", "Off-topic advertisement")
    world.store.minimize_comment(spam, "SPAM")
    kept = world.reply(topic, "br-ana", "Our awareness campaign reached pharmacies.")
    hidden_later = world.reply(topic, "fr-luc", "Une remarque hors sujet.")
    world.sync_and_merge()
    assert world.has_post(kept.id) and world.has_post(hidden_later.id) and not world.has_post(spam.id)
    world.archive.translate(world.forum().topics[0].replies[-1], "en", "An off-topic remark.")
    world.commit_and_push("Translate")

    world.store.minimize_comment(hidden_later, "off-topic")
    outcome = world.sync(full=True)
    pull = world.open_pull()
    assert pull is not None and outcome.report.count("removed") == 1
    assert "hidden by the moderator (off-topic)" in pull.body
    world.fake.merge_pull_request(pull.number)
    world.pull()
    assert not world.has_post(hidden_later.id)  # the post and its translation
    assert world.has_post(kept.id)


def test_deleted_comments_are_removed_whether_they_leave_a_tombstone_or_vanish(world: World) -> None:
    topic = world.topic("Collective management in small markets")
    parent = world.reply(topic, "ke-joy", "Our society covers music and literature.")
    answer = world.reply(topic, "br-ana", "Ours covers music only.", to=parent)
    lonely = world.reply(topic, "mx-eva", "We are creating one.")
    world.sync_and_merge()
    world.archive.translate(world.forum().topics[0].replies[0], "fr", "Notre société couvre la musique.")
    world.commit_and_push("Translate")

    world.later(hours=3)
    world.store.delete_comment(parent)  # has a reply: stays on GitHub with deletedAt, no text
    world.store.delete_comment(lonely)  # no reply: simply disappears
    outcome = world.sync(full=True)
    assert {(c.post_id, c.reason) for c in outcome.report.changes if c.action == "removed"} == {
        (parent.id, "deleted by its author"),
        (lonely.id, "deleted on GitHub"),
    }
    pull = world.open_pull()
    assert pull is not None and "deleted by its author" in pull.body
    world.fake.merge_pull_request(pull.number)
    world.pull()
    assert not world.has_post(parent.id) and not world.has_post(lonely.id)
    # The reply stays, answering the topic now that what it answered is gone.
    assert world.has_post(answer.id) and "parent" not in front(world, answer.id)
    world.forum()  # and the archive is still valid


def test_an_edit_updates_the_post_and_marks_its_translations_outdated(world: World) -> None:
    topic = world.topic("TISC networks after five years")
    comment = world.reply(topic, "br-ana", "We have 40 centres.")
    world.sync_and_merge()
    reply = world.forum().topics[0].replies[0]
    world.archive.translate(reply, "fr", "Nous avons 40 centres.")
    world.archive.translate(reply, "es", "Tenemos 40 centros.")
    reply.path.with_name(f"{comment.id}.fr.md").rename(reply.path.with_name(f"{comment.id}.en.md"))
    # The moderator corrects the detected language in the archive; later syncs keep it.
    path = world.post_file(comment.id)
    path.write_text(path.read_text().replace("language: en", "language: fr"), encoding="utf-8")
    world.commit_and_push("Translations, and a language corrected")

    world.later(minutes=30)
    world.store.edit_comment(comment, "We have 42 centres now.")
    outcome = world.sync()  # incremental: the comment's own timestamp shows the edit
    assert not outcome.full and outcome.report.count("edited") == 1
    pull = world.open_pull()
    assert pull is not None and "2 translation(s) marked outdated" in pull.body
    world.fake.merge_pull_request(pull.number)
    world.pull()
    assert body(world, comment.id) == "We have 42 centres now."
    assert front(world, comment.id)["language"] == "fr"
    assert front(world, comment.id)["edited"] is not None
    (edited,) = world.forum().topics[0].replies
    assert {t.language: t.outdated for t in edited.translations.values()} == {"en": True, "es": True}


def test_incremental_sync_reads_what_changed_and_full_sync_reconciles_the_rest(world: World) -> None:
    topics, comments = [], []
    for week in range(25):
        topics.append(world.topic(f"Topic {week}", f"Week {week}"))
        comments.append(world.reply(topics[-1], "br-ana", f"An answer to week {week}."))
        world.later(days=7)
    world.sync_and_merge()
    world.later(days=3)

    world.reply(topics[20], "fr-luc", "Une réponse tardive.")
    world.store.edit_comment(comments[3], "An edit in an old discussion.")  # moves no updatedAt
    before = len(world.fake.log)
    incremental = world.sync()
    # The discussion with a new reply, and the last one active before the previous sync,
    # which the overlap window reads again.
    assert not incremental.full and incremental.discussions == 2
    assert incremental.budget.points <= 3 and len(world.fake.log) - before == 1
    world.fake.merge_pull_request(world.open_pull().number)  # type: ignore[union-attr]
    world.pull()
    assert body(world, comments[3].id) == "An answer to week 3."

    full = world.sync(full=True)
    assert full.full and full.discussions == 25 and full.report.count("edited") == 1
    world.fake.merge_pull_request(world.open_pull().number)  # type: ignore[union-attr]
    world.pull()
    assert body(world, comments[3].id) == "An edit in an old discussion."


def test_a_deleted_discussion_is_removed_by_the_full_sync(world: World) -> None:
    kept = world.topic("Kept")
    doomed = world.topic("Deleted later")
    reply = world.reply(doomed, "br-ana", "An answer.")
    world.sync_and_merge()
    world.store.delete_discussion(doomed)
    outcome = world.sync(full=True)
    assert {c.post_id for c in outcome.report.changes} == {doomed.id}
    world.fake.merge_pull_request(world.open_pull().number)  # type: ignore[union-attr]
    world.pull()
    assert [t.id for t in world.forum().topics] == [kept.id]
    assert not world.has_post(reply.id)


def test_proposals_are_imported_and_keep_the_moderators_decision(world: World) -> None:
    proposal = world.topic("Documenting traditional knowledge", "Who leads it?", "proposals", author="mx-eva")
    stranger = world.topic("My idea", "Let me in", "proposals", author="someone")
    world.reply(proposal, "br-ana", "+1, we would join.")  # discussion among delegates: not imported
    world.sync_and_merge()
    (imported,) = world.forum().proposals
    assert (imported.id, imported.member_state, imported.status) == (proposal.id, "MX", ProposalStatus.OPEN)
    assert not world.proposal_file(stranger.id).exists()
    path = world.proposal_file(proposal.id)
    path.write_text(path.read_text().replace("status: open", "status: accepted"), encoding="utf-8")
    world.commit_and_push("Accept the proposal")

    world.store.edit_discussion(proposal, body="Who leads it, and with whose consent?")
    world.sync_and_merge()
    (edited,) = world.forum().proposals
    assert edited.status is ProposalStatus.ACCEPTED and edited.body.endswith("with whose consent?")


def test_discussion_categories_map_to_forum_categories_by_slug(world: World) -> None:
    categories = (world.archive.content / "categories.yml").read_text()
    categories = categories.replace(
        "  - id: training\n", "  - id: training\n    discussion_category: capacity\n"
    )
    (world.archive.content / "categories.yml").write_text(
        "proposals_category: ideas-for-topics\n" + categories, encoding="utf-8"
    )
    world.commit_and_push("Map training to the GitHub category capacity")
    world.store.add_category("Capacity", slug="capacity")
    world.store.add_category("Ideas for topics", slug="ideas-for-topics")
    mapped = world.topic("Mentoring programmes", category="capacity")
    renamed = world.topic("Copyright registries", category="copyright")
    proposal = world.topic("A proposal", category="ideas-for-topics", author="ke-joy")
    world.topic("Release notes", category="announcements")
    world.topic("Not a forum category", category="training")  # training now maps to capacity

    outcome = world.sync_and_merge()
    assert outcome.ignored == {"announcements": 1, "training": 1}
    assert {(t.id, t.category) for t in world.forum().topics} == {
        (mapped.id, "training"),
        (renamed.id, "copyright"),
    }
    assert [p.id for p in world.forum().proposals] == [proposal.id]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Nous avons mis en place un réseau de centres d'appui à la technologie.", "fr"),
        ("Hemos creado una red de centros de apoyo a la tecnología y la innovación.", "es"),
        ("We set up a network of technology and innovation support centres.", "en"),
    ],
)
def test_the_language_of_each_post_is_detected_among_the_forums(
    world: World, text: str, language: str
) -> None:

    topic = world.topic("Networks", "Tell us.")
    comment = world.reply(topic, "br-ana", text)
    world.sync_and_merge()
    assert front(world, comment.id)["language"] == language


def test_a_post_whose_language_cannot_be_told_is_flagged_for_the_moderator(world: World) -> None:
    topic = world.topic("Networks", "Tell us.")
    comment = world.reply(topic, "br-ana", "👍👍")
    outcome = world.sync()
    assert outcome.report.guessed_language == [comment.id]
    pull = world.open_pull()
    assert (
        pull is not None
        and f"### Language to check\n\nNot detected, set to the default language: `{comment.id}`" in pull.body
    )


def test_the_category_mapping_lives_in_categories_yml(archive: Archive) -> None:
    path = archive.content / "categories.yml"
    languages = ("en", "fr", "es")
    assert load_categories(path, languages)["training"].discussion_slug == "training"
    assert load_proposals_category(path) == "proposals"
    text = path.read_text().replace(
        "  - id: training\n", "  - id: training\n    discussion_category: copyright\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        ContentError, match="field 'discussion_category': expected a unique slug; 'copyright'"
    ):
        load_categories(path, languages)
    path.write_text("proposals_category: [a, b]\n" + text, encoding="utf-8")
    with pytest.raises(ContentError, match="field 'proposals_category': expected a category slug"):
        load_proposals_category(path)


def test_a_thread_hidden_whole_is_removed_whole_and_a_held_back_reply_keeps_a_valid_thread(
    world: World,
) -> None:
    topic = world.topic("Threads")
    parent = world.reply(topic, "br-ana", "A comment that starts a thread.")
    child = world.reply(topic, "fr-luc", "Une réponse dans le fil.", to=parent)
    other = world.reply(topic, "ke-joy", "Another thread.")
    kept_child = world.reply(topic, "mx-eva", "Una respuesta que se queda.", to=other)
    world.sync_and_merge()
    # mx-eva leaves the roster: her reply stays, but is no longer updated.
    roster = yaml.safe_load((world.archive.content / "roster.yml").read_text())
    del roster["member_states"]["MX"]
    world.archive.write_yaml("roster.yml", roster)
    for path in world.archive.content.glob("topics/*/*.md"):
        path.write_text(path.read_text().replace("member_state: MX\n", ""), encoding="utf-8")
    world.commit_and_push("MX leaves the forum")

    world.store.minimize_comment(parent, "off-topic")
    world.store.minimize_comment(child, "off-topic")
    world.store.minimize_comment(other, "spam")
    world.sync_and_merge(full=True)
    assert not world.has_post(parent.id) and not world.has_post(child.id) and not world.has_post(other.id)
    assert world.has_post(kept_child.id) and "parent" not in front(world, kept_child.id)
    world.forum()  # the thread is valid

"""A guest takes part from a room of their own: invite, mirror, sync both ways, erase, expire."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import BuiltSite
from fake_github import validate_query
from fake_github.models import Discussion, Repository
from github import Github
from syncworld import REPOSITORY, World

from sync.cli import access as access_cli
from sync.cli import moderator as moderator_cli
from sync.cli import rooms as rooms_cli
from sync.cli.main import main
from sync.github.client import connect
from sync.github.rooms import QUERIES as ROOM_QUERIES
from sync.intake import pipeline
from sync.site.pages import guest_url, topic_slug

pytest_plugins = ["syncfixtures"]

ROOM = "octo-org/forum-guest-ada-lab"
UNTIL = (date.today() + timedelta(days=30)).isoformat()


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    def fast(api_url: str, token: str) -> Github:
        return connect(api_url, token, seconds_between_requests=0, seconds_between_writes=0)

    for module in (access_cli, moderator_cli, rooms_cli, pipeline):
        monkeypatch.setattr(module, "connect", fast)


def forum(world: World, secrets: Path, *args: str) -> tuple[int, str, str]:
    env = {
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_TOKEN": "t",
        "GITHUB_API_URL": world.fake.api_url,
        "FORUM_CREDENTIALS": str(secrets),
    }
    result = CliRunner().invoke(main, [*args, "--project", str(world.root)], env=env)
    return result.exit_code, result.stdout, result.stderr


def sync_and_merge(world: World, secrets: Path) -> str:
    status, out, err = forum(world, secrets, "sync")
    assert status == 0, err
    pull = world.open_pull()
    if pull is not None:
        world.fake.merge_pull_request(pull.number)
        world.pull()
    return out


def room(world: World) -> tuple[Repository, Discussion]:
    repository = world.store.repository(ROOM)
    assert repository is not None, "no room on the fake GitHub"
    (discussion,) = repository.discussions
    return repository, discussion


def texts(discussion: Discussion) -> list[tuple[str | None, str]]:
    """(author, body) of every comment and reply, in thread order."""
    out = []
    for comment in discussion.comments:
        out.append((comment.author.login if comment.author else None, comment.body))
        out += [(r.author.login if r.author else None, r.body) for r in comment.replies]
    return out


def a_topic_with_replies(world: World, tmp_path: Path) -> tuple[Path, Discussion]:
    secrets = tmp_path / "secrets" / "credentials.yml"
    for code in ("BR", "FR", "MX", "KE"):
        assert forum(world, secrets, "credentials", "add", code)[0] == 0
    topic = world.topic("Technology transfer offices", "How do your universities license patents?")
    ana = world.reply(topic, "br-ana", "Our universities share one licensing office.")
    world.reply(topic, "fr-luc", "Chez nous, chaque université a son propre bureau.", to=ana)
    other = world.topic("Customs and border measures", "What worked at the border?")
    world.reply(other, "ke-joy", "A secret about the border, for this topic only.")
    sync_and_merge(world, secrets)
    return secrets, topic


def test_a_guest_takes_part_from_their_room(
    world: World, tmp_path: Path, build: Callable[..., BuiltSite]
) -> None:
    secrets, topic = a_topic_with_replies(world, tmp_path)

    # forum invite: the register, the roster, the credential, and the room.
    status, out, err = forum(world, secrets, "invite", "--topic", topic.id, "--requested-by", "BR",
                             "--guest", "ada-lab", "--name", "Ada Lab", "--organization", "Open Lab",
                             "--until", UNTIL)  # fmt: skip
    assert status == 0, err
    assert f"Room: {ROOM} (private, Discussions on; @ada-lab invited there only)" in err
    repository, discussion = room(world)
    assert repository.private and repository.has_discussions
    assert {i.invitee.login: i.permission for i in repository.invitations} == {"ada-lab": "pull"}
    assert "ada-lab" not in world.fake.repo.collaborators
    assert not any(i.invitee.login == "ada-lab" for i in world.fake.repo.invitations)
    assert discussion.title == "Technology transfer offices"
    assert discussion.body.startswith("**Claire Moreau** (@wipo-mod), moderator; written in English:\n\n")
    assert "How do your universities license patents?" in discussion.body
    (ana_copy, luc_copy) = texts(discussion)
    assert ana_copy[0] == "forum-bot"
    assert ana_copy[1].startswith("**Ana Souza** (@br-ana), delegate of Brazil; written in English:")
    assert luc_copy[1].startswith("**Luc Martin** (@fr-luc), delegate of France; written in French:")
    assert "Chez nous, chaque université a son propre bureau." in luc_copy[1]
    assert discussion.comments[0].replies[0].body == luc_copy[1]  # threaded as in the topic
    assert "border" not in " ".join(body for _, body in texts(discussion))
    (entry,) = yaml.safe_load((world.archive.content / "invitations.yml").read_text(encoding="utf-8"))
    assert entry["room"] == ROOM and entry["room_discussion"] == discussion.id
    world.commit_and_push("Invite Ada Lab, with her room")

    # The guest writes in the room, once to the topic and once in Ana's thread; a stranger too.
    ada = world.store.add_comment(discussion, "ada-lab", "Our network licensed forty patents last year.")
    in_thread = world.store.add_comment(
        discussion, "ada-lab", "One office for all works well.", reply_to=discussion.comments[0]
    )
    world.store.add_comment(discussion, "intruder", "Buy cheap watches")

    out = sync_and_merge(world, secrets)

    assert "Changes: 2 new" in out and "Guests' rooms: 1 read; copies 2 made, 0 updated, 0 deleted" in out
    assert "@intruder is not on the roster" in out and "forum-bot" not in out
    reply = world.forum().topic(topic.id)
    guest_replies = {r.id: r for r in reply.replies if r.author == "ada-lab"}
    assert set(guest_replies) == {ada.id, in_thread.id}
    assert guest_replies[ada.id].member_state is None and guest_replies[ada.id].parent is None
    ana_id = next(r.id for r in reply.replies if r.author == "br-ana")
    assert guest_replies[in_thread.id].parent == ana_id  # a reply to Ana's copy answers Ana
    main_copies = [(a, b) for a, b in texts(topic) if a == "forum-bot"]
    assert len(main_copies) == 2
    assert main_copies[0][1].startswith(
        "**Ada Lab** (@ada-lab), guest (Open Lab), invited at the request of Brazil; written in English:"
    )
    ana_comment = topic.comments[0]
    assert [r.author.login for r in ana_comment.replies] == ["fr-luc", "forum-bot"]  # in Ana's thread

    site = build()
    assert "Our network licensed forty patents last year." in site.text(f"topics/{topic_slug(topic.id)}/")
    as_guest = BuiltSite(site.dir, user="ada-lab")  # the demo build's guest credential
    assert "Our network licensed forty patents last year." in as_guest.text(guest_url(topic.id))

    # A delegate replies in the main discussion: the room gets it, once; the other topic never.
    world.reply(topic, "mx-eva", "En México, las universidades comparten una oficina regional.")
    out = sync_and_merge(world, secrets)
    assert "copies 1 made" in out
    last = texts(discussion)[-1]
    assert last[0] == "forum-bot" and "delegate of Mexico; written in Spanish:" in last[1]
    assert "copies 0 made, 0 updated, 0 deleted" in sync_and_merge(world, secrets)
    assert "border" not in " ".join(body for _, body in texts(discussion))

    # The moderator edits the topic: the room's opening post follows.
    world.store.edit_discussion(topic, body="How do your universities license their patents?")
    assert "copies 0 made, 1 updated" in sync_and_merge(world, secrets)
    assert "How do your universities license their patents?" in discussion.body
    assert discussion.body.startswith("**Claire Moreau** (@wipo-mod), moderator; written in English:")

    # The guest edits: the reply is rewritten and its copy updated.
    world.store.edit_comment(ada, "Our network licensed forty-two patents last year.")
    out = sync_and_merge(world, secrets)
    assert "1 edited" in out and "copies 0 made, 1 updated" in out
    assert any("forty-two patents" in body for author, body in texts(topic) if author == "forum-bot")

    # Erasing the guest's reply removes it from the room and its copy from the main discussion.
    status, out, err = forum(world, secrets, "erase", in_thread.id, "--requested-by", "BR")
    assert status == 0, err
    assert "1 of its 1 copies deleted" in out
    assert "One office for all works well." not in " ".join(b for _, b in texts(topic) + texts(discussion))
    world.commit_and_push("Erase a guest's reply")

    # The invitation ends: forum access removes the guest from the room and archives it.
    for name in ("invitations.yml", "roster.yml"):
        path = world.archive.content / name
        path.write_text(path.read_text(encoding="utf-8").replace(UNTIL, "2026-10-01"), encoding="utf-8")
    world.commit_and_push("Time passes: the invitation ended")
    world.store.accept_invitation(repository, "ada-lab")
    status, out, err = forum(world, secrets, "access")
    assert status == 0, err
    assert f"  close   room {ROOM} of @ada-lab (invitation ended): access removed, archived" in out
    status, out, err = forum(world, secrets, "access", "--apply")
    assert status == 0 and f"closed room {ROOM}: @ada-lab removed, repository archived" in out, err
    assert "ada-lab" not in repository.collaborators and not repository.invitations
    assert repository.archived
    assert "0 room(s) to close" in forum(world, secrets, "access")[1]

    # Later replies no longer reach the room; the guest's reply stays in the archive.
    world.reply(topic, "br-ana", "Thank you all.")
    out = sync_and_merge(world, secrets)
    assert "Changes: 1 new" in out and "Thank you all." not in " ".join(b for _, b in texts(discussion))
    assert world.has_post(ada.id)

    for call in world.fake.log:
        assert validate_query(call.query) == [], call.query
    sent = {call.query for call in world.fake.log}
    assert sent >= {query for query in ROOM_QUERIES if "Update" not in query and "Delete" not in query}


def test_a_revoked_invitation_closes_the_room_and_admits_nothing_more(world: World, tmp_path: Path) -> None:
    secrets, topic = a_topic_with_replies(world, tmp_path)
    assert forum(world, secrets, "invite", "--topic", topic.id, "--requested-by", "KE", "--guest", "ada-lab",
                 "--organization", "Open Lab", "--until", UNTIL)[0] == 0  # fmt: skip
    world.commit_and_push("Invite")
    repository, discussion = room(world)
    assert forum(world, secrets, "invite", "revoke", "ada-lab", "--topic", topic.id)[0] == 0
    world.commit_and_push("Revoke")
    world.store.add_comment(discussion, "ada-lab", "A last word before the room closes.")
    status, out, err = forum(world, secrets, "sync")
    assert status == 0, err
    assert "@ada-lab is not on the roster" in out and "copies 0 made" in out
    assert "A last word" not in " ".join(b for _, b in texts(topic))
    status, out, err = forum(world, secrets, "access", "--apply")
    assert status == 0 and repository.archived and not repository.invitations, err


def test_a_room_that_cannot_be_made_leaves_the_invitation_and_says_how_to_retry(
    world: World, tmp_path: Path
) -> None:
    secrets, topic = a_topic_with_replies(world, tmp_path)
    world.store.add_repository("octo-org", "forum-guest-ada-lab")  # the name is taken
    status, _, err = forum(world, secrets, "invite", "--topic", topic.id, "--requested-by", "BR",
                           "--guest", "ada-lab", "--organization", "Open Lab", "--until", UNTIL)  # fmt: skip
    assert status == 1
    assert f"the room {ROOM} already exists on GitHub" in err
    assert f"run `forum invite room ada-lab --topic {topic.id}`" in err
    world.archive.write_yaml("access.yml", {"rooms": {"name": "room-{login}"}})
    status, _, err = forum(world, secrets, "invite", "room", "ada-lab", "--topic", topic.id)
    assert status == 0 and "Room: octo-org/room-ada-lab" in err, err


def test_the_cost_of_a_sync_with_three_active_rooms(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets = tmp_path / "secrets" / "credentials.yml"
    for code in ("BR", "FR", "MX", "KE"):
        assert forum(world, secrets, "credentials", "add", code)[0] == 0
    topics = [world.topic(f"Topic {n}", f"Opening post {n}.") for n in range(3)]
    for topic in topics:
        for author in ("br-ana", "fr-luc", "mx-eva"):
            world.reply(topic, author, f"A reply by {author} to {topic.title}.")
    sync_and_merge(world, secrets)
    for n, topic in enumerate(topics):
        status, _, err = forum(world, secrets, "invite", "--topic", topic.id, "--requested-by", "BR",
                               "--guest", f"guest-{n}", "--organization", "Open Lab", "--until", UNTIL)  # fmt: skip
        assert status == 0, err
    world.commit_and_push("Three guests, three rooms")
    for n, topic in enumerate(topics):
        (discussion,) = world.store.repository(f"octo-org/forum-guest-guest-{n}").discussions
        world.store.add_comment(discussion, f"guest-{n}", f"Guest {n} answers {topic.title}.")
        world.reply(topic, "ke-joy", f"Kenya adds a word to {topic.title}.")
    world.fake.stats.reset()

    status, out, err = forum(world, secrets, "sync")

    assert status == 0, err
    assert "Changes: 6 new" in out and "Guests' rooms: 3 read; copies 6 made" in out
    stats = world.fake.stats
    mutations = sum(1 for call in world.fake.log[-stats.by_kind["graphql"] :] if "mutation" in call.query)
    with capsys.disabled():
        print(
            f"\nforum sync with three active rooms: {stats.requests} requests "
            f"({stats.by_kind['graphql']} GraphQL, of which {mutations} copies; {stats.by_kind['rest']} REST), "
            f"{stats.graphql_points} GraphQL points charged by the fake"
        )
    # One page of recently active discussions (2 points) holds the three topics; the token's
    # account, to recognise copies (1); each room's discussion (1 point each); one copy each
    # way per room (a mutation, 1 point each). REST: the repository, the search for an open
    # sync pull request, and opening it.
    assert (stats.by_kind["graphql"], mutations, stats.graphql_points) == (11, 6, 12)
    assert stats.by_kind["rest"] == 3


def test_the_content_limiter_waits_for_the_minute_and_stops_at_the_hour() -> None:
    from sync.github.limits import ContentLimiter

    class Clock:
        def __init__(self) -> None:
            self.now, self.sleeps = 1000.0, []

        def time(self) -> float:
            return self.now

        def sleep(self, seconds: float) -> None:
            self.sleeps.append(seconds)
            self.now += seconds

    clock = Clock()
    limiter = ContentLimiter(clock, per_minute=80, per_hour=500)
    assert all(limiter.acquire() for _ in range(80)) and clock.sleeps == []
    assert limiter.acquire() and clock.sleeps == [60.0]  # the 81st waits for the minute to pass
    clock.now += 3600  # an hour later everything is forgotten
    created = sum(limiter.acquire() for _ in range(500))
    assert created == 500 and len(clock.sleeps) == 1 + 6  # a wait after each 80 in the minute
    assert limiter.acquire() is False  # the hour is full: the rest waits for the next sync
    assert limiter.waited == sum(clock.sleeps)


def test_copies_that_do_not_fit_the_hour_follow_at_the_next_sync(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.github import limits

    secrets, topic = a_topic_with_replies(world, tmp_path)
    monkeypatch.setattr(limits, "PER_HOUR", 1)  # GitHub's 500 an hour, made 1 for the test
    status, _, err = forum(world, secrets, "invite", "--topic", topic.id, "--requested-by", "BR",
                           "--guest", "ada-lab", "--organization", "Open Lab", "--until", UNTIL)  # fmt: skip
    assert status == 0, err
    world.commit_and_push("Invite")
    _, discussion = room(world)
    assert len(texts(discussion)) == 1  # Ana's reply; Luc's waits
    status, out, _ = forum(world, secrets, "sync")
    assert "copies 1 made" in out and len(texts(discussion)) == 2
    assert "Luc Martin" in texts(discussion)[1][1]


def test_a_hand_edited_register_or_mirror_record_cannot_redirect_a_room_or_hide_a_post(
    world: World, tmp_path: Path
) -> None:
    secrets, topic = a_topic_with_replies(world, tmp_path)
    assert forum(world, secrets, "invite", "--topic", topic.id, "--requested-by", "BR", "--guest", "ada-lab",
                 "--organization", "Open Lab", "--until", UNTIL)[0] == 0  # fmt: skip
    world.commit_and_push("Invite")
    register = world.archive.content / "invitations.yml"
    honest = register.read_text(encoding="utf-8")

    # A room that names the forum's own repository: refused, nothing read, nothing archived.
    register.write_text(honest.replace(ROOM, REPOSITORY), encoding="utf-8")
    world.commit_and_push("A bad edit")
    for command in (["sync"], ["access", "--apply"]):
        status, _, err = forum(world, secrets, *command)
        assert status == 1 and err.count("\n") == 1, err
        assert (
            "invitations.yml: field '[1].room': expected @ada-lab's room, octo-org/forum-guest-ada-lab" in err
        )
    assert not world.fake.repo.archived
    register.write_text(honest, encoding="utf-8")
    world.commit_and_push("Fixed")

    # A delegate's own marker, or a record claiming their comment is a copy, hides nothing.
    marked = world.reply(topic, "mx-eva", "Mexico's view.\n\n<!-- forum-mirror D_whatever -->")
    mirrors = world.archive.content / "mirrors.yml"
    entries = yaml.safe_load(mirrors.read_text(encoding="utf-8"))
    ana = topic.comments[0]
    luc = ana.replies[0]
    entries.append({"original": "D_other", "copy": ana.id, "discussion": topic.id})
    entries.append({"original": ana.id, "copy": luc.id, "discussion": topic.id})
    mirrors.write_text(yaml.safe_dump(entries), encoding="utf-8")
    world.commit_and_push("A bad record")
    out = sync_and_merge(world, secrets)
    assert "Changes: 1 new" in out and world.has_post(marked.id) and world.has_post(ana.id)
    assert "Mexico's view." in " ".join(b for _, b in texts(room(world)[1]))  # and it reaches the room
    status, out, err = forum(world, secrets, "erase", ana.id, "--requested-by", "BR")
    assert status == 0, err
    assert "1 of its 2 copies deleted" in out  # the room's copy; Luc's reply only claimed to be one
    assert luc in ana.replies and world.has_post(luc.id) and world.has_post(marked.id)


def test_every_query_and_mutation_of_rooms_and_access_is_valid_against_githubs_schema() -> None:
    from sync.github.access import VIEWER_QUERY
    from sync.github.discussions import DISCUSSION_QUERY

    for query in (*ROOM_QUERIES, DISCUSSION_QUERY, VIEWER_QUERY):
        assert validate_query(query) == [], query


def test_two_guests_on_one_topic_follow_each_other(world: World, tmp_path: Path) -> None:
    secrets, topic = a_topic_with_replies(world, tmp_path)
    for guest in ("ada-lab", "bo-uni"):
        status, _, err = forum(world, secrets, "invite", "--topic", topic.id, "--requested-by", "BR",
                               "--guest", guest, "--organization", "Open Lab", "--until", UNTIL)  # fmt: skip
        assert status == 0, err
    world.commit_and_push("Two guests")
    (ada_room,) = world.store.repository(ROOM).discussions
    (bo_room,) = world.store.repository("octo-org/forum-guest-bo-uni").discussions
    world.store.add_comment(ada_room, "ada-lab", "Ada writes from her room.")
    out = sync_and_merge(world, secrets)
    assert "Guests' rooms: 2 read; copies 2 made" in out  # into the topic, and into Bo's room
    assert "Ada writes from her room." in texts(bo_room)[-1][1]
    assert "copies 0 made" in sync_and_merge(world, secrets)
    assert sum("Ada writes" in body for _, body in texts(bo_room) + texts(topic)) == 2

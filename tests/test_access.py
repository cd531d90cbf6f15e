"""`forum access`: the forum repository's access on GitHub follows the roster and the delegations."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from github import Github
from hypothesis import given
from hypothesis import strategies as st
from syncworld import REPOSITORY, World

from sync.cli import access as access_cli
from sync.cli.main import main
from sync.github.client import connect
from sync.intake import pipeline
from sync.model.access import AccessError, AccessSettings, CurrentAccess, due_access, plan_access
from sync.model.domain import MemberState, Person, Role, Roster

pytest_plugins = ["syncfixtures"]


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    def fast(api_url: str, token: str) -> Github:
        return connect(api_url, token, seconds_between_requests=0, seconds_between_writes=0)

    monkeypatch.setattr(access_cli, "connect", fast)
    monkeypatch.setattr(pipeline, "connect", fast)


def forum(world: World, *args: str, secrets: Path | None = None) -> tuple[int, str, str]:
    env = {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_TOKEN": "t", "GITHUB_API_URL": world.fake.api_url}
    if secrets is not None:
        env["FORUM_CREDENTIALS"] = str(secrets)
    result = CliRunner().invoke(main, [*args, "--project", str(world.root)], env=env)
    return result.exit_code, result.stdout, result.stderr


def delegations(world: World, tmp_path: Path, *codes: str) -> Path:
    """A credentials file with a delegation credential for each member state named."""
    secrets = tmp_path / "secrets" / "credentials.yml"
    for code in codes:
        assert forum(world, "credentials", "add", code, secrets=secrets)[0] == 0
    return secrets


def collaborators(world: World) -> dict[str, str]:
    return dict(world.fake.repo.collaborators)


def invited(world: World) -> dict[str, str]:
    return {i.invitee.login: i.permission for i in world.fake.repo.invitations}


def test_roster_to_plan_to_apply_to_the_collaborator_list(world: World, tmp_path: Path) -> None:
    secrets = delegations(world, tmp_path, "BR", "FR", "MX", "KE")
    world.archive.write_yaml("access.yml", {"administrators": ["site-admin"]})
    store = world.store
    store.add_collaborator(world.fake.repo, "site-admin", "admin")
    store.add_collaborator(world.fake.repo, "old-delegate", "push")
    store.add_collaborator(world.fake.repo, "uni-guest", "push")  # a guest given access by hand
    store.invite_collaborator(world.fake.repo, "former", "push")

    status, out, err = forum(world, "access", secrets=secrets)

    assert status == 0, err
    assert out.splitlines() == [
        f"Access to {REPOSITORY} ({out.split('(')[1].split(')')[0]}):",
        "  invite  @br-ana (delegate of BR)",
        "  invite  @fr-luc (delegate of FR)",
        "  invite  @ke-joy (delegate of KE)",
        "  invite  @mx-eva (delegate of MX)",
        "  invite  @wipo-mod (moderator)",
        "  remove  @old-delegate (not on the roster)",
        "  remove  @uni-guest (a guest: takes part from their room only)",
        "  cancel  the invitation of @former (not on the roster)",
        "  keep    @forum-bot (the forum's own account)",
        "5 to invite, 2 to remove, 1 invitation(s) to cancel, 0 room(s) to close, 1 unchanged.",
        "Nothing changed on GitHub: run `forum access --apply` to carry the plan out.",
    ]
    assert collaborators(world) == {"forum-bot": "admin", "site-admin": "admin", "old-delegate": "push",
                                    "uni-guest": "push"}  # fmt: skip

    status, out, err = forum(world, "access", "--apply", secrets=secrets)

    assert status == 0, err
    assert "  invited @br-ana\n" in out and "  removed @old-delegate\n" in out
    assert "  cancelled the invitation of @former\n" in out
    assert collaborators(world) == {"forum-bot": "admin", "site-admin": "admin"}
    assert invited(world) == {
        "br-ana": "pull", "fr-luc": "pull", "ke-joy": "pull", "mx-eva": "pull", "wipo-mod": "maintain"
    }  # fmt: skip
    for login in invited(world):
        store.accept_invitation(world.fake.repo, login)

    # The roster changes: Kenya's delegate leaves. The next plan removes them, and only them.
    roster = yaml.safe_load((world.archive.content / "roster.yml").read_text(encoding="utf-8"))
    del roster["member_states"]["KE"]
    world.archive.write_yaml("roster.yml", roster)
    status, out, _ = forum(world, "access", "--apply", secrets=secrets)
    assert status == 0 and "  remove  @ke-joy (not on the roster)" in out
    assert "0 to invite, 1 to remove, 0 invitation(s) to cancel, 0 room(s) to close, 5 unchanged." in out
    assert set(collaborators(world)) == {"forum-bot", "site-admin", "br-ana", "fr-luc", "mx-eva", "wipo-mod"}

    status, out, _ = forum(world, "access", secrets=secrets)
    assert status == 0 and "0 to invite, 0 to remove" in out and "Nothing changed" not in out


def test_a_revoked_delegation_loses_access_and_its_later_posts_are_held_back(
    world: World, tmp_path: Path
) -> None:
    secrets = delegations(world, tmp_path, "BR", "FR", "MX", "KE")
    assert forum(world, "access", "--apply", secrets=secrets)[0] == 0
    for login in invited(world):
        world.store.accept_invitation(world.fake.repo, login)
    topic = world.topic("Training of trainers", "What worked?")
    world.reply(topic, "fr-luc", "Nous avons formé vingt formateurs.")
    status, out, err = forum(world, "sync", secrets=secrets)
    assert status == 0 and "Changes: 2 new" in out, err
    world.fake.merge_pull_request(world.open_pull().number)
    world.pull()

    assert forum(world, "credentials", "revoke", "FR", secrets=secrets)[0] == 0
    status, out, _ = forum(world, "access", secrets=secrets)
    assert status == 0 and "  remove  @fr-luc (delegate of FR, whose delegation holds no credential)" in out
    assert forum(world, "access", "--apply", secrets=secrets)[0] == 0
    assert "fr-luc" not in collaborators(world)

    world.reply(topic, "fr-luc", "Encore une chose, en secret.")
    world.reply(topic, "br-ana", "Thank you, Luc.")
    status, out, err = forum(world, "sync", secrets=secrets)
    assert status == 0, err
    assert "Changes: 1 new" in out
    assert "@fr-luc's member state FR holds no delegation credential (revoked)" in out
    assert "@fr-luc's member state FR holds no delegation credential (revoked)" in world.open_pull().body
    # The reply imported before the revocation stays; only what came after waits.
    assert "Delegations not checked" not in out


def test_without_credentials_the_sync_says_delegations_are_not_checked(world: World) -> None:
    topic = world.topic("Training", "What worked?")
    world.reply(topic, "fr-luc", "Nous avons formé vingt formateurs.")
    status, out, _ = forum(world, "sync")
    assert status == 0 and "Delegations not checked: FORUM_CREDENTIALS is not set" in out
    status, _, err = forum(world, "sync", secrets=world.root.parent / "missing.yml")
    assert status == 1 and "sync failed: credentials file" in err and "does not exist" in err


def test_a_plan_that_would_remove_every_moderator_is_refused(world: World, tmp_path: Path) -> None:
    secrets = delegations(world, tmp_path, "BR")
    world.store.add_collaborator(world.fake.repo, "wipo-mod", "maintain")
    roster = yaml.safe_load((world.archive.content / "roster.yml").read_text(encoding="utf-8"))
    roster["moderators"] = [{"login": "wipo-mod-typo", "name": "Claire Moreau"}]
    world.archive.write_yaml("roster.yml", roster)
    status, _, err = forum(world, "access", "--apply", secrets=secrets)
    assert status == 1
    assert (
        "refused: the plan would remove every moderator holding admin or maintain access on GitHub (@wipo-mod)"
        in err
    )
    assert collaborators(world)["wipo-mod"] == "maintain" and not invited(world)

    roster["moderators"] = []
    world.archive.write_yaml("roster.yml", roster)
    status, _, err = forum(world, "access", secrets=secrets)
    assert status == 1 and "content/roster.yml names no moderator" in err

    # Named as an administrator, the same account is kept whatever the roster says.
    roster["moderators"] = [{"login": "wipo-mod-typo", "name": "Claire Moreau"}]
    world.archive.write_yaml("roster.yml", roster)
    world.archive.write_yaml("access.yml", {"administrators": ["wipo-mod"]})
    status, _, err = forum(world, "access", "--apply", secrets=secrets)
    assert status == 0, err
    assert collaborators(world)["wipo-mod"] == "maintain"


def test_access_through_an_organization_team(world: World, tmp_path: Path) -> None:
    secrets = delegations(world, tmp_path, "BR", "FR")
    team = world.store.add_team("octo-org", "delegates", members=("br-ana", "mx-eva"))
    world.store.add_organization("octo-org", ("fr-luc", "br-ana", "mx-eva"))
    world.archive.write_yaml("access.yml", {"team": {"organization": "octo-org", "slug": "delegates"}})

    status, out, err = forum(world, "access", "--apply", secrets=secrets)

    assert status == 0, err
    assert out.startswith("Access to the team octo-org/delegates")
    assert "  remove  @mx-eva" in out and "  invite  @fr-luc (delegate of FR)" in out
    assert sorted(team.members) == ["br-ana", "fr-luc"]  # organization members join at once
    assert set(team.invitations) == {"wipo-mod"}  # not in the organization: invited to join it


def test_bad_access_settings_are_one_line_naming_the_field(world: World, tmp_path: Path) -> None:
    secrets = delegations(world, tmp_path, "BR")
    for settings, field in [
        ({"administrators": "me"}, "administrators"),
        ({"team": {"slug": "x"}}, "team"),
        ({"rooms": {"name": "guest-room"}}, "rooms.name"),
        ({"rooms": {"name": "{repository}-{login}-{secret}"}}, "rooms.name"),
        ({"permission": "admin"}, "permission"),
    ]:
        world.archive.write_yaml("access.yml", settings)
        status, _, err = forum(world, "access", secrets=secrets)
        assert status == 1 and f"access.yml: field '{field}'" in err and err.count("\n") == 1, err


LOGINS = st.sampled_from(["ana", "luc", "eva", "joy", "mod", "admin", "old", "guest", "bot"])


@given(
    members=st.frozensets(LOGINS),
    invited=st.frozensets(LOGINS),
    credentialed=st.frozensets(st.sampled_from(["BR", "FR", "MX", "KE"])),
    admins=st.frozensets(LOGINS, max_size=2),
)
def test_every_plan_keeps_administrators_and_ends_where_the_roster_says(
    members: frozenset[str], invited: frozenset[str], credentialed: frozenset[str], admins: frozenset[str]
) -> None:
    delegate = lambda login, state: Person(login, login, Role.DELEGATE, state)  # noqa: E731
    roster = Roster(
        {code: MemberState(code, (delegate(login, code),)) for code, login in
         [("BR", "ana"), ("FR", "luc"), ("MX", "eva"), ("KE", "joy")]},
        (Person("mod", "Moderator", Role.MODERATOR),),
        (Person("guest", "Guest", Role.GUEST, topic="D_1"),),
    )  # fmt: skip
    settings = AccessSettings(administrators=("admin",))
    current = CurrentAccess(members, {login: n for n, login in enumerate(sorted(invited))}, admins & members)
    try:
        plan = plan_access(roster, credentialed, settings, current, forum_account="bot")
    except AccessError:
        # Refused only when everyone moderating on GitHub today (admin or maintain, not kept
        # as administrator or the forum's account) would be removed.
        holders = (admins & members) - {"admin", "bot"}
        assert holders and not holders & set(due_access(roster, credentialed, settings))
        return
    due = set(due_access(roster, credentialed, settings))
    after = (
        (members - set(plan.remove))
        | set(plan.invite)
        | (set(current.invitations) - {c[0] for c in plan.cancel})
    )
    assert after - {"bot"} == due  # who holds access or an invitation once the plan is carried out
    assert "admin" not in plan.remove and "bot" not in plan.remove and "guest" not in due
    assert not set(plan.invite) & (members | invited)

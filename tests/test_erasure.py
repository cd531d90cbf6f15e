"""`forum erase`: a deletion request carried out in content/, on GitHub, in the built site and,
with --purge-history, in every commit; and the tombstone that keeps the post out of later syncs."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import yaml
from click.testing import CliRunner
from conftest import BuiltSite
from fake_github import validate_query
from syncworld import REPOSITORY, World

from sync.cli.main import main
from sync.github.writes import QUERIES as MUTATIONS
from sync.model.content import read_file
from sync.site.build import build_site
from sync.site.gate_memory import memory_file
from sync.site.topics_cache import topics_cache

pytest_plugins = ["syncfixtures"]

SECRET = "Our confidential pilot with the customs office failed twice."
SECRET_FR = "Notre projet pilote confidentiel avec les douanes a échoué deux fois."


def forum(world: World, *args: str) -> tuple[int, str]:
    """Run `forum` against the world's checkout and fake GitHub."""
    github = ["--repository", REPOSITORY, "--token", "t", "--api-url", world.fake.api_url]
    result = CliRunner().invoke(main, [*args, *github, "--project", str(world.root)])
    return result.exit_code, result.output


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "content").rglob("*")) if p.is_file()
    }


def git(world: World, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=world.root, capture_output=True, text=True, check=True).stdout


def a_reply_with_a_secret(world: World):
    topic = world.topic("Customs and border measures", "What worked at the border?")
    ana = world.reply(topic, "br-ana", SECRET)
    luc = world.reply(topic, "fr-luc", "Merci, nous avons eu le même problème à la frontière.", to=ana)
    world.sync_and_merge()
    # A translator's French version, committed on main like any translation.
    original = world.post_file(ana.id)
    original.with_name(f"{ana.id}.fr.md").write_text(
        f"---\ntranslator: WIPO\ndate: 2026-10-06T09:00:00Z\n---\n\n{SECRET_FR}\n", encoding="utf-8"
    )
    world.commit_and_push("French translation")
    return topic, ana, luc


def test_erase_removes_the_post_everywhere_and_purge_removes_it_from_every_commit(
    world: World, tmp_path: Path
) -> None:
    _, ana, luc = a_reply_with_a_secret(world)
    folder = world.post_file(ana.id).parent
    assert SECRET in git(world, "log", "-p", "--all")

    status, output = forum(world, "erase", ana.id, "--requested-by", "br")

    assert status == 0, output
    assert f"Erased {ana.id}: 2 files removed; GitHub: comment deleted ({ana.url})" in output
    assert f"reply {luc.id} now answers the topic" in output
    # content/: the post and its translation are gone, the answer to it is re-threaded.
    assert not list(folder.glob(f"{ana.id}*"))
    assert "parent" not in read_file(world.post_file(luc.id))[0].metadata
    tombstones = yaml.safe_load((world.archive.content / "tombstones.yml").read_text(encoding="utf-8"))
    assert tombstones == [{"id": ana.id, "date": date.today(), "requested_by": "BR"}]
    assert not any(SECRET in p.read_text(encoding="utf-8") for p in world.archive.content.rglob("*.*"))
    # GitHub: the comment is deleted (kept as an empty tombstone because it has a reply).
    assert ana.deleted_at is not None and ana.body == ""
    mutations = [call.query for call in world.fake.log if "mutation" in call.query]
    assert len(mutations) == 1 and "deleteDiscussionComment" in mutations[0]
    assert all(validate_query(call.query) == [] for call in world.fake.log)

    # The built site: the topic page, decrypted, has the reply that stays and not the erased one.
    site = BuiltSite(build_site(world.archive.project, tmp_path / "site", demo=True).site_dir)
    (page,) = [url for url in site.urls(r"topics/[^/]+/")]
    text = site.text(page)
    assert "le même problème" in text and SECRET not in text
    everything = b"".join(p.read_bytes() for p in site.dir.rglob("*") if p.is_file())
    assert SECRET.encode() not in everything and SECRET_FR.encode() not in everything

    # A later full sync does not bring it back, and opens no pull request for it.
    world.commit_and_push("Erase a reply at Brazil's request")
    world.sync(full=True)
    assert world.open_pull() is None and not world.has_post(ana.id)

    # The text is still in history until the purge, then in no commit at all.
    assert SECRET in git(world, "log", "-p", "--all")
    status, output = forum(world, "erase", "--purge-history")
    assert status == 0, output
    assert "git push --force origin --all" in output
    history = git(world, "log", "-p", "--all")
    assert SECRET not in history and SECRET_FR not in history and "le même problème" in history
    revisions = git(world, "rev-list", "--all").split()
    found = subprocess.run(
        ["git", "grep", "-l", "customs office", *revisions], cwd=world.root, capture_output=True
    )
    assert found.returncode == 1 and found.stdout == b""
    assert git(world, "remote", "get-url", "origin").strip() == str(world.remote)


def test_every_refusal_says_why_in_one_line_and_changes_nothing(world: World) -> None:
    topic, ana, _ = a_reply_with_a_secret(world)
    before = snapshot(world.root)

    refusals = {
        ("erase", "DC_nope", "--requested-by", "BR"): "no reply or proposal with id DC_nope in content/",
        ("erase", topic.id, "--requested-by", "BR"): "is the opening post of the topic",
        ("erase", ana.id): "--requested-by is required",
        ("erase", ana.id, "--requested-by", "ZZ"): "--requested-by 'ZZ': expected a member state",
        ("erase",): "give the id of the post to erase, or --purge-history",
        ("erase", "--purge-history"): "no erased posts in content/tombstones.yml",
    }
    for args, message in refusals.items():
        status, output = forum(world, *args)
        assert status == 1 and message in output, (args, output)
        assert len(output.strip().splitlines()) == 1, output
        assert snapshot(world.root) == before
    assert not [call for call in world.fake.log if "mutation" in call.query]

    assert forum(world, "erase", ana.id, "--requested-by", "br-ana")[0] == 0
    status, output = forum(world, "erase", ana.id, "--requested-by", "BR")
    assert status == 1
    assert f"post {ana.id} was already erased on {date.today().isoformat()} (asked by br-ana)" in output
    # A purge refuses while the erasure is not committed.
    status, output = forum(world, "erase", "--purge-history")
    assert status == 1 and "uncommitted changes; commit the erasure" in output


def test_a_hidden_post_unhidden_on_github_stays_out_thanks_to_its_tombstone(world: World) -> None:
    _, ana, _ = a_reply_with_a_secret(world)

    status, output = forum(world, "erase", ana.id, "--requested-by", "BR", "--hide")

    assert status == 0 and "comment hidden" in output, output
    assert ana.is_minimized and ana.body == SECRET
    world.commit_and_push("Erase a reply")
    world.store.unminimize_comment(ana)  # someone shows it again on GitHub
    world.store.edit_comment(ana, SECRET + " Edited.")
    world.sync(full=True)
    assert world.open_pull() is None and not world.has_post(ana.id)


def test_the_mutations_are_valid_against_githubs_schema() -> None:
    for mutation in MUTATIONS:
        assert validate_query(mutation) == [], mutation


def test_erasing_a_post_removes_the_topics_a_build_kept_read(world: World, tmp_path: Path) -> None:
    _, ana, _ = a_reply_with_a_secret(world)
    build_site(world.archive.project, tmp_path / "site", demo=True)
    kept = topics_cache(world.archive.content)
    assert any(SECRET.encode() in file.read_bytes() for file in kept.iterdir())
    gate = memory_file(world.archive.root, tmp_path / "site")
    assert gate.is_file(), "the publish gate's digests of the forum's texts"

    status, output = forum(world, "erase", ana.id, "--requested-by", "br")

    assert status == 0, output
    assert not kept.exists()
    assert not gate.exists()


def test_an_erased_proposal_is_deleted_on_github_and_a_full_sync_leaves_it_out(world: World) -> None:
    proposal = world.topic("A confidential proposal", SECRET, "proposals", author="br-ana")
    world.sync_and_merge()
    assert world.proposal_file(proposal.id).is_file()

    status, output = forum(world, "erase", proposal.id, "--requested-by", "BR")

    assert status == 0 and f"GitHub: discussion deleted ({proposal.url})" in output, output
    assert not world.proposal_file(proposal.id).exists()
    assert proposal not in world.fake.repo.discussions
    world.commit_and_push("Erase a proposal")
    world.sync(full=True)
    assert world.open_pull() is None and not world.has_post(proposal.id)


def test_a_comment_its_author_already_deleted_is_still_erased_from_content(world: World) -> None:
    topic = world.topic("Customs and border measures", "What worked at the border?")
    ana = world.reply(topic, "br-ana", SECRET)
    world.sync_and_merge()
    world.store.delete_comment(ana)  # gone on GitHub before the next sync

    status, output = forum(world, "erase", ana.id, "--requested-by", "BR")

    assert status == 0 and f"GitHub: already gone ({ana.url})" in output, output
    assert not world.has_post(ana.id)

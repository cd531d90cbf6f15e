"""A rebuild after a sync builds the topics that changed and copies the others' pages from
the site it replaces (sync.site.incremental), with content keys kept while the credentials stay
the same (sync.site.encryption)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from archive import STRONG, Archive, write_credentials
from conftest import BuiltSite
from decrypt import open_page, open_search_index, sign_in

import sync
from sync.site import incremental
from sync.site.build import BuildError, build_site
from sync.site.encryption import CONTENT_KEY_DAYS, _still_usable
from sync.site.incremental import manifest_file
from sync.site.pages import topic_slug
from sync.site.search_index import language_of

NEW_REPLY = "Our office trained forty examiners after the first build"


def pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("index.html")}


def topic_pages(topic_id: str) -> list[str]:
    slug = topic_slug(topic_id)
    return [f"{prefix}topics/{slug}/index.html" for prefix in ("", "fr/", "es/")]


@pytest.fixture
def forum(archive: Archive, credentials_file: Path) -> Archive:
    """Three topics with replies, and two delegations."""
    for n, title in enumerate(["Patent offices", "Trademark search", "Copyright levies"], start=1):
        topic = archive.topic(f"D_{n}", title, f"2026-W4{n}", 7 * n)
        archive.reply(topic, f"DC_{n}", "br-ana", "BR", 7 * n + 1, f"Brazil's view on {title.lower()}.")
    write_credentials(credentials_file, STRONG)
    return archive


def add_reply(archive: Archive, topic_id: str, body: str = NEW_REPLY) -> None:
    folder = next((archive.content / "topics").glob(f"*-{topic_id.lower()}"))
    (folder / "DC_new.md").write_text(
        f"---\nid: DC_new\nauthor: fr-luc\nmember_state: FR\nlanguage: en\n"
        f"date: 2026-10-30T10:00:00Z\n---\n\n{body}\n",
        encoding="utf-8",
    )


def test_a_new_reply_rebuilds_its_topic_and_copies_every_other_topic_page(forum: Archive) -> None:
    site = build_site(forum.project).site_dir
    before = pages(site)

    add_reply(forum, "D_2")
    build_site(forum.project)
    after = pages(site)

    for path in topic_pages("D_1") + topic_pages("D_3"):
        assert after[path] == before[path], f"{path} was copied over, not built again"
    for path in topic_pages("D_2"):
        assert after[path] != before[path], path
    reader = BuiltSite(site, "BR", STRONG["BR"])
    for language in ("", "fr/", "es/"):
        assert NEW_REPLY in reader.text(f"{language}topics/{topic_slug('D_2')}/")
        assert "Brazil's view on patent offices." in reader.text(f"{language}topics/{topic_slug('D_1')}/")
    assert sorted(after) == sorted(before), "no page lost or added"


def test_copied_pages_stay_in_the_encrypted_search_index_and_out_of_the_public_one(forum: Archive) -> None:
    site = build_site(forum.project).site_dir
    add_reply(forum, "D_2")
    build_site(forum.project)

    keys = sign_in((site / "index.html").read_text(), "BR", STRONG["BR"])
    assert keys
    entries = open_search_index(site, keys)
    locations = {entry["location"] for entry in entries}
    for language in ("", "fr/", "es/"):
        assert f"{language}topics/{topic_slug('D_1')}/#post-D_1" in locations, "a copied page is searchable"
    texts = " ".join(entry["text"] for entry in entries)
    assert NEW_REPLY in texts and "view on copyright levies." in texts
    for language, prefix in (("en", ""), ("fr", "fr/"), ("es", "es/")):
        # A reader's browser fetches its language's files only (one per year).
        listed = json.loads((site / "search" / "encrypted_search_parts.json").read_text())[language]
        parts = [json.loads((site / "search" / item["file"]).read_text()) for item in listed]
        pages_in_file = {page for part in parts for bundles in part.values() for page in bundles}
        assert f"{prefix}topics/{topic_slug('D_1')}/" in pages_in_file
        assert all(language_of(page, ["en", "fr", "es"], "en") == language for page in pages_in_file)
    public = json.loads((site / "search" / "search_index.json").read_text())
    assert public["docs"] and all("protocol/" in entry["location"] for entry in public["docs"])
    everything = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())
    assert NEW_REPLY.encode() not in everything
    assert b"Brazil's view" not in everything


def test_a_credential_change_draws_new_keys_and_rebuilds_every_page(
    forum: Archive, credentials_file: Path
) -> None:
    site = build_site(forum.project).site_dir
    before = pages(site)
    saved = sign_in((site / "index.html").read_text(), "BR", STRONG["BR"])

    write_credentials(credentials_file, {"FR": STRONG["FR"]})
    build_site(forum.project)

    after = pages(site)
    assert all(after[path] != before[path] for path in before if "protocol" not in path)
    page = (site / topic_pages("D_1")[0]).read_text()
    assert open_page(page, saved) is None, "a key saved before the revocation opens nothing"
    assert open_page(page, sign_in(page, "FR", STRONG["FR"]))


def test_an_unchanged_archive_rebuilt_keeps_its_keys_and_copies_every_topic(forum: Archive) -> None:
    site = build_site(forum.project).site_dir
    saved = sign_in((site / "index.html").read_text(), "BR", STRONG["BR"])
    before = pages(site)

    build_site(forum.project)

    after = pages(site)
    assert all(after[p] == before[p] for t in ("D_1", "D_2", "D_3") for p in topic_pages(t))
    assert open_page((site / "fr/index.html").read_text(), saved), "the same keys open the new home page"


def test_an_erased_topic_is_gone_from_the_rebuilt_site(forum: Archive) -> None:
    site = build_site(forum.project).site_dir
    for path in next((forum.content / "topics").glob("*-d_3")).iterdir():
        path.unlink()
    next((forum.content / "topics").glob("*-d_3")).rmdir()

    build_site(forum.project)

    assert not [p for p in topic_pages("D_3") if (site / p).exists()]
    assert all((site / p).exists() for p in topic_pages("D_1"))


def test_a_failed_rebuild_leaves_the_site_and_what_it_was_built_from(forum: Archive) -> None:
    site = build_site(forum.project).site_dir
    before = pages(site)
    manifest = manifest_file(forum.root)  # per checkout, per site folder (issue 12, finding 1)
    recorded = manifest.read_bytes()
    folder = next((forum.content / "topics").glob("*-d_2"))
    (folder / "DC_bad.md").write_text("---\nid: DC_bad\n---\n\nNo author.\n", encoding="utf-8")

    with pytest.raises(BuildError):
        build_site(forum.project)

    assert pages(site) == before
    assert manifest.read_bytes() == recorded
    (folder / "DC_bad.md").unlink()
    add_reply(forum, "D_2")
    build_site(forum.project)
    assert NEW_REPLY in BuiltSite(site, "BR", STRONG["BR"]).text(f"topics/{topic_slug('D_2')}/")


def test_a_site_built_by_mkdocs_alone_is_never_copied_from(forum: Archive) -> None:
    """`mkdocs build` writes the site without the manifest: the next `forum build` cannot
    know what the pages were made from, so it builds them all."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    site = build_site(forum.project).site_dir
    add_reply(forum, "D_1", "Written before MkDocs ran on its own")
    mkdocs_build(load_config(str(forum.project.mkdocs_yml), site_dir=str(site)))
    (next((forum.content / "topics").glob("*-d_1")) / "DC_new.md").unlink()

    build_site(forum.project)

    assert "Written before MkDocs ran on its own" not in BuiltSite(site, "BR", STRONG["BR"]).text(
        f"topics/{topic_slug('D_1')}/"
    )


def test_kept_keys_serve_only_for_the_same_credentials_and_for_a_week() -> None:
    today = date(2026, 11, 25)
    levels = {"forum": {"id": "1", "key": b"k"}}
    kept = {"credentials": "c", "since": "2026-11-20", "levels": {"forum": ["1", "6b"]}, "entry_nonce": "n"}
    assert _still_usable(kept, "c", levels, today)
    # Kept by a build from before key entries were labelled by the password (by the user
    # name's hash): its pages must not be copied, so its keys serve no more.
    assert not _still_usable({k: v for k, v in kept.items() if k != "entry_nonce"}, "c", levels, today)
    assert not _still_usable(kept, "other credentials", levels, today)
    assert not _still_usable(kept, "c", {**levels, "topic-x": {"id": "2", "key": b"g"}}, today)
    old = {**kept, "since": (today - timedelta(days=CONTENT_KEY_DAYS)).isoformat()}
    assert not _still_usable(old, "c", levels, today)
    assert not _still_usable({"since": "not a date"}, "c", levels, today)
    assert not _still_usable(None, "c", levels, today)


def test_a_full_build_copies_nothing_and_says_how_many_pages_a_rebuild_copied(forum: Archive) -> None:
    site = build_site(forum.project).site_dir
    before = pages(site)

    full = build_site(forum.project, full=True)
    assert full.copied == 0
    assert all(pages(site)[p] != before[p] for t in ("D_1", "D_2", "D_3") for p in topic_pages(t))

    add_reply(forum, "D_2")
    # 54 pages: rebuilt are D_2's, its category's listing, the topics by week (its count of
    # replies), the home page (latest replies), the statistics, and the protocol (MkDocs' own
    # page, never copied), in three languages.
    assert build_site(forum.project).copied == 54 - 6 * 3


def test_a_change_to_code_outside_the_site_room_rebuilds_every_page(
    forum: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The build fingerprints the folder of code it runs from (incremental._CODE). Point it at
    # the same folder of a copy of the project's code, then change a module of the model:
    # if that folder were the site room alone, the change would go unseen and stale pages
    # would be copied.
    project_root = Path(sync.__file__).resolve().parent.parent
    copy = tmp_path / "code"
    shutil.copytree(project_root / "sync", copy / "sync", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(incremental, "_CODE", copy / incremental._CODE.relative_to(project_root))
    build_site(forum.project)
    assert build_site(forum.project).copied == 51, "unchanged: every page but the protocol copied"

    domain = copy / "sync" / "model" / "domain.py"
    domain.write_bytes(domain.read_bytes() + b"\n# one more line\n")

    assert build_site(forum.project).copied == 0


# Every page, not only topics' (issue 16): what comes out the same is copied ------------------


def category_pages(category: str) -> list[str]:
    return [f"{prefix}categories/{category}/index.html" for prefix in ("", "fr/", "es/")]


def test_a_changed_title_is_rebuilt_in_the_listings_that_show_it_and_nowhere_else(forum: Archive) -> None:
    forum.topic("D_4", "Customs border measures", "2026-W44", 28, category="respect-for-ip")
    site = build_site(forum.project).site_dir
    before = pages(site)
    topic = next((forum.content / "topics").glob("*-d_2")) / "topic.md"
    topic.write_text(
        topic.read_text(encoding="utf-8").replace("Trademark search", "Trademark search at the office")
    )

    build_site(forum.project)

    after = pages(site)
    reader = BuiltSite(site, "BR", STRONG["BR"])
    for prefix in ("", "fr/", "es/"):
        assert "Trademark search at the office" in reader.text(f"{prefix}categories/training/")
        assert "Trademark search at the office" in reader.text(f"{prefix}topics/{topic_slug('D_2')}/")
    for path in (
        topic_pages("D_1") + topic_pages("D_3") + topic_pages("D_4") + category_pages("respect-for-ip")
    ):
        assert after[path] == before[path], f"{path} shows nothing that changed: copied, not built again"
    assert all(after[path] != before[path] for path in category_pages("training"))


def test_a_new_topic_is_on_the_home_page_and_in_its_category_and_the_others_are_copied(
    forum: Archive,
) -> None:
    site = build_site(forum.project).site_dir
    before = pages(site)

    forum.topic("D_5", "Plant variety protection", "2026-W45", 35, category="respect-for-ip")
    build_site(forum.project)

    after = pages(site)
    reader = BuiltSite(site, "BR", STRONG["BR"])
    for prefix in ("", "fr/", "es/"):
        assert "Plant variety protection" in reader.text(prefix)
        assert "Plant variety protection" in reader.text(f"{prefix}categories/respect-for-ip/")
        assert "Opening post." in reader.text(f"{prefix}topics/{topic_slug('D_5')}/")
    for path in topic_pages("D_1") + topic_pages("D_2") + topic_pages("D_3") + category_pages("training"):
        assert after[path] == before[path], path


def test_a_deleted_reply_is_gone_from_its_topic_page_and_the_home_page(forum: Archive) -> None:
    site = build_site(forum.project).site_dir
    reader = BuiltSite(site, "BR", STRONG["BR"])
    assert "Brazil's view on patent offices." in reader.text("")

    (next((forum.content / "topics").glob("*-d_1")) / "DC_1.md").unlink()
    build_site(forum.project)

    for prefix in ("", "fr/", "es/"):
        assert "Brazil's view on patent offices." not in reader.text(f"{prefix}topics/{topic_slug('D_1')}/")
        assert "Brazil's view on patent offices." not in reader.text(prefix)
        assert "Brazil's view on trademark search." in reader.text(f"{prefix}topics/{topic_slug('D_2')}/")


def test_statistics_left_for_later_are_copied_as_they_were_then_built_by_the_next_build(
    forum: Archive,
) -> None:
    """`forum serve` shows an edit at once and the statistics a moment later."""
    statistics = [f"{prefix}statistics/index.html" for prefix in ("", "fr/", "es/")]
    site = build_site(forum.project).site_dir
    before = pages(site)

    add_reply(forum, "D_2")
    first = build_site(forum.project, later=frozenset({"statistics", "moderator"}))

    assert NEW_REPLY in BuiltSite(site, "BR", STRONG["BR"]).text(f"topics/{topic_slug('D_2')}/")
    assert first.later == 3, "the statistics in three languages (no WIPO credential: no moderator's view)"
    assert all(pages(site)[path] == before[path] for path in statistics)

    second = build_site(forum.project)

    assert second.later == 0
    assert all(pages(site)[path] != before[path] for path in statistics), "the new reply counted"
    assert build_site(forum.project).copied == 51, "then nothing left to build but the protocol"


def test_listings_known_by_the_topics_they_list_read_as_a_full_builds_after_each_change(
    forum: Archive, tmp_path: Path
) -> None:
    """A rebuild tells a category's page or a page of topics by week changed from the files
    of the topics it lists, without rendering it: after each kind of change, every such page
    of the rebuilt site is exactly the full build's, and a listing of nothing that changed
    is copied."""
    forum.topic("D_4", "Customs border measures", "2026-W44", 28, category="respect-for-ip")
    site = build_site(forum.project).site_dir

    def topic_file(topic_id: str) -> Path:
        return next((forum.content / "topics").glob(f"*-{topic_id.lower()}")) / "topic.md"

    def rewrite(topic_id: str, old: str, new: str) -> None:
        path = topic_file(topic_id)
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    changes = {
        "a new reply": lambda: add_reply(forum, "D_2"),
        "a new title": lambda: rewrite("D_3", "Copyright levies", "Copyright levies and their collection"),
        "another category": lambda: rewrite("D_1", "category: training", "category: respect-for-ip"),
        "another week": lambda: rewrite("D_2", "week: 2026-W42", "week: 2026-W40"),
        "a topic erased": lambda: shutil.rmtree(topic_file("D_4").parent),
    }
    for change, make in changes.items():
        before = pages(site)
        make()
        build_site(forum.project)
        full = build_site(forum.project, tmp_path / change.replace(" ", "-"), full=True).site_dir
        rebuilt, fresh = BuiltSite(site, "BR", STRONG["BR"]), BuiltSite(full, "BR", STRONG["BR"])
        listings = rebuilt.urls(r"(fr/|es/)?(categories|weeks)/.*")
        assert listings == fresh.urls(r"(fr/|es/)?(categories|weeks)/.*"), change
        for url in listings:
            shown = str(rebuilt.page(url).select_one("article.md-content__inner"))
            assert shown == str(fresh.page(url).select_one("article.md-content__inner")), f"{change}: {url}"
        if change == "a new reply":
            for path in category_pages("respect-for-ip"):
                assert pages(site)[path] == before[path], f"{path} lists nothing that changed: copied"
            assert all(pages(site)[path] != before[path] for path in category_pages("training"))


def test_a_rebuild_whose_pages_cannot_be_copied_fails_and_leaves_the_site(
    forum: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages of unchanged topics are copied by a process of their own (sync.site.carrier):
    one that fails stops the build, with the site, the manifest and the folder beside it as
    they were."""
    site = build_site(forum.project).site_dir
    before = pages(site)
    recorded = manifest_file(forum.root).read_bytes()
    beside = sorted(path.name for path in site.parent.iterdir())
    add_reply(forum, "D_2")
    failing = ["/bin/sh", "-c", "echo disk full >&2; exit 1"]

    with (
        monkeypatch.context() as patched,
        pytest.raises(BuildError, match="copied from the last build: disk full"),
    ):
        patched.setattr(incremental, "program", lambda module, *arguments: failing)
        build_site(forum.project)

    assert pages(site) == before
    assert manifest_file(forum.root).read_bytes() == recorded
    assert sorted(path.name for path in site.parent.iterdir()) == beside, "no half-built folder left"
    build_site(forum.project)
    assert NEW_REPLY in BuiltSite(site, "BR", STRONG["BR"]).text(f"topics/{topic_slug('D_2')}/")


@pytest.mark.parametrize("path", ["../outside/index.html", "/tmp/elsewhere/index.html"])
def test_the_carrier_copies_only_paths_inside_the_site(tmp_path: Path, path: str) -> None:
    previous, staging = tmp_path / "previous", tmp_path / "staging"
    (previous / "topics" / "a").mkdir(parents=True)
    (previous / "topics" / "a" / "index.html").write_text("a page")
    staging.mkdir()
    listed = f"topics/a/index.html\0{path}".encode()

    done = subprocess.run(
        [sys.executable, "-m", "sync.site.carrier", str(previous), str(staging)],
        input=listed,
        capture_output=True,
    )

    assert done.returncode == 1 and b"not a page's path in the site" in done.stdout
    assert not (tmp_path / "outside").exists() and not Path("/tmp/elsewhere").exists()
    copied = staging / "topics" / "a" / "index.html"
    assert (
        copied.read_text() == "a page"
        and copied.stat().st_ino == (previous / "topics/a/index.html").stat().st_ino
    )


def test_a_rebuild_keeps_the_search_files_of_the_years_that_did_not_change(
    archive: Archive, credentials_file: Path
) -> None:
    """A year's file of the encrypted search index holding the same bundles as the last
    build's is that file (a reader's browser keeps it: its name is the same); the year of
    the new reply is written anew, and both are searched."""
    archive.reply(
        archive.topic("D_old", "Last year's topic", "2025-W50", -300),
        "DC_old",
        "br-ana",
        "BR",
        -299,
        "An older view.",
    )
    archive.topic("D_new", "This year's topic", "2026-W41", 7)
    write_credentials(credentials_file, STRONG)
    site = build_site(archive.project).site_dir

    def files() -> dict[tuple[str, str], tuple[str, int]]:
        listed = json.loads((site / "search" / "encrypted_search_parts.json").read_text())
        return {
            (language, item["year"]): (item["file"], (site / "search" / item["file"]).stat().st_ino)
            for language, items in listed.items()
            for item in items
        }

    before = files()
    add_reply(archive, "D_new")
    build_site(archive.project)
    after = files()

    assert (
        sorted(after)
        == sorted(before)
        == sorted((language, year) for language in ("en", "fr", "es") for year in ("2025", "2026"))
    )
    for language in ("en", "fr", "es"):
        assert after[language, "2025"] == before[language, "2025"], "the same file, not written again"
        assert after[language, "2026"][0] != before[language, "2026"][0], "the new reply's year written anew"
    texts = " ".join(
        entry["text"]
        for entry in open_search_index(site, sign_in((site / "index.html").read_text(), "BR", STRONG["BR"]))
    )
    assert "An older view." in texts and NEW_REPLY in texts


def test_replies_texts_damaged_in_the_topics_cache_stop_the_build_and_the_next_one_reads_the_files(
    forum: Archive,
) -> None:
    """The cache keeps the replies' texts for later (sync.site.topics_cache); texts that do
    not read back when a page needs them stop the build naming the file, the site as it was,
    and the build after reads the topic's files."""
    site = build_site(forum.project).site_dir
    before = pages(site)
    (damaged, *_) = kept = sorted((forum.root / ".cache" / "topics").iterdir())
    outline, _, later = damaged.read_bytes().partition(b"\n")
    damaged.write_bytes(outline + b"\n" + later[:-2] + b"]]")  # as long as it was, no longer JSON

    with pytest.raises(
        Exception, match=r"\.cache/topics/.*: the replies' texts kept here do not read back"
    ) as stop:
        build_site(forum.project, full=True)  # every page made again: every text asked for

    assert pages(site) == before, "the site as it was"
    assert [file for file in kept if str(file) in str(stop.value)] == [damaged], "the file named"
    assert not damaged.exists(), "and removed"
    build_site(forum.project, full=True)
    reader = BuiltSite(site, "BR", STRONG["BR"])
    assert "Brazil's view on patent offices." in reader.text(f"topics/{topic_slug('D_1')}/")
    assert not list(site.parent.glob(".site-building-*")), "no half-built site left"

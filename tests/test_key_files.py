"""Key files (issue 16): the key entries in one file per level, not in every page, and the
publish gate's check of them: a page opens only with a credential of its level."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from archive import STRONG, Archive, write_credentials
from conftest import BuiltSite
from decrypt import open_page, page_data, sign_in

from sync.model.domain import Forum
from sync.site.build import BuildError, build_site
from sync.site.pages import guest_url, topic_slug
from sync.site.protection import demo_password


def key_files(site: Path) -> dict[str, dict]:
    return {
        path.relative_to(site).as_posix(): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((site / "assets" / "keys").glob("*.json"))
    }


def test_pages_name_their_levels_key_file_and_carry_no_key_entry(demo: Forum, demo_site: BuiltSite) -> None:
    site = demo_site.dir
    files = key_files(site)
    assert len(files) == 3, "the forum's, the moderator's and the guests'"
    for path, document in files.items():
        content = (site / path).read_bytes()
        assert path == f"assets/keys/{hashlib.sha256(content).hexdigest()[:20]}.json", "named by its content"
        ids = [entry.rsplit(";", 1)[-1] for entry in document["entries"]]
        assert ids == sorted(ids), "sorted by id, not by user name"
    levels = {document["level"]: path for path, document in files.items()}
    home = demo_site.raw("")
    data = page_data(home)
    assert (site / data["forum_keys"]).resolve() == (site / levels[data["encryptcontent_id"]]).resolve()
    guest_page = site / guest_url(demo.roster.guests[0].topic) / "index.html"
    guest_data = page_data(guest_page.read_text(encoding="utf-8"))
    assert (guest_page.parent / guest_data["forum_keys"]).resolve() == (site / levels["guests"]).resolve()
    assert len(files[levels["guests"]]["entries"]) == len(demo.roster.guests)
    assert len(home) < 40_000 and ";" not in data.get("encryptcontent_keystore", ""), "no entry in the page"


def test_a_topic_page_is_compressed_before_it_is_encrypted(demo: Forum, demo_site: BuiltSite) -> None:
    topic = max(demo.topics, key=lambda t: len(t.replies))
    page = demo_site.dir / f"topics/{topic_slug(topic.id)}/index.html"
    html = page.read_text(encoding="utf-8")
    opened = open_page(html, demo_site.keys)
    bundle = html.split('<div id="mkdocs-encrypted-content" style="display:none">', 1)[1].split("<", 1)[0]
    assert opened and len(bundle) < len(opened) / 2, "the encrypted content is smaller than half its text"


def test_a_guest_found_from_any_page_holds_only_their_topics_key(demo: Forum, demo_site: BuiltSite) -> None:
    guest = demo.roster.guests[0]
    keys = sign_in(demo_site.raw("fr/proposals/"), guest.login, demo_password(guest.login))
    assert keys and len(keys) == 1
    assert open_page(demo_site.raw(guest_url(guest.topic)), keys)
    assert open_page(demo_site.raw(""), keys) is None
    assert sign_in(demo_site.raw(guest_url(guest.topic)), "BR", demo_password("BR")) is None


# The publish gate -------------------------------------------------------------------------


@pytest.fixture
def forum(archive: Archive, credentials_file: Path) -> Archive:
    topic = archive.topic("D_t1", "Topic number 1 on IP clinics", "2026-W40", 1)
    archive.reply(topic, "DC_1", "br-ana", "BR", 2, "Reply 1: our office opened one.")
    write_credentials(credentials_file, STRONG)
    return archive


def rewrite(staging: Path, path: Path, document: dict) -> str:
    """Write a key file again under the name of its new content; the pages then name it."""
    content = json.dumps(document, separators=(",", ":")).encode()
    new = f"{hashlib.sha256(content).hexdigest()[:20]}.json"
    (path.parent / new).write_bytes(content)
    path.unlink()
    for page in staging.rglob("index.html"):
        page.write_text(page.read_text().replace(path.name, new))
    return new


def forum_file(staging: Path) -> Path:
    home = page_data((staging / "index.html").read_text())
    return (staging / home["forum_keys"]).resolve()


def test_a_key_file_changed_under_its_name_stops_the_build(
    forum: Archive, tamper: Callable[[Callable[[Path], None]], None]
) -> None:
    def change(staging: Path) -> None:
        path = forum_file(staging)
        document = json.loads(path.read_text())
        document["entries"] = document["entries"][1:]
        path.write_text(json.dumps(document))

    tamper(change)
    with pytest.raises(
        BuildError, match=r"assets/keys/[0-9a-f]{20}\.json: its name is not its content's hash"
    ):
        build_site(forum.project)


def test_a_guests_entry_among_the_delegations_stops_the_build(
    forum: Archive, credentials_file: Path, tamper: Callable[[Callable[[Path], None]], None]
) -> None:
    guest = {"password": STRONG["FR"], "topics": ["D_t1"], "requested_by": "BR", "until": "2030-12-31"}
    document = {"delegations": {"BR": {"password": STRONG["BR"]}}, "guests": {"uni-guest": guest}}
    credentials_file.write_text(json.dumps(document), encoding="utf-8")

    def change(staging: Path) -> None:
        guests = next(
            p
            for p in (staging / "assets/keys").glob("*.json")
            if json.loads(p.read_text())["level"] == "guests"
        )
        path = forum_file(staging)
        document = json.loads(path.read_text())
        document["entries"].append(json.loads(guests.read_text())["entries"][0])
        rewrite(staging, path, document)

    tamper(change)
    with pytest.raises(BuildError, match=r"an entry of a credential that does not open this level"):
        build_site(forum.project)


def test_an_entry_of_another_build_stops_the_build(
    forum: Archive, tmp_path: Path, tamper: Callable[[Callable[[Path], None]], None]
) -> None:
    demo = build_site(forum.project, tmp_path / "demo", demo=True).site_dir
    demo_entries = json.loads(forum_file(demo).read_text())["entries"]

    def change(staging: Path) -> None:
        path = forum_file(staging)
        document = json.loads(path.read_text())
        document["entries"].append(demo_entries[0])
        rewrite(staging, path, document)

    tamper(change)
    with pytest.raises(BuildError, match=r"an entry of no credential of this build"):
        build_site(forum.project)


def test_a_page_naming_another_levels_key_file_stops_the_build(
    forum: Archive, tamper: Callable[[Callable[[Path], None]], None]
) -> None:
    def change(staging: Path) -> None:
        page = staging / "es/index.html"
        data = page_data(page.read_text())
        page.write_text(page.read_text().replace(data["forum_keys"], data["forum_guests"]))

    tamper(change)
    with pytest.raises(BuildError, match=r"es/index.html: names the key file of another level"):
        build_site(forum.project)


def test_a_rebuild_that_copies_pages_writes_the_key_files_they_name(forum: Archive) -> None:
    site = build_site(forum.project).site_dir
    before = set(key_files(site))
    forum.topic("D_t2", "Topic number 2 on IP clinics", "2026-W41", 8)

    report = build_site(forum.project)

    assert report.copied > 0
    assert set(key_files(site)) == before, "the same keys: the same key files"
    copied = site / f"fr/topics/{topic_slug('D_t1')}/index.html"
    html = copied.read_text()
    assert (copied.parent / page_data(html)["forum_keys"]).resolve().is_file()
    assert open_page(html, sign_in(html, "BR", STRONG["BR"]))

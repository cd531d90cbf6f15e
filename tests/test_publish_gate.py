"""The publish gate and the rebuild's key identity: a build publishes no page it did not
verify, and never a page another build's keys open (issue 12, findings 1 and 5, the gate)."""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from archive import STRONG, Archive, write_credentials
from click.testing import CliRunner
from decrypt import open_page, sign_in
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sync.cli.main import main
from sync.site import build_plan, publish_gate
from sync.site.build import BuildError, build_site
from sync.site.gate_memory import KEPT, memory_file
from sync.site.protection import demo_password
from sync.site.urls import topic_slug

BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def snapshot(site: Path) -> dict[str, str]:
    """Every file of a site and a digest of its bytes: what `site/ stays as it was` means."""
    return {
        str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def topic_pages(site: Path) -> list[Path]:
    return sorted([*site.glob("topics/*/index.html"), *site.glob("*/topics/*/index.html")])


@pytest.fixture
def forum_with_topics(archive: Archive, credentials_file: Path) -> Archive:
    for number in range(1, 4):
        topic = archive.topic(f"D_t{number}", f"Topic number {number} on IP clinics", "2026-W40", number)
        archive.reply(
            topic, f"DC_{number}", "br-ana", "BR", number + 1, f"Reply {number}: our office opened one."
        )
    write_credentials(credentials_file, STRONG)
    return archive


# Finding 1: copied pages carry this build's keys ----------------------------------------


def test_a_real_build_after_a_demo_build_publishes_no_page_the_demo_password_opens(
    forum_with_topics: Archive,
) -> None:
    project = forum_with_topics.project
    build_site(project)
    build_site(project, demo=True)  # the same site folder, the public demo passwords

    report = build_site(project)

    assert report.copied == 0, "nothing the demo build made may be copied"
    pages = topic_pages(report.site_dir)
    assert len(pages) == 9
    real = sign_in(pages[0].read_text(), "BR", STRONG["BR"])
    assert real, "the real BR password opens the pages"
    for page in pages:
        html = page.read_text()
        assert sign_in(html, "BR", demo_password("BR")) is None, page
        assert open_page(html, real), page


def test_a_real_build_after_a_build_with_other_credentials_copies_none_of_its_pages(
    forum_with_topics: Archive, credentials_file: Path
) -> None:
    project = forum_with_topics.project
    build_site(project)
    write_credentials(credentials_file, {"BR": "zq7m-8wzk-e2rh-v9pa-c7xn-3fjd"})
    build_site(project)
    write_credentials(credentials_file, STRONG)

    report = build_site(project)

    assert report.copied == 0
    real = sign_in(topic_pages(report.site_dir)[0].read_text(), "BR", STRONG["BR"])
    assert real and all(open_page(page.read_text(), real) for page in topic_pages(report.site_dir))


def test_a_page_of_other_keys_left_in_the_site_is_built_again_not_copied(
    forum_with_topics: Archive, tmp_path: Path
) -> None:
    project = forum_with_topics.project
    site = build_site(project).site_dir
    demo = build_site(project, tmp_path / "demo", demo=True).site_dir
    swapped = f"fr/topics/{topic_slug('D_t2')}/index.html"
    (site / swapped).write_bytes((demo / swapped).read_bytes())  # the manifest does not know

    report = build_site(project)

    # Every page copied but the protocol (MkDocs' own, never copied) and the swapped topic's,
    # built again in its three languages (a page outside the navigation is copied in every
    # language or in none): 54 - 3 - 3.
    assert report.copied == 48, "every other page, the two other topics' among them"
    html = (report.site_dir / swapped).read_text()
    assert open_page(html, sign_in(html, "BR", STRONG["BR"]))
    assert sign_in(html, "BR", demo_password("BR")) is None


def test_the_gate_refuses_a_copied_page_of_other_keys(
    forum_with_topics: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = forum_with_topics.project
    site = build_site(project).site_dir
    demo = build_site(project, tmp_path / "demo", demo=True).site_dir
    swapped = f"fr/topics/{topic_slug('D_t2')}/index.html"
    (site / swapped).write_bytes((demo / swapped).read_bytes())
    before = snapshot(site)
    # The rebuild's own check skipped, as if it had a bug: the gate still stops the page.
    monkeypatch.setattr(build_plan, "page_opens", lambda html, keys: True)

    with pytest.raises(BuildError, match=rf"{swapped}: encrypted with other keys than this build's"):
        build_site(project)

    assert snapshot(site) == before


def test_a_page_damaged_in_place_with_its_size_and_time_put_back_is_refused_by_the_gate(
    forum_with_topics: Archive,
) -> None:
    """The rebuild copies the file the last build wrote, known by its size, time and inode:
    one changed behind its back and made to look the same is still read by the gate."""
    project = forum_with_topics.project
    site = build_site(project).site_dir
    damaged = site / f"fr/topics/{topic_slug('D_t2')}/index.html"
    was = damaged.stat()
    html = damaged.read_text()
    # The first letter of the content's IV, one bit changed: its first block decrypts wrong.
    start = html.index(publish_gate._CONTENT) + len(publish_gate._CONTENT)
    letter = BASE64[BASE64.index(html[start]) ^ 1]
    flipped = html[:start] + letter + html[start + 1 :]
    with damaged.open("r+", encoding="utf-8") as file:  # the same file, the same size
        file.write(flipped)
    os.utime(damaged, ns=(was.st_atime_ns, was.st_mtime_ns))
    now = damaged.stat()
    assert (now.st_size, now.st_ino, now.st_mtime_ns) == (was.st_size, was.st_ino, was.st_mtime_ns)
    before = snapshot(site)

    with pytest.raises(
        BuildError, match=r"topics/.*index\.html: encrypted with other keys than this build's"
    ) as error:
        build_site(project)
    assert "`forum build --full` makes every page afresh" in str(error.value)

    assert snapshot(site) == before
    assert build_site(project, full=True).copied == 0, "a full build makes every page afresh"


# The gate ---------------------------------------------------------------------------------


def test_a_page_left_unencrypted_stops_the_build_and_the_site_stays(
    forum_with_topics: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = forum_with_topics.project
    site = build_site(project).site_dir
    before = snapshot(site)
    real_meta = build_plan.page_meta

    def one_page_without_level(plan: build_plan.BuildPlan, src_uri: str) -> dict | None:
        meta = real_meta(plan, src_uri)
        if meta is not None and src_uri == f"topics/{topic_slug('D_t1')}.es.md":
            meta["level"] = ""  # encryptcontent then leaves the page as it is
        return meta

    monkeypatch.setattr(build_plan, "page_meta", one_page_without_level)

    with pytest.raises(BuildError, match=rf"es/topics/{topic_slug('D_t1')}/index.html: not encrypted"):
        build_site(project, full=True)

    assert snapshot(site) == before
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site-building")], "staging removed"


def test_a_title_in_clear_on_a_public_page_stops_the_build(
    forum_with_topics: Archive, tamper: Callable[[Callable[[Path], None]], None]
) -> None:
    def title_on_the_protocol(staging: Path) -> None:
        page = staging / "fr/protocol/index.html"
        page.write_text(
            page.read_text().replace("</article>", "<p>Topic number 2 on IP clinics</p></article>")
        )

    tamper(title_on_the_protocol)

    with pytest.raises(
        BuildError, match=r"fr/protocol/index.html: shows forum content in clear \('Topic number 2"
    ):
        build_site(forum_with_topics.project)
    assert not (forum_with_topics.root / "site").exists()


def test_a_reply_in_clear_in_the_public_search_index_stops_the_build(
    forum_with_topics: Archive, tamper: Callable[[Callable[[Path], None]], None]
) -> None:
    def reply_in_the_index(staging: Path) -> None:
        index = staging / "search/search_index.json"
        index.write_text(
            index.read_text().replace(
                '"docs": [', '"docs": [{"text": "Reply 3: our office \\u006fpened one."},'
            )
        )

    tamper(reply_in_the_index)

    with pytest.raises(BuildError, match=r"search/search_index.json: shows forum content in clear"):
        build_site(forum_with_topics.project)


def test_a_symbolic_link_in_the_site_stops_the_build(
    forum_with_topics: Archive, tamper: Callable[[Callable[[Path], None]], None], credentials_file: Path
) -> None:
    tamper(lambda staging: os.symlink(credentials_file, staging / "assets" / "forum-extra.js"))

    with pytest.raises(BuildError, match=r"assets/forum-extra.js: a symbolic link"):
        build_site(forum_with_topics.project)


def test_a_file_of_an_unknown_kind_in_the_site_stops_the_build(
    forum_with_topics: Archive, tamper: Callable[[Callable[[Path], None]], None]
) -> None:
    tamper(lambda staging: (staging / "notes.yml").write_text("anything"))

    with pytest.raises(BuildError, match=r"notes.yml: not a kind of file the forum publishes"):
        build_site(forum_with_topics.project)


# Finding 5: content/pages/ holds the protocol and nothing else ---------------------------


def test_a_symbolic_link_in_content_pages_is_refused_naming_it(
    forum_with_topics: Archive, credentials_file: Path
) -> None:
    link = forum_with_topics.content / "pages" / "keys.md"
    os.symlink(credentials_file, link)

    with pytest.raises(BuildError, match=rf"{link}: a symbolic link"):
        build_site(forum_with_topics.project)
    assert not (forum_with_topics.root / "site").exists()


def test_a_file_other_than_the_protocol_in_content_pages_is_refused_naming_it(
    forum_with_topics: Archive,
) -> None:
    stray = forum_with_topics.content / "pages" / "minutes.md"
    stray.write_text("# Minutes of the closed meeting\n", encoding="utf-8")

    with pytest.raises(
        BuildError, match=rf"{stray}: not a file the forum publishes; content/pages/ holds only"
    ):
        build_site(forum_with_topics.project)


# Finding 11: the origin ------------------------------------------------------------------


def test_forum_build_warns_when_the_site_is_a_shared_github_io_project_site(
    forum_with_topics: Archive,
) -> None:
    mkdocs_yml = forum_with_topics.root / "mkdocs.yml"
    mkdocs_yml.write_text(
        "site_url: https://wipo-forum.github.io/ta-forum/\n" + mkdocs_yml.read_text(), encoding="utf-8"
    )

    result = CliRunner().invoke(main, ["build", "--project", str(forum_with_topics.root)])

    assert result.exit_code == 0, result.output
    assert (
        "Warning: site_url https://wipo-forum.github.io/ta-forum/ is a github.io project site"
        in result.output
    )

    mkdocs_yml.write_text(
        mkdocs_yml.read_text().replace("wipo-forum.github.io/ta-forum", "forum.example.org")
    )
    result = CliRunner().invoke(main, ["build", "--project", str(forum_with_topics.root)])
    assert result.exit_code == 0 and "Warning" not in result.output


# The gate's memory: a rebuild re-reads what changed, and still every text in every line -----


def _checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the gate opens and checks in full (not those it trusts as remembered)."""
    opened: list[str] = []
    real = publish_gate._check_file

    def spy(data: bytes, relative: str, inputs: publish_gate.GateInputs) -> list[str]:
        opened.append(relative)
        return real(data, relative, inputs)

    monkeypatch.setattr(publish_gate, "_check_file", spy)
    return opened


def _opened_kinds(site: Path) -> set[str]:
    """A site's files the gate opens: all but the theme's assets and the key files."""
    return {
        name
        for name in snapshot(site)
        if not name.startswith("assets/")
        and (name.endswith(".html") or name.startswith(("search/", "sitemap")))
    }


def test_a_rebuild_after_a_new_reply_checks_again_only_the_files_that_changed(
    forum_with_topics: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = forum_with_topics.project
    before = snapshot(build_site(project).site_dir)
    topic = forum_with_topics.topic("D_t3", "Topic number 3 on IP clinics", "2026-W40", 3)
    forum_with_topics.reply(topic, "DC_new", "br-ana", "BR", 9, "A new reply about mentoring schemes.")
    opened = _checked(monkeypatch)

    report = build_site(project)

    after = snapshot(report.site_dir)
    changed = {name for name in _opened_kinds(report.site_dir) if before.get(name) != after[name]}
    assert report.copied > 0 and changed, "the rebuild copied pages and made others"
    assert set(opened) == changed, "exactly the files whose bytes are new are opened again"
    html = (report.site_dir / f"topics/{topic_slug('D_t3')}/index.html").read_text()
    assert "mentoring schemes" in open_page(html, sign_in(html, "BR", STRONG["BR"]))


def test_a_line_passed_before_is_refused_once_a_new_reply_says_it(
    forum_with_topics: Archive, tamper: Callable[[Callable[[Path], None]], None]
) -> None:
    # A first build leaves a line in clear on a topic page (a plugin's bug): no post says it
    # yet, so the gate lets it through. The page is copied by the next build, which the gate
    # does not open again; a new reply then says the same words, and the line is a leak.
    page = f"topics/{topic_slug('D_t1')}/index.html"
    words = "Our office trains patent examiners in three regions"
    once: list[Path] = []

    def line_in_clear(staging: Path) -> None:
        if not once:
            once.append(staging)
            path = staging / page
            path.write_text(path.read_text().replace("</article>", f"<p>{words}</p></article>"))

    tamper(line_in_clear)
    project = forum_with_topics.project
    site = build_site(project).site_dir
    before = snapshot(site)
    topic = forum_with_topics.topic("D_t3", "Topic number 3 on IP clinics", "2026-W40", 3)
    forum_with_topics.reply(topic, "DC_new", "br-ana", "BR", 9, f"{words}.\n\nAs we said in October.")

    with pytest.raises(BuildError, match=rf"{page}: shows forum content in clear \('Our office trains"):
        build_site(project)

    assert snapshot(site) == before


@pytest.mark.parametrize("memory", ["not json {", '{"version": 1, "inputs": "x", "files": {}}', ""])
def test_an_unreadable_or_foreign_gate_memory_means_every_file_is_checked(
    forum_with_topics: Archive, monkeypatch: pytest.MonkeyPatch, memory: str
) -> None:
    project = forum_with_topics.project
    site = build_site(project).site_dir
    remembered = memory_file(project.root, site)
    assert remembered.is_file(), "the gate remembers the site it passed"
    remembered.write_text(memory)
    opened = _checked(monkeypatch)

    report = build_site(project)

    assert report.copied > 0
    assert set(opened) == _opened_kinds(report.site_dir)


def test_the_gate_keeps_the_memories_of_the_last_few_folders_it_passed(
    forum_with_topics: Archive, tmp_path: Path
) -> None:
    project = forum_with_topics.project
    for number in range(KEPT + 2):
        build_site(project, tmp_path / f"site-{number}", demo=True)
    memories = list((project.root / ".cache").glob("publish-gate-*.json"))
    assert len(memories) == KEPT
    assert memory_file(project.root, tmp_path / f"site-{KEPT + 1}") in memories, "the last one kept"
    assert memory_file(project.root, tmp_path / "site-0") not in memories
    for memory in memories:  # digests of the forum's texts: nobody else on the machine reads them
        assert memory.stat().st_mode & 0o077 == 0, f"{memory.name} is readable by others"
    # A memory an earlier version wrote readable by all is made private at the next build.
    older = next(
        memory for memory in memories if memory != memory_file(project.root, tmp_path / f"site-{KEPT + 1}")
    )
    older.chmod(0o644)
    build_site(project, tmp_path / f"site-{KEPT + 1}", demo=True)
    assert older.stat().st_mode & 0o077 == 0


# The texts' check on its own ---------------------------------------------------------------

_WORDS = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "S"]), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    secret_words=st.lists(_WORDS, min_size=1, max_size=6),
    before=st.text(max_size=12),
    after=st.text(max_size=12),
)
def test_with_many_texts_to_look_for_a_text_shown_in_clear_is_found_whatever_surrounds_it(
    tmp_path: Path, secret_words: list[str], before: str, after: str
) -> None:
    # Past a hundred texts, most are ruled out by a word the lines do not hold: never one
    # that a line shows, whatever its neighbours, punctuation or letter case.
    secret = " ".join(secret_words)
    assume(len(secret) >= 6 and secret.strip() == secret)
    others = tuple(f"another text of the forum number {n}" for n in range(150))
    site = Path(tempfile.mkdtemp(dir=tmp_path))
    # In capitals, for a text that case folding reads the same in capitals (a dotless i is not "I").
    capitals = secret.upper() if secret.upper().casefold() == secret.casefold() else secret
    shown = html.escape(f"{before}{capitals if len(before) % 2 else secret}{after}")
    (site / "sitemap.xml").write_text(f"<urlset><loc>{shown}</loc></urlset>\n", encoding="utf-8")
    inputs = publish_gate.GateInputs(keys={}, public_pages=frozenset(), secrets=((*others, secret),))

    with pytest.raises(publish_gate.PublishError, match=r"sitemap\.xml: shows forum content in clear"):
        publish_gate.check_site(site, inputs)


def test_a_memory_written_again_from_the_last_one_reads_back_as_one_written_afresh(tmp_path: Path) -> None:
    from sync.site.gate_memory import Found, GateMemory, load, save

    first = GateMemory(
        "inputs",
        {
            "a/index.html": Found("1" * 64, ("shell", "Topic A"), ("../keys.json", "k1")),
            "b/index.html": Found("2" * 64, ("shell", "Topic B"), None),
            "c/index.html": Found("3" * 64, ("shell", "Topic C"), None),
        },
        frozenset({"s1", "s2"}),
    )
    path = tmp_path / "publish-gate-x.json"
    save(path, first)
    read = load(path, "inputs")
    assert read == first
    # A rebuild: b unchanged (as read), a's page changed, c gone, d new.
    files = {
        "b/index.html": read.files["b/index.html"],
        "a/index.html": Found("4" * 64, ("shell", "Topic A, a new reply"), ("../keys.json", "k1")),
        "d/index.html": Found("5" * 64, ("shell", "Topic D", "Topic B"), None),
    }
    second = GateMemory("inputs", files, frozenset({"s1", "s2", "s3"}))

    save(path, second, read)

    assert load(path, "inputs") == second
    assert load(path, "other inputs") == GateMemory("other inputs")

"""The translators' own tools: the XLIFF 1.2 package a CAT tool opens, its import, and the
TMX memory, driven through `forum translations` as a moderator would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from archive import Archive
from click.testing import CliRunner
from conftest import BuiltSite
from lxml import etree
from translate.storage import factory, tmx
from translate.storage.placeables import StringElem
from translate.storage.placeables import xliff as tags

from sync.cli.main import main
from sync.model.content import load_forum, read_file, write_post
from sync.moderator.memory import pairs
from sync.moderator.translations import fingerprint
from sync.moderator.xliff import NAMESPACE
from sync.site.pages import topic_slug

BODY = (
    "How do you **train** examiners? See [the *WIPO* guide](https://www.wipo.int/guide_a)"
    " and run `forum stats`.\n\n"
    "- first, a mentor\n"
    "- then <abbr>IP</abbr> courses at https://academy.wipo.int/x\n\n"
    "```\nkeep = this code\n```\n\n"
    "Thank you."
)
INLINE = {"g", "x", "ph", "bx", "ex", "bpt", "ept", "it", "mrk", "sub"}


def run(archive: Archive, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["translations", *args, "--project", str(archive.root)])
    return result.exit_code, result.output


@pytest.fixture
def forum(archive: Archive) -> Archive:
    topic = archive.topic("D_a", "Training examiners", "2026-W40", 1, body=BODY)
    archive.reply(topic, "R_fr", "fr-luc", "FR", 3, "Par *compagnonnage*.", language="fr")
    archive.reply(topic, "R_es", "mx-eva", "MX", 4, "Con tutores.", language="es")
    return archive


def export(archive: Archive, folder: Path, holds: str = "2 posts, 5 units, 25 words") -> Path:
    code, output = run(archive, "export", "--lang", "es", "--format", "xliff", "--out", str(folder))
    assert code == 0, output
    assert output.startswith(f"Wrote {folder / 'forum.es.xlf'}: {holds} (XLIFF 1.2).")
    return folder / "forum.es.xlf"


def check_xliff_1_2(path: Path) -> etree._Element:
    """XLIFF 1.2's required structure (xliff-core-1.2-strict.xsd is not available offline:
    its rules for what the export writes are checked here one by one)."""
    root = etree.parse(str(path)).getroot()
    q = lambda name: f"{{{NAMESPACE}}}{name}"  # noqa: E731
    assert root.tag == q("xliff") and root.get("version") == "1.2"
    files = root.findall(q("file"))
    assert files
    for file in files:
        for attribute in ("original", "source-language", "datatype"):
            assert file.get(attribute), f"<file> needs {attribute}"
        children = [etree.QName(child).localname for child in file]
        assert children in (["body"], ["header", "body"]), children
        ids = [unit.get("id") for unit in file.iter(q("trans-unit"))]
        assert all(ids) and len(ids) == len(set(ids)), "unit ids are required and unique"
        for unit in file.iter(q("trans-unit")):
            parts = [etree.QName(child).localname for child in unit]
            assert parts[0] == "source" and set(parts[1:]) <= {"target", "note"}, parts
            assert parts.index("target") == 1 if "target" in parts else True, "target follows source"
            for inline in unit.find(q("source")).iter():
                name = etree.QName(inline).localname
                if inline is not unit.find(q("source")):
                    assert name in INLINE and inline.get("id"), name
    return root


def translate_units(path: Path, translate: Callable[[str], str], translator: str = "Ana Traductora") -> None:
    """A test translator: every unit translated in a CAT tool's way, tags kept where they are."""
    store = factory.getobject(str(path))
    for unit in store.units:
        if unit.getid().endswith("translator"):
            unit.target = translator
            continue
        unit.rich_target = [_translated(unit.rich_source[0], translate)]
    path.write_bytes(bytes(store))


def _translated(element: StringElem, translate: Callable[[str], str]) -> StringElem:
    copy = element.copy()
    for node in _containers(copy):
        node.sub = [translate(s) if isinstance(s, str) and s.strip() else s for s in node.sub]
    return copy


def _containers(element: StringElem) -> list[StringElem]:
    """Elements whose text a translator edits: not inside a <ph>, whose content is code."""
    if isinstance(element, tags.Ph) or getattr(element, "xml_node", None) is not None:
        return []
    found = [element]
    for sub in element.sub:
        if isinstance(sub, StringElem):
            found += _containers(sub)
    return found


def test_export_writes_an_xliff_1_2_file_with_a_unit_per_title_and_paragraph(
    forum: Archive, tmp_path: Path
) -> None:
    path = export(forum, tmp_path / "package")

    root = check_xliff_1_2(path)
    store = factory.getobject(str(path))  # the library opens it, as a CAT tool would
    ids = [unit.getid().split("\x04")[-1] for unit in store.units]
    assert ids == ["translator", "D_a/title", "D_a/p1", "D_a/p2", "D_a/p3", "R_fr/p1"]
    files = {f.get("original"): f for f in root.iter(f"{{{NAMESPACE}}}file")}
    topic = load_forum(forum.content, ("en", "fr", "es")).topic("D_a")
    opening = files["post:D_a"]
    assert (opening.get("source-language"), opening.get("target-language")) == ("en", "es")
    assert files["post:R_fr"].get("source-language") == "fr"
    assert opening.find(f"{{{NAMESPACE}}}header/{{{NAMESPACE}}}note").text == fingerprint(topic)
    first = next(u for u in store.units if u.getid().endswith("D_a/p1"))
    source = etree.tostring(first.xmlelement.find(f"{{{NAMESPACE}}}source"), encoding="unicode")
    assert '<g id="1">train</g>' in source, "emphasis is a pair of tags around its words"
    assert '<g id="2">the <g id="3">WIPO</g> guide</g>' in source, "a link's text is translated"
    assert "https://www.wipo.int/guide_a" not in source, "its address is not in the unit at all"
    assert '<ph id="4">`forum stats`</ph>' in source, "code is a tag"
    notes = first.getnotes()
    for context in ("Topic: Training examiners (2026-W40)", "Author: Claire Moreau (wipo-mod)", "2026-10-01"):
        assert context in notes
    reply = next(u for u in store.units if u.getid().endswith("R_fr/p1"))
    assert "Member state: France (FR)" in reply.getnotes()
    assert "keep = this code" not in path.read_text(encoding="utf-8"), "code blocks are not to translate"


def test_every_unit_translated_comes_back_with_its_markup_and_shows_on_the_site(
    forum: Archive, tmp_path: Path, build: Callable[..., BuiltSite]
) -> None:
    path = export(forum, tmp_path / "package")
    translate_units(path, lambda text: text.upper())

    code, output = run(forum, "import", str(path))

    assert code == 0, output
    assert output.splitlines() == ["Took 2 translations, refused 0.", "  took D_a (es)", "  took R_fr (es)"]
    fields, body = read_file(forum.content / "topics" / "2026-w40-d_a" / "topic.es.md")
    assert fields.metadata["title"] == "TRAINING EXAMINERS"
    assert fields.metadata["translator"] == "Ana Traductora"
    assert body == (
        "HOW DO YOU **TRAIN** EXAMINERS? SEE [THE *WIPO* GUIDE](https://www.wipo.int/guide_a)"
        " AND RUN `forum stats`.\n\n"
        "- FIRST, A MENTOR\n"
        "- THEN <abbr>IP</abbr> COURSES AT https://academy.wipo.int/x\n\n"
        "```\nkeep = this code\n```\n\n"
        "THANK YOU."
    )
    page = build().page(f"es/topics/{topic_slug('D_a')}/")
    assert page.h1.get_text() == "TRAINING EXAMINERS"
    opening = page.select_one("article.forum-post--opening")
    assert opening.select_one(".forum-post__body strong").get_text() == "TRAIN"
    assert "Traducido por Ana Traductora" in opening.get_text()
    original = opening.select_one(".forum-post__other")
    assert original.has_attr("hidden") and original.select_one("[lang=en]"), "the original, ready"
    assert "How do you" in original.get_text()


def test_a_damaged_tag_is_refused_naming_the_unit(forum: Archive, tmp_path: Path) -> None:
    path = export(forum, tmp_path / "package")
    translate_units(path, lambda text: f"ES {text}")
    # The translator's tool lost the link (tags 2 and 3) in the first paragraph.
    tree = etree.parse(str(path))
    q = f"{{{NAMESPACE}}}"
    link = tree.find(f".//{q}trans-unit[@id='D_a/p1']/{q}target/{q}g[@id='2']")
    before = link.getprevious()
    if before is not None:
        before.tail = (before.tail or "") + (link.tail or "")
    link.getparent().remove(link)
    tree.write(str(path), encoding="utf-8", xml_declaration=True)

    code, output = run(forum, "import", str(path))

    assert code == 1
    assert (
        "  refused forum.es.xlf, post:D_a: unit D_a/p1: tags 2, 3 are missing; keep the tags as in the source"
        in output.splitlines()
    )
    assert "  took R_fr (es)" in output, "the other posts of the file are taken"
    assert not (forum.content / "topics" / "2026-w40-d_a" / "topic.es.md").exists()


def test_the_import_keeps_the_markdown_packages_checks(forum: Archive, tmp_path: Path) -> None:
    path = export(forum, tmp_path / "package")
    translate_units(path, lambda text: f"ES {text}", translator="")
    unsigned = run(forum, "import", str(path))
    assert unsigned[0] == 1
    assert (
        "refused forum.es.xlf, post:D_a: unit 'translator' is empty; the translator signs it" in unsigned[1]
    )

    translate_units(path, lambda text: text)  # signed, but left as it was
    text = path.read_text(encoding="utf-8")
    text = text.replace('original="post:R_fr"', 'original="post:R_x"')
    path.write_text(text, encoding="utf-8")
    topic = load_forum(forum.content, ("en", "fr", "es")).topic("D_a")
    write_post(replace(topic, body=topic.body + "\n\nEdited."))  # after the export

    code, output = run(forum, "import", str(tmp_path / "package"))

    assert code == 1
    assert output.splitlines() == [
        "Took 0 translations, refused 2.",
        "  refused forum.es.xlf, post:D_a: the original was edited since the export; export it again",
        "  refused forum.es.xlf, post:R_x: no post R_x in content/",
    ]
    wrong = path.read_text(encoding="utf-8").replace('original="post:R_x"', 'original="post:R_es"')
    path.write_text(wrong, encoding="utf-8")
    output = run(forum, "import", str(path))[1]
    assert "refused forum.es.xlf, post:R_es: the post is written in es already" in output
    fresh = export(forum, tmp_path / "fresh", holds="2 posts, 6 units, 26 words")
    translate_units(fresh, lambda text: text)
    assert (
        "post:R_fr: is still the source text; nothing was translated" in run(forum, "import", str(fresh))[1]
    )
    translate_units(fresh, lambda text: f"ES {text}")
    tree = etree.parse(str(fresh))
    q = f"{{{NAMESPACE}}}"
    unit = tree.find(f".//{q}trans-unit[@id='D_a/p4']")
    unit.remove(unit.find(f"{q}target"))
    tree.write(str(fresh), encoding="utf-8", xml_declaration=True)
    assert "post:D_a: unit D_a/p4 is not translated" in run(forum, "import", str(fresh))[1]
    wrong_language = run(forum, "export", "--lang", "de", "--format", "xliff", "--out", str(tmp_path))
    assert wrong_language[0] == 1 and wrong_language[1].endswith("--lang de: expected one of en, fr, es\n")
    (tmp_path / "broken.xlf").write_text("<xliff><file", encoding="utf-8")
    assert "refused broken.xlf: is not an XLIFF file" in run(forum, "import", str(tmp_path / "broken.xlf"))[1]


def test_the_translation_memory_round_trips_through_tmx(archive: Archive, tmp_path: Path) -> None:
    topic = archive.topic("D_a", "Training examiners", "2026-W40", 1, body="First *one*.\n\nSecond.")
    archive.translate(topic, "fr", "Premier *un*.\n\nDeuxième.", title="Former les examinateurs")
    reply = archive.reply(topic, "R_es", "mx-eva", "MX", 2, "Uno.\n\nDos.", language="es")
    archive.translate(reply, "en", "One and two, in one paragraph.")
    old = archive.reply(topic, "R_old", "mx-eva", "MX", 3, "Viejo.", language="es")
    archive.translate(old, "en", "Old.", outdated=True)

    result = CliRunner().invoke(
        main, ["translations", "memory", "--out", str(tmp_path / "forum.tmx"), "--project", str(archive.root)]
    )

    assert (
        result.exit_code == 0
        and result.output == f"Wrote {tmp_path / 'forum.tmx'}: 4 translation pairs (TMX 1.4).\n"
    )
    memory = tmx.tmxfile.parsestring((tmp_path / "forum.tmx").read_bytes())
    read = [tuple(unit.getNodeText(n) for n in unit.getlanguageNodes()) for unit in memory.units]
    assert read == [
        ("Training examiners", "Former les examinateurs"),
        ("First one.", "Premier un."),
        ("Second.", "Deuxième."),
        ("Uno.\n\nDos.", "One and two, in one paragraph."),
    ], "paragraph by paragraph where they align, else the post; no outdated translation"
    forum = load_forum(archive.content, ("en", "fr", "es"))
    assert [(p.source, p.target) for p in pairs(forum)] == read
    assert memory.units[3].xmlelement.get("srclang") == "es"

"""The translators' package as XLIFF 1.2, the exchange format every CAT tool reads (Trados
Studio, memoQ, Phrase, OmegaT, Wordfast), written and read with translate-toolkit.

One file per target language. In it, one `<file>` per post to translate (`original` is
`post:<id>`, with the post's own source language), whose `<header>` keeps the source's
fingerprint; one `<trans-unit>` per title and per paragraph, with the context (topic,
author, member state, date) as notes. Markdown's markup is turned into tags (`<g>` around
emphasis and a link's text, `<ph>` for code, addresses and list markers, `<x/>` for a line
break: `sync.moderator.segments`), which the tools show as tags a translator moves but
cannot edit. The translator signs by translating the first unit, `translator`, with their
name. Import applies the Markdown package's checks and refuses a post whose tags were
damaged, naming the unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from lxml import etree
from translate.storage import xliff
from translate.storage.placeables import StringElem
from translate.storage.placeables import xliff as tags

from sync.model.content import write_translation
from sync.model.domain import ContentError, Forum, Post, Proposal, Topic, Translation
from sync.model.errors import given
from sync.moderator.segments import Code, Node, PlaceholderError, Segment, rebuild, restore, skeleton
from sync.moderator.translations import ImportReport, TranslationError, Waiting, fingerprint, waiting

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
SIGNATURE_FILE = "forum:translator"
SIGNATURE_UNIT = "translator"
FINGERPRINT_NOTE = "forum-source"  # the `from` of the header note holding the fingerprint


class Unit12(xliff.xliffunit):
    """A trans-unit in XLIFF 1.2's namespace."""

    namespace = NAMESPACE


class Xliff12(xliff.xlifffile):
    """translate-toolkit's XLIFF store, writing version 1.2 (its own default is 1.1)."""

    UnitClass = Unit12
    namespace = NAMESPACE
    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version="1.2" xmlns="{NAMESPACE}">
<file original="NoName" source-language="en" datatype="plaintext">
<body>
</body>
</file>
</xliff>"""


@dataclass(frozen=True)
class Exported:
    """What an XLIFF export holds: the file, its units to translate and their words."""

    path: Path
    posts: int
    units: int
    words: int


def export_xliff(forum: Forum, language: str, folder: Path) -> Exported:
    """One XLIFF 1.2 file with every post still to translate into `language`."""
    if language not in forum.languages:
        known = ", ".join(forum.languages)
        raise TranslationError(f"{given('language')} {language}: expected one of {known}")
    store = Xliff12(sourcelanguage=forum.default_language, targetlanguage=language)
    unit = store.addsourceunit("Name of the translator", filename=_file(store, SIGNATURE_FILE, language))
    unit.setid(SIGNATURE_UNIT)
    unit.addnote(
        "Write your name as the translation of this unit: it signs every post of this file.", "forum"
    )
    items = waiting(forum, language)
    units = words = 0
    for item in items:
        for key, nodes in _units(item.post):
            unit = store.addsourceunit("", filename=_file(store, item, language))
            unit.setid(f"{item.post.id}/{key}")
            unit.rich_source = [StringElem(_elements(nodes))]
            for note in _context(forum, item, key):
                unit.addnote(note, "forum")
            units += 1
            words += len(_words(nodes))
    store.removedefaultfile()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"forum.{language}.xlf"
    path.write_bytes(bytes(store))
    return Exported(path, len(items), units, words)


def _file(store: Xliff12, item: Waiting | str, language: str) -> str:
    """The `<file>` of a post, or the signature's (created on first use, its header first as
    the schema wants); its name."""
    if isinstance(item, str):
        name, post = item, None
    else:
        name, post = f"post:{item.post.id}", item.post
    if store.getfilenode(name) is None:
        node = store.createfilenode(name, sourcelanguage=post.language if post else store.sourcelanguage)
        node.set("target-language", language)
        if post is not None:
            header = etree.Element(store.namespaced("header"))
            note = etree.SubElement(header, store.namespaced("note"), {"from": FINGERPRINT_NOTE})
            note.text = fingerprint(post)
            node.insert(0, header)
        store.document.getroot().append(node)
    store.switchfile(name)
    return name


def _units(post: Post) -> list[tuple[str, list[Node]]]:
    titled = [("title", [post.title])] if isinstance(post, Topic | Proposal) else []
    return titled + [(segment.key, segment.nodes) for segment in skeleton(post.body).segments()]


def _words(nodes: list[Node]) -> list[str]:
    return Segment("", nodes).text().split()


def _elements(nodes: list[Node]) -> list[StringElem | str]:
    out: list[StringElem | str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node.kind == "g":
            out.append(tags.G(id=node.id, sub=_elements(node.children)))
        elif node.kind == "x":
            out.append(tags.X(id=node.id))
        else:
            out.append(tags.Ph(id=node.id, sub=[node.markup]))
    return out


def _context(forum: Forum, item: Waiting, key: str) -> list[str]:
    post, topic = item.post, item.topic
    person = forum.roster.person(post.author)
    kind = "Opening post" if topic is post else "Reply" if topic else "Topic proposal"
    notes = [f"{kind} {post.id}, {'title' if key == 'title' else 'paragraph ' + key[1:]}"]
    if topic is not None:
        notes.append(f"Topic: {topic.title} ({topic.week})")
    notes.append(f"Author: {person.name if person else post.author} ({post.author})")
    if post.member_state:
        state = Locale("en").territories.get(post.member_state, "")
        notes.append(f"Member state: {state} ({post.member_state})")
    notes.append(f"Date: {post.date.date().isoformat()}")
    if item.outdated:
        notes.append("The existing translation is outdated: the original was edited since.")
    return notes


# Import ----------------------------------------------------------------------------------


def import_xliff(forum: Forum, paths: list[Path], now: datetime | None = None) -> ImportReport:
    """Take back the posts of the translator's XLIFF files that pass the checks."""
    report = ImportReport()
    posts = {post.id: post for topic in forum.topics for post in [topic, *topic.replies]}
    posts |= {proposal.id: proposal for proposal in forum.proposals}
    for path in paths:
        try:
            store = Xliff12.parsestring(path.read_bytes())
        except Exception as error:  # lxml's and the library's errors alike: a bad file
            report.refused.append((path.name, f"is not an XLIFF file: {error}"))
            continue
        by_element = {unit.xmlelement: unit for unit in store.units}
        files = list(store.document.getroot().iterchildren(store.namespaced("file")))
        translator = _signature(store, files, by_element)
        for node in files:
            name = node.get("original") or ""
            if name == SIGNATURE_FILE:
                continue
            label = f"{path.name}, {name}"
            elements = node.iter(store.namespaced("trans-unit"))
            units = {unit.getid().split("\x04")[-1]: unit for e in elements if (unit := by_element.get(e))}
            try:
                post, translation = _check(store, node, units, posts, forum, translator, now)
            except ContentError as error:
                report.refused.append((label, error.expected))
                continue
            write_translation(translation)
            report.taken.append((post.id, translation.language))
    return report


def _signature(store: Xliff12, files: list, by_element: dict) -> str:
    for node in files:
        if node.get("original") == SIGNATURE_FILE:
            for element in node.iter(store.namespaced("trans-unit")):
                unit = by_element.get(element)
                if unit is not None and unit.getid().endswith(SIGNATURE_UNIT):
                    return " ".join(str(unit.target or "").split())
    return ""


def _check(
    store: Xliff12,
    node: etree._Element,
    units: dict,
    posts: dict[str, Post],
    forum: Forum,
    translator: str,
    now: datetime | None,
) -> tuple[Post, Translation]:
    name = node.get("original") or ""
    where = Path(name)
    post = posts.get(name.removeprefix("post:")) if name.startswith("post:") else None
    if post is None:
        raise ContentError(where, "original", f"no post {name.removeprefix('post:')} in content/")
    language = node.get("target-language") or ""
    if language not in forum.languages:
        raise ContentError(
            where, "target-language", f"{language!r}: expected one of {', '.join(forum.languages)}"
        )
    if language == post.language:
        raise ContentError(where, "target-language", f"the post is written in {language} already")
    notes = node.findall(f"{store.namespaced('header')}/{store.namespaced('note')}")
    if not any(
        n.get("from") == FINGERPRINT_NOTE and (n.text or "").strip() == fingerprint(post) for n in notes
    ):
        raise ContentError(where, "source", "the original was edited since the export; export it again")
    if not translator:
        raise ContentError(where, "translator", f"unit {SIGNATURE_UNIT!r} is empty; the translator signs it")
    texts = {key: _translated(units, post, key, nodes) for key, nodes in _units(post)}
    title = texts.pop("title", None)
    if title is not None and ("\n" in title or not title.strip()):
        raise ContentError(where, f"{post.id}/title", "a title is one line of text")
    body = rebuild(skeleton(post.body), texts)
    if body.strip() == post.body.strip() and title in (None, getattr(post, "title", None)):
        raise ContentError(where, "target", "is still the source text; nothing was translated")
    translation = Translation(
        language=language,
        body=body,
        translator=translator,
        date=now or datetime.now(UTC),
        path=post.path.with_name(f"{post.path.stem}.{language}.md"),
        title=title.strip() if title is not None else None,
    )
    return post, translation


def _translated(units: dict, post: Post, key: str, source: list[Node]) -> str:
    """A unit's translation as Markdown, its tags checked against the source's."""
    unit_id = f"{post.id}/{key}"
    unit = units.get(unit_id)
    if unit is None:
        raise ContentError(Path(unit_id), "trans-unit", f"unit {unit_id} is missing from the file")
    if not str(unit.target or "").strip():
        raise ContentError(Path(unit_id), "target", f"unit {unit_id} is not translated")
    try:
        nodes = _nodes(unit.rich_target[0])
        if key == "title":
            if any(isinstance(node, Code) for node in nodes):
                raise PlaceholderError("a title has no tags")
            return "".join(str(node) for node in nodes)
        return restore(Segment(key, source), nodes)
    except PlaceholderError as error:
        raise ContentError(
            Path(unit_id), "target", f"unit {unit_id}: {error}; keep the tags as in the source"
        ) from None


def _nodes(element: StringElem) -> list[Node]:
    """A translation's rich text as segments' nodes (the tags' markup comes from the source)."""
    nodes: list[Node] = []
    for sub in element.sub:
        if isinstance(sub, str):
            nodes.append(sub)
        elif isinstance(sub, tags.G):
            nodes.append(Code(str(sub.id), "g", children=_nodes(sub)))
        elif isinstance(sub, tags.X):
            nodes.append(Code(str(sub.id), "x"))
        elif isinstance(sub, tags.Ph) or _tag(sub) == "ph":
            nodes.append(Code(str(sub.id), "ph"))
        elif type(sub) is StringElem or _tag(sub) == "mrk":  # a tool's segment markers
            nodes += _nodes(sub)
        else:
            raise PlaceholderError(f"<{_tag(sub) or type(sub).__name__.lower()}> is not a tag of the export")
    return nodes


def _tag(element: StringElem) -> str:
    node = getattr(element, "xml_node", None)
    return etree.QName(node).localname if node is not None else ""

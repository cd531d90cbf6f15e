"""What the search index holds of a topic page (sync.site.search.post_entries): one entry per
post at the post's anchor, the post's text as the reader sees it and nothing of the page
around it, the author and date in fields of their own, every text still HTML-escaped as
Material's entries are (the browser reads them as markup and keeps the text)."""

from __future__ import annotations

from html import unescape

import pytest
from archive import Archive
from injection import MARKUP

from sync.i18n.interface import Interface
from sync.model.content import load_forum
from sync.model.domain import Forum
from sync.site.search import post_entries


def forum_of(archive: Archive) -> Forum:
    return load_forum(archive.content, ("en", "fr", "es"))


def test_a_topic_gives_one_entry_per_post_at_its_anchor(archive: Archive) -> None:
    topic = archive.topic("D_1", "Patent offices", "2026-W41", 7, body="How do offices train examiners?")
    archive.reply(topic, "DC_1", "br-ana", "BR", 8, "Brazil trains its examiners in **two** weeks.")
    archive.reply(topic, "DC_2", "br-ana", "BR", 9, "A second thought.", parent="DC_1")
    forum = forum_of(archive)

    entries = post_entries(forum, forum.topic("D_1"), "topics/abc/", Interface("en"))

    assert [e["location"] for e in entries] == [
        "topics/abc/#post-D_1",
        "topics/abc/#post-DC_1",
        "topics/abc/#post-DC_2",
    ]
    assert [e["title"] for e in entries] == ["Patent offices"] * 3
    assert entries[1]["text"] == "Brazil trains its examiners in two weeks."
    assert entries[1]["author"] == "Brazil · Ana Souza"
    assert entries[1]["date"] == forum.topic("D_1").replies[0].date.date().isoformat()


def test_an_entry_holds_no_author_line_date_or_language_note(archive: Archive) -> None:
    topic = archive.topic("D_1", "Patent offices", "2026-W41", 7)
    reply = archive.reply(topic, "DC_1", "br-ana", "BR", 8, "Texto en español.", language="es")
    archive.translate(reply, "fr", "Texte traduit en français.")
    forum = forum_of(archive)

    french, spanish = (
        post_entries(forum, forum.topic("D_1"), "x/", Interface(lang))[1] for lang in ("fr", "en")
    )

    assert french["text"] == "Texte traduit en français."  # the translation the reader reads
    assert spanish["text"] == "Texto en español."  # the original, without its pending note
    assert french["author"] == "Brésil · Ana Souza"


@pytest.mark.parametrize("name", sorted(MARKUP))
def test_hostile_text_stays_escaped_text(archive: Archive, name: str) -> None:
    topic = archive.topic("D_1", "Patent offices", "2026-W41", 7)
    archive.reply(topic, "DC_1", "br-ana", "BR", 8, MARKUP[name])
    forum = forum_of(archive)

    entry = post_entries(forum, forum.topic("D_1"), "x/", Interface("en"))[1]

    for field in ("title", "text", "author"):
        assert "<" not in entry[field] and ">" not in entry[field], (name, field)  # escaped, or gone
    assert "<script" not in unescape(entry["text"]) and "<img" not in unescape(entry["text"]), name

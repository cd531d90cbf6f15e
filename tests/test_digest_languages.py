"""The weekly digest in all six languages follows the site's rules across languages: a
translated post links to its original, an outdated translation says so and gives the
original first, a post not yet translated says so; names, dates and the week isolated."""

from __future__ import annotations

import pytest
from archive import Archive
from bs4 import BeautifulSoup

from sync.digest.message import message, render_html, render_text, select
from sync.i18n.interface import Interface
from sync.model.content import load_forum
from sync.model.dates import parse_week
from sync.model.domain import Forum
from sync.site.pages import topic_slug

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
SITE = "https://forum.example.org/"


@pytest.fixture
def forum(archive: Archive) -> Forum:
    topic = archive.topic("D_w48", "Training examiners.", "2026-W48", 54, body="How do you train examiners?")
    archive.translate(topic, "zh", "你们如何培训审查员？", title="培训审查员。")  # noqa: RUF001
    archive.translate(topic, "ar", "كيف تدربون الفاحصين؟", title="تدريب الفاحصين.", outdated=True)
    week47 = archive.topic("D_w47", "Older", "2026-W47", 47)
    reply = archive.reply(week47, "R_es", "mx-eva", "MX", 49, "Con tutores durante un año.", language="es")
    archive.translate(reply, "ru", "С наставниками в течение года.")  # noqa: RUF001
    archive.translate(reply, "en", "With mentors for a year.")
    archive.reply(week47, "R_fr", "fr-luc", "FR", 50, "Par compagnonnage.", language="fr")
    return load_forum(archive.content, LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_digest_reads_across_languages_in_every_language(forum: Forum, language: str) -> None:
    t = Interface(language)
    digest = select(forum, parse_week("2026-W48"))
    page = BeautifulSoup(render_html(forum, digest, language, SITE), "html.parser")
    text = render_text(forum, digest, language, SITE)

    assert page.html["lang"] == language and page.html["dir"] == ("rtl" if language == "ar" else "ltr")
    assert page.h1.select_one("bdi[dir=ltr]").get_text() == "2026-W48"
    opening = page.select_one("h3 + p").find_next_sibling("div")
    originals = [a for a in page.select("a[hreflang]")]
    english_page = f"{SITE}topics/{topic_slug('D_w48')}/"
    if language == "zh":  # translated: the translation, and the original one click away
        assert opening["lang"] == "zh" and "你们如何培训审查员" in opening.get_text()
        assert originals[0]["href"] == english_page and originals[0]["hreflang"] == "en"
        assert originals[0].get_text() == t("read_original", language=t.language_name("en"))
        assert f"{t('read_original', language='英语')}: {english_page}" in text
    elif language == "ar":  # outdated: the original first, and the note says why
        assert opening["lang"] == "en" and opening["dir"] == "ltr"
        assert "How do you train examiners?" in opening.get_text()
        note = page.select_one(".forum-post__note--outdated").get_text()
        assert t("translation_outdated") in note and t("original_shown_first") in note
        assert "How do you train examiners?" in text and t("original_shown_first") in text
        assert message(forum, digest, "ar", SITE)["Subject"].endswith("\u20662026-W48\u2069")
    elif language != "en":  # not translated yet
        assert opening["lang"] == "en"
        assert t("translation_pending", language=t.language_name("en")) in page.get_text()
    reply = page.select("ul li")[0]
    assert t.date(forum.topic("D_w47").replies[0].date) in reply.get_text()
    assert [b.get_text() for b in reply.strong.select("bdi")] == [t.member_state("MX"), "Eva Ramírez"]
    if language in ("ru", "en"):
        assert any(a["href"].startswith(f"{SITE}es/topics/") for a in reply.select("a[hreflang=es]"))
    if language == "es":
        assert not reply.select("a[hreflang]"), "no original link for a post in the reader's language"

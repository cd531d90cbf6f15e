"""All six languages switched on in mkdocs.yml: every page type in each is a finished page in
that language — its language and direction, no interface string of another language,
dates and weeks written as the language writes them, names and weeks isolated."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import BuiltSite

from sync.i18n.interface import LOCALES, Interface
from sync.site.pages import topic_slug

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
TOPIC = f"topics/{topic_slug('D_kwDOdemo0047')}/"
PAGES = {
    "home": "",
    "category": "categories/training/",
    "weeks": "weeks/",
    "topic": TOPIC,
    "proposals": "proposals/",
    "statistics": "statistics/",
    "search": "find/",
    "protocol": "protocol/",
    "invitations": "invitations/",
}
# Material's own words, which it translates when the page's language is set.
MATERIAL_ENGLISH = [
    "Skip to content",
    "Back to top",
    "Table of contents",
    "Type to start searching",
    "Made with",
]
ATTRIBUTES = ("aria-label", "title", "placeholder", "data-show", "data-hide", "alt")
ISO_WEEK = re.compile(r"\d{4}-W\d{2}")


def prefix(language: str) -> str:
    return "" if language == "en" else f"{language}/"


@cache
def strings(language: str) -> dict[str, str]:
    return yaml.safe_load((LOCALES / f"{language}.yml").read_text(encoding="utf-8"))


@cache
def foreign_strings(language: str) -> frozenset[str]:
    """Phrases of the other languages' interface strings that this language never uses."""
    own = " ".join(strings(language).values())
    found = set(MATERIAL_ENGLISH if language != "en" else [])
    for other in LANGUAGES:
        if other == language:
            continue
        for value in strings(other).values():
            for fragment in re.split(r"\{[^}]*\}", value):
                fragment = fragment.strip(" :.,;()—")
                if len(fragment) >= 10 and " " in fragment and fragment not in own:
                    found.add(fragment)
    return frozenset(found)


def interface(page: BeautifulSoup, language: str) -> Tag:
    """What the forum and the theme wrote on the page, without the posts and titles quoted in
    another language (each marked with its own `lang`) and the language menu, which names each
    language in itself."""
    for element in page.select("[lang]"):
        if element.name != "html" and element.get("lang") != language:
            element.decompose()
    for element in page.select(".md-select, script, style"):
        element.decompose()
    return page


def visible_text(page: Tag) -> str:
    words = [page.get_text(" ")]
    words += [str(element[name]) for name in ATTRIBUTES for element in page.select(f"[{name}]")]
    return " ".join(" ".join(words).split())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_type_is_a_finished_page_in_each_language(
    six_languages_site: BuiltSite, language: str, kind: str
) -> None:
    t = Interface(language)
    # The register is the moderator's alone (issue 15): read as the moderator reads it.
    reader = BuiltSite(six_languages_site.dir, "WIPO") if kind == "invitations" else six_languages_site
    page = reader.page(prefix(language) + PAGES[kind])

    assert page.html["lang"] == language
    assert page.body["dir"] == ("rtl" if language == "ar" else "ltr")  # where Material sets it
    shown = interface(page, language)
    text = visible_text(shown)
    left = sorted(phrase for phrase in foreign_strings(language) if phrase in text)
    assert left == [], f"{kind} in {language} shows another language's words"
    for time in shown.select("time[datetime]"):
        moment = datetime.fromisoformat(time["datetime"])
        assert time.get_text() == t.date(moment), "a date as the language writes it"
        assert time.get("dir") == "auto", "a date is isolated from the text around it"
    for week in shown.find_all(string=ISO_WEEK):
        # <bdi> alone resolves to left to right too: "W" is the first letter of an ISO week.
        assert week.parent.name == "bdi" and week.parent.get("dir", "ltr") == "ltr", "never shown reversed"
    protocol = (six_languages_site.dir.parent / "content" / "pages" / f"protocol.{language}.md").read_text(
        "utf-8"
    )
    title = re.search(r"^title: (.+)$", protocol, re.M)[1]
    if kind == "protocol":  # public: no navigation (it would name the categories in clear)
        assert shown.select_one("nav.md-nav--primary") is None
        assert title in shown.select_one("h1").get_text(), "the protocol's title in the language"
        return
    nav = shown.select_one("nav.md-nav--primary").get_text(" ")
    assert title in nav, "the protocol's title in the language"
    assert t("categories") in nav


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_topic_page_writes_its_week_names_and_counts_in_the_pages_language(
    six_languages_site: BuiltSite, language: str
) -> None:
    t = Interface(language)
    page = six_languages_site.page(prefix(language) + TOPIC)

    facts = page.select_one(".forum-topic__facts")
    assert t("week", week="2026-W47") in facts.get_text()
    assert facts.select_one("bdi[dir=ltr]").get_text() == "2026-W47"
    assert t("replies_heading", count=6) == page.select_one("#forum-replies-heading").get_text()
    names = page.select(".forum-post__meta bdi")
    assert names and all(name.get_text().strip() for name in names), "every name is isolated"
    assert "Fatou Ndiaye" in [name.get_text() for name in names]
    if language != "fr":
        assert t.member_state("SN") in page.select_one("#post-DC_kwDOdemo0471 header").get_text()


@pytest.mark.parametrize(("language", "separator"), [("en", ", "), ("ar", "، "), ("zh", "、"), ("ru", ", ")])
def test_lists_use_the_languages_own_separator(
    six_languages_site: BuiltSite, language: str, separator: str
) -> None:
    page = six_languages_site.page(prefix(language) + "categories/training/")
    t = Interface(language)

    cells = [row.select("td")[3].get_text() for row in page.select("table.forum-topics tbody tr")]
    assert any(separator in cell for cell in cells), cells
    if separator != ", ":
        assert not any(", " in cell for cell in cells), cells
    assert t.language_name("fr") in " ".join(cells)


def test_arabic_titles_in_english_keep_their_direction_and_punctuation(six_languages_site: BuiltSite) -> None:
    page = six_languages_site.page(f"ar/{TOPIC}")

    assert page.h1["lang"] == "en" and page.h1["dir"] == "ltr", "its full stop stays on the right"
    home = six_languages_site.page("ar/")
    for link in home.select(".forum-card h3 a, .forum-latest a, .forum-proposals li a"):
        assert link.get("dir") in {"ltr", "auto"}, link
    for description in home.select(".forum-description"):
        assert description["dir"] == "auto"
        assert re.search(r"[\u0600-\u06ff]", description.get_text()), "described in Arabic"


@pytest.mark.parametrize("language", ["ar", "zh", "ru"])
def test_the_usage_protocol_is_written_in_the_language(six_languages_site: BuiltSite, language: str) -> None:
    english = six_languages_site.page("protocol/").select("article h2")
    page = six_languages_site.page(f"{language}/protocol/")

    headings = page.select("article h2")
    assert len(headings) == len(english) == 4, "the same structure as the English protocol"
    script = {"ar": r"[\u0600-\u06ff]", "zh": r"[\u4e00-\u9fff]", "ru": r"[\u0400-\u04ff]"}[language]
    text = page.select_one("article").get_text()
    assert len(re.findall(script, text)) > 0.8 * len(re.sub(r"[\W\d_]", "", text))


SCRIPTS = {"ar": r"[\u0600-\u06ff]", "zh": r"[\u4e00-\u9fff]", "ru": r"[\u0400-\u04ff]"}
# What stays as it is in every language: names, codes, the demo's password, a standard's name.
KEPT = re.compile(r"\{[^}]*\}|GitHub|Unicode|CLDR|M49|BR|demo-br-forum-password|[\d\s\W_]")


@pytest.mark.parametrize("language", list(SCRIPTS))
def test_every_interface_string_is_translated(language: str) -> None:
    english, own = strings("en"), strings(language)

    assert own.keys() == english.keys()
    untranslated = [
        key
        for key, value in own.items()
        if KEPT.sub("", value) and (value == english[key] or not re.search(SCRIPTS[language], value))
    ]
    assert untranslated == []

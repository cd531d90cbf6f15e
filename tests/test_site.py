"""The built site, read as a reader would: home, categories, topics, proposals, languages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from archive import Archive
from bs4 import Tag
from conftest import BuiltSite, i18n_languages

from sync.model.domain import ProposalStatus
from sync.site import theme_cache
from sync.site.pages import topic_slug

LANGUAGES = ("en", "fr", "es")


def words(element: Tag) -> str:
    """An element's text as a reader sees it, white space folded."""
    return " ".join(element.get_text(" ").split())


def prefix(language: str) -> str:
    return "" if language == "en" else f"{language}/"


@pytest.fixture
def small_forum(archive: Archive) -> Archive:
    """Two topics, threaded replies in three languages, some translated, two proposals."""
    week40 = archive.topic(
        "D_t1", "Training of trainers", "2026-W40", 1, body="How do you **train** trainers?"
    )
    archive.translate(week40, "fr", "Comment formez-vous les formateurs ?", title="Formation de formateurs")
    archive.translate(week40, "es", "¿Cómo forman a los formadores?", title="Formación de formadores")
    first = archive.reply(
        week40, "DC_1", "mx-eva", "MX", 2, "En México usamos un programa regional.", language="es"
    )
    archive.translate(first, "en", "In Mexico we use a regional programme.")
    archive.reply(week40, "DC_2", "fr-luc", "FR", 3, "En France, nous formons des tuteurs.", language="fr")
    archive.reply(week40, "DC_3", "br-ana", "BR", 4, "Which region, Eva?", parent="DC_1")
    archive.reply(week40, "DC_4", "uni-guest", None, 5, "Universities can help.")
    archive.topic(
        "D_t2",
        "Digitizing registers",
        "2026-W41",
        8,
        category="office-modernization",
        body="Share your lessons.",
    )
    archive.proposal("D_p1", "IP clinics in universities", "ke-joy", "KE", 6)
    archive.proposal("D_p2", "Old idea", "br-ana", "BR", 2, status=ProposalStatus.DECLINED)
    return archive


@pytest.fixture
def site(small_forum: Archive, build: Callable[..., BuiltSite]) -> BuiltSite:
    return build(today=date(2026, 10, 8))  # in 2026-W41, the week of "Digitizing registers"


TOPIC = f"topics/{topic_slug('D_t1')}/"


@pytest.mark.parametrize(
    ("language", "week_topic", "latest", "proposal_heading"),
    [
        ("en", "Topic of the week Digitizing registers", "Latest replies", "Topic proposals"),
        ("fr", "Sujet de la semaine Digitizing registers", "Dernières réponses", "Propositions de sujets"),
        ("es", "Tema de la semana Digitizing registers", "Últimas respuestas", "Propuestas de temas"),
    ],
)
def test_the_home_page_shows_the_week_the_latest_replies_categories_and_proposals(
    site: BuiltSite, language: str, week_topic: str, latest: str, proposal_heading: str
) -> None:
    page = site.page(prefix(language))
    text = site.text(prefix(language))

    assert page.html["lang"] == language
    assert week_topic in text
    assert latest in text
    latest_items = page.select(".forum-latest li")
    assert len(latest_items) == 4
    assert "Universities can help." in latest_items[0].get_text(), "newest reply first"
    assert latest_items[0].a["href"] == f"{TOPIC}#post-DC_4"
    categories = page.select(".forum-categories li")
    assert len(categories) == 9
    assert proposal_heading in text
    assert [a.get_text() for a in page.select(".forum-proposals li a")] == ["IP clinics in universities"]


def test_a_protected_pages_frame_comes_without_indentation_or_words_no_script_shows(site: BuiltSite) -> None:
    """What every protected page repeats weighs less (issue 16): the theme's indentation
    between tags, and the words of Material's search box and version selector, which the
    forum has not, are left out; the page reads the same."""
    raw = site.raw(TOPIC)
    assert not re.search(r">[ \t]*\n\s+<", raw), "indentation between tags"
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', raw, re.S)
    assert config and "search.result" not in config[1] and "clipboard.copy" in config[1]
    page = site.page(TOPIC)
    assert page.h1 and page.find(class_="forum-reply"), "the topic still reads"


def test_the_home_page_shows_replies_in_the_readers_language_where_translated(site: BuiltSite) -> None:
    english = site.page("").select(".forum-latest li")[-1]
    french = site.page("fr/").select(".forum-latest li")[-1]

    assert "In Mexico we use a regional programme." in english.get_text()
    assert english.p["lang"] == "en"
    assert "En México usamos un programa regional." in french.get_text()
    assert french.p["lang"] == "es", "an untranslated excerpt is marked with its own language"


@pytest.mark.parametrize(
    ("language", "headers", "row"),
    [
        (
            "en",
            ["Topic", "Week", "Replies", "Languages", "Member states", "Last activity"],
            [
                "Training of trainers",
                "2026-W40",
                "4",
                "English, French, Spanish",
                "Brazil, France, Mexico",
                "October 5, 2026",
            ],
        ),
        (
            "fr",
            ["Sujet", "Semaine", "Réponses", "Langues", "États membres", "Dernière activité"],
            [
                "Formation de formateurs",
                "2026-W40",
                "4",
                "anglais, français, espagnol",
                "Brésil, France, Mexique",
                "5 octobre 2026",
            ],
        ),
        (
            "es",
            ["Tema", "Semana", "Respuestas", "Idiomas", "Estados miembros", "Última actividad"],
            [
                "Formación de formadores",
                "2026-W40",
                "4",
                "inglés, francés, español",
                "Brasil, Francia, México",
                "5 de octubre de 2026",
            ],
        ),
    ],
)
def test_a_category_page_lists_its_topics_with_their_figures(
    site: BuiltSite, language: str, headers: list[str], row: list[str]
) -> None:
    page = site.page(f"{prefix(language)}categories/training/")

    assert [th.get_text() for th in page.select("table.forum-topics th")] == headers
    rows = page.select("table.forum-topics tbody tr")
    assert [[td.get_text() for td in tr.select("td")] for tr in rows] == [row]
    assert rows[0].a["href"] == f"../../{TOPIC}"


def test_an_empty_category_says_so(site: BuiltSite) -> None:
    assert "Aucun sujet dans cette catégorie pour l'instant." in site.text("fr/categories/copyright/")


def test_a_topic_page_shows_the_opening_post_then_replies_threaded_one_level(site: BuiltSite) -> None:
    page = site.page(TOPIC)

    assert page.h1.get_text() == "Training of trainers"
    opening = page.select_one("article.forum-post--opening")
    assert "How do you train trainers?" in opening.get_text()
    assert opening.strong.get_text() == "train", "Markdown is rendered"
    top_level = page.select("ol.forum-thread:not(.forum-thread--nested) > li > article")
    assert [a["id"] for a in top_level] == ["post-DC_1", "post-DC_2", "post-DC_4"]
    nested = page.select("#post-DC_1 + ol.forum-thread--nested > li > article")
    assert [a["id"] for a in nested] == ["post-DC_3"], "the answer to Eva sits under her reply"
    assert "Replies (4)" in page.get_text()


@pytest.mark.parametrize(
    ("language", "state", "date", "written", "pending"),
    [
        ("en", "France", "October 3, 2026", "Written in French", "Original in French — translation pending"),
        ("fr", "France", "3 octobre 2026", "Rédigé en français", None),
        (
            "es",
            "Francia",
            "3 de octubre de 2026",
            "Escrito en francés",
            "Original en francés — traducción pendiente",
        ),
    ],
)
def test_each_post_shows_member_state_delegate_date_and_language(
    site: BuiltSite, language: str, state: str, date: str, written: str, pending: str | None
) -> None:
    post = site.page(f"{prefix(language)}{TOPIC}").select_one("#post-DC_2")
    meta = post.header.get_text(" ")

    assert state in meta
    assert "Luc Martin" in meta
    assert date in meta
    assert written in meta
    note = post.select_one(".forum-post__note--pending")
    assert (note.get_text() if note else None) == pending
    assert post.select_one(".forum-post__body")["lang"] == "fr"


def test_a_translated_post_is_shown_translated_with_its_translator(site: BuiltSite) -> None:
    english = site.page(TOPIC).select_one("#post-DC_1")
    french = site.page(f"fr/{TOPIC}").select_one("#post-DC_1")

    assert "In Mexico we use a regional programme." in english.get_text()
    assert english.select_one(".forum-post__body")["lang"] == "en"
    assert "Translated by WIPO Language Service — original in Spanish" in english.get_text()
    assert "En México usamos un programa regional." in french.get_text()
    assert french.select_one(".forum-post__body")["lang"] == "es"
    assert french.select_one(".forum-post__body")["dir"] == "ltr"
    assert "Original en espagnol — traduction en attente" in french.get_text()


def test_moderator_and_guest_posts_say_who_they_are(site: BuiltSite) -> None:
    page = site.page(f"es/{TOPIC}")

    assert "Moderación de la OMPI Claire Moreau" in words(
        page.select_one("article.forum-post--opening header")
    )
    assert "Invitado — University Network Sam Guest" in words(page.select_one("#post-DC_4 header"))


def test_a_topic_with_no_reply_says_so_in_each_language(site: BuiltSite) -> None:
    url = f"topics/{topic_slug('D_t2')}/"
    assert "No reply yet." in site.text(url)
    assert "Pas encore de réponse." in site.text(f"fr/{url}")
    assert "Todavía no hay respuestas." in site.text(f"es/{url}")


def test_the_proposals_page_lists_open_then_decided_proposals(site: BuiltSite) -> None:
    page = site.page("fr/proposals/")

    assert [h.get_text() for h in page.select("article.md-content__inner h2")] == [
        "En attente de décision",
        "Décidées",
    ]
    assert [h.get_text() for h in page.select(".forum-proposal h3")] == [
        "IP clinics in universities",
        "Old idea",
    ]
    assert page.select_one(".forum-proposal--declined .forum-proposal__status").get_text() == "Refusée"
    assert "Kenya" in page.select_one(".forum-proposal--open header").get_text()


def test_the_protocol_is_a_page_in_each_language(site: BuiltSite) -> None:
    for language in LANGUAGES:
        assert f"Rules of the forum ({language})." in site.text(f"{prefix(language)}protocol/")


def test_the_navigation_lists_categories_never_topics(site: BuiltSite) -> None:
    nav = site.page("fr/").select_one("nav.md-nav--primary").get_text(" ")

    assert "Formation et renforcement des capacités" in nav
    assert "Catégories" in nav
    assert "Propositions de sujets" in nav
    assert "Formation de formateurs" not in nav
    assert "Digitizing registers" not in nav


def test_the_language_switch_links_a_page_to_itself_in_the_other_languages(site: BuiltSite) -> None:
    links = {
        a.get_text(" ", strip=True): a["href"] for a in site.page(f"fr/{TOPIC}").select(".md-select__link")
    }

    assert links["English"].endswith(f"/{TOPIC}")
    assert links["Español"].endswith(f"/es/{TOPIC}")


def test_every_link_between_pages_leads_to_a_page(site: BuiltSite) -> None:
    checked = 0
    moderator = BuiltSite(site.dir, "WIPO")  # opens the forum's pages and the moderator's own
    for html in site.dir.rglob("*.html"):
        if "guests" in html.parts:
            continue  # guests' copies of topics, which a delegation's key does not open
        page_url = "http://forum.test/" + str(html.relative_to(site.dir))
        for anchor in moderator.page(str(html.relative_to(site.dir))).select("article a[href]"):
            target = urlparse(urljoin(page_url, anchor["href"]))
            if target.netloc != "forum.test":
                continue
            path = site.dir / target.path.lstrip("/")
            assert (path / "index.html").is_file() or path.is_file(), f"{html}: {anchor['href']}"
            checked += 1
    assert checked > 50


def test_content_files_are_not_published(site: BuiltSite) -> None:
    published = {p.name for p in site.dir.rglob("*") if p.is_file()}

    assert "roster.yml" not in published
    assert "categories.yml" not in published
    assert not any(name.startswith("DC_") for name in published)


def test_a_long_category_is_paginated(small_forum: Archive, build: Callable[..., BuiltSite]) -> None:
    for week in range(43, 47):
        small_forum.topic(f"D_w{week}", f"Week {week} topic", f"2026-W{week}", (week - 39) * 7)

    site = build(lambda config: config["extra"]["forum"].update(topics_per_page=2))

    first = site.page("categories/training/")
    titles = [a.get_text() for a in first.select("table.forum-topics tbody a")]
    assert titles == ["Week 46 topic", "Week 45 topic"], "newest first"
    assert site.urls(r"categories/training/page/\d/") == [
        "categories/training/page/2/",
        "categories/training/page/3/",
    ]
    last = site.page("categories/training/page/3/")
    assert [a.get_text() for a in last.select("table.forum-topics tbody a")] == ["Training of trainers"]
    assert "Page 3 of 3" in last.select_one("nav.forum-pagination").get_text()
    assert last.select_one("nav.forum-pagination a[rel=prev]")["href"] == "../2/"
    assert "Page 2 sur 3" in site.text("fr/categories/training/page/2/")


def test_arabic_is_switched_on_in_mkdocs_yml_alone(
    small_forum: Archive, build: Callable[..., BuiltSite]
) -> None:
    def add_arabic(config: dict) -> None:
        i18n_languages(config).append({"locale": "ar", "name": "العربية", "build": True})

    site = build(add_arabic, today=date(2026, 10, 8))  # in 2026-W41, a topic's week

    home = site.page("ar/")
    assert home.html["lang"] == "ar"
    assert home.body["dir"] == "rtl"
    assert "موضوع الأسبوع" in site.text("ar/")
    topic = site.page(f"ar/{TOPIC}")
    assert topic.body["dir"] == "rtl"
    assert topic.h1.get_text() == "Training of trainers"
    assert topic.h1["lang"] == "en", "an untranslated title is marked as English"
    post = topic.select_one("#post-DC_2")
    assert "الأصل باللغة الفرنسية — الترجمة قيد الانتظار" in post.get_text()
    assert post.select_one(".forum-post__body")["dir"] == "ltr"
    assert "فرنسا" in post.header.get_text(), "member state named in Arabic"
    assert "الفئات" in topic.select_one("nav.md-nav--primary").get_text()


def test_a_broken_file_stops_the_build_and_leaves_the_site_as_it_was(
    small_forum: Archive, build: Callable[..., BuiltSite]
) -> None:
    from sync.site.build import BuildError, build_site

    site = build()
    before = sorted(str(p) for p in site.dir.rglob("*"))
    reply = next(small_forum.content.glob("topics/*/DC_2.md"))
    reply.write_text(
        reply.read_text(encoding="utf-8").replace("member_state: FR", "member_state: Atlantis"),
        encoding="utf-8",
    )

    with pytest.raises(BuildError) as caught:
        build_site(small_forum.project)

    assert str(caught.value) == (
        f"{reply}: field 'member_state': unknown member state 'Atlantis'; expected one of BR, FR, KE, MX"
    )
    assert sorted(str(p) for p in site.dir.rglob("*")) == before
    assert not list(Path(small_forum.root).glob(".site-building-*")), "no half-built folder left"


def test_headings_and_raw_html_in_a_post_are_made_safe(
    archive: Archive, build: Callable[..., BuiltSite]
) -> None:
    topic = archive.topic(
        "D_x",
        "Safe",
        "2026-W40",
        1,
        body='# A heading\n\n<script>alert(1)</script>\n\n<a href="javascript:alert(1)" onclick="x()">link</a>',
    )

    page = build().page(f"topics/{topic_slug(topic.id)}/")

    body = page.select_one("article.forum-post--opening .forum-post__body")
    assert body.h3.get_text() == "A heading", "a post's headings sit below the page's own"
    assert body.script is None
    assert not re.search(r"javascript:|onclick", str(body))


def test_chinese_and_russian_are_switched_on_in_mkdocs_yml_alone(
    small_forum: Archive, build: Callable[..., BuiltSite]
) -> None:
    def add_languages(config: dict) -> None:
        i18n_languages(config).extend(
            [
                {"locale": "zh", "name": "中文", "build": True},
                {"locale": "ru", "name": "Русский", "build": True},
            ]
        )

    site = build(add_languages)

    assert site.page("zh/").html["lang"] == "zh"
    assert "本周话题" in site.text("zh/")
    assert "Последние ответы" in site.text("ru/")
    assert "Оригинал: французский — перевод ожидается" in site.text(f"ru/{TOPIC}")
    assert site.page("ru/").body["dir"] == "ltr"


def test_the_navigation_rendered_once_for_topic_pages_is_the_one_each_would_render(
    small_forum: Archive, build: Callable[..., BuiltSite], monkeypatch: pytest.MonkeyPatch
) -> None:
    reused: list[object] = []
    real = theme_cache.RenderedOnce.__call__

    def checked(self: theme_cache.RenderedOnce, key: object, caller: Callable[[], str]) -> str:
        shown = real(self, key, caller)
        if key is not None:
            assert shown == caller(), f"the navigation kept for {key} is not this page's own"
            reused.append(key)
        return shown

    monkeypatch.setattr(theme_cache.RenderedOnce, "__call__", checked)
    site = build(today=date(2026, 10, 8))

    assert ("fr", "fr/topics") in reused and reused.count(("en", "topics")) >= 2
    nav = site.page(f"fr/{TOPIC}").select_one("nav.md-nav--primary")
    assert "Formation et renforcement des capacités" in nav.get_text(" ")
    for anchor in nav.select("a[href]"):
        target = urlparse(urljoin(f"http://forum.test/fr/{TOPIC}", anchor["href"])).path.lstrip("/")
        assert (site.dir / target / "index.html").is_file() or (site.dir / target).is_file(), anchor["href"]


def test_the_forums_copy_of_materials_navigation_is_materials_own() -> None:
    import material

    ours = (Path(__file__).parent.parent / "hooks/theme/partials/nav.html").read_text(encoding="utf-8")
    copied = ours.split("{#- Material's nav.html: from here -#}\n")[1].split(
        "\n{#- Material's nav.html: to here"
    )[0]
    upstream = (Path(material.__file__).parent / "templates/partials/nav.html").read_text(encoding="utf-8")
    assert copied.strip() in upstream, "Material's nav.html changed: copy it again between the markers"
    assert (
        upstream.split('{% import "partials/nav-item.html" as item with context %}\n')[1].strip()
        == copied.strip()
    )


def test_the_navigation_of_topic_pages_is_encrypted_once_per_language_and_opens_on_each(
    site: BuiltSite,
) -> None:
    def navigation_part(url: str) -> str:
        html = site.raw(url)
        start = html.index('<nav class="md-nav md-nav--primary"')
        return re.search(r"display:none !important[^>]*>([^<]*)<", html[start:])[1]

    pages = sorted(p.parent.name for p in (site.dir / "fr/topics").glob("*/index.html"))
    parts = {navigation_part(f"fr/topics/{slug}/") for slug in pages}
    assert len(pages) >= 2 and len(parts) == 1, "one cipher text for every French topic page"
    assert navigation_part(f"topics/{pages[0]}/") not in parts, "another language's its own"
    for slug in pages:
        nav = site.page(f"fr/topics/{slug}/").select_one("nav.md-nav--primary")
        assert "Formation et renforcement des capacités" in nav.get_text(" ")

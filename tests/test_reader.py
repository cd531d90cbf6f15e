"""A forum delegates want to open (issue 15), in Debian's Chromium as a delegate uses it:
taking part from every post, this week's topic, small screens, whom one is signed in as,
the moderator's own pages, the finish."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest
from archive import Archive
from conftest import BuiltSite, serving, sign_in_page
from playwright.sync_api import Browser, Page, expect

from sync.model.domain import Forum
from sync.site.pages import guest_url, topic_slug

pytestmark = pytest.mark.browser

FLEXIBILITIES = "D_kwDOdemo0045"  # the demo topic with the most replies


def topic_address(topic_id: str, language: str = "") -> str:
    return f"{language}topics/{topic_slug(topic_id)}/"


def signed_in(page: Page, url: str, user: str = "BR") -> None:
    sign_in_page(page, url, user)
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("#mkdocs-decrypt-form")).to_have_count(0)


# Taking part ------------------------------------------------------------------------------


def test_every_post_has_its_address_and_a_reply_link_to_its_comment_on_github(
    browser: Browser, demo_url: str, demo: Forum
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    topic = demo.topic(FLEXIBILITIES)
    assert topic is not None and len(topic.replies) >= 3
    signed_in(page, demo_url + topic_address(topic.id))

    opening = page.locator(f"#post-{topic.id}")
    expect(opening.get_by_role("link", name="Reply to")).to_have_attribute("href", topic.url)
    expect(opening.locator(".forum-post__permalink")).to_be_visible()
    for reply in topic.replies:
        post = page.locator(f'[id="post-{reply.id}"]')
        expect(post.locator(".forum-post__reply")).to_have_text("Reply")
        expect(post.locator(".forum-post__reply")).to_have_attribute("href", reply.url)
        expect(post.get_by_role("link", name="Link to this post")).to_be_visible()

    third = topic.replies[2]
    page.locator(f'[id="post-{third.id}"] .forum-post__permalink').click()
    expect(page).to_have_url(f"{demo_url}{topic_address(topic.id)}#post-{third.id}")
    expect(page.locator(f'[id="post-{third.id}"] .forum-copied')).to_have_text(
        "The address of this post is copied."
    )
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    highlighted = page.locator("article.forum-post:target")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_have_id(f"post-{third.id}")
    assert highlighted.evaluate("e => getComputedStyle(e).boxShadow") != "none"
    other = page.locator(f'[id="post-{topic.replies[0].id}"]')
    assert other.evaluate("e => getComputedStyle(e).boxShadow") == "none"
    context.close()


def test_a_link_to_a_reply_opens_the_topic_on_that_reply_highlighted(
    page: Page, demo_url: str, demo: Forum
) -> None:
    topic = demo.topic(FLEXIBILITIES)
    reply = topic.replies[-1]
    signed_in(page, f"{demo_url}fr/{topic_address(topic.id)}#post-{reply.id}", "SN")

    expect(page.locator("article.forum-post:target")).to_have_id(f"post-{reply.id}")
    expect(page.locator(f'[id="post-{reply.id}"]')).to_be_in_viewport()


@pytest.mark.parametrize(
    ("language", "howto", "review"),
    [
        (
            "",
            "admitted to the forum's repository; write in any of the forum's languages (English, French, Spanish)",
            "after the moderator's review",
        ),
        ("fr/", "compte GitHub admis au dépôt du forum", "après l'examen du modérateur"),
        (
            "es/",
            "cuenta de GitHub admitida en el repositorio del foro",
            "después de la revisión del moderador",
        ),
    ],
)
def test_a_topic_page_says_how_to_reply_in_the_readers_language(
    page: Page, demo_url: str, language: str, howto: str, review: str
) -> None:
    signed_in(page, demo_url + topic_address("D_kwDOdemo0048", language), "MX")

    lines = page.locator(".forum-how-to-reply p")
    expect(lines).to_have_count(2)
    expect(lines.nth(0)).to_contain_text(howto)
    expect(lines.nth(1)).to_contain_text(review)


def test_the_proposals_page_links_to_a_new_discussion_in_the_proposals_category(
    page: Page, demo_url: str
) -> None:
    signed_in(page, f"{demo_url}es/proposals/", "CL")

    link = page.get_by_role("link", name="Proponer un tema")
    expect(link).to_be_visible()
    expect(link).to_have_attribute(
        "href", "https://github.com/wipo-forum/ta-forum/discussions/new?category=proposals"
    )


# This week's topic -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "heading", "title"),
    [
        (date(2026, 10, 8), "Topic of the week", "Digitizing registers"),  # in 2026-W41
        (date(2026, 10, 13), "Latest topic", "Digitizing registers"),  # in 2026-W42: not yet opened
    ],
)
def test_the_home_page_shows_this_weeks_topic_and_never_a_past_week_as_this_weeks(
    browser: Browser, archive: Archive, build: Callable[..., BuiltSite], day: date, heading: str, title: str
) -> None:
    archive.topic("D_t1", "Training of trainers", "2026-W40", 1)
    archive.topic("D_t2", "Digitizing registers", "2026-W41", 8, category="office-modernization")
    site = build(today=day)
    page = browser.new_page()
    with serving(site.dir) as url:
        signed_in(page, url)
        week = page.locator(".forum-week")
        expect(week.locator("h2")).to_have_text(heading)
        expect(week.locator("h3")).to_have_text(title)
        if heading == "Latest topic":
            expect(week).to_contain_text("This week's topic is not open yet")
            expect(page.get_by_role("heading", name="Topic of the week")).to_have_count(0)
    page.close()


# Listings and small screens ----------------------------------------------------------------

PAGE_TYPES = {
    "home": "",
    "category": "categories/office-modernization/",
    "weeks": "weeks/",
    "topic": topic_address(FLEXIBILITIES),
    "proposals": "proposals/",
    "statistics": "statistics/",
    "search": "find/",
    "protocol": "protocol/",
}


def sideways(page: Page) -> int:
    """How far the page scrolls sideways, in CSS pixels."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_category_table_is_laid_out_in_columns_on_a_laptop(page: Page, demo_url: str) -> None:
    signed_in(page, f"{demo_url}categories/office-modernization/")

    row = page.locator("table.forum-topics tbody tr").first
    cells = row.locator("td")
    expect(cells).to_have_count(6)
    boxes = [cells.nth(i).bounding_box() for i in range(6)]
    for left, right in itertools.pairwise(boxes):
        assert left and right and right["x"] >= left["x"] + left["width"], "columns side by side"
    padding = cells.nth(2).evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)")
    assert padding >= 8, "a value never runs into the next column's"
    week = page.locator("td.forum-topics__week").first
    # Lines are told by their tops: the week sits in a <bdi> (issue 17), a box of its own on the same line.
    lines = (
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    assert week.evaluate(lines) == 1, "2026-W48 on one line"
    expect(page.locator("table.forum-topics thead th").first).to_be_visible()


def test_the_category_table_becomes_a_list_of_cards_on_a_phone(
    browser: Browser, demo_url: str, demo: Forum
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    signed_in(page, f"{demo_url}fr/categories/office-modernization/")

    expect(page.locator("table.forum-topics thead")).not_to_be_in_viewport()
    rows = page.locator("table.forum-topics tbody tr")
    assert rows.count() == len(demo.topics_in("office-modernization"))
    for index in range(rows.count()):
        card = rows.nth(index).bounding_box()
        title = rows.nth(index).locator("td.forum-topics__title a")
        title_box = title.bounding_box()
        assert card and title_box and card["width"] > 300, "a card as wide as the screen"
        assert title_box["width"] > 200, "the title is not broken letter by letter"
        week = rows.nth(index).locator("td.forum-topics__week")
        label = week.evaluate("e => getComputedStyle(e, '::before').content")
        assert "Semaine" in label, label
    assert sideways(page) == 0
    page.close()


@pytest.mark.parametrize("width", [390, 640])  # a phone; a 1280 px laptop at 200 % zoom
def test_no_page_scrolls_sideways_on_a_phone_or_at_200_percent_zoom(
    browser: Browser, demo_url: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(demo_url)
    assert sideways(page) == 0, "the sign-in page"
    signed_in(page, demo_url)
    for language in ("", "fr/"):
        for kind, url in PAGE_TYPES.items():
            page.goto(demo_url + language + url)
            expect(page.locator(".forum-signout")).to_be_visible()
            assert sideways(page) == 0, f"{language}{url} ({kind}) at {width} px"
    page.close()


def test_the_demo_banner_takes_one_line_on_a_phone_and_sign_out_stays_reachable(
    browser: Browser, demo_url: str
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    signed_in(page, f"{demo_url}es/")

    banner = page.locator(".forum-demo")
    expect(banner).to_have_text("Sitio de demostración: ejemplos públicos", use_inner_text=True)
    line = banner.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    box = banner.bounding_box()
    assert box and box["height"] < 1.5 * line, "one line"
    sign_out = page.get_by_role("button", name="Cerrar sesión")
    expect(sign_out).to_be_in_viewport()
    sign_out.click()
    expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()
    page.close()


# Signing in --------------------------------------------------------------------------------


def test_a_delegate_sees_whom_they_are_signed_in_as_and_signs_out_from_any_page(
    page: Page, demo_url: str
) -> None:
    signed_in(page, demo_url, "BR")
    expect(page.locator(".forum-whoami")).to_have_text("Signed in: Brazil's delegation")

    page.goto(f"{demo_url}fr/proposals/")
    expect(page.locator(".forum-whoami")).to_have_text("Connecté : délégation — Brésil")
    page.goto(f"{demo_url}404.html")  # what the host serves for a page that does not exist
    expect(page.locator("button.forum-signout")).to_be_visible()
    page.goto(f"{demo_url}protocol/")
    expect(page.locator(".forum-whoami")).to_have_text("Signed in: Brazil's delegation")
    page.get_by_role("button", name="Sign out").click()

    expect(page.locator(".forum-whoami")).to_be_hidden()
    page.goto(demo_url)
    expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0, "signing out forgets who signed in"


def test_the_moderator_is_signed_in_as_the_moderator(page: Page, demo_url: str) -> None:
    signed_in(page, f"{demo_url}statistics/", "WIPO")

    expect(page.locator(".forum-whoami")).to_have_text("Signed in: WIPO moderator")


def test_a_guest_sees_their_name_and_no_way_into_pages_they_cannot_open(
    page: Page, demo_url: str, demo: Forum
) -> None:
    guest = demo.roster.guests[0]
    invited = guest_url(guest.topic)
    signed_in(page, f"{demo_url}{invited}", guest.login)

    expect(page.locator(".forum-whoami")).to_have_text(f"Signed in: {guest.name}")
    expect(page.locator("nav.md-nav--primary")).to_have_count(0)
    expect(page.locator(".forum-post__reply")).to_have_count(0)
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    public = (f"{demo_url}protocol/", f"{demo_url}fr/protocol/", f"{demo_url}es/protocol/")  # the footer's
    inside = [link for link in links if link.startswith(demo_url) and link not in public]
    assert inside, "the page has its own links (language, posts)"
    for link in inside:
        assert f"guests/{invited.split('/')[1]}/" in link, f"{link} leads out of the guest's page"


# Sensitive views ---------------------------------------------------------------------------


def test_the_moderators_view_and_the_register_open_with_the_moderators_credential_alone(
    browser: Browser, demo_url: str, demo: Forum
) -> None:
    delegate = browser.new_page()
    signed_in(delegate, f"{demo_url}statistics/", "BR")
    expect(delegate.locator("article")).not_to_contain_text("Member states that have not posted")
    delegate.get_by_role("link", name="The moderator's view").click()
    expect(delegate.locator("#mkdocs-decrypt-form")).to_be_visible(), "a delegation's keys do not open it"
    delegate.goto(f"{demo_url}invitations/")
    expect(delegate.locator("#mkdocs-decrypt-form")).to_be_visible()
    expect(delegate.locator(".forum-invitations")).to_have_count(0)
    delegate.close()

    moderator = browser.new_page()
    signed_in(moderator, f"{demo_url}statistics/moderator/", "WIPO")
    expect(moderator.locator("article h1")).to_have_text("The moderator's view")
    expect(moderator.locator("article")).to_contain_text("Member states that have not posted in 12 weeks")
    moderator.get_by_role("link", name="Guest invitations").first.click()
    guest = demo.roster.guests[0]
    register = moderator.locator("table.forum-invitations tbody tr")
    expect(register).to_have_count(len(demo.roster.guests))
    expect(register.first).to_contain_text(f"{guest.name} (@{guest.login})")
    expect(register.first).to_contain_text("Accepted")
    moderator.goto(f"{demo_url}statistics/")  # the same credential opens the forum too
    expect(moderator.locator("article")).to_contain_text(guest.name)  # guests' participation counts one
    moderator.close()


# Finish ------------------------------------------------------------------------------------


def test_the_footer_names_the_forum_and_links_the_protocol_and_the_moderator(
    page: Page, demo_url: str
) -> None:
    page.goto(f"{demo_url}fr/protocol/")  # public: the footer in clear
    footer = page.locator("footer .md-copyright")
    expect(footer).to_contain_text("Forum de l'OMPI sur l'assistance technique")
    expect(footer.get_by_role("link", name="Protocole d'utilisation")).to_have_attribute("href", "./")
    expect(footer.get_by_role("link", name="Écrire au modérateur")).to_have_attribute(
        "href", "mailto:forum-moderator@example.org"
    )
    expect(page.locator("footer")).not_to_contain_text("Material for MkDocs")

    signed_in(page, f"{demo_url}categories/training/")  # protected: the footer decrypted
    footer = page.locator("footer .md-copyright")
    expect(footer).to_contain_text("WIPO Technical Assistance Forum")
    footer.get_by_role("link", name="Usage protocol").click()
    expect(page).to_have_url(f"{demo_url}protocol/")


@pytest.mark.parametrize(
    ("address", "title", "home", "target"),
    [
        ("nowhere/", "Page not found", "Go to the forum's home page", ""),
        ("fr/sujets/nowhere/", "Page introuvable", "Aller à l'accueil du forum", "fr/"),
        ("es/nowhere/", "Página no encontrada", "Ir a la página de inicio del foro", "es/"),
    ],
)
def test_the_404_page_speaks_the_readers_language_and_links_home(
    page: Page, demo_url: str, demo_site: BuiltSite, address: str, title: str, home: str, target: str
) -> None:
    # What a static host does for an address with no page: its 404.html, with status 404.
    page.route(
        f"{demo_url}{address}",
        lambda route: route.fulfill(status=404, path=demo_site.dir / "404.html", content_type="text/html"),
    )
    page.goto(demo_url + address)

    expect(page.locator("article h1:visible")).to_have_text(title)
    page.get_by_role("link", name=home).click()
    expect(page).to_have_url(demo_url + target)
    expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()


def test_the_sign_in_page_names_the_forum_and_says_how_a_delegation_gets_access(
    page: Page, demo_url: str
) -> None:
    page.goto(f"{demo_url}es/")

    form = page.locator("#mkdocs-decrypt-form")
    expect(form.locator(".forum-signin__forum")).to_have_text("Foro de la OMPI sobre asistencia técnica")
    expect(form).to_contain_text("recibe su nombre de usuario y su contraseña del moderador")


def test_a_translators_name_is_escaped_once(page: Page, demo_url: str) -> None:
    signed_in(page, demo_url + topic_address("D_kwDOdemo0048", "fr/"))

    note = page.locator("#post-D_kwDOdemo0048 .forum-post__note--translated")
    expect(note).to_have_text("Traduit par Service linguistique de l'OMPI — original en anglais")


def test_outdated_translation_notes_are_two_sentences(
    archive: Archive, build: Callable[..., BuiltSite]
) -> None:
    topic = archive.topic("D_t1", "Programmes for tutors", "2026-W40", 1)
    archive.translate(topic, "fr", "Formation ?", title="Formation", outdated=True)

    note = build().page(f"fr/{topic_address('D_t1')}").select_one(".forum-post__note--outdated").get_text()

    assert note == (
        "Traduit par WIPO Language Service — original en anglais. "
        "L'original a été modifié depuis cette traduction. "
        "L'original est affiché en premier."  # issue 17: an outdated translation gives way
    )


def test_no_page_view_asks_for_a_sitemap_that_is_not_there(page: Page, demo_url: str) -> None:
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    signed_in(page, f"{demo_url}fr/")
    for url in ("fr/", "fr/proposals/", topic_address(FLEXIBILITIES, "fr/"), "es/find/", "protocol/"):
        page.goto(demo_url + url)
        expect(page.locator(".forum-signout")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert missing == []


def test_the_new_page_types_pass_axe_core(browser: Browser, demo_url: str, demo: Forum) -> None:
    from test_accessibility import axe_violations

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{demo_url}404.html")
    assert axe_violations(page) == [], "404"
    signed_in(page, f"{demo_url}fr/statistics/moderator/", "WIPO")
    assert axe_violations(page) == [], "the moderator's view"
    page.goto(f"{demo_url}fr/invitations/")
    expect(page.locator("table.forum-invitations")).to_be_visible()
    assert axe_violations(page) == [], "the register"
    page.close()
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    signed_in(phone, f"{demo_url}categories/office-modernization/")
    assert axe_violations(phone) == [], "the category's cards on a phone"
    phone.goto(demo_url + topic_address(FLEXIBILITIES))
    expect(phone.locator(".forum-signout")).to_be_visible()
    assert axe_violations(phone) == [], "a topic on a phone"
    phone.close()

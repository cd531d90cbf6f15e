"""Every page works for every reader (target: WCAG 2.1 AA): axe-core, pinned in
tests/package.json, runs in Debian's Chromium on each page type in each language after
sign-in; a keyboard alone signs in, switches language, searches and signs out; Arabic pages
are laid out right to left."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from archive import ROOT
from conftest import BuiltSite, serving
from playwright.sync_api import Page, expect

from sync.digest.message import select, write_preview
from sync.model.dates import parse_week
from sync.model.domain import Forum
from sync.site.pages import topic_slug
from sync.site.protection import demo_password

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
# One page of each type; the sign-in form is checked on the home page before signing in.
PAGES = {
    "home": "",
    "category": "categories/training/",
    "weeks": "weeks/",
    "topic": f"topics/{topic_slug('D_kwDOdemo0047')}/",
    "proposals": "proposals/",
    "statistics": "statistics/",
    "search": "find/",
    "protocol": "protocol/",
    "invitations": "invitations/",
}
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def arabic_url(six_languages_site: BuiltSite) -> Iterator[str]:
    """The demo with Arabic, Chinese and Russian switched on in mkdocs.yml too, served."""
    with serving(six_languages_site.dir) as url:
        yield url


def axe_violations(page: Page) -> list[str]:
    """The serious and critical violations axe-core finds on the page as it stands."""
    # Evaluated by the test's own channel: the pages' Content-Security-Policy rightly refuses an
    # inline <script>, which add_script_tag would add.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{rule['impact']} {rule['id']}: {rule['help']} at {[node['target'] for node in rule['nodes']][:3]}: "
        + rule["nodes"][0]["failureSummary"].replace("\n", " ")[:300]
        for rule in found
        if rule["impact"] in BLOCKING
    ]


def sign_in_with(page: Page, url: str, user: str = "BR") -> None:
    page.goto(url)
    page.locator("#mkdocs-content-user").fill(user)
    page.locator("#mkdocs-content-password").fill(demo_password(user))
    page.locator("#mkdocs-content-password").press("Enter")
    expect(page.locator("article h1")).to_be_focused()


def open_signed_in(page: Page, url: str) -> None:
    """Open a page and wait until the reader's stored keys have decrypted it."""
    page.goto(url)
    expect(page.locator("#mkdocs-decrypt-form")).to_have_count(0)
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator(".forum-signout")).to_be_visible()


def check_every_page_type(page: Page, site_url: str, language: str, prefix: str) -> dict[str, list[str]]:
    found = {}
    page.goto(site_url + prefix)
    expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()
    found["sign-in"] = axe_violations(page)
    # The moderator's credential opens every page type, the register (the moderator's alone) too.
    sign_in_with(page, site_url + prefix, "WIPO")
    for kind, url in PAGES.items():
        open_signed_in(page, site_url + prefix + url)
        assert page.locator("html").get_attribute("lang") == language
        found[kind] = axe_violations(page)
    return {kind: rules for kind, rules in found.items() if rules}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_type_passes_axe_core(page: Page, demo_url: str, language: str) -> None:
    prefix = "" if language == "en" else f"{language}/"

    assert check_every_page_type(page, demo_url, language, prefix) == {}


@pytest.mark.parametrize("language", ["ar", "zh", "ru"])
def test_every_arabic_chinese_and_russian_page_type_passes_axe_core(
    page: Page, arabic_url: str, language: str
) -> None:
    assert check_every_page_type(page, arabic_url, language, f"{language}/") == {}


def test_show_original_opens_the_original_in_place_and_passes_axe_core(page: Page, demo_url: str) -> None:
    url = f"{demo_url}{PAGES['topic']}"
    sign_in_with(page, url)
    toggle = page.locator(".forum-post__toggle").first
    original = page.locator(".forum-post__other").first
    expect(original).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_contain_text("Show the original")

    toggle.focus()
    page.keyboard.press("Enter")

    expect(original).to_be_visible()
    expect(original.locator(".forum-post__other-body")).to_have_attribute("lang", re.compile("fr|es"))
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(toggle).to_have_text("Hide the original")
    assert page.url == url, "the reader stays on the page"
    assert axe_violations(page) == []
    toggle.click()
    expect(original).to_be_hidden()


def test_an_outdated_translation_shows_the_original_first(page: Page, demo_url: str) -> None:
    sign_in_with(page, demo_url)
    open_signed_in(page, f"{demo_url}topics/{topic_slug('D_kwDOdemo0045')}/")
    post = page.locator("#post-DC_kwDOdemo0452")

    expect(post.locator(".forum-post__note--outdated")).to_contain_text("The original is shown first.")
    expect(post.locator(".forum-post__body")).to_have_attribute("lang", "es")
    post.locator(".forum-post__toggle").click()
    expect(post.locator(".forum-post__other-body")).to_contain_text("In Chile, during the last reform")


def tab_to(page: Page, selector: str, key: str = "Tab", limit: int = 150) -> int:
    """Press Tab (or Shift+Tab) until the focus is on `selector`; how many presses it took.
    The element must then show its focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            focused = page.locator(selector).and_(page.locator(":focus"))
            expect(focused).to_be_visible()
            assert page.evaluate(
                """() => {
                    const el = document.activeElement, style = getComputedStyle(el);
                    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
                    return el.matches(':focus-visible') && (outline || style.boxShadow !== 'none');
                }"""
            ), f"the focus on {selector} is not visible"
            return presses
    raise AssertionError(f"{selector} cannot be reached with {key}")


def test_the_keyboard_alone_signs_in_switches_language_searches_and_signs_out(
    page: Page, demo_url: str
) -> None:
    page.goto(demo_url)

    tab_to(page, "#mkdocs-content-user")
    page.keyboard.type("BR")
    tab_to(page, "#mkdocs-content-password")
    page.keyboard.type(demo_password("BR"))
    page.keyboard.press("Enter")
    # The decrypted content is announced: the focus moves to its heading.
    expect(page.locator("article h1")).to_have_text("Technical assistance forum")
    expect(page.locator("article h1")).to_be_focused()

    tab_to(page, '.md-select__link[hreflang="fr"]')  # the language menu opens on focus
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{demo_url}fr/")
    expect(page.locator(".forum-latest-replies h2")).to_have_text("Dernières réponses")

    tab_to(page, 'nav.md-nav--primary a[href$="find/"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{demo_url}fr/find/")
    tab_to(page, "#forum-search-input")
    page.keyboard.type("formation")
    page.keyboard.press("Enter")
    expect(page.locator("#forum-search-status")).to_contain_text("Résultats")
    expect(page.locator("#forum-search-results li").first).to_be_visible()

    tab_to(page, ".forum-signout", key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()
    expect(page.locator(".forum-signout")).to_be_hidden()


def test_arabic_pages_are_right_to_left_with_the_layout_mirrored(page: Page, arabic_url: str) -> None:
    sign_in_with(page, f"{arabic_url}ar/")

    assert page.locator("body").get_attribute("dir") == "rtl"  # where Material sets it
    content = page.locator("article.md-content__inner").bounding_box()
    navigation = page.locator(".md-sidebar--primary").bounding_box()
    assert content and navigation and navigation["x"] > content["x"], "the navigation is on the right"

    open_signed_in(page, f"{arabic_url}ar/{PAGES['topic']}")
    parent = page.locator("ol.forum-thread--nested").first.locator("xpath=..").locator("article").first
    nested = page.locator("ol.forum-thread--nested article").first
    parent_box, nested_box = parent.bounding_box(), nested.bounding_box()
    assert parent_box and nested_box
    right = lambda box: box["x"] + box["width"]  # noqa: E731
    assert right(nested_box) < right(parent_box) - 10, "answers are indented from the right"
    # Each post says which language it is in; English text keeps its own direction.
    bodies = page.locator(".forum-post__body")
    assert bodies.count() > 3
    for index in range(bodies.count()):
        assert bodies.nth(index).get_attribute("lang") in {"ar", "en", "fr", "es"}
    expect(page.locator('.forum-post__body[lang="en"][dir="ltr"]').first).to_be_attached()


def test_charts_have_text_alternatives(page: Page, demo_url: str) -> None:
    sign_in_with(page, f"{demo_url}fr/statistics/")

    charts = page.locator("article svg.forum-chart")
    assert charts.count() >= 2
    for index in range(charts.count()):
        chart = charts.nth(index)
        name = chart.get_attribute("aria-label") or chart.locator("title").first.text_content()
        assert name and "tableau ci-dessous" in name, name


def test_the_digest_passes_axe_core_in_every_language(page: Page, demo: Forum, tmp_path: Path) -> None:
    digest = select(demo, parse_week("2026-W48"))
    written = write_preview(demo, digest, tmp_path, "https://forum.example.org/")

    for language, message in written.items():
        page.goto(message.with_suffix(".html").as_uri())
        assert page.locator("html").get_attribute("lang") == language
        assert axe_violations(page) == [], language

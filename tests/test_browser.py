"""The demo forum in a real browser (Debian's Chromium driven by Playwright), as its readers
use it: a delegate signs in, reads, changes language, searches and signs out; a guest opens
the one topic they were invited to; a wrong password and a revoked delegation are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from archive import STRONG, Archive, write_credentials
from conftest import serving, sign_in_page
from playwright.sync_api import Browser, Page, expect

from sync.model.domain import Forum
from sync.site.build import build_site
from sync.site.pages import guest_url, topic_slug

pytestmark = pytest.mark.browser


def switch_language(page: Page, name: str) -> None:
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name=name).click()


def test_a_delegate_signs_in_once_and_stays_signed_in_across_pages_and_languages(
    page: Page, demo_url: str, tmp_path: Path
) -> None:
    page.goto(demo_url)
    expect(page.locator("#forum-signin-title")).to_have_text("Sign in to the forum")
    expect(page.locator(".forum-demo")).to_contain_text("Demo site")
    page.screenshot(path=tmp_path / "signin-en.png")

    sign_in_page(page, demo_url, "BR")

    expect(page.locator("article h1")).to_have_text("Technical assistance forum")
    expect(page.locator(".forum-week h2")).to_have_text("Topic of the week")
    expect(page.locator("article h1")).to_be_focused()  # the decrypted page is announced
    switch_language(page, "Français")
    expect(page).to_have_url(f"{demo_url}fr/")
    expect(page.locator(".forum-latest-replies h2")).to_have_text("Dernières réponses")
    page.locator("nav.md-nav--primary").get_by_role(
        "link", name="Formation et renforcement des capacités"
    ).click()
    expect(page.locator("table.forum-topics")).to_be_visible()
    switch_language(page, "Español")
    expect(page.locator(".forum-categories h2, article h1").first).to_be_visible()
    expect(page.locator("#mkdocs-decrypt-form")).to_have_count(0)
    page.screenshot(path=tmp_path / "category-es.png", full_page=True)


def test_a_delegate_reads_a_topic_with_threaded_replies(page: Page, demo_url: str, tmp_path: Path) -> None:
    sign_in_page(page, f"{demo_url}fr/categories/training/", "SN")
    page.locator("table.forum-topics tbody a").first.click()
    expect(page.locator("article h1")).to_be_visible()

    replies = page.locator("ol.forum-thread > li > article.forum-reply")
    assert replies.count() >= 3
    nested = page.locator("ol.forum-thread--nested article")
    expect(nested.first).to_be_visible()
    parent = page.locator("ol.forum-thread--nested").first.locator("xpath=..").locator("article").first
    parent_box, nested_box = parent.bounding_box(), nested.first.bounding_box()
    assert parent_box and nested_box and nested_box["x"] > parent_box["x"] + 10, "answers are indented"
    expect(page.locator(".forum-post__note--pending").first).to_contain_text("traduction en attente")
    page.screenshot(path=tmp_path / "topic-fr.png", full_page=True)


def test_the_topic_page_keeps_its_place_when_the_language_changes(page: Page, demo_url: str) -> None:
    sign_in_page(page, f"{demo_url}categories/training/")
    page.locator("table.forum-topics tbody a").first.click()
    topic_path = page.url.removeprefix(demo_url)

    switch_language(page, "Español")

    expect(page).to_have_url(f"{demo_url}es/{topic_path}")
    expect(page.locator("#forum-replies-heading")).to_contain_text("Respuestas")


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("fr/", "licences obligatoires", "Flexibilités"),
        ("es/", "licencias", "flexibilidades"),
        ("", "Bolar", "flexibilities"),
    ],
)
def test_a_delegate_searches_and_finds_a_reply(
    page: Page, demo_url: str, language: str, query: str, expected: str
) -> None:
    sign_in_page(page, f"{demo_url}{language}find/", "MX")
    page.locator("#forum-search-input").fill(query)
    page.locator("#forum-search-input").press("Enter")

    first = page.locator("#forum-search-results li a").first
    expect(first).to_contain_text(expected, ignore_case=True)
    first.click()
    expect(page.locator("article h1")).to_contain_text(expected, ignore_case=True)


def test_a_wrong_password_gets_a_clear_message(page: Page, demo_url: str) -> None:
    sign_in_page(page, f"{demo_url}es/", "BR", "not-the-password")

    expect(page.locator("#mkdocs-decrypt-msg")).to_have_text(
        "Nombre de usuario o contraseña incorrectos, o su acceso no abre esta página."
    )
    expect(page.locator("#mkdocs-content-password")).to_be_focused()
    expect(page.locator(".forum-week")).to_have_count(0)


def test_a_guest_opens_the_invited_topic_and_is_refused_everything_else(
    page: Page, demo_url: str, demo: Forum
) -> None:
    guest = demo.roster.guests[0]
    invited = guest_url(guest.topic)
    sign_in_page(page, f"{demo_url}{invited}", guest.login)
    expect(page.locator("article h1")).to_have_text(demo.topic(guest.topic).title)

    page.goto(f"{demo_url}es/{invited}")
    expect(page.locator("article h1")).to_have_text(demo.topic(guest.topic).title_in("es"))

    for refused in ("", "fr/proposals/", f"topics/{topic_slug(demo.topics[0].id)}/"):
        page.goto(f"{demo_url}{refused}")
        expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()
        expect(page.locator(".forum-post, .forum-week")).to_have_count(0)
        page.locator("#mkdocs-content-user").fill(guest.login)
        page.locator("#mkdocs-content-password").fill(f"demo-{guest.login}-forum-password")
        page.locator("#mkdocs-decrypt-button").click()
        # Signing in there takes the guest to their own topic (issue 15), never into that page.
        language = "fr/" if refused.startswith("fr/") else ""
        expect(page).to_have_url(f"{demo_url}{language}{invited}")
        page.goto(f"{demo_url}{refused}")
        expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()
        expect(page.locator(".forum-post, .forum-week")).to_have_count(0)


def test_signing_out_closes_the_forum_again(page: Page, demo_url: str) -> None:
    sign_in_page(page, f"{demo_url}fr/", "FR")
    sign_out = page.get_by_role("button", name="Se déconnecter")
    expect(sign_out).to_be_visible()

    sign_out.click()

    expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()
    page.goto(f"{demo_url}fr/proposals/")
    expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()


def test_a_revoked_delegation_is_refused_after_the_rebuild(
    browser: Browser, archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = tmp_path / "secrets.yml"
    write_credentials(credentials, STRONG)
    monkeypatch.setenv("FORUM_CREDENTIALS", str(credentials))
    archive.topic("D_a", "A topic", "2026-W40", 1)
    site = build_site(archive.project).site_dir
    page = browser.new_page()
    with serving(site) as url:
        sign_in_page(page, url, "BR", STRONG["BR"])
        expect(page.locator(".forum-week")).to_be_visible()

        write_credentials(credentials, {"FR": STRONG["FR"]})
        build_site(archive.project)
        page.reload()

        expect(page.locator("#mkdocs-decrypt-form")).to_be_visible(), "the key kept in the tab opens nothing"
        sign_in_page(page, url, "BR", STRONG["BR"])
        expect(page.locator("#mkdocs-decrypt-msg")).not_to_be_empty()
    page.close()

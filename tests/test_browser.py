"""The demo forum in a real browser (Debian's Chromium driven by Playwright), as a reader
uses it: home page, language switch, a topic with its threaded replies."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect


def test_a_reader_opens_the_forum_and_switches_to_french_then_spanish(
    page: Page, demo_url: str, tmp_path: Path
) -> None:
    page.goto(demo_url)
    expect(page.locator("article h1")).to_have_text("Technical assistance forum")
    expect(page.locator(".forum-week h2")).to_have_text("Topic of the week")

    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(f"{demo_url}fr/")
    expect(page.locator("article h1")).to_have_text("Forum sur l'assistance technique")
    expect(page.locator(".forum-latest-replies h2")).to_have_text("Dernières réponses")

    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(f"{demo_url}es/")
    expect(page.locator(".forum-categories h2")).to_have_text("Categorías")
    page.screenshot(path=tmp_path / "home-es.png", full_page=True)


def test_a_reader_follows_the_topic_of_the_week_and_reads_threaded_replies(
    page: Page, demo_url: str, tmp_path: Path
) -> None:
    page.goto(f"{demo_url}fr/categories/training/")
    page.locator("table.forum-topics tbody a").first.click()
    expect(page.locator("article h1")).to_be_visible()

    replies = page.locator("ol.forum-thread > li > article.forum-reply")
    assert replies.count() >= 3
    nested = page.locator("ol.forum-thread--nested article")
    expect(nested.first).to_be_visible()
    # A nested reply is drawn indented from its parent, as in GitHub Discussions.
    parent_box = (
        page.locator("ol.forum-thread--nested")
        .first.locator("xpath=..")
        .locator("article")
        .first.bounding_box()
    )
    nested_box = nested.first.bounding_box()
    assert parent_box and nested_box and nested_box["x"] > parent_box["x"] + 10
    pending = page.locator(".forum-post__note--pending").first
    expect(pending).to_contain_text("traduction en attente")
    page.screenshot(path=tmp_path / "topic-fr.png", full_page=True)


def test_the_topic_page_keeps_its_place_when_the_language_changes(page: Page, demo_url: str) -> None:
    page.goto(f"{demo_url}categories/training/")
    page.locator("table.forum-topics tbody a").first.click()
    topic_path = page.url.removeprefix(demo_url)

    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="Español").click()

    expect(page).to_have_url(f"{demo_url}es/{topic_path}")
    expect(page.locator("#forum-replies-heading")).to_contain_text("Respuestas")

"""Finding what is new (issue 15), in Debian's Chromium as a delegate uses it: new since the
last visit on this device (marks, counts, Mark all as read, nothing but ids and times kept),
the topics by week, the home page's latest replies with their language notes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from archive import Archive
from conftest import BuiltSite, serving, sign_in_page
from playwright.sync_api import Browser, Page, expect

from sync.model.content import load_forum
from sync.model.domain import Topic
from sync.site.pages import topic_slug

pytestmark = pytest.mark.browser

BUILD_DAY = date(2026, 10, 20)  # in 2026-W43
FIRST_REPLIES = {
    "DC_1": "We train our examiners with a regional programme every spring.",
    "DC_2": "Nous formons des tuteurs dans chaque région depuis trois ans.",
}
NEW_REPLY = "Our office added a mentoring scheme for the newest trainers."
LATER_REPLY = "Kenya pairs every new examiner with a senior colleague."


def topic_address(topic_id: str, language: str = "") -> str:
    return f"{language}topics/{topic_slug(topic_id)}/"


def topic_of(archive: Archive, topic_id: str) -> Topic:
    """A topic of the archive as its files now say, for adding a reply to it."""
    topic = load_forum(archive.content, ["en", "fr", "es"]).topic(topic_id)
    assert topic is not None, topic_id
    return topic


@pytest.fixture
def forum(archive: Archive) -> Archive:
    """Two topics with replies, in two categories."""
    training = archive.topic("D_t1", "Training of trainers", "2026-W40", 1, body="How do you train trainers?")
    archive.reply(training, "DC_1", "br-ana", "BR", 2, FIRST_REPLIES["DC_1"])
    archive.reply(training, "DC_2", "fr-luc", "FR", 3, FIRST_REPLIES["DC_2"], language="fr")
    registers = archive.topic(
        "D_t2", "Digitizing registers", "2026-W41", 8, category="office-modernization", body="Lessons?"
    )
    archive.reply(
        registers, "DC_3", "mx-eva", "MX", 9, "Escaneamos todo el registro en dos años.", language="es"
    )
    return archive


@pytest.fixture
def delegate(browser: Browser) -> Iterator[Page]:
    """A delegate's browser with nothing stored yet: this device's first visit."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def signed_in(page: Page, url: str, user: str = "BR") -> None:
    sign_in_page(page, url, user)
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("#mkdocs-decrypt-form")).to_have_count(0)


def opened(page: Page, url: str) -> None:
    """Open a page with the keys of this tab's sign-in, and wait for the new-marks script."""
    page.goto(url)
    expect(page.locator("#mkdocs-decrypt-form")).to_have_count(0)
    expect(page.locator("#forum-new[data-ran]")).to_have_count(1)


def stored(page: Page) -> dict[str, str]:
    """Everything the forum's pages keep in this browser's localStorage."""
    return page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")


def test_a_reply_added_since_the_last_visit_is_new_until_its_topic_is_opened(
    delegate: Page, forum: Archive, build: Callable[..., BuiltSite]
) -> None:
    site = build(today=BUILD_DAY)
    with serving(site.dir) as url:
        signed_in(delegate, url)
        expect(delegate.locator("#forum-new[data-ran]")).to_have_count(1)
        expect(delegate.locator(".forum-new")).to_have_count(0), "nothing is new on a device's first visit"
        expect(delegate.get_by_role("button", name="Mark all as read")).to_be_visible()
        for listing in ("categories/training/", "weeks/", topic_address("D_t1")):
            opened(delegate, url + listing)
            expect(delegate.locator(".forum-new")).to_have_count(0)

        forum.reply(topic_of(forum, "D_t1"), "DC_9", "ke-joy", "KE", 12, NEW_REPLY)  # synced since
        build(today=BUILD_DAY)

        opened(delegate, url)
        latest = delegate.locator(".forum-latest li").filter(has_text=NEW_REPLY)
        expect(latest.locator(".forum-new")).to_have_text("New")
        expect(delegate.locator(".forum-new")).to_have_count(1), "only the new reply"
        opened(delegate, url + "categories/training/")
        row = delegate.locator("table.forum-topics tbody tr").filter(has_text="Training of trainers")
        expect(row.locator(".forum-new")).to_have_text(["1 new"])
        opened(delegate, url + "categories/office-modernization/")
        expect(delegate.locator(".forum-new")).to_have_count(0)
        opened(delegate, url + "weeks/")
        week = delegate.locator(".forum-weeks__topic").filter(has_text="Training of trainers")
        expect(week.locator(".forum-new")).to_have_text(["1 new"])

        week.get_by_role("link", name="Training of trainers").click()
        expect(delegate.locator("#forum-new[data-ran]")).to_have_count(1)
        expect(delegate.locator('[id="post-DC_9"] .forum-new')).to_have_text("New")
        expect(delegate.locator(".forum-new")).to_have_count(1), "the older posts are not new"

        delegate.reload()  # opened once: seen
        expect(delegate.locator("#forum-new[data-ran]")).to_have_count(1)
        expect(delegate.locator(".forum-new")).to_have_count(0)
        for listing in ("", "categories/training/", "weeks/"):
            opened(delegate, url + listing)
            expect(delegate.locator(".forum-new")).to_have_count(0), listing


def test_mark_all_as_read_clears_every_mark_and_the_device_keeps_no_text(
    delegate: Page, forum: Archive, build: Callable[..., BuiltSite]
) -> None:
    site = build(today=BUILD_DAY)
    with serving(site.dir) as url:
        signed_in(delegate, url)
        registers = topic_of(forum, "D_t2")
        forum.reply(registers, "DC_8", "br-ana", "BR", 12, NEW_REPLY)
        forum.reply(registers, "DC_9", "ke-joy", "KE", 13, LATER_REPLY, parent="DC_8")
        forum.topic("D_t3", "Awareness campaigns", "2026-W43", 19, category="training", body="Ideas?")
        build(today=BUILD_DAY)

        opened(delegate, url)
        expect(delegate.locator(".forum-week .forum-new")).to_have_text(["New"]), "the new topic of the week"
        expect(delegate.locator(".forum-latest .forum-new")).to_have_count(2)
        opened(delegate, url + "categories/office-modernization/")
        expect(delegate.locator("tbody .forum-new")).to_have_text(["2 new"])
        opened(delegate, url + "weeks/")
        expect(delegate.locator(".forum-new")).to_have_text(["New", "2 new"])

        delegate.get_by_role("button", name="Mark all as read").click()
        expect(delegate.locator(".forum-new")).to_have_count(0)
        expect(delegate.locator(".forum-mark-read__status")).to_have_text("Everything is marked as read.")
        for page_url in ("", "categories/office-modernization/", "weeks/", topic_address("D_t2")):
            opened(delegate, url + page_url)
            expect(delegate.locator(".forum-new")).to_have_count(0), page_url

        kept = stored(delegate)
        forum_entries = {key: value for key, value in kept.items() if key.endswith(".forum.seen")}
        assert list(forum_entries) == ["/.forum.seen"], kept
        state = json.loads(forum_entries["/.forum.seen"])
        assert set(state) == {"since", "seen"} and isinstance(state["since"], int)
        assert all(isinstance(time, int) for time in state["seen"].values())
        everything = json.dumps(kept, ensure_ascii=False)
        texts = [
            *FIRST_REPLIES.values(),
            NEW_REPLY,
            LATER_REPLY,
            "Training of trainers",
            "Awareness campaigns",
        ]
        for text in texts:
            for word in text.split():
                if len(word) > 6:
                    assert word not in everything, f"{word!r} of a post is kept on the device"


def test_the_seen_posts_are_ids_and_times_and_a_topic_opened_is_remembered(
    delegate: Page, forum: Archive, build: Callable[..., BuiltSite]
) -> None:
    site = build(today=BUILD_DAY)
    with serving(site.dir) as url:
        signed_in(delegate, url + topic_address("D_t1"))  # from a link: the count has not started
        expect(delegate.locator("#forum-new[data-ran]")).to_have_count(1)
        assert stored(delegate).get("/.forum.seen") is None
        opened(delegate, url)
        state = json.loads(stored(delegate)["/.forum.seen"])
        assert state["seen"] == {}, "the starting point covers every post of the first visit"

        training = topic_of(forum, "D_t1")
        forum.reply(training, "DC_9", "ke-joy", "KE", 12, NEW_REPLY)
        build(today=BUILD_DAY)
        opened(delegate, url + topic_address("D_t1"))
        expect(delegate.locator(".forum-new")).to_have_count(1)
        state = json.loads(stored(delegate)["/.forum.seen"])
        assert list(state["seen"]) == ["DC_9"], "the new reply, once seen"
        assert state["seen"]["DC_9"] > state["since"]


def test_new_marks_speak_the_readers_language_and_pass_axe_core(
    delegate: Page, forum: Archive, build: Callable[..., BuiltSite]
) -> None:
    from test_accessibility import axe_violations

    site = build(today=BUILD_DAY)
    with serving(site.dir) as url:
        signed_in(delegate, url + "fr/")
        registers = topic_of(forum, "D_t2")
        forum.reply(registers, "DC_8", "br-ana", "BR", 12, NEW_REPLY)
        build(today=BUILD_DAY)

        opened(delegate, url + "fr/categories/office-modernization/")
        expect(delegate.locator("tbody .forum-new")).to_have_text(["Nouvelles réponses : 1"])
        expect(delegate.get_by_role("button", name="Tout marquer comme lu")).to_be_visible()
        assert axe_violations(delegate) == [], "a category with a new reply"
        opened(delegate, url + "fr/")
        expect(delegate.locator(".forum-latest .forum-new")).to_have_text(["Nouveau"])
        assert axe_violations(delegate) == [], "the home page with a new reply"
        opened(delegate, url + topic_address("D_t2", "fr/"))
        expect(delegate.locator('[id="post-DC_8"] .forum-new')).to_have_text("Nouveau")
        assert axe_violations(delegate) == [], "a topic with a new reply"


# Topics by week ----------------------------------------------------------------------------


@pytest.fixture
def weekly(archive: Archive) -> Archive:
    """Five weeks with a topic (one with two), a week without, three weeks to a page."""
    for number, week in enumerate((38, 39, 40, 42, 43)):
        topic = archive.topic(f"D_w{week}", f"Week {week} topic", f"2026-W{week}", 1 + 7 * number)
        for reply in range(week - 38):
            archive.reply(topic, f"DC_{week}_{reply}", "br-ana", "BR", 2 + 7 * number, f"Reply {reply}.")
    archive.topic("D_extra", "A second topic of week 43", "2026-W43", 30, category="office-modernization")
    return archive


def test_the_topics_by_week_are_newest_first_and_paginated(
    delegate: Page, weekly: Archive, build: Callable[..., BuiltSite]
) -> None:
    site = build(lambda config: config["extra"]["forum"].update(weeks_per_page=2), today=BUILD_DAY)
    with serving(site.dir) as url:
        signed_in(delegate, url)
        delegate.get_by_role("link", name="All topics, week by week").click()
        expect(delegate).to_have_url(url + "weeks/")
        expect(delegate.locator("article h1")).to_have_text("Topics by week")
        expect(delegate.locator("nav.md-nav--primary")).to_contain_text("Topics by week")
        expect(delegate.locator(".forum-weeks__week h2")).to_have_text(["Week 2026-W43", "Week 2026-W42"])
        week43 = delegate.locator(".forum-weeks__week").first
        expect(week43.locator(".forum-weeks__topic")).to_have_count(2)
        second = week43.locator(".forum-weeks__topic").filter(has_text="A second topic of week 43")
        expect(second).to_contain_text("IP office modernization and infrastructure")
        expect(second).to_contain_text("Replies: 0")
        expect(delegate.locator(".forum-weeks__topic").filter(has_text="Week 42 topic")).to_contain_text(
            "Replies: 4"
        )
        expect(delegate.locator(".forum-weeks__starts").first).to_have_text("Starting on October 19, 2026")

        pagination = delegate.get_by_role("navigation", name="Pages")
        expect(pagination).to_contain_text("Page 1 of 3")
        expect(pagination.get_by_role("link", name="Newer weeks")).to_have_count(0)
        pagination.get_by_role("link", name="Older weeks").click()
        expect(delegate).to_have_url(url + "weeks/page/2/")
        expect(delegate.locator(".forum-weeks__week h2")).to_have_text(["Week 2026-W40", "Week 2026-W39"])
        delegate.get_by_role("navigation", name="Pages").get_by_role("link", name="Page 3 of 3").click()
        expect(delegate).to_have_url(url + "weeks/page/3/")
        expect(delegate.locator(".forum-weeks__week h2")).to_have_text(["Week 2026-W38"])
        current = delegate.locator('.forum-pagination [aria-current="page"]')
        expect(current).to_have_text("3")
        delegate.get_by_role("link", name="Newer weeks").click()
        expect(delegate).to_have_url(url + "weeks/page/2/")
        delegate.get_by_role("link", name="Week 40 topic").click()
        expect(delegate.locator("article h1")).to_have_text("Week 40 topic")


def test_the_topics_by_week_in_french(
    delegate: Page, weekly: Archive, build: Callable[..., BuiltSite]
) -> None:
    site = build(lambda config: config["extra"]["forum"].update(weeks_per_page=2), today=BUILD_DAY)
    with serving(site.dir) as url:
        signed_in(delegate, url + "fr/")
        delegate.get_by_role("link", name="Tous les sujets, semaine par semaine").click()
        expect(delegate).to_have_url(url + "fr/weeks/")
        expect(delegate.locator("article h1")).to_have_text("Sujets par semaine")
        expect(delegate.locator(".forum-weeks__week h2").first).to_have_text("Semaine 2026-W43")
        expect(delegate.locator(".forum-weeks__starts").first).to_have_text("À partir du 19 octobre 2026")
        delegate.get_by_role("link", name="Semaines plus anciennes").click()
        expect(delegate).to_have_url(url + "fr/weeks/page/2/")
        expect(delegate.locator("article h1")).to_have_text("Sujets par semaine — Page 2 sur 3")
        delegate.get_by_role("link", name="Semaines plus récentes").click()
        expect(delegate).to_have_url(url + "fr/weeks/")
        expect(delegate.locator("html")).to_have_attribute("lang", "fr")


def test_the_topics_by_week_on_a_phone_scroll_no_sideways_and_pass_axe_core(
    browser: Browser, weekly: Archive, build: Callable[..., BuiltSite]
) -> None:
    from test_accessibility import axe_violations
    from test_reader import sideways

    for week in range(1, 30):  # many pages of page numbers
        weekly.topic(f"D_y{week}", f"Old topic {week}", f"2025-W{week:02d}", 1)
    site = build(lambda config: config["extra"]["forum"].update(weeks_per_page=1), today=BUILD_DAY)
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    with serving(site.dir) as url:
        signed_in(phone, url + "weeks/page/2/")
        expect(phone.locator(".forum-pagination__pages li")).to_have_count(34)
        assert sideways(phone) == 0
        assert axe_violations(phone) == []
        opened(phone, url + "fr/weeks/")
        assert sideways(phone) == 0
        assert axe_violations(phone) == []
    phone.close()


# The home page's latest replies, as on the topic page --------------------------------------


def test_the_home_pages_latest_replies_carry_the_topic_pages_language_notes(
    delegate: Page, forum: Archive, build: Callable[..., BuiltSite]
) -> None:
    site = build(today=BUILD_DAY)
    with serving(site.dir) as url:
        signed_in(delegate, url + "es/")
        french = delegate.locator(".forum-latest li").filter(has_text=FIRST_REPLIES["DC_2"])
        expect(french.locator(".forum-post__note")).to_have_text("Original en francés — traducción pendiente")
        spanish = delegate.locator(".forum-latest li").filter(has_text="Escaneamos")
        expect(spanish.locator(".forum-post__note")).to_have_count(0), "written in the page's language"
        opened(delegate, url + topic_address("D_t1", "es/"))
        on_topic = delegate.locator('[id="post-DC_2"] .forum-post__note')
        expect(on_topic).to_have_text("Original en francés — traducción pendiente")

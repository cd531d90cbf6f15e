"""Signing in, in Debian's Chromium as a reader does (issues 15 and 16): a guest signing in
anywhere is taken to their topic; "stay signed in on this device for 30 days"; the key files
fetched once; the content shown on navigation without deriving a key again."""

from __future__ import annotations

import json

import pytest
from conftest import sign_in_page
from playwright.sync_api import Browser, Page, expect

from sync.model.domain import Forum, Topic
from sync.site.pages import guest_url, topic_slug
from sync.site.protection import demo_password

pytestmark = pytest.mark.browser

REMEMBERED = "forum_remembered"


def remembered(page: Page) -> dict | None:
    return page.evaluate(f"JSON.parse(localStorage.getItem('{REMEMBERED}') || 'null')")


def sign_in_remembering(page: Page, url: str, user: str) -> None:
    page.goto(url)
    page.locator("#mkdocs-content-user").fill(user)
    page.locator("#mkdocs-content-password").fill(demo_password(user))
    page.get_by_label("Stay signed in on this device for 30 days").check()
    page.locator("#mkdocs-decrypt-button").click()
    expect(page.locator("#mkdocs-decrypt-form")).to_have_count(0)


# A guest signing in on the home page -------------------------------------------------------


@pytest.mark.parametrize("language", ["", "fr/"])
def test_a_guest_signing_in_on_the_home_page_is_taken_to_their_topic(
    browser: Browser, demo_url: str, demo: Forum, language: str
) -> None:
    guest = demo.roster.guests[0]
    topic = demo.topic(guest.topic)
    page = browser.new_page()
    sign_in_page(page, demo_url + language, guest.login)

    expect(page).to_have_url(demo_url + language + guest_url(guest.topic))
    expect(page.locator("article h1")).to_have_text(topic.title_in(language.strip("/") or "en"))
    expect(page.locator(".forum-post--opening")).to_be_visible()
    expect(page.locator(".forum-whoami")).to_contain_text(guest.name)

    # Still a guest: every other page asks for a credential and shows nothing of the forum.
    for other in ("", "fr/proposals/", f"topics/{topic_slug(demo.topics[0].id)}/", "statistics/"):
        page.goto(demo_url + other)
        expect(page.locator("#mkdocs-decrypt-form")).to_be_visible()
        expect(page.locator(".forum-post, .forum-week")).to_have_count(0)
    page.close()


def test_a_wrong_password_on_the_home_page_is_still_refused_with_the_message(
    page: Page, demo_url: str, demo: Forum
) -> None:
    guest = demo.roster.guests[0]
    sign_in_page(page, demo_url, guest.login, "not-the-guests-password")

    expect(page.locator("#mkdocs-decrypt-msg")).to_have_text(
        "Wrong user name or password, or your credential does not open this page."
    )
    expect(page).to_have_url(demo_url)


# Staying signed in on this device -----------------------------------------------------------


def test_without_the_option_a_new_session_asks_for_the_password_again(
    browser: Browser, demo_url: str
) -> None:
    first = browser.new_context()
    page = first.new_page()
    sign_in_page(page, demo_url, "BR")
    expect(page.locator(".forum-week")).to_be_visible()
    assert page.get_by_label("Stay signed in on this device for 30 days").count() == 0  # the form is gone
    assert remembered(page) is None

    tab = first.new_page()  # a new tab: sessionStorage is the tab's own
    tab.goto(f"{demo_url}proposals/")
    expect(tab.locator("#mkdocs-decrypt-form")).to_be_visible()
    later = browser.new_context(storage_state=first.storage_state())
    again = later.new_page()
    again.goto(demo_url)
    expect(again.locator("#mkdocs-decrypt-form")).to_be_visible()
    expect(again.get_by_label("Stay signed in on this device for 30 days")).not_to_be_checked()
    first.close()
    later.close()


def test_with_the_option_a_new_session_opens_without_the_password_until_signing_out(
    browser: Browser, demo_url: str
) -> None:
    first = browser.new_context()
    page = first.new_page()
    sign_in_remembering(page, demo_url, "MX")
    saved = remembered(page)
    assert saved is not None and saved["user"] == "MX"
    days = (saved["until"] - page.evaluate("Date.now()")) / 86_400_000
    assert 29.9 < days <= 30
    stored = json.dumps(first.storage_state())
    assert demo_password("MX") not in stored, "the keys are kept, never the password"

    later = browser.new_context(storage_state=first.storage_state())
    again = later.new_page()
    again.goto(f"{demo_url}es/proposals/")
    expect(again.locator("article h1")).to_be_visible()
    expect(again.locator("#mkdocs-decrypt-form")).to_have_count(0)
    expect(again.locator(".forum-whoami")).to_contain_text("México")

    again.get_by_role("button", name="Cerrar sesión").click()
    expect(again.locator("#mkdocs-decrypt-form")).to_be_visible()
    assert remembered(again) is None and again.evaluate("sessionStorage.length") == 0
    after = browser.new_context(storage_state=later.storage_state())
    last = after.new_page()
    last.goto(demo_url)
    expect(last.locator("#mkdocs-decrypt-form")).to_be_visible()
    for context in (first, later, after):
        context.close()


def test_a_remembered_key_that_opens_nothing_any_more_asks_for_the_password_again(
    browser: Browser, demo_url: str
) -> None:
    """What a reader sees once the content keys were drawn again (at least weekly): the sign-in
    form, the option still ticked, never a broken page."""
    first = browser.new_context()
    page = first.new_page()
    sign_in_remembering(page, demo_url, "KE")
    saved = remembered(page)
    stale = {key_id: "00" * 32 for key_id in saved["keys"]}  # keys of an earlier build
    state = first.storage_state()
    for origin in state["origins"]:
        for item in origin["localStorage"]:
            if item["name"] == REMEMBERED:
                item["value"] = json.dumps({**saved, "keys": stale})
    later = browser.new_context(storage_state=state)
    again = later.new_page()
    again.goto(demo_url)

    expect(again.locator("#mkdocs-decrypt-form")).to_be_visible()
    expect(again.get_by_label("Stay signed in on this device for 30 days")).to_be_checked()
    expect(again.locator(".forum-week")).to_have_count(0)
    assert remembered(again) is None, "the keys that open nothing are forgotten"
    again.locator("#mkdocs-content-user").fill("KE")
    again.locator("#mkdocs-content-password").fill(demo_password("KE"))
    again.locator("#mkdocs-decrypt-button").click()
    expect(again.locator(".forum-week")).to_be_visible()
    assert remembered(again)["keys"] == saved["keys"]
    first.close()
    later.close()


def test_remembered_keys_expire_after_30_days(browser: Browser, demo_url: str) -> None:
    first = browser.new_context()
    page = first.new_page()
    sign_in_remembering(page, demo_url, "SN")
    page.evaluate(
        f"""() => {{ const saved = JSON.parse(localStorage.getItem('{REMEMBERED}'));
        saved.until = Date.now() - 1000; localStorage.setItem('{REMEMBERED}', JSON.stringify(saved)); }}"""
    )
    later = browser.new_context(storage_state=first.storage_state())
    again = later.new_page()
    again.goto(demo_url)
    expect(again.locator("#mkdocs-decrypt-form")).to_be_visible()
    assert remembered(again) is None
    first.close()
    later.close()


# Navigation once signed in -------------------------------------------------------------------


def test_navigation_once_signed_in_marks_the_content_visible_and_fetches_no_key_file(
    page: Page, demo_url: str, demo: Forum
) -> None:
    sign_in_page(page, demo_url, "BR")
    expect(page.locator(".forum-week")).to_be_visible()
    fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert [name for name in fetched if "/assets/keys/" in name], "signing in fetched the key file"

    page.goto(f"{demo_url}topics/{topic_slug(demo.topics[1].id)}/")
    expect(page.locator("article h1")).to_have_text(demo.topics[1].title)
    marks = page.evaluate("performance.getEntriesByType('mark').map(m => m.name)")
    assert "forum-decrypt-start" in marks and "forum-content-visible" in marks
    fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not [name for name in fetched if "/assets/keys/" in name], "the keys kept in the tab serve"


# What the performance marks say, and the replies drawn as they come on screen ---------------

# Recorded as the page loads: whether the sign-in form was ever shown, and what was on the
# page when the decryptor marked its content visible (Material's script, which comes after
# the decryptor in the page, not run yet: decrypted and inflated in the decryptor's task).
WATCH_LOADING = """(() => {
  window.forumSeen = { form: false, atMark: null };
  const shown = (element) => element && element.checkVisibility();
  new MutationObserver(() => {
    if (shown(document.getElementById("mkdocs-decrypt-form"))) window.forumSeen.form = true;
  }).observe(document, { childList: true, subtree: true, attributes: true });
  const mark = performance.mark.bind(performance);
  performance.mark = (name, options) => {
    if (name === "forum-content-visible") {
      const heading = document.querySelector("#mkdocs-decrypted-content article h1, #mkdocs-decrypted-content > h1");
      window.forumSeen.atMark = { heading: heading ? heading.textContent : null, shown: Boolean(shown(heading)),
        form: document.getElementById("mkdocs-decrypt-form") !== null,
        material: typeof window.document$ !== "undefined" };
    }
    return mark(name, options);
  };
})();"""


# The space between the first two replies of the thread that follow each other with no answer
# between them, and a reply's margin.
GAP_BETWEEN_REPLIES = """() => {
  const items = [...document.querySelectorAll("ol.forum-thread:not(.forum-thread--nested) > li")];
  const at = items.findIndex((item, i) => item.children.length === 1 && items[i + 1]);
  const above = items[at].querySelector("article").getBoundingClientRect();
  const below = items[at + 1].querySelector("article").getBoundingClientRect();
  return [below.top - above.bottom, parseFloat(getComputedStyle(items[at].querySelector("article")).marginBlockEnd)];
}"""


def most_replied(demo: Forum) -> Topic:
    return max(demo.topics, key=lambda topic: len(topic.replies))


def test_a_page_opened_signed_in_shows_its_content_with_no_sign_in_form_and_marks_it_once_shown(
    page: Page, demo_url: str, demo: Forum
) -> None:
    sign_in_page(page, demo_url, "BR")
    expect(page.locator(".forum-week")).to_be_visible()
    page.add_init_script(WATCH_LOADING)
    topic = most_replied(demo)
    page.goto(f"{demo_url}topics/{topic_slug(topic.id)}/")
    expect(page.locator("article h1")).to_have_text(topic.title)

    seen = page.evaluate("window.forumSeen")
    assert seen["form"] is False, "the sign-in form showed before the content"
    at_mark = seen["atMark"]
    assert at_mark and at_mark["heading"].strip() == topic.title.strip(), at_mark
    assert at_mark["shown"] and not at_mark["form"], "marked visible before the content showed"
    assert not at_mark["material"], "the content waited for Material's script"
    start, visible = page.evaluate(
        "['forum-decrypt-start', 'forum-content-visible'].map(n => performance.getEntriesByName(n)[0].startTime)"
    )
    assert start <= visible


def test_the_replies_below_the_screen_are_drawn_as_before_and_a_link_to_the_last_shows_it(
    page: Page, demo_url: str, demo: Forum
) -> None:
    topic = most_replied(demo)
    address = f"{demo_url}topics/{topic_slug(topic.id)}/"
    sign_in_page(page, address, "BR")
    replies = page.locator("article.forum-reply")
    expect(replies.first).to_be_visible()
    assert replies.count() >= 3
    # Two replies one under the other keep one margin between them, as any two posts do.
    gap, margin = page.evaluate(GAP_BETWEEN_REPLIES)
    assert abs(gap - margin) < 1, (gap, margin)

    last = topic.replies[-1]
    page.goto(f"{address}#post-{last.id}")
    expect(page.locator("article h1")).to_have_text(topic.title)
    reply = page.locator(f"#post-{last.id}")
    expect(reply).to_be_in_viewport()
    expect(reply.locator(".forum-post__body")).to_be_visible()
    # Found in the page by its words, as the browser's find does, though drawn only near the screen.
    assert page.evaluate("(id) => document.getElementById(id).innerText.length > 0", f"post-{last.id}")

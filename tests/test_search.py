"""Searching as a delegate does (issue 15, Search), in Debian's Chromium: the box in the header
of every page, one hit per post with its excerpt cut between words and the matched words
marked, the hit opening the post with the words marked there too; listing pages are no hits;
the index, cut by year (issue 16), holds one entry per post and none of the page's noise."""

from __future__ import annotations

import re

import pytest
from conftest import BuiltSite, sign_in_page
from decrypt import open_search_index
from playwright.sync_api import Page, expect
from test_accessibility import axe_violations

from sync.model.domain import Forum
from sync.site.pages import guest_url, topic_slug
from sync.site.posts import shown

pytestmark = pytest.mark.browser

CLINICS = "D_kwDOdemo0046"  # the demo topic on IP clinics in universities
FLEXIBILITIES = "D_kwDOdemo0045"
# One page of each kind: every one has the box.
PAGES = ("", "categories/training/", f"topics/{topic_slug(CLINICS)}/", "proposals/", "statistics/", "find/")


def signed_in(page: Page, url: str, user: str = "BR") -> None:
    sign_in_page(page, url, user)
    expect(page.locator("#mkdocs-decrypt-form")).to_have_count(0)
    expect(page.locator(".forum-signout")).to_be_visible()


def header_box(page: Page):
    return page.get_by_role("search").get_by_role("searchbox", name=re.compile("Search the forum|Rechercher"))


def posts_with(forum: Forum, topic_id: str, word: str) -> list[str]:
    topic = forum.topic(topic_id)
    assert topic is not None
    posts = (topic, *topic.replies)
    return [f"post-{post.id}" for post in posts if word.lower() in shown(post, "en").body.lower()]


def test_the_search_box_is_in_the_header_of_every_page_labelled_in_the_readers_language(
    page: Page, demo_url: str
) -> None:
    signed_in(page, demo_url)
    for address in PAGES:
        page.goto(demo_url + address)
        expect(
            page.locator("header.md-header").get_by_role("searchbox", name="Search the forum")
        ).to_be_visible()
    page.goto(demo_url + "fr/statistics/")
    expect(
        page.locator("header.md-header").get_by_role("searchbox", name="Rechercher dans le forum")
    ).to_be_visible()
    page.goto(demo_url + "protocol/")  # a public page: the box is there too
    expect(page.locator("header.md-header").get_by_role("searchbox")).to_be_visible()


def test_typing_in_the_header_shows_one_hit_per_reply_and_a_hit_opens_the_reply_with_the_words_marked(
    page: Page, demo_url: str, demo: Forum
) -> None:
    assert len(posts_with(demo, CLINICS, "clinic")) >= 4, "the demo's clinics topic speaks of clinics often"
    topic = demo.topic(CLINICS)
    every_post = {f"post-{post.id}" for post in (topic, *topic.replies)}
    signed_in(page, demo_url + "categories/training/")

    header_box(page).fill("clinics")
    dropdown = page.locator(".forum-search--header .forum-search__dropdown")
    expect(dropdown).to_be_visible()
    expect(dropdown.locator(".forum-search__results[data-complete=true]")).to_have_count(1)
    hrefs = dropdown.locator(".forum-search__hit a").evaluate_all("links => links.map(l => l.href)")
    anchors = [href.split("#", 1)[1] for href in hrefs if f"/topics/{topic_slug(CLINICS)}/#" in href]
    assert len(anchors) >= 4 and len(anchors) == len(set(anchors)), f"one hit per post: {hrefs}"
    assert set(anchors) <= every_post, anchors  # "clinics" finds "clinic", "clínicas" too (fuzzy)
    expect(dropdown.locator(".forum-search__hit mark").first).to_have_text(re.compile("clinics", re.I))
    expect(dropdown.get_by_role("link", name="See all results")).to_be_visible()

    reply = next(anchor for anchor in anchors if anchor != f"post-{CLINICS}")
    dropdown.locator(f'.forum-search__hit a[href$="#{reply}"]').click()
    expect(page).to_have_url(re.compile(f"topics/{topic_slug(CLINICS)}/#{reply}$"))
    post = page.locator(f'[id="{reply}"]')
    expect(post).to_be_in_viewport()
    marks = post.locator("mark.forum-search__mark")
    expect(marks.first).to_have_text(re.compile("clinics", re.I))
    expect(page.locator("mark.forum-search__mark")).to_have_count(marks.count())  # in that post only


def test_enter_in_the_header_lists_every_hit_on_the_search_page(
    page: Page, demo_url: str, demo: Forum
) -> None:
    signed_in(page, demo_url + f"topics/{topic_slug(FLEXIBILITIES)}/")
    header_box(page).fill("clinics")
    header_box(page).press("Enter")

    expect(page).to_have_url(demo_url + "find/#q=clinics")
    results = page.locator("#forum-search-results[data-complete=true]")
    expect(results).to_have_count(1)
    expect(page.locator("#forum-search-input")).to_have_value("clinics")
    hrefs = page.locator("#forum-search-results .forum-search__hit a").evaluate_all(
        "ls => ls.map(l => l.href)"
    )
    assert hrefs and all("/topics/" in href and "#post-" in href for href in hrefs), hrefs
    assert len(hrefs) == len(set(hrefs))
    expect(page.locator("#forum-search-status")).to_have_text(f"Results: {len(hrefs)}")


def test_listing_pages_are_never_hits(page: Page, demo_url: str, demo: Forum) -> None:
    category = demo.categories["training"].name("en", "en")
    signed_in(page, demo_url + "find/")
    # Words that stand on the home page, category pages, statistics and proposals.
    for query in (category, "Latest replies", "Topic proposals", "Usage statistics"):
        page.locator("#forum-search-input").fill(query)
        page.locator("#forum-search-input").press("Enter")
        expect(page.locator("#forum-search-results[data-complete=true]")).to_have_count(1)
        for href in page.locator("#forum-search-results a").evaluate_all("ls => ls.map(l => l.href)"):
            assert re.search(r"/topics/[0-9a-f]{12}/#post-", href), f"{query!r}: {href} is not a post"


def test_an_excerpt_is_the_posts_own_words_and_the_hits_line_says_who_and_when(
    page: Page, demo_url: str
) -> None:
    signed_in(page, demo_url + "fr/find/", "ES")
    page.locator("#forum-search-input").fill("gestion collective")
    page.locator("#forum-search-input").press("Enter")
    expect(page.locator("#forum-search-results[data-complete=true]")).to_have_count(1)
    hit = page.locator(
        ".forum-search__hit", has=page.locator(".forum-search__meta", has_text="Elena Navarro")
    ).first
    expect(hit.locator(".forum-search__meta")).to_have_text(
        re.compile(r"^Espagne · Elena Navarro · \d+ \w+ 2026$")
    )
    excerpt = hit.locator(".forum-search__excerpt").inner_text()
    for noise in ("Elena Navarro", "Espagne", "Rédigé en", "2026", "Traduit"):
        assert noise not in excerpt, f"{noise!r} in the excerpt {excerpt!r}"
    words = excerpt.removeprefix("… ").removesuffix(" …")
    assert words == words.strip() and len(words) <= 240, excerpt


def test_the_keyboard_reaches_the_hits_from_the_header(page: Page, demo_url: str) -> None:
    signed_in(page, demo_url)
    page.keyboard.press("/")  # as on Discourse and GitHub
    expect(header_box(page)).to_be_focused()
    page.keyboard.type("Bolar")
    first = page.locator(".forum-search--header .forum-search__hit a").first
    expect(first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/topics/[0-9a-f]{12}/#post-"))
    expect(page.locator("mark.forum-search__mark").first).to_have_text("Bolar")


def test_signed_out_the_box_says_to_sign_in(page: Page, demo_url: str) -> None:
    page.goto(demo_url + "protocol/")
    page.locator("header.md-header").get_by_role("searchbox").fill("clinics")
    expect(page.locator(".forum-search--header .forum-search__status")).to_have_text(
        "Sign in to search the forum."
    )


def test_the_open_dropdown_passes_axe_core(page: Page, demo_url: str) -> None:
    signed_in(page, demo_url)
    header_box(page).fill("clinics")
    expect(page.locator(".forum-search--header .forum-search__results[data-complete=true]")).to_have_count(1)
    assert axe_violations(page) == []


def test_the_index_holds_one_entry_per_post_and_no_page_noise(demo_site: BuiltSite, demo: Forum) -> None:
    entries = open_search_index(demo_site.dir, demo_site.keys)
    english = [e for e in entries if e["location"].startswith("topics/")]
    posts = {f"topics/{topic_slug(t.id)}/#post-{p.id}" for t in demo.topics for p in (t, *t.replies)}
    assert sorted(e["location"] for e in english) == sorted(posts)
    noise = re.compile(r"Written in|Rédigé en|Escrito en|Translated by|Traduit par|\b20\d\d-\d\d-\d\d\b")
    for entry in entries:
        assert not noise.search(entry["text"]), entry["location"]
        assert "#post-" in entry["location"], f"{entry['location']} is not a post"


def test_a_guest_searches_their_topic_alone_and_is_led_nowhere_else(
    page: Page, demo_url: str, demo: Forum
) -> None:
    guest = demo.roster.guests[0]
    invited = guest_url(guest.topic)
    signed_in(page, demo_url + invited, guest.login)
    header_box(page).fill("clinics")
    dropdown = page.locator(".forum-search--header .forum-search__dropdown")
    expect(dropdown.locator(".forum-search__results[data-complete=true]")).to_have_count(1)
    hrefs = dropdown.locator(".forum-search__hit a").evaluate_all("links => links.map(l => l.href)")
    assert hrefs and all(href.startswith(f"{demo_url}{invited}#post-") for href in hrefs), hrefs
    expect(dropdown.get_by_role("link", name="See all results")).to_have_count(0)
    header_box(page).press("Enter")
    expect(page).to_have_url(demo_url + invited)

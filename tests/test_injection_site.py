"""Hostile text in every field the site renders (issue 12's corpus, the site's side): the build
publishes none of it readably, and in Chromium, signed in, nothing of it runs and it reads
as the text it is (findings 2, 3, 8, 11)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date

import pytest
import yaml
from archive import ROSTER, Archive
from conftest import BuiltSite, serving, sign_in_page
from playwright.sync_api import Page

from sync.model.domain import ContentError
from sync.site.build import BuildError, build_site
from sync.site.urls import guest_url, outside_link, topic_slug

# Each piece tries another way out of the text it is put in: a tag, an event handler, the end
# of the encrypted header's <div>, an attribute's quotes, a Jinja expression, a link.
# Every piece fits, with its field's marker, in one line of plain text (300 characters at most).
CORPUS = [
    "<script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "</div><b>after the div</b>",
    '" onmouseover="window.__pwned=\'quote\'" x="',
    "' autofocus onfocus='window.__pwned=1' x='",
    "{{ config.site_name }}{% if true %}jinja{% endif %}",
    "<svg/onload=alert(1)>",
]
HOSTILE = " ".join(CORPUS)
OPENED = "#mkdocs-decrypted-content h1:not(#forum-signin-title)"  # a page's heading, once decrypted


def hostile(field: str) -> str:
    """A field's text: a word that names it (to find it in the site), then the corpus."""
    return f"Zq{field}Mark {HOSTILE}"


FIELDS = [
    "TopicTitle",
    "TopicTitleFr",
    "ProposalTitle",
    "CategoryName",
    "CategoryDescription",
    "DelegateName",
    "GuestName",
    "GuestOrganization",
    "InvitedName",
    "InvitedOrganization",
    "ReplyBody",
    "TopicBody",
]


def write_hostile_archive(archive: Archive) -> None:
    """An archive with the corpus in every field that gets rendered."""
    categories = yaml.safe_load((archive.content / "categories.yml").read_text(encoding="utf-8"))
    first = categories["categories"][0]
    first["names"] = {language: hostile("CategoryName") for language in ("en", "fr", "es")}
    first["descriptions"] = {language: hostile("CategoryDescription") for language in ("en", "fr", "es")}
    archive.write_yaml("categories.yml", categories)
    roster = yaml.safe_load(yaml.safe_dump(ROSTER))
    roster["member_states"]["BR"][0]["name"] = hostile("DelegateName")
    roster["guests"][0] |= {"name": hostile("GuestName"), "organization": hostile("GuestOrganization")}
    archive.write_yaml("roster.yml", roster)
    topic = archive.topic(
        "D_t1",
        hostile("TopicTitle"),
        "2026-W40",
        1,
        category=first["id"],
        body=hostile("TopicBody") + "\n\n[a link](javascript:window.__pwned=1)",
        url='https://github.com/o/r/discussions/1?"><img/src=x/onerror=window.__pwned=1>',
    )
    archive.translate(topic, "fr", "Le sujet.", title=hostile("TopicTitleFr"))
    archive.reply(topic, "DC_1", "br-ana", "BR", 2, hostile("ReplyBody"))
    archive.reply(topic, "DC_2", "uni-guest", None, 3, "A guest's reply.")
    archive.proposal("P_1", hostile("ProposalTitle"), "br-ana", "BR", 4)
    invitation = {
        "guest": "uni-guest",
        "name": hostile("InvitedName"),
        "organization": hostile("InvitedOrganization"),
        "topic": "D_t1",
        "requested_by": "BR",
        "until": date(2030, 12, 31),
        "decision": "accepted",
        "decided": date(2026, 10, 1),
    }
    archive.write_yaml("invitations.yml", [invitation])


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    archive = Archive(tmp_path_factory.mktemp("hostile") / "forum")
    write_hostile_archive(archive)
    return BuiltSite(build_site(archive.project, demo=True).site_dir)


def test_no_hostile_text_is_readable_in_any_built_file(hostile_site: BuiltSite) -> None:
    readable_pieces = [*CORPUS, *(f"Zq{field}Mark" for field in FIELDS), "window.__pwned"]
    for path in sorted(p for p in hostile_site.dir.rglob("*") if p.is_file()):
        text = path.read_bytes().decode("utf-8", errors="replace")
        for form in (text, html.unescape(text)):
            for piece in readable_pieces:
                assert piece not in form, f"{path.relative_to(hostile_site.dir)} shows {piece!r}"


def test_hostile_titles_are_escaped_in_the_decrypted_page_header_and_navigation(
    hostile_site: BuiltSite,
) -> None:
    topic = f"fr/topics/{topic_slug('D_t1')}/"
    page = hostile_site.page(topic)
    header = " ".join(" ".join(part.get_text().split()) for part in page.select(".md-header__topic"))
    assert hostile("TopicTitleFr") in header, "the whole title, as text, in the header"
    assert not page.select(".md-header__topic img, .md-header__topic script, .md-header__topic b")
    assert page.select_one("article h1").get_text() == hostile("TopicTitleFr")
    nav = " ".join(a.get_text(" ") for a in page.select("nav.md-nav a"))
    assert hostile("CategoryName") in " ".join(nav.split())
    assert not page.select("nav.md-nav img, nav.md-nav script, nav.md-nav svg[onload]")
    assert not [a for a in page.select("a[href]") if a["href"].strip().lower().startswith("javascript:")]
    assert not page.select("[onerror], [onload], [onmouseover], [onfocus]")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "https://", "https://github.com/a b"]
)
def test_the_content_model_refuses_a_url_that_is_not_a_web_address(archive: Archive, url: str) -> None:
    topic = archive.topic("D_t1", "A topic", "2026-W40", 1, url=url)

    with pytest.raises(BuildError, match=rf"{topic.path}: field 'url': expected a web address"):
        build_site(archive.project, demo=True)


def test_a_url_field_is_a_link_only_when_it_is_a_web_address() -> None:
    assert outside_link("https://github.com/wipo-forum/ta-forum/discussions/38")
    for bad in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "//evil.example",
        "https://",
    ]:
        assert outside_link(bad) is None, bad
    assert outside_link("https://github.com/a b") is None


@pytest.fixture(scope="module")
def hostile_url(hostile_site: BuiltSite) -> Iterator[str]:
    with serving(hostile_site.dir) as url:
        yield url


def test_signed_in_nothing_hostile_runs_and_it_reads_as_text(hostile_url: str, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    topic = f"topics/{topic_slug('D_t1')}/"
    sign_in_page(page, hostile_url + topic, "WIPO")  # the moderator's credential opens the register too
    page.wait_for_selector(OPENED)
    for url in ["", "fr/", topic, f"fr/{topic}", "proposals/", "invitations/", "categories/ip-strategies/"]:
        page.goto(hostile_url + url)
        page.wait_for_selector(OPENED)
        page.hover(OPENED)
        assert page.evaluate("window.__pwned") is None, url
    page.goto(hostile_url + f"fr/{topic}")
    page.wait_for_selector(OPENED)
    assert page.locator(OPENED).inner_text() == hostile("TopicTitleFr")
    assert hostile("TopicTitleFr") in page.locator(".md-header__title").inner_text()
    assert page.evaluate("window.__pwned") is None and dialogs == []


def test_the_content_security_policy_stops_an_injected_inline_handler(hostile_url: str, page: Page) -> None:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    sign_in_page(page, hostile_url)
    page.wait_for_selector(OPENED)
    page.evaluate(
        """() => {
            document.body.insertAdjacentHTML("beforeend", '<img src="x" onerror="window.__pwned = 1">');
            const script = document.createElement("script");
            script.textContent = "window.__pwned = 2";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(300)  # the broken image's error event fires in the meantime

    assert page.evaluate("window.__pwned") is None
    assert any("Content Security Policy" in text for text in violations), violations


def test_a_guest_copy_carries_the_hostile_names_escaped(hostile_site: BuiltSite) -> None:
    guest = BuiltSite(hostile_site.dir, "uni-guest")
    page = guest.page(guest_url("D_t1"))
    assert hostile("GuestOrganization") in page.select_one("article").get_text()
    assert not page.select("[onerror], [onload], [onmouseover], [onfocus]")
    inline = [s for s in page.select("script:not([src])") if s.get("type") != "application/json"]
    assert not inline, "no script runs from the page itself"


@pytest.mark.parametrize("where", ["topic", "translation", "category"])
def test_a_title_with_a_newline_and_dashes_never_publishes_a_page_in_clear(
    archive: Archive, where: str
) -> None:
    breaking = "Clínicas de PI\n---\n."
    topic = archive.topic("D_t1", "IP clinics", "2026-W40", 1)
    archive.reply(topic, "DC_1", "br-ana", "BR", 2, "Our secret reply about clinics.")
    # The file as a translator (or a hand edit) sends it: the forum's own writers refuse it.
    as_sent = 'title: "Clínicas de PI\\n---\\n."'
    if where == "topic":
        source = topic.path.read_text(encoding="utf-8")
        topic.path.write_text(source.replace("title: IP clinics", as_sent, 1), encoding="utf-8")
    if where == "translation":
        archive.translate(topic, "es", "Texto.", title="Clínicas de PI")
        translated = topic.path.with_name("topic.es.md")
        source = translated.read_text(encoding="utf-8")
        translated.write_text(source.replace("title: Clínicas de PI", as_sent, 1), encoding="utf-8")
    if where == "category":
        categories = yaml.safe_load((archive.content / "categories.yml").read_text(encoding="utf-8"))
        categories["categories"][0]["names"]["es"] = breaking
        archive.write_yaml("categories.yml", categories)
    try:
        site = build_site(archive.project, demo=True).site_dir
    except (BuildError, ContentError) as error:  # the content model refuses it: naming the file
        assert "content/" in str(error) and ("title" in str(error) or "categories.yml" in str(error))
        return
    for path in site.rglob("*.html"):
        assert "Our secret reply" not in path.read_text(encoding="utf-8"), path
    page = BuiltSite(site).page(f"es/topics/{topic_slug('D_t1')}/")
    assert "Our secret reply about clinics." in page.get_text()

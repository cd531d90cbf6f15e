"""The encrypted search index cut by year (issue 16): each language's years listed newest
first, each file named by its content so that a rebuild's unchanged years keep their name
(and stay in readers' caches), and the same hits in Chromium as with one file per language,
on the demo and on a generated archive of several years (bench/generate.py)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from archive import ROOT, STRONG, write_credentials
from conftest import BuiltSite, serving, sign_in_page
from decrypt import open_search_index
from playwright.sync_api import Browser, expect

from sync.model.config import Project
from sync.site.build import build_site

sys.path.insert(0, str(ROOT))
from bench.generate import generate

PARTS = "encrypted_search_parts.json"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BuiltSite]]:
    """60 weekly topics from 2016 to 2018 with 3 replies each, two delegations' credentials."""
    folder = tmp_path_factory.mktemp("generated") / "forum"
    credentials = generate(folder, 60, 3)
    write_credentials(credentials, STRONG)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FORUM_CREDENTIALS", str(credentials))
        site = build_site(Project(folder)).site_dir
        yield folder, BuiltSite(site, "BR", STRONG["BR"])


def listing(site: Path) -> dict[str, list[dict]]:
    return json.loads((site / "search" / PARTS).read_text(encoding="utf-8"))


def test_each_languages_index_is_one_file_per_year_newest_first(generated: tuple[Path, BuiltSite]) -> None:
    _, site = generated
    parts = listing(site.dir)
    assert sorted(parts) == ["en", "es", "fr"]
    for language, files in parts.items():
        assert [f["year"] for f in files] == ["2018", "2017", "2016"], language
        for item in files:
            data = (site.dir / "search" / item["file"]).read_bytes()
            assert item["bytes"] == len(data)
            assert hashlib.sha256(data).hexdigest()[:16] in item["file"], "named by its content"
    listed = {item["file"] for files in parts.values() for item in files}
    assert {p.name for p in (site.dir / "search").glob("encrypted_search_index.*")} == listed
    # Every post of a topic is in the file of the year its topic opened.
    for item in parts["en"]:
        part = json.loads((site.dir / "search" / item["file"]).read_text())
        pages = {page for bundles in part.values() for page in bundles}
        assert pages and all(not page.startswith(("fr/", "es/")) for page in pages)


def test_a_rebuild_keeps_the_names_of_the_years_it_did_not_change(generated: tuple[Path, BuiltSite]) -> None:
    folder, site = generated
    before = listing(site.dir)
    newest = sorted((folder / "content" / "topics").iterdir())[-1]
    (newest / "DC_searchnew.md").write_text(
        "---\nid: DC_searchnew\nauthor: delegate-br\nmember_state: BR\nlanguage: en\n"
        "date: 2018-02-20T10:00:00Z\n---\n\nA reply written after the first build, on quokkas.\n",
        encoding="utf-8",
    )
    report = build_site(Project(folder))
    assert report.copied > 0, "the pages of unchanged topics are copied"
    after = listing(site.dir)
    for language in before:
        names = {item["year"]: item["file"] for item in before[language]}
        again = {item["year"]: item["file"] for item in after[language]}
        assert again["2016"] == names["2016"] and again["2017"] == names["2017"], language
        assert again["2018"] != names["2018"], language
    texts = [e["text"] for e in open_search_index(site.dir, site.keys)]
    assert any("quokkas" in text for text in texts)
    assert len({e["location"] for e in open_search_index(site.dir, site.keys)}) == len(texts)


def one_file_per_language(site: Path) -> str:
    """The same index as one file per language (the index before the cut): returns the list
    of parts that names them."""
    merged: dict[str, list[dict]] = {}
    for language, files in listing(site).items():
        single: dict[str, dict[str, str]] = {}
        for item in files:
            for key_id, bundles in json.loads((site / "search" / item["file"]).read_text()).items():
                single.setdefault(key_id, {}).update(bundles)
        name = f"single.{language}.json"
        (site / "search" / name).write_text(json.dumps(single), encoding="utf-8")
        merged[language] = [{"year": "all", "file": name, "keys": sorted(single)}]
    return json.dumps(merged)


def hits(
    browser: Browser, url: str, queries: list[str], user: str, password: str
) -> list[tuple[str, list[str]]]:
    """What the search page shows for each query once every year is searched."""
    context = browser.new_context()
    page = context.new_page()
    sign_in_page(page, url + "find/", user, password)
    expect(page.locator("#forum-search-input")).to_be_visible()
    found = []
    for query in queries:
        page.locator("#forum-search-input").fill(query)
        page.locator("#forum-search-input").press("Enter")
        expect(page.locator("#forum-search-results[data-complete=true]")).to_have_count(1)
        expect(page.locator("#forum-search-status")).not_to_contain_text("…")
        links = page.locator("#forum-search-results .forum-search__hit a")
        found.append(
            (
                page.locator("#forum-search-status").inner_text(),
                links.evaluate_all("ls => ls.map(l => l.href)"),
            )
        )
    context.close()
    return found


def compare(browser: Browser, site: Path, queries: list[str], user: str, password: str) -> None:
    """The year-by-year index and the one-file index give the same hits, in the same order."""
    parts = site / "search" / PARTS
    kept = parts.read_text(encoding="utf-8")
    single = one_file_per_language(site)
    with serving(site) as url:
        by_year = hits(browser, url, queries, user, password)
        parts.write_text(single, encoding="utf-8")
        try:
            at_once = hits(browser, url, queries, user, password)
        finally:
            parts.write_text(kept, encoding="utf-8")
    assert any(links for _, links in by_year), "the queries find something"
    assert by_year == at_once
    for path in (site / "search").glob("single.*.json"):
        path.unlink()


@pytest.mark.browser
def test_the_years_give_the_same_hits_as_one_file_on_the_demo(
    browser: Browser, tmp_path: Path, demo_site: BuiltSite
) -> None:
    site = tmp_path / "site"
    shutil.copytree(demo_site.dir, site)
    compare(
        browser,
        site,
        ["clinics", "licences", "office training", "Bolar", "patent"],
        "BR",
        "demo-br-forum-password",
    )


@pytest.mark.browser
def test_the_years_give_the_same_hits_as_one_file_on_a_generated_archive(
    browser: Browser, generated: tuple[Path, BuiltSite]
) -> None:
    _, site = generated
    entries = [e for e in open_search_index(site.dir, site.keys) if e["location"].startswith("topics/")]
    words: dict[str, int] = {}
    for entry in entries:
        for word in set(re.findall(r"[a-z]{6,}", entry["text"].lower())):
            words[word] = words.get(word, 0) + 1
    common = sorted(words, key=lambda w: (-words[w], w))
    rare = [w for w in sorted(words) if words[w] == 1][:2]
    queries = [common[0], common[5], f"{common[1]} {common[2]}", *rare]
    compare(browser, site.dir, queries, "BR", STRONG["BR"])


@pytest.mark.browser
def test_a_hit_reached_by_keyboard_stays_under_the_reader_when_an_earlier_year_arrives(
    browser: Browser, generated: tuple[Path, BuiltSite]
) -> None:
    _, site = generated
    parts = listing(site.dir)["en"]
    assert len(parts) > 1, "the archive spans several years"
    entries = [e for e in open_search_index(site.dir, site.keys) if e["location"].startswith("topics/")]
    word = max(
        {w for e in entries for w in re.findall(r"[a-z]{7,}", e["text"].lower())},
        key=lambda w: (sum(w in e["text"].lower() for e in entries), w),
    )
    topic = sorted(p.parent.name for p in (site.dir / "topics").glob("*/index.html"))[-1]
    held: list = []
    context = browser.new_context()
    page = context.new_page()
    hits = page.locator(".forum-search--header .forum-search__results")
    with serving(site.dir) as url:
        # The earlier years' files wait until the reader is on a hit.
        earlier = re.compile("|".join(re.escape(part["file"]) for part in parts[1:]))
        page.route(earlier, lambda route: held.append(route))
        sign_in_page(page, f"{url}topics/{topic}/", "BR", STRONG["BR"])
        expect(page.locator(".forum-signout")).to_be_visible()
        box = page.get_by_role("search").get_by_role("searchbox", name=re.compile("Search the forum"))
        box.fill(word)
        expect(hits.locator(".forum-search__hit a").first).to_be_visible()
        box.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        reached = page.evaluate("document.activeElement.getAttribute('href')")
        shown = hits.locator("a").evaluate_all("links => links.map(l => l.getAttribute('href'))")
        assert reached == shown[1] and hits.get_attribute("data-complete") == "false"

        page.wait_for_timeout(100)
        assert held, "an earlier year was asked for, and waits"
        page.unroute(earlier)  # lets the requests held go on
        names = [part["file"] for part in parts[1:]]
        arrived = "names => names.every(n => performance.getEntriesByType('resource').some(e => e.name.endsWith(n)))"
        for _ in range(200):
            if page.evaluate(arrived, names):
                break
            page.wait_for_timeout(50)
        assert page.evaluate(arrived, names), "every earlier year fetched"
        page.wait_for_timeout(300)  # the years decrypted and searched

        assert page.evaluate("document.activeElement.getAttribute('href')") == reached, "still on it"
        assert hits.locator("a").evaluate_all("links => links.map(l => l.getAttribute('href'))") == shown
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        expect(box).to_be_focused()
        expect(hits).to_have_attribute("data-complete", "true")  # drawn again once left
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/topics/[0-9a-f]{12}/#post-"))
    context.close()

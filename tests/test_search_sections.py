"""The forum indexes its own pages for search (sync.site.search.search_sections) instead of letting
Material's search parse each page's HTML again: the two must make the same entries."""

from __future__ import annotations

import re
from html import unescape

import pytest
from material.plugins.search.plugin import Parser

from sync.model.domain import Forum
from sync.site.pages import Site
from sync.site.search import SearchSection, search_sections


def plain(html_or_parts: str | list[str]) -> str:
    """The text, with no whitespace at all: Material glues words across some tags
    ("(Topics: 1)Designing") where the forum's sections keep a space, which is better
    for search; what is compared is every character, in order."""
    text = "".join(html_or_parts) if isinstance(html_or_parts, list) else html_or_parts
    return "".join(unescape(re.sub(r"<[^>]*>", " ", text)).split())


def materials_sections(html: str) -> list[tuple[str | None, str, str]]:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [(s.id, plain(s.title), plain(s.text)) for s in parser.data if not s.is_excluded()]


def ours(html: str) -> list[tuple[str | None, str, str]]:
    return [(s.anchor, plain(s.title), plain(s.text)) for s in search_sections(html)]


def test_every_demo_page_in_every_language_gives_materials_sections(demo: Forum):
    site = Site(demo, 3, (), frozenset({demo.topics[0].id}))
    pages = list(site.pages())
    assert {page.kind for page in pages} >= {"home", "category", "topic", "guest", "statistics", "proposals"}
    for page in pages:
        html = site.html(page)
        assert ours(html) == materials_sections(html), page.url


@pytest.mark.parametrize(
    "html",
    [
        '<h1 id="top">Title</h1><p>Opening</p><h2 id="a">A &amp; B</h2><p>x &lt; y</p>',
        '<p>Preface</p><h1 id="top">Title</h1><p>text</p>',
        '<h2 id="first">First</h2><p>one</p><h3>no id</h3><p>two</p>',
        "<h1>No id</h1><p>only</p><script>var x = '<h2 id=\"no\">';</script>",
        "",
    ],
)
def test_edge_cases_match_material(html: str):
    assert ours(html) == materials_sections(html)


def test_a_page_opening_with_a_heading_is_titled_by_it():
    assert search_sections('<h1 id="t">Patents</h1><p>Body</p>') == [SearchSection(None, "Patents", "Body")]

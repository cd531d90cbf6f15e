"""The forum's own search page: the search runs in the reader's browser, over the entries of
the encrypted search index that the reader's keys open (hooks/theme/assets/forum-search.js).

Material's search cannot read encrypted entries, and an index in clear would publish every
post; so the page holds only a form, and the script does the rest once signed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import nh3

from sync.i18n.interface import Interface
from sync.model.domain import Forum, Post, Topic
from sync.site.posts import author, render_body, shown


def site_root(page_url: str, language: str, default_language: str) -> str:
    """The relative path from a page back to the site's root, past the language folder."""
    depth = page_url.strip("/").count("/") + 1 if page_url.strip("/") else 0
    depth += 0 if language == default_language else 1
    return "../" * depth or "./"


def search_html(page_url: str, t: Interface, languages: tuple[str, ...]) -> str:
    """The search page: a form and an empty, announced list of results, in the reader's
    language; the header's box (hooks/theme/partials/search.html) brings its query here."""
    root = site_root(page_url, t.language, languages[0])
    words = {
        "none": t("search_none"),
        "signin": t("search_signin"),
        "results": t("search_count", count="{count}"),
        "older": t("search_older"),
    }
    data = " ".join(f'data-{name}="{escape(text)}"' for name, text in words.items())
    return (
        f"<h1>{escape(t('search'))}</h1>\n"
        f'<form class="forum-search forum-search--page" role="search" data-root="{root}"'
        f' data-language="{t.language}" {data}>\n'
        f'<label for="forum-search-input">{escape(t("search_label"))}</label>\n'
        '<input type="search" id="forum-search-input" class="md-input forum-search__input"'
        ' autocomplete="off">\n'
        f'<button type="submit" class="md-button md-button--primary">{escape(t("search"))}</button>\n'
        "</form>\n"
        '<p id="forum-search-status" class="forum-search__status" role="status" aria-live="polite"></p>\n'
        '<ol id="forum-search-results" class="forum-search__results forum-search__results--page"></ol>'
    )


def post_entries(forum: Forum, topic: Topic, page_url: str, t: Interface) -> list[dict[str, str]]:
    """A topic page's search entries: one per post (the opening post, then each reply), at
    the post's anchor, its text as the reader sees it and nothing else (no author line,
    date or language note); who wrote it and when are fields of their own, for the hit's
    line. Listing pages have none: a search finds posts, not the pages that list them."""
    title = escape(topic.title_in(t.language))
    posts: list[Post] = [topic, *topic.replies]
    return [_entry(forum, post, page_url, title, t) for post in posts]


def _entry(forum: Forum, post: Post, page_url: str, title: str, t: Interface) -> dict[str, str]:
    who = author(forum, post, t)
    byline = " · ".join(part for part in (who.label, who.name) if part)
    # nh3 with no tag allowed: the rendered post's text, still HTML-escaped, as Material's entries.
    text = " ".join(nh3.clean(render_body(shown(post, t.language).body), tags=set()).split())
    return {
        "location": f"{page_url}#post-{post.id}",
        "title": title,
        "text": text,
        "author": escape(byline),
        "date": post.date.date().isoformat(),
    }


@dataclass(frozen=True)
class SearchSection:
    """One entry of the search index: a page, or a part of it under a heading with an id."""

    anchor: str | None  # the heading's id; None for the page's opening part
    title: str  # HTML-escaped text; empty for the opening part (the page's title is used)
    text: str  # HTML-escaped text, whitespace collapsed


_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>|<!--.*?-->", re.DOTALL)
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_RAW_TEXT = frozenset({"script", "style"})  # their content is not markup
_SKIPPED = frozenset({"script", "style", "object"})


@dataclass
class _Open:
    """A section being read: the heading that opened it and how deep it sits."""

    heading: str | None  # the heading's tag, None for a page's opening part
    depth: float
    anchor: str | None
    title: list[str]
    text: list[str]


def search_sections(html: str) -> list[SearchSection]:
    """The sections Material's search makes of a page: an opening part, then one per
    heading with an id; text after the element holding a heading goes back to the section
    around it.

    Material's search parses every page with Python's HTMLParser, most of a large build's
    time; this walks the tags of the forum's own well-formed HTML with one regular
    expression instead, following Material's rules (a test holds the two to the same
    entries on every page of the demo).
    """
    sections: list[_Open] = []
    current: _Open | None = None
    context: list[str] = []  # the open elements' tags
    skipped = 0  # depth of the open element that hides its text from search, 0 if none
    position = 0

    while True:
        token = _TOKEN.search(html, position)
        data = html[position : token.start() if token else len(html)]
        if data and not skipped:
            if current is None:
                current = _Open(None, 0, None, [], [])
                sections.append(current)
            titled = current.heading is not None and current.heading in context
            (current.title if titled else current.text).append(data)
        if token is None:
            break
        position = token.end()
        if token[2] is None:  # a comment
            continue
        tag = token[2].lower()
        if not token[1]:
            current, skipped = _start(tag, token[3], context, sections, current, skipped)
            if tag in _RAW_TEXT:
                end = re.compile(rf"</{tag}\s*>", re.IGNORECASE).search(html, position)
                position = end.start() if end else len(html)
        if token[1] or token[3].endswith("/"):  # an end tag, or a self-closing one (SVG)
            current, skipped = _end(tag, context, sections, current, skipped)
    return [
        SearchSection(s.anchor, _squeezed("".join(s.title)), _squeezed("".join(s.text))) for s in sections
    ]


def _start(
    tag: str, attributes: str, context: list[str], sections: list[_Open], current: _Open | None, skipped: int
) -> tuple[_Open | None, int]:
    """A start tag, as Material's parser takes it: a heading with an id opens a section."""
    if tag in _VOID:
        return current, skipped
    context.append(tag)
    identifier = _ID.search(attributes)
    if tag in _HEADINGS and identifier is not None:
        if tag != "h1" and not sections:
            sections.append(_Open(None, len(context), None, [], []))
        current = _Open(tag, len(context), None, [], [])
        if sections:
            current.anchor = identifier[1] or identifier[2]
        sections.append(current)
    if current is None:
        current = _Open(None, 0, None, [], [])
        sections.append(current)
    if not skipped and (tag in _SKIPPED or "data-search-exclude" in attributes):
        skipped = len(context)
    return current, skipped


def _end(
    tag: str, context: list[str], sections: list[_Open], current: _Open | None, skipped: int
) -> tuple[_Open | None, int]:
    """An end tag: leaving the element that holds a heading goes back to the section
    around it."""
    if not context or context[-1] != tag:
        return current, skipped
    if current is not None and current.depth > len(context):
        for section in reversed(sections):
            if section.depth <= len(context):
                current.depth, current = float("inf"), section
                break
    context.pop()
    return current, 0 if skipped > len(context) else skipped


def _squeezed(text: str) -> str:
    return " ".join(text.split())  # as a \s+ pattern would, several times faster

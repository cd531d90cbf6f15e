"""The forum's own search: the search runs in the reader's browser, over the entries of the
encrypted search index that the reader's keys open (hooks/theme/assets/forum-search.js).

Material's search cannot read encrypted entries, and an index in clear would publish every
post; so the search page holds only a form, the header of every page a box, and the script
does the rest once signed in. What is searched is made here from the content model, one
entry per post, rather than from a page's HTML: a hit is a post, never the page listing it.
"""

from __future__ import annotations

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

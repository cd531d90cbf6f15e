"""The forum's own search page: the search runs in the reader's browser, over the entries of
the encrypted search index that the reader's keys open (hooks/theme/assets/forum-search.js).

Material's search cannot read encrypted entries, and an index in clear would publish every
post; so the page holds only a form, and the script does the rest once signed in.
"""

from __future__ import annotations

from html import escape

from .interface import Interface


def site_root(page_url: str, language: str, default_language: str) -> str:
    """The relative path from a page back to the site's root, past the language folder."""
    depth = page_url.strip("/").count("/") + 1 if page_url.strip("/") else 0
    depth += 0 if language == default_language else 1
    return "../" * depth or "./"


def search_html(page_url: str, t: Interface, languages: tuple[str, ...]) -> str:
    """A search form and an empty, announced list of results, in the reader's language."""
    root = site_root(page_url, t.language, languages[0])
    others = " ".join(language for language in languages[1:])
    words = {
        "none": t("search_none"),
        "signin": t("search_signin"),
        "results": t("search_count", count="{count}"),
    }
    data = " ".join(f'data-{name}="{escape(text)}"' for name, text in words.items())
    return (
        f"<h1>{escape(t('search'))}</h1>\n"
        f'<form class="forum-search" role="search" data-root="{root}" data-language="{t.language}"'
        f' data-default-language="{languages[0]}" data-other-languages="{others}" {data}>\n'
        f'<label for="forum-search-input">{escape(t("search_label"))}</label>\n'
        f'<input type="search" id="forum-search-input" name="q" class="md-input" autocomplete="off">\n'
        f'<button type="submit" class="md-button md-button--primary">{escape(t("search"))}</button>\n'
        "</form>\n"
        '<p id="forum-search-status" class="forum-search__status" role="status" aria-live="polite"></p>\n'
        '<ol id="forum-search-results" class="forum-search__results"></ol>'
    )

"""Pieces every listing of topics shares (the home page, categories, topics by week): a link
to a topic titled in the reader's language, a table cell that names its column, the links
between the pages of a long listing."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from sync.i18n.interface import Interface
from sync.model.domain import Topic
from sync.site.posts import title_attributes
from sync.site.urls import relative, topic_url


def topic_link(from_url: str, topic: Topic, t: Interface, anchor: str | None = None) -> str:
    """A link to a topic (or to one of its posts) titled in the reader's language."""
    href = relative(from_url, topic_url(topic.id))
    href += f"#post-{escape(anchor)}" if anchor else ""
    return f'<a href="{href}"{title_attributes(topic, t)}>{escape(topic.title_in(t.language))}</a>'


def cell(label: str, kind: str, html: str) -> str:
    """A table cell, with the name of its column for the phone's card layout."""
    attributes = f' class="{kind}"' if kind else ""
    attributes += f' data-label="{escape(label)}"' if label else ""
    return f"<td{attributes}>{html}</td>"


def pagination(
    from_url: str,
    number: int,
    pages: int,
    url_of: Callable[[int], str],
    t: Interface,
    words: tuple[str, str] = ("newer_topics", "older_topics"),
    numbers: bool = False,
) -> str:
    """Newer and older pages of a listing (newest first), and with `numbers` a link to each
    page; empty when it fits on one page."""
    if pages == 1:
        return ""
    links = [f"<span>{escape(t('page_of', page=number, pages=pages))}</span>"]
    if number > 1:
        newer = relative(from_url, url_of(number - 1))
        links.insert(0, f'<a href="{newer}" rel="prev">{escape(t(words[0]))}</a>')
    if number < pages:
        older = relative(from_url, url_of(number + 1))
        links.append(f'<a href="{older}" rel="next">{escape(t(words[1]))}</a>')
    label = escape(t("pagination"))
    html = f'<nav class="forum-pagination" aria-label="{label}">{" ".join(links)}'
    if numbers:
        html += _page_numbers(from_url, number, pages, url_of, t)
    return html + "</nav>"


def _page_numbers(from_url: str, number: int, pages: int, url_of: Callable[[int], str], t: Interface) -> str:
    items = []
    for other in range(1, pages + 1):
        label = escape(t("page_of", page=other, pages=pages))
        if other == number:
            items.append(
                f'<li><span aria-current="page" title="{label}">{escape(t.number(other))}</span></li>'
            )
        else:
            href = relative(from_url, url_of(other))
            items.append(f'<li><a href="{href}" aria-label="{label}">{escape(t.number(other))}</a></li>')
    return f'<ol class="forum-pagination__pages">{"".join(items)}</ol>'

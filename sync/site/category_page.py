"""A category's pages: its topics, newest first, a table on a laptop and cards on a phone,
each topic with what is new in it since the reader's last visit (sync.site.new_marks)."""

from __future__ import annotations

from html import escape

from sync.i18n.interface import Interface
from sync.model.domain import Forum, Topic
from sync.site.listing import cell, pagination, topic_link
from sync.site.new_marks import SLOT, mark_all_read, newest_post, topic_attribute
from sync.site.posts import time_html, week_html
from sync.site.urls import category_url

HEADERS = ("topic", "week_column", "replies", "languages", "member_states", "last_activity")


def category_page_count(forum: Forum, category_id: str, per_page: int) -> int:
    """How many pages a category's listing takes (one when it is empty)."""
    return max(1, -(-len(forum.topics_in(category_id)) // per_page))


def category_html(
    forum: Forum,
    url: str,
    title: str,
    key: str,
    number: int,
    per_page: int,
    t: Interface,
) -> str:
    """Page `number` of the category `key`'s listing."""
    category = forum.categories[key]
    topics = forum.topics_in(category.id)
    shown_topics = topics[(number - 1) * per_page : number * per_page]
    parts = [f"<h1>{escape(title)}</h1>"]
    if description := category.description(t.language, forum.default_language):
        parts.append(f'<p class="forum-description" dir="auto">{escape(description)}</p>')
    if not topics:
        parts.append(f"<p>{escape(t('category_empty'))}</p>")
        return "\n".join(parts)
    parts.append(mark_all_read(t, newest_post(topics)))
    head = "".join(f'<th scope="col">{escape(t(h))}</th>' for h in HEADERS)
    rows = [_topic_row(forum, url, topic, t) for topic in shown_topics]
    table = f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"
    parts.append(f'<table class="forum-table forum-topics">{table}</table>')
    pages = category_page_count(forum, key, per_page)
    parts.append(pagination(url, number, pages, lambda other: category_url(key, other), t))
    return "\n".join(parts)


def category_inputs(
    forum: Forum, url: str, title: str, key: str, number: int, per_page: int, language: str
) -> tuple[list[str], list[Topic]]:
    """What `category_html` makes page `number` of: its words, and the topics it reads (all
    the category's: their count pages it, their newest post starts its new marks), in order.
    With the forum's categories and languages, which every page shows, nothing else."""
    return [url, title, key, str(number), str(per_page), language], forum.topics_in(key)


def _topic_row(forum: Forum, url: str, topic: Topic, t: Interface) -> str:
    posts = [topic, *topic.replies]
    languages = sorted({post.language for post in posts}, key=forum.languages.index)
    states = sorted({t.member_state(p.member_state) for p in posts if p.member_state})
    # Each cell names its column, shown before it when the table becomes cards on a phone.
    cells = [
        ("", "forum-topics__title", topic_link(url, topic, t) + SLOT),
        ("week_column", "forum-topics__week", week_html(topic.week)),
        ("replies", "forum-number", escape(t.number(len(topic.replies)))),
        ("languages", "", escape(t.listing([t.language_name(code) for code in languages]))),
        ("member_states", "", escape(t.listing(states)) or "—"),
        ("last_activity", "forum-topics__date", time_html(topic.last_activity(), t)),
    ]
    return (
        f"<tr{topic_attribute(topic)}>"
        + "".join(cell(t(label) if label else "", kind, html) for label, kind, html in cells)
        + "</tr>"
    )

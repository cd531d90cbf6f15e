"""A topic page's thread and what stands around it: the replies as on GitHub, how to reply,
and the names of a guest copy's readers."""

from __future__ import annotations

import json
from html import escape

from sync.i18n.interface import Interface
from sync.model.domain import Forum, Reply, Topic
from sync.site.posts import post_article
from sync.site.urls import outside_link


def guest_names(forum: Forum, topic: Topic) -> str:
    """The names of the topic's guests, for the bar's "signed in as" (forum.js): in the
    guest copy's encrypted content, which only these guests open."""
    names = {g.login.lower(): g.name for g in forum.roster.guests if g.topic == topic.id}
    data = escape(json.dumps(names, ensure_ascii=False))
    return f'<div id="forum-guest-names" hidden data-names="{data}"></div>'


def how_to_reply(forum: Forum, topic: Topic, t: Interface) -> str:
    """Two lines: who may reply and how, and when a reply shows here."""
    languages = t.listing([t.language_name(code) for code in forum.languages])
    howto = escape(t("reply_howto", languages=languages))
    if link := outside_link(topic.url):
        howto += f' <a href="{escape(link)}">{escape(t("on_github"))}</a>'
    return (
        f'<aside class="forum-how-to-reply" aria-label="{escape(t("how_to_reply"))}">'
        f"<p>{howto}</p><p>{escape(t('reply_review'))}</p></aside>"
    )


def thread_html(forum: Forum, replies: list[Reply], t: Interface, reply_links: bool = True) -> str:
    """Replies in order, each answer to a reply listed under it, as on GitHub."""
    answers: dict[str, list[Reply]] = {}
    for reply in replies:
        if reply.parent:
            answers.setdefault(reply.parent, []).append(reply)
    items = []
    for reply in (r for r in replies if r.parent is None):
        nested_class = "forum-reply forum-reply--nested"
        nested = "".join(
            f"<li>{post_article(forum, answer, t, nested_class, reply_links)}</li>"
            for answer in answers.get(reply.id, [])
        )
        thread = f'<ol class="forum-thread forum-thread--nested">{nested}</ol>' if nested else ""
        items.append(f"<li>{post_article(forum, reply, t, 'forum-reply', reply_links)}{thread}</li>")
    return f'<ol class="forum-thread">{"".join(items)}</ol>'

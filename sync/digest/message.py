"""The weekly digest: what happened on the forum, one email-ready message per language.

The digest of week W is sent on the Monday of W, once that week's topic is published: it
announces the new topic with its opening post, then gathers the replies posted during the
seven days before (since the previous digest), so that each reply is in exactly one
digest. Posts read as on the site (`sync.site.posts`): in the reader's language where a
translation exists, else in the original with the translated "original in …" note; a
translated post links to its original, and an outdated translation gives way to the original
(the usage protocol says that the original prevails).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from html import escape, unescape
from pathlib import Path

import nh3

from sync.i18n.interface import Interface
from sync.model.dates import Week
from sync.model.domain import Forum, Post, Proposal, ProposalStatus, Reply, Topic
from sync.model.errors import ForumError
from sync.site.pages import category_url, topic_slug
from sync.site.posts import (
    author,
    excerpt,
    filled,
    isolate,
    lang_attributes,
    post_notes,
    render_body,
    shown,
    week_html,
)

# A reply in the digest is its first lines; the link leads to the whole post.
FIRST_LINES = 300


class DigestError(ForumError):
    """A digest that cannot be made as asked; the message says what to change."""


def replies_from(week: Week) -> datetime:
    """The start of the week before: the digest gathers the replies since the previous one."""
    return week.start - timedelta(days=7)


def counted_until(week: Week) -> datetime:
    """Proposals and translations are counted as they stand at the end of the Monday."""
    return week.start + timedelta(days=1)


@dataclass(frozen=True)
class Digest:
    """What a week's digest tells, in every language: chosen once, rendered per language."""

    week: Week
    topics: list[Topic]  # opened this week
    replies: list[tuple[Topic, list[Reply]]]  # replies of the seven days before, per topic
    proposals: list[Proposal]  # waiting for the moderator's decision
    posts: list[Post]  # every post by `counted_until`, to count what is still to translate

    @property
    def quiet(self) -> bool:
        """No new topic and no reply: the digest says so rather than being empty."""
        return not self.topics and not self.replies


def select(forum: Forum, week: Week) -> Digest:
    """The week's new topics, the replies since the previous digest, the proposals waiting."""
    topics = [t for t in forum.topics if t.week == week.code]
    replies = []
    for topic in sorted(forum.topics, key=lambda t: t.date):
        recent = [r for r in topic.replies if replies_from(week) <= r.date < week.start]
        if recent:
            replies.append((topic, sorted(recent, key=lambda r: r.date)))
    proposals = [
        p for p in forum.proposals if p.status is ProposalStatus.OPEN and p.date < counted_until(week)
    ]
    posts = [p for t in forum.topics for p in [t, *t.replies] if p.date < counted_until(week)]
    return Digest(week, topics, replies, proposals, posts)


def untranslated(digest: Digest, language: str) -> int:
    """Posts written in another language with no translation into `language` yet."""
    return sum(1 for p in digest.posts if p.language != language and p.translation(language) is None)


class Links:
    """Absolute addresses on the published site, in the reader's language."""

    def __init__(self, site_url: str, forum: Forum, language: str) -> None:
        prefix = "" if language == forum.default_language else f"{language}/"
        self.root = site_url.rstrip("/") + "/" + prefix
        self.site_url, self.forum = site_url, forum

    def original(self, topic: Topic, post: Post) -> str:
        """A post on the page of its own language, where it reads in the original."""
        return Links(self.site_url, self.forum, post.language).topic(topic, post)

    def topic(self, topic: Topic, post: Post | None = None) -> str:
        """A topic's page, or one post on it (the page's `post-<id>` anchors)."""
        anchor = f"#post-{post.id}" if post is not None and post is not topic else ""
        return f"{self.root}topics/{topic_slug(topic.id)}/{anchor}"

    def page(self, url: str) -> str:
        """Another page of the site by its language-neutral URL (`proposals/`)."""
        return self.root + url


def _days(digest: Digest, t: Interface) -> dict[str, str]:
    last = digest.week.start - timedelta(days=1)
    return {"start": t.date(replies_from(digest.week)), "end": t.date(last)}


def _who(forum: Forum, post: Post, t: Interface) -> str:
    """Member state and delegate, or the moderator, as plain text."""
    return " — ".join(_who_parts(forum, post, t))


def _who_html(forum: Forum, post: Post, t: Interface) -> str:
    """The same, each part isolated (a Latin name in an Arabic line keeps its place)."""
    return " — ".join(isolate(escape(part)) for part in _who_parts(forum, post, t))


def _who_parts(forum: Forum, post: Post, t: Interface) -> list[str]:
    who = author(forum, post, t)
    return [who.label, who.name] if who.label else [who.name]


def _note(post: Post, language: str, t: Interface) -> str | None:
    """The translated note about a post's language, as plain text (None when none), the
    same words as `sync.site.posts.post_notes` puts on the site."""
    text, original = shown(post, language), t.language_name(post.language)
    if text.pending:
        return t("translation_pending", language=original)
    if text.translation is None:
        return None
    note = t("translated_from", language=original, translator=text.translation.translator)
    if text.translation.outdated:
        return f"{note} — {t.sentences(t('translation_outdated'), t('original_shown_first'))}"
    return note


def _original_html(topic: Topic, post: Post, t: Interface, links: Links) -> str:
    """For a translated post, a link to it in the original; else nothing."""
    if post.translation(t.language) is None or post.language == t.language:
        return ""
    label = escape(t("read_original", language=t.language_name(post.language)))
    href = escape(links.original(topic, post))
    return f'\n<p><a href="{href}" hreflang="{post.language}">{label}</a></p>'


def _original_text(topic: Topic, post: Post, t: Interface, links: Links) -> str | None:
    if post.translation(t.language) is None or post.language == t.language:
        return None
    return f"{t('read_original', language=t.language_name(post.language))}: {links.original(topic, post)}"


def _isolated(text: str, t: Interface) -> str:
    """Plain text kept left to right inside a right-to-left line (an ISO week in a subject)."""
    return f"\u2066{text}\u2069" if t.direction == "rtl" else text


# HTML ------------------------------------------------------------------------------------


def render_html(forum: Forum, digest: Digest, language: str, site_url: str) -> str:
    """The digest as a self-contained HTML page (inline styles, absolute links)."""
    t, links = Interface(language), Links(site_url, forum, language)
    title = filled(t, "digest_title", week=week_html(digest.week.code))
    parts = [
        f'<!DOCTYPE html>\n<html lang="{language}" dir="{t.direction}">\n<head>\n<meta charset="utf-8">',
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{title}</title>',
        '</head>\n<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em; margin: auto">',
        f"<h1>{title}</h1>",
        f"<p>{escape(t('digest_intro', **_days(digest, t)))}</p>",
    ]
    if digest.quiet:
        parts.append(f"<p><strong>{escape(t('digest_no_activity'))}</strong></p>")
    parts.append(f"<h2>{escape(t('digest_new_topic'))}</h2>")
    for topic in digest.topics:
        parts.append(_topic_html(forum, topic, t, links))
    if not digest.topics:
        parts.append(f"<p>{escape(t('digest_no_topic'))}</p>")
    parts.append(f"<h2>{escape(t('digest_replies', **_days(digest, t)))}</h2>")
    for topic, replies in digest.replies:
        parts.append(_replies_html(forum, topic, replies, t, links))
    if not digest.replies:
        parts.append(f"<p>{escape(t('digest_no_replies', **_days(digest, t)))}</p>")
    parts.append(_proposals_html(digest, t, links))
    parts.append(_translation_html(digest, t))
    parts.append(f'<hr>\n<p style="font-size: small">{escape(t("digest_footer"))}</p>\n</body>\n</html>\n')
    return "\n".join(parts)


def _topic_html(forum: Forum, topic: Topic, t: Interface, links: Links) -> str:
    text = shown(topic, t.language)
    body, language = text.body, text.language
    category = forum.categories[topic.category].name(t.language, forum.default_language)
    category_href = escape(links.page(category_url(topic.category)))
    return (
        f'<h3 lang="{_title_language(topic, t.language)}" dir="auto"><a href="{escape(links.topic(topic))}">'
        f"{escape(topic.title_in(t.language))}</a></h3>\n"
        f'<p><a href="{category_href}" dir="auto">{escape(category)}</a> · '
        f"{_who_html(forum, topic, t)} · {isolate(escape(t.date(topic.date)))}</p>\n"
        f"{post_notes(topic, text, t)}\n"
        f"<div{lang_attributes(language, t.language)}>\n{render_body(body)}\n</div>"
        f"{_original_html(topic, topic, t, links)}"
    )


def _replies_html(forum: Forum, topic: Topic, replies: list[Reply], t: Interface, links: Links) -> str:
    items = []
    for reply in replies:
        text = shown(reply, t.language)
        body, language = text.body, text.language
        who, when = _who_html(forum, reply, t), isolate(escape(t.date(reply.date)))
        items.append(
            f"<li><p><strong>{who}</strong> · {when}</p>\n"
            f"{post_notes(reply, text, t)}\n"
            f"<p{lang_attributes(language, t.language)}>{excerpt(body, FIRST_LINES)}</p>\n"
            f'<p><a href="{escape(links.topic(topic, reply))}">{escape(t("digest_read_post"))}</a></p>'
            f"{_original_html(topic, reply, t, links)}</li>"
        )
    title = f'<a href="{escape(links.topic(topic))}">{escape(topic.title_in(t.language))}</a>'
    heading = f'<h3 lang="{_title_language(topic, t.language)}" dir="auto">{title}</h3>'
    return f"{heading}\n<ul>\n" + "\n".join(items) + "\n</ul>"


def _title_language(topic: Topic, language: str) -> str:
    """The language a topic's title is shown in: translated, or its original."""
    translation = topic.translation(language)
    return language if translation and translation.title else topic.language


def _proposals_html(digest: Digest, t: Interface, links: Links) -> str:
    heading = f'<h2><a href="{escape(links.page("proposals/"))}">{escape(t("open_proposals"))}</a></h2>'
    if not digest.proposals:
        return f"{heading}\n<p>{escape(t('no_open_proposals'))}</p>"
    items = [
        f"<li>{escape(p.title_in(t.language))} — {escape(t('proposed_by', member_state=_state(p, t)))}</li>"
        for p in digest.proposals
    ]
    return f"{heading}\n<ul>\n" + "\n".join(items) + "\n</ul>"


def _state(post: Post, t: Interface) -> str:
    return t.member_state(post.member_state) if post.member_state else post.author


def _translation_html(digest: Digest, t: Interface) -> str:
    return f"<h2>{escape(t('digest_to_translate'))}</h2>\n<p>{escape(_translation_line(digest, t))}</p>"


def _translation_line(digest: Digest, t: Interface) -> str:
    count, name = untranslated(digest, t.language), t.language_name(t.language)
    if count:
        return t("digest_untranslated", language=name, count=count)
    return t("digest_all_translated", language=name)


# Plain text ------------------------------------------------------------------------------


def render_text(forum: Forum, digest: Digest, language: str, site_url: str) -> str:
    """The same digest as plain text, for mail readers that show no HTML."""
    t, links = Interface(language), Links(site_url, forum, language)
    title = t("digest_title", week=_isolated(digest.week.code, t))
    lines: list[str | None] = [title, "=" * len(title), "", t("digest_intro", **_days(digest, t)), ""]
    if digest.quiet:
        lines += [t("digest_no_activity"), ""]
    lines += _heading(t("digest_new_topic"))
    for topic in digest.topics:
        body = shown(topic, language).body
        lines += [
            topic.title_in(language),
            links.topic(topic),
            _who(forum, topic, t),
            _note(topic, language, t),
        ]
        lines += [_plain(body), _original_text(topic, topic, t, links), ""]
    if not digest.topics:
        lines += [t("digest_no_topic"), ""]
    lines += _heading(t("digest_replies", **_days(digest, t)))
    for topic, replies in digest.replies:
        lines += [topic.title_in(language), ""]
        for reply in replies:
            body = shown(reply, language).body
            note, original = _note(reply, language, t), _original_text(topic, reply, t, links)
            lines += [f"* {_who(forum, reply, t)}, {t.date(reply.date)}", f"  {note}" if note else None]
            lines += [f"  {unescape(excerpt(body, FIRST_LINES))}", f"  {links.topic(topic, reply)}"]
            lines += [f"  {original}" if original else None, ""]
    if not digest.replies:
        lines += [t("digest_no_replies", **_days(digest, t)), ""]
    lines += _heading(t("open_proposals"))
    for p in digest.proposals:
        lines.append(f"* {p.title_in(language)} — {t('proposed_by', member_state=_state(p, t))}")
    lines += [links.page("proposals/")] if digest.proposals else [t("no_open_proposals")]
    lines += ["", *_heading(t("digest_to_translate")), _translation_line(digest, t), "", "--"]
    lines.append(t("digest_footer"))
    return "\n".join(line for line in lines if line is not None) + "\n"


def _heading(text: str) -> list[str]:
    return [text, "-" * len(text)]


def _plain(body: str) -> str:
    """A post's whole text without markup (the opening post is given in full)."""
    html = render_body(body).replace("</p>", "\n\n").replace("<br>", "\n").replace("</li>", "\n")
    text = unescape(nh3.clean(html, tags=set())).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


# The message -----------------------------------------------------------------------------


def message(forum: Forum, digest: Digest, language: str, site_url: str) -> EmailMessage:
    """The email-ready digest in one language: plain text and HTML alternatives, UTF-8."""
    t = Interface(language)
    mail = EmailMessage()
    mail["Subject"] = t("digest_subject", forum=t("home_title"), week=_isolated(digest.week.code, t))
    mail.set_content(render_text(forum, digest, language, site_url), charset="utf-8")
    mail.add_alternative(render_html(forum, digest, language, site_url), subtype="html", charset="utf-8")
    # After the parts exist: making the message multipart moves Content-* headers into them.
    mail["Content-Language"] = language
    for part in mail.iter_parts():
        part["Content-Language"] = language
    return mail


def write_preview(forum: Forum, digest: Digest, folder: Path, site_url: str) -> dict[str, Path]:
    """Each language's message (`<lang>.eml`) and its HTML (`<lang>.html`) for the moderator
    to look at before sending; returns the messages' paths by language."""
    target = folder / digest.week.code
    target.mkdir(parents=True, exist_ok=True)
    written = {}
    for language in forum.languages:
        mail = message(forum, digest, language, site_url)
        (target / f"{language}.html").write_text(render_html(forum, digest, language, site_url), "utf-8")
        path = target / f"{language}.eml"
        path.write_bytes(bytes(mail))
        written[language] = path
    return written

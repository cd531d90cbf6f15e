"""One post as a reader sees it: in their language where a translation exists, else in the
original with a translated note, its text rendered once and reused on every page.

Used by the site's pages and, later, by the weekly digest, so that a post reads the same
wherever it appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from html import escape

import markdown
import nh3

from sync.i18n.interface import Interface, direction
from sync.model.domain import Forum, Post, Proposal, Role, Topic, Translation
from sync.site.urls import outside_link

# GitHub renders a single line break in a comment as a line break; so do we.
_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br"]
_HEADING = re.compile(r"<(/?)h([1-6])\b")
# One converter for every post: building one costs as much as converting a short post.
_MARKDOWN = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
EXCERPT_LENGTH = 220


@dataclass(frozen=True)
class Shown:
    """The text of a post shown to a reader of `reader`'s language."""

    language: str  # the language the shown text is in
    body: str
    translation: Translation | None  # the translation shown, if any
    pending: bool  # shown in the original because no translation exists yet


def shown(post: Post, reader: str) -> Shown:
    """The translation into the reader's language if there is one and it is not outdated,
    else the original."""
    translation = post.translation(reader)
    if translation is not None and translation.outdated:  # the original prevails, and comes first
        return Shown(post.language, post.body, translation, pending=False)
    if translation is not None:
        return Shown(reader, translation.body, translation, pending=False)
    return Shown(post.language, post.body, None, pending=post.language != reader)


# Bodies rendered in this process, or by the workers of a large build (sync.site.render_ahead).
_RENDERED: dict[str, str] = {}


def render_body(body: str) -> str:
    """A post's Markdown as safe HTML, headings moved below the page's own (h1 → h3).

    Kept by text: an untranslated post appears on a topic page in every language and on
    the home page, and converting Markdown is most of a page's cost.
    """
    html = _RENDERED.get(body)
    if html is None:
        html = _RENDERED[body] = converted(body)
    return html


def converted(body: str) -> str:
    """render_body's work, done afresh (a worker process's, and this one's)."""
    html = _MARKDOWN.reset().convert(body)
    html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}", html)
    return nh3.clean(html)


def not_rendered(bodies: Iterable[str]) -> list[str]:
    """These bodies, once each, but those rendered already."""
    return [body for body in dict.fromkeys(bodies) if body not in _RENDERED]


def keep_rendered(bodies: Sequence[str], html: Sequence[str]) -> None:
    """Bodies' HTML rendered by `converted` elsewhere, for render_body to find."""
    if len(bodies) != len(html) or not all(isinstance(text, str) for text in html):
        raise ValueError("rendered bodies do not match those asked for")
    _RENDERED.update(zip(bodies, html, strict=True))


@cache
def excerpt(body: str, length: int = EXCERPT_LENGTH) -> str:
    """The first words of a post as plain (HTML-escaped) text, for listings."""
    text = " ".join(nh3.clean(render_body(body), tags=set()).split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return f"{cut.rstrip(',;:.')} …"


def lang_attributes(text_language: str, page_language: str) -> str:
    """`lang` (and `dir` where the direction changes) for text in another language."""
    if text_language == page_language:
        return f' lang="{text_language}"'
    return f' lang="{text_language}" dir="{direction(text_language)}"'


def isolate(html: str, direction: str = "") -> str:
    """Inserted text (a name, a title, a date) isolated from the sentence around it, so that
    a left-to-right name in an Arabic line keeps its order and its punctuation."""
    return f'<bdi dir="{direction}">{html}</bdi>' if direction else f"<bdi>{html}</bdi>"


def week_html(week: str) -> str:
    """An ISO week such as 2026-W47, kept left to right in every page (never W47-2026)."""
    return isolate(escape(week), "ltr")


def filled(t: Interface, key: str, **html: str) -> str:
    """An interface string, escaped, with HTML (already safe, isolated) in its placeholders."""
    marks = {name: f"\0{index}\0" for index, name in enumerate(html)}
    text = escape(t(key, **marks))
    for name, mark in marks.items():
        text = text.replace(mark, html[name])
    return text


@dataclass(frozen=True)
class Author:
    """Who wrote a post, as plain text in the reader's language."""

    name: str  # the roster's name, else the GitHub login
    member_state: str | None  # the member state a delegate writes for
    role: str | None  # the moderator, or a guest and whom they speak for

    @property
    def label(self) -> str | None:
        """For whom they write: the member state, or the role."""
        return self.member_state or self.role


def author(forum: Forum, post: Post, t: Interface) -> Author:
    """Who wrote a post: member state and delegate, the moderator, or a guest."""
    person = forum.roster.person(post.author)
    name = person.name if person else post.author
    if post.member_state:
        return Author(name, t.member_state(post.member_state), None)
    if person and person.role is Role.GUEST:
        return Author(name, None, t("guest", organization=person.organization or ""))
    if person and person.role is Role.MODERATOR:
        return Author(name, None, t("moderator"))
    return Author(name, None, None)


def author_line(forum: Forum, post: Post, t: Interface) -> str:
    """Who wrote a post, as the site's HTML: member state and delegate, or role and name."""
    who = author(forum, post, t)
    name = f'<span class="forum-post__author">{isolate(escape(who.name))}</span>'
    if who.member_state:
        state = isolate(escape(who.member_state))
        return f'<span class="forum-post__member-state">{state}</span> {name}'
    return f'<span class="forum-post__role">{isolate(escape(who.role))}</span> {name}' if who.role else name


def post_notes(post: Post, text: Shown, t: Interface, element: str = "p") -> str:
    """The translated notes about a post's language: pending, translated by, outdated."""
    name = t.language_name(post.language)
    if text.pending:
        note = escape(t("translation_pending", language=name))
        return f'<{element} class="forum-post__note forum-post__note--pending">{note}</{element}>'
    if text.translation is None:
        return ""
    translator = isolate(escape(text.translation.translator))
    notes = [filled(t, "translated_from", language=escape(name), translator=translator)]
    classes = "forum-post__note forum-post__note--translated"
    if text.translation.outdated:
        notes = [_full_stop(notes[0], t.language), escape(t("translation_outdated"))]
        notes.append(escape(t("original_shown_first")))
        classes += " forum-post__note--outdated"
    return f'<{element} class="{classes}">{t.sentences(*notes)}</{element}>'


def excerpt_note(post: Post, text: Shown, t: Interface) -> str:
    """An excerpt's notes in a listing, as on the topic page (a line of its own, styled as
    a block: the excerpt stays the item's paragraph)."""
    note = post_notes(post, text, t, "span")
    return note.replace('class="forum-post__note', 'class="forum-excerpt__note forum-post__note', 1)


def _full_stop(sentence: str, language: str) -> str:
    """A note ended as a sentence, in the language's own punctuation, before the next one."""
    if sentence.endswith((".", "。", "!", "?", "؟")):
        return sentence
    return sentence + ("。" if language == "zh" else ".")


def title_attributes(post: Topic | Proposal, t: Interface) -> str:
    """`lang` and `dir` on a title left in its original language, else `dir="auto"`."""
    translated = post.translation(t.language)
    if post.language == t.language or (translated and translated.title):
        return ' dir="auto"'
    return lang_attributes(post.language, t.language)


def time_html(moment: datetime, t: Interface) -> str:
    """A date in the page's language, isolated from the text around it."""
    return f'<time datetime="{moment.isoformat()}" dir="auto">{escape(t.date(moment))}</time>'


# A chain-link icon, drawn by the stylesheet (forum.css, .forum-icon): once per site, not per post.
_LINK_ICON = '<span class="forum-icon" aria-hidden="true"></span>'


def post_actions(forum: Forum, post: Post, t: Interface, reply_link: bool = True) -> str:
    """The post's own address (a link icon, copied on click by forum.js) and its Reply link
    to the very comment on GitHub (the opening post's: the discussion)."""
    anchor = f"post-{escape(post.id)}"
    who = author(forum, post, t)
    link = (
        f'<a class="forum-post__permalink" href="#{anchor}" aria-label="{escape(t("post_link"))}"'
        f' title="{escape(t("post_link"))}" data-copied="{escape(t("link_copied"))}">{_LINK_ICON}</a>'
    )
    address = outside_link(post.url) if reply_link else None
    if address:
        label = escape(t("reply_to_post", author=who.name))
        link += (
            f' <a class="forum-post__reply" href="{escape(address)}" aria-label="{label}">'
            f"{escape(t('reply'))}</a>"
        )
    return f'<span class="forum-post__actions">{link}</span>'


def post_article(
    forum: Forum, post: Post, t: Interface, extra_class: str = "", reply_link: bool = True
) -> str:
    """A post as an <article>: who, when, in which language, its address and Reply link, its
    text and, for a translated post, the original beside it (the original prevails), hidden
    until the reader asks."""
    text = shown(post, t.language)
    edited = ""
    if post.edited:
        on = filled(t, "edited", date=time_html(post.edited, t))
        edited = f' <span class="forum-post__edited">{on}</span>'
    written = escape(t("written_in", language=t.language_name(post.language)))
    classes = f"forum-post {extra_class}".strip()
    return (
        f'<article class="{classes}" id="post-{escape(post.id)}">\n'
        f'<header class="forum-post__meta">{author_line(forum, post, t)} '
        f"{time_html(post.date, t)}{edited} "
        f'<span class="forum-post__language">{written}</span>'
        f"{post_actions(forum, post, t, reply_link)}</header>\n"
        f"{post_notes(post, text, t)}\n"
        f"{_texts(post, text, t)}\n</article>"
    )


def _texts(post: Post, text: Shown, t: Interface) -> str:
    """The text shown and, for a translated post, the other version behind a button: the
    original under a current translation; under an outdated one, the original comes first
    and the translation waits behind the button."""
    if text.translation is None:
        return _body("forum-post__body", text.language, text.body, t)
    original = escape(t.language_name(post.language))
    if text.translation.outdated:
        first = _body("forum-post__body", post.language, post.body, t)
        label, body, language = t("outdated_translation_label"), text.translation.body, t.language
        show, hide = t("show_translation"), t("hide_translation")
    else:
        first = _body("forum-post__body", t.language, text.body, t)
        label, body, language = t("original_label", language=original), post.body, post.language
        show, hide = t("show_original", language=original), t("hide_original")
    target = f"forum-other-{escape(post.id)}"
    button = (
        f'<button type="button" class="forum-post__toggle" aria-expanded="false"'
        f' aria-controls="{target}" data-show="{escape(show)}" data-hide="{escape(hide)}">'
        f"{escape(show)}</button>"
    )
    other = (
        f'<div class="forum-post__other" id="{target}" hidden>'
        f'<p class="forum-post__other-label">{escape(label)}</p>\n'
        f"{_body('forum-post__other-body', language, body, t)}</div>"
    )
    return f"{first}\n{button}\n{other}"


def _body(css_class: str, language: str, body: str, t: Interface) -> str:
    return f'<div class="{css_class}"{lang_attributes(language, t.language)}>\n{render_body(body)}\n</div>'

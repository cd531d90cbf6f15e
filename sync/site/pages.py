"""The forum's pages, built from the content model: home, categories, topics by week, topics,
proposals.

The MkDocs hook asks `Site` which pages exist (cheap: titles and addresses, for every
language, so that the language switch can link a page to its translations) and renders
the HTML of a page only when MkDocs builds it.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from sync.i18n.interface import Interface
from sync.model.dates import week_of
from sync.model.domain import Forum, Proposal, ProposalStatus, Reply, Topic
from sync.site import posts
from sync.site.category_page import category_html, category_inputs, category_page_count
from sync.site.invitations import invitations_html
from sync.site.listing import topic_link
from sync.site.new_marks import SLOT, mark_all_read, new_words, newest_post, posts_attribute, topic_attribute
from sync.site.posts import (
    author,
    excerpt,
    excerpt_note,
    filled,
    isolate,
    lang_attributes,
    post_article,
    shown,
    title_attributes,
    week_html,
)
from sync.site.search import search_html
from sync.site.thread import guest_names, how_to_reply, thread_html
from sync.site.urls import (
    TakingPart,
    category_url,
    guest_url,
    relative,
    topic_slug,
    topic_url,
    weeks_url,
)
from sync.site.weeks import WEEKS_PER_PAGE, weeks_html, weeks_inputs, weeks_page_count

if TYPE_CHECKING:
    from sync.model.register import Invitation
    from sync.stats.figures import Statistics

LATEST_REPLIES = 10
MODERATOR_URL = "statistics/moderator/"  # the statistics' moderator's view, a page of its own
__all__ = [
    "Site",
    "SitePage",
    "category_url",
    "guest_url",
    "relative",
    "topic_slug",
]  # addresses: sync.site.urls


@dataclass(frozen=True)
class SitePage:
    """One generated page in one language."""

    kind: str  # home, category, weeks, topic, guest (a topic's copy for its guests), proposals, …
    key: str  # the category's or topic's id; empty for home and proposals
    number: int  # page number of a paginated category listing, from 1
    language: str
    title: str
    url: str  # language-neutral, e.g. topics/ab12cd34ef56/

    @property
    def src_uri(self) -> str:
        """The page's file name for MkDocs, with static-i18n's language suffix."""
        base = self.url.rstrip("/")
        if self.kind in ("topic", "guest", "proposals"):
            return f"{base}.{self.language}.md"
        return f"{base}/index.{self.language}.md" if base else f"index.{self.language}.md"


_time = posts.time_html


class Site:
    """The pages of a forum, and their HTML on demand."""

    def __init__(
        self,
        forum: Forum,
        topics_per_page: int = 20,
        invitations: Sequence[Invitation] = (),
        guest_topics: frozenset[str] = frozenset(),
        stats_as_of: date | None = None,
        taking_part: TakingPart | None = None,
        today: date | None = None,
        moderator_pages: bool = True,
        weeks_per_page: int = WEEKS_PER_PAGE,
    ) -> None:
        self.forum = forum
        self.per_page = topics_per_page
        self.invitations = invitations  # the register of guests, content/invitations.yml
        self.guest_topics = guest_topics  # topics with a guest admitted: they get a guest copy
        self.stats_as_of = stats_as_of  # the day the statistics count up to; None: today
        self._figures: Statistics | None = None  # computed once, for every language
        self.taking_part = taking_part or TakingPart()
        # The build's day: which week is this week (the statistics' day, else today).
        self.today = today or stats_as_of or date.today()
        self.moderator_pages = moderator_pages  # built only when the moderator's credential opens them
        self.weeks_per_page = weeks_per_page  # weeks listed on one page of the topics by week
        self.newest = newest_post(forum.topics)  # the home page's: where a device's count starts (new_marks)

    def pages(self) -> Iterator[SitePage]:
        """Every generated page, in every forum language."""
        for language in self.forum.languages:
            yield from self.pages_in(language)

    def pages_in(self, language: str) -> Iterator[SitePage]:
        """Every generated page of one language."""
        t = Interface(language)
        default = self.forum.default_language
        yield SitePage("home", "", 1, language, t("home_title"), "")
        for category in self.forum.categories.values():
            name = category.name(language, default)
            count = category_page_count(self.forum, category.id, self.per_page)
            for number in range(1, count + 1):
                title = name if number == 1 else f"{name} — {t('page_of', page=number, pages=count)}"
                yield SitePage(
                    "category", category.id, number, language, title, category_url(category.id, number)
                )
        pages = weeks_page_count(self.forum, self.weeks_per_page)
        for number in range(1, pages + 1):
            title = (
                t("weeks_title")
                if number == 1
                else f"{t('weeks_title')} — {t('page_of', page=number, pages=pages)}"
            )
            yield SitePage("weeks", "", number, language, title, weeks_url(number))
        for topic in self.forum.topics:
            url = topic_url(topic.id)
            yield SitePage("topic", topic.id, 1, language, topic.title_in(language), url)
            if topic.id in self.guest_topics:
                yield SitePage("guest", topic.id, 1, language, topic.title_in(language), guest_url(topic.id))
        yield SitePage("proposals", "", 1, language, t("topic_proposals"), "proposals/")
        yield SitePage("statistics", "", 1, language, t("stats_title"), "statistics/")
        if self.moderator_pages:
            yield SitePage("moderator", "", 1, language, t("stats_moderator"), MODERATOR_URL)
            yield SitePage("invitations", "", 1, language, t("invitations_title"), "invitations/")
        yield SitePage("search", "", 1, language, t("search"), "find/")

    def html(self, page: SitePage) -> str:
        """The HTML of a page, below MkDocs' header and above its footer."""
        t = Interface(page.language)
        if page.kind == "home":
            return self._home(page, t)
        if page.kind == "category":
            number, per_page = page.number, self.per_page
            return category_html(self.forum, page.url, page.title, page.key, number, per_page, t)
        if page.kind == "weeks":
            return weeks_html(self.forum, page.url, page.title, page.number, t, self.weeks_per_page)
        if page.kind in ("topic", "guest"):
            topic = self.forum.topic(page.key)
            assert topic is not None, page
            return self._topic(page, topic, t)
        if page.kind == "search":
            return search_html(page.url, t, self.forum.languages)
        if page.kind in ("statistics", "moderator"):
            from sync.site.statistics import moderator_html, statistics_html  # only these pages need them
            from sync.stats.figures import compute

            if self._figures is None:
                self._figures = compute(self.forum, self.stats_as_of)
            if page.kind == "moderator":
                return moderator_html(self.forum, self._figures, page.url, t)
            link = relative(page.url, MODERATOR_URL) if self.moderator_pages else None
            return statistics_html(self.forum, self._figures, page.url, t, link)
        if page.kind == "invitations":
            return invitations_html(page.title, self.invitations, t, self._invitation_topic(page, t))
        return self._proposals(page, t)

    def listing_inputs(self, page: SitePage) -> tuple[list[str], list[Topic]] | None:
        """For a category's or the weeks' page: what its HTML is made of besides what every
        page shows (its words, and the topics it reads, in order), so that a rebuild tells
        whether it changed without rendering it. None for the other pages: their HTML tells."""
        if page.kind == "category":
            return category_inputs(
                self.forum, page.url, page.title, page.key, page.number, self.per_page, page.language
            )
        if page.kind == "weeks":
            return weeks_inputs(
                self.forum, page.url, page.title, page.number, page.language, self.weeks_per_page
            )
        return None

    # Home ---------------------------------------------------------------------------------

    def _home(self, page: SitePage, t: Interface) -> str:
        parts = [
            f"<h1>{escape(t('home_title'))}</h1>",
            f'<p class="forum-intro">{escape(t("home_intro"))}</p>',
            mark_all_read(t, self.newest),
        ]
        parts.append(self._this_week(page, t))
        parts.append(self._latest_replies(page, t))
        parts.append(self._category_list(page, t))
        parts.append(self._open_proposals(page, t))
        return "\n".join(parts)

    def _this_week(self, page: SitePage, t: Interface) -> str:
        """This week's topic; until the moderator opens it, the latest topic under a heading
        of its own, never a past week's shown as this week's."""
        this_week = week_of(self.today).code
        current = next((topic for topic in self.forum.topics if topic.week == this_week), None)
        if current is not None:
            heading, topic, kind = t("topic_of_the_week"), current, "forum-week"
        elif self.forum.topics:
            heading, topic, kind = t("latest_topic"), self.forum.topics[0], "forum-week forum-week--latest"
        else:
            empty = f"<p>{escape(t('no_topics'))}</p>"
            return f'<section class="forum-week"><h2>{escape(t("topic_of_the_week"))}</h2>{empty}</section>'
        note = "" if current else f'<p class="forum-week__note">{escape(t("no_topic_this_week"))}</p>'
        card = self._topic_card(page, topic, t)
        link = f'<a href="{relative(page.url, weeks_url())}">{escape(t("weeks_link"))}</a>'
        weeks = f'<p class="forum-weeks-link">{link}</p>'
        return f'<section class="{kind}"><h2>{escape(heading)}</h2>{note}{card}{weeks}</section>'

    def _topic_card(self, page: SitePage, topic: Topic, t: Interface) -> str:
        text = shown(topic, t.language)
        category = self._category_name(topic.category, t)
        week, count = filled(t, "week", week=week_html(topic.week)), len(topic.replies)
        facts = " · ".join([week, isolate(escape(category)), escape(t("reply_count", count=count))])
        return (
            f'<article class="forum-card"{topic_attribute(topic)}>'
            f"<h3>{self._topic_link(page, topic, t)}{SLOT}</h3>\n"
            f'<p class="forum-card__facts">{facts}</p>\n{excerpt_note(topic, text, t)}'
            f'<p class="forum-card__excerpt"{lang_attributes(text.language, t.language)}>'
            f"{excerpt(text.body)}</p></article>"
        )

    @functools.cached_property
    def _newest_replies(self) -> list[tuple[Reply, Topic]]:
        """The latest replies and their topics, found once for every language's home page
        (a look at every reply of the archive)."""
        pairs = ((reply, topic) for topic in self.forum.topics for reply in topic.replies)
        return heapq.nlargest(LATEST_REPLIES, pairs, key=lambda pair: (pair[0].date, pair[0].id))

    def _latest_replies(self, page: SitePage, t: Interface) -> str:
        items = []
        for reply, topic in self._newest_replies:
            text = shown(reply, t.language)
            items.append(
                f"<li{posts_attribute([reply])}>{self._topic_link(page, topic, t, anchor=reply.id)}{SLOT}"
                f' <span class="forum-latest__meta">{self._who(reply, t)} · {_time(reply.date, t)}</span>'
                f"{excerpt_note(reply, text, t)}"
                f"<p{lang_attributes(text.language, t.language)}>{excerpt(text.body)}</p></li>"
            )
        body = (
            f'<ul class="forum-latest">{"".join(items)}</ul>'
            if items
            else f"<p>{escape(t('no_replies'))}</p>"
        )
        return (
            f'<section class="forum-latest-replies"><h2>{escape(t("latest_replies"))}</h2>\n{body}</section>'
        )

    def _category_list(self, page: SitePage, t: Interface) -> str:
        items = []
        for category in self.forum.categories.values():
            count = len(self.forum.topics_in(category.id))
            name = escape(category.name(t.language, self.forum.default_language))
            description = escape(category.description(t.language, self.forum.default_language))
            items.append(
                f'<li><a href="{relative(page.url, category_url(category.id))}" dir="auto">{name}</a>'
                f' <span class="forum-count">({escape(t("topic_count", count=count))})</span>'
                f'<br><span class="forum-description" dir="auto">{description}</span></li>'
            )
        heading = escape(t("categories"))
        return f'<section class="forum-categories"><h2>{heading}</h2><ul>{"".join(items)}</ul></section>'

    def _open_proposals(self, page: SitePage, t: Interface) -> str:
        waiting = [p for p in self.forum.proposals if p.status is ProposalStatus.OPEN]
        link = relative(page.url, "proposals/")
        items = [
            f'<li><a href="{link}#post-{escape(p.id)}"{title_attributes(p, t)}>'
            f"{escape(p.title_in(t.language))}</a>"
            f' <span class="forum-latest__meta">{self._who(p, t)} · {_time(p.date, t)}</span></li>'
            for p in waiting
        ]
        body = f"<ul>{''.join(items)}</ul>" if items else f"<p>{escape(t('no_open_proposals'))}</p>"
        heading = f'<a href="{link}">{escape(t("topic_proposals"))}</a>'
        return f'<section class="forum-proposals"><h2>{heading}</h2>{body}</section>'

    # Topics -------------------------------------------------------------------------------

    def _topic(self, page: SitePage, topic: Topic, t: Interface) -> str:
        category_url_here = relative(page.url, category_url(topic.category))
        name = escape(self._category_name(topic.category, t))
        category_link = f'<a href="{category_url_here}" dir="auto">{name}</a>'
        if page.kind == "guest":  # a guest opens no category page: its name, no link
            category_link = isolate(name)
        facts = [
            filled(t, "in_category", category=category_link),
            filled(t, "week", week=week_html(topic.week)),
        ]
        if topic.proposed_by:
            state = isolate(escape(t.member_state(topic.proposed_by)))
            facts.append(filled(t, "proposed_by", member_state=state))
        guest = page.kind == "guest"  # guests take part from a room of their own, not here
        parts = [
            f"<h1{title_attributes(topic, t)}>{escape(page.title)}</h1>",
            f'<p class="forum-topic__facts">{" · ".join(facts)}</p>',
            new_words(t, topic=topic),
            post_article(self.forum, topic, t, "forum-post--opening", reply_link=not guest),
            f'<section class="forum-replies" aria-labelledby="forum-replies-heading">'
            f'<h2 id="forum-replies-heading">{escape(t("replies_heading", count=len(topic.replies)))}</h2>',
        ]
        if topic.replies:
            parts.append(thread_html(self.forum, topic.replies, t, reply_links=not guest))
        else:
            parts.append(f'<p class="forum-no-replies">{escape(t("no_replies"))}</p>')
        parts.append("</section>")
        if guest:
            parts.append(guest_names(self.forum, topic))
        else:
            parts.append(how_to_reply(self.forum, topic, t))
        return "\n".join(parts)

    # Proposals ----------------------------------------------------------------------------

    def _proposals(self, page: SitePage, t: Interface) -> str:
        parts = [f"<h1>{escape(page.title)}</h1>"]
        if link := self.taking_part.new_proposal_url():
            parts.append(
                f'<p class="forum-propose"><a class="md-button md-button--primary" href="{escape(link)}">'
                f"{escape(t('propose_topic'))}</a> {escape(t('propose_howto'))}</p>"
            )
        waiting = [p for p in self.forum.proposals if p.status is ProposalStatus.OPEN]
        decided = [p for p in self.forum.proposals if p.status is not ProposalStatus.OPEN]
        parts.append(f"<h2>{escape(t('open_proposals'))}</h2>")
        parts.append(
            "\n".join(self._proposal(p, t) for p in waiting) or f"<p>{escape(t('no_open_proposals'))}</p>"
        )
        if decided:
            parts.append(f"<h2>{escape(t('decided_proposals'))}</h2>")
            parts.extend(self._proposal(p, t) for p in decided)
        return "\n".join(parts)

    def _proposal(self, proposal: Proposal, t: Interface) -> str:
        status = escape(t(f"status_{proposal.status.value}"))
        return (
            f'<section class="forum-proposal forum-proposal--{proposal.status.value}">'
            f"<h3{title_attributes(proposal, t)}>{escape(proposal.title_in(t.language))}</h3>"
            f'<p class="forum-proposal__status">{status}</p>\n'
            f"{post_article(self.forum, proposal, t)}</section>"
        )

    def _invitation_topic(self, page: SitePage, t: Interface) -> Callable[[str], str]:
        """The register's topic cell: a link to the topic, or its id if it is gone."""

        def cell(topic_id: str) -> str:
            topic = self.forum.topic(topic_id)
            return self._topic_link(page, topic, t) if topic else escape(topic_id)

        return cell

    # Small pieces -------------------------------------------------------------------------

    def _topic_link(self, page: SitePage, topic: Topic, t: Interface, anchor: str | None = None) -> str:
        """A link to a topic (or to one of its posts) titled in the reader's language."""
        return topic_link(page.url, topic, t, anchor)

    def _category_name(self, category_id: str, t: Interface) -> str:
        return self.forum.categories[category_id].name(t.language, self.forum.default_language)

    def _who(self, post: Proposal | Reply, t: Interface) -> str:
        who = author(self.forum, post, t)
        name = isolate(escape(who.name))
        return t.listing([isolate(escape(who.member_state)), name]) if who.member_state else name

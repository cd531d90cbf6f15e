"""All topics by week, newest first, as a reader browses an archive: a number of weeks a page
(weeks without a topic are left out), each topic with its category, its replies and what is
new in it since the reader's last visit (sync.site.new_marks)."""

from __future__ import annotations

from html import escape
from itertools import groupby

from sync.i18n.interface import Interface
from sync.model.dates import parse_week
from sync.model.domain import Forum, Topic
from sync.site.listing import pagination, topic_link
from sync.site.new_marks import SLOT, mark_all_read, newest_post, topic_attribute
from sync.site.once import per_object
from sync.site.posts import filled, time_html, week_html
from sync.site.urls import category_url, relative, weeks_url

WEEKS_PER_PAGE = 20


@per_object  # every page of the topics by week, in every language, and their fingerprints
def topic_weeks(forum: Forum) -> list[tuple[str, list[Topic]]]:
    """The weeks that have a topic, newest first, each with its topics (ISO weeks such as
    2026-W48 sort as text in the order of time)."""
    ordered = sorted(forum.topics, key=lambda topic: topic.week, reverse=True)
    return [(week, list(topics)) for week, topics in groupby(ordered, key=lambda topic: topic.week)]


def weeks_page_count(forum: Forum, per_page: int = WEEKS_PER_PAGE) -> int:
    """How many pages the weeks take (one when there is no topic yet)."""
    return max(1, -(-len(topic_weeks(forum)) // per_page))


def _shown(forum: Forum, number: int, per_page: int) -> list[tuple[str, list[Topic]]]:
    """The weeks page `number` shows, with their topics."""
    return topic_weeks(forum)[(number - 1) * per_page : number * per_page]


def weeks_html(forum: Forum, url: str, title: str, number: int, t: Interface, per_page: int) -> str:
    """Page `number` of the topics by week."""
    parts = [f"<h1>{escape(title)}</h1>"]
    if not topic_weeks(forum):
        parts.append(f"<p>{escape(t('no_topics'))}</p>")
        return "\n".join(parts)
    parts.append(f'<p class="forum-intro">{escape(t("weeks_intro"))}</p>')
    shown = _shown(forum, number, per_page)
    parts.append(mark_all_read(t, newest_post(topic for _, topics in shown for topic in topics)))
    for week, topics in shown:
        parts.append(_week(forum, url, week, topics, t))
    pages = weeks_page_count(forum, per_page)
    parts.append(pagination(url, number, pages, weeks_url, t, ("newer_weeks", "older_weeks"), numbers=True))
    return "\n".join(parts)


def weeks_inputs(
    forum: Forum, url: str, title: str, number: int, language: str, per_page: int
) -> tuple[list[str], list[Topic]]:
    """What `weeks_html` makes page `number` of: its words, how many weeks there are (they
    page it), its weeks with their number of topics, and those topics, in order. With the
    forum's categories and languages, which every page shows, nothing else."""
    shown = _shown(forum, number, per_page)
    words = [url, title, str(number), str(per_page), language, str(len(topic_weeks(forum)))]
    words += [f"{week} {len(topics)}" for week, topics in shown]
    return words, [topic for _, topics in shown for topic in topics]


def _week(forum: Forum, url: str, week: str, topics: list[Topic], t: Interface) -> str:
    heading_id = f"forum-week-{escape(week)}"
    heading = filled(t, "week", week=week_html(week))
    try:
        starts = filled(t, "week_starts", date=time_html(parse_week(week).start, t))
    except ValueError:  # the model checks weeks; a listing never fails on one
        starts = ""
    items = "".join(_topic(forum, url, topic, t) for topic in topics)
    return (
        f'<section class="forum-weeks__week" aria-labelledby="{heading_id}">'
        f'<h2 id="{heading_id}">{heading}</h2>'
        f'<p class="forum-weeks__starts">{starts}</p>'
        f'<ul class="forum-weeks__topics">{items}</ul></section>'
    )


def _topic(forum: Forum, url: str, topic: Topic, t: Interface) -> str:
    category = forum.categories[topic.category].name(t.language, forum.default_language)
    category_link = (
        f'<a href="{relative(url, category_url(topic.category))}" dir="auto">{escape(category)}</a>'
    )
    facts = " · ".join([category_link, escape(t("reply_count", count=len(topic.replies)))])
    return (
        f'<li class="forum-weeks__topic"{topic_attribute(topic)}>'
        f'<span class="forum-weeks__title">{topic_link(url, topic, t)}{SLOT}</span>'
        f' <span class="forum-weeks__facts">{facts}</span></li>'
    )

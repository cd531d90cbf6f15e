"""The statistics page: each figure as a chart with its text alternative, and the table of
its figures beneath, in the reader's language; then the moderator's view.

The tables are `sync.stats.report`'s, the same that `forum stats` prints and writes as CSV; each
number cell also carries its CSV value (`data-value`), so that a figure on the page can be
checked against the CSV files.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape

from babel.dates import format_skeleton

from sync.i18n.interface import Interface
from sync.model.domain import Forum, Proposal, Topic
from sync.site.posts import lang_attributes
from sync.site.urls import relative, topic_url
from sync.stats import charts
from sync.stats.figures import Statistics
from sync.stats.report import (
    Cell,
    Label,
    Share,
    Table,
    csv_cells,
    display,
    moderator_tables,
    region_label,
    tables,
)


def statistics_html(
    forum: Forum, stats: Statistics, page_url: str, t: Interface, moderator_link: str | None = None
) -> str:
    """The statistics page's HTML in `t`'s language, from figures computed once per build; the
    moderator's view is a page of its own (`moderator_html`), which only WIPO's credential opens."""
    all_tables = tables(forum, stats, t)
    moderator = {table.name for table in moderator_tables(forum, stats, t)}
    drawn = _charts(stats, forum, t)
    parts = [
        f"<h1>{escape(t('stats_title'))}</h1>",
        f'<div class="forum-stats" data-as-of="{stats.as_of.isoformat()}">',
        f'<p class="forum-intro">{escape(t("stats_intro", date=t.date(stats.as_of)))}</p>',
    ]
    for table in all_tables:
        if table.name in moderator:
            continue
        parts.append(_section(table, drawn.get(table.name), forum, page_url, t, level=2))
        if table.name == "posts_by_region":
            parts.append(f'<p class="forum-description">{escape(t("stats_regions_note"))}</p>')
    if moderator_link:
        link = f'<a href="{moderator_link}">{escape(t("stats_moderator"))}</a>'
        parts.append(f'<p class="forum-stats__moderator-link">{link} ({escape(t("moderator_only"))})</p>')
    parts.append("</div>")
    return "\n".join(parts)


def moderator_html(forum: Forum, stats: Statistics, page_url: str, t: Interface) -> str:
    """The moderator's view: member states silent for weeks, topics and proposals waiting."""
    parts = [
        f"<h1>{escape(t('stats_moderator'))}</h1>",
        f'<div class="forum-stats forum-stats__moderator" data-as-of="{stats.as_of.isoformat()}">',
        f'<p class="forum-intro">{escape(t("stats_intro", date=t.date(stats.as_of)))}</p>',
    ]
    parts += [
        _section(table, None, forum, page_url, t, level=2) for table in moderator_tables(forum, stats, t)
    ]
    parts.append(
        f'<p><a href="{relative(page_url, "invitations/")}">{escape(t("invitations_title"))}</a></p>'
    )
    parts.append("</div>")
    return "\n".join(parts)


def _charts(stats: Statistics, forum: Forum, t: Interface) -> dict[str, tuple[str, str]]:
    """The charts of the figures that have one, with their text alternative, by table name."""
    drawn: dict[str, tuple[str, str]] = {}
    if stats.weeks:
        alternative = t("stats_chart_weekly", title=t("stats_weekly"))
        svg = charts.weekly_chart(
            "weekly",
            [format_skeleton("MMMd", week.monday, locale=t.locale) for week in stats.weeks],
            [week.posts for week in stats.weeks],
            [week.member_states for week in stats.weeks],
            (t("stats_posts"), t("stats_active_member_states")),
            alternative,
            t,
        )
        drawn["weekly_activity"] = (svg, alternative)
    if stats.posts:
        languages = [t.language_name(count.language) for count in stats.languages]
        drawn["posts_by_language"] = _bars(
            "languages", languages, [c.posts for c in stats.languages], "stats_by_language", t
        )
        default = forum.default_language
        names = [forum.categories[c.category].name(t.language, default) for c in stats.categories]
        drawn["posts_by_category"] = _bars(
            "categories", names, [c.posts for c in stats.categories], "stats_by_category", t
        )
        regions = [region_label(r.region, t).name for r in stats.regions]
        posts = [r.posts for r in stats.regions]
        drawn["posts_by_region"] = _bars("regions", regions, posts, "stats_by_region", t)
        coverage = [t.language_name(c.language) for c in stats.coverage]
        alternative = t("stats_chart_bars", title=t("stats_translations"))
        shares = [c.share for c in stats.coverage]
        svg = charts.bar_chart(
            "translations", coverage, shares, t("stats_share_translated"), alternative, t, percent=True
        )
        drawn["translation_coverage"] = (svg, alternative)
    return drawn


def _bars(name: str, labels: list[str], values: list[int], title_key: str, t: Interface) -> tuple[str, str]:
    """Posts as bars, with the chart's text alternative."""
    alternative = t("stats_chart_bars", title=t(title_key))
    floats = [float(v) for v in values]
    return charts.bar_chart(name, labels, floats, t("stats_posts"), alternative, t), alternative


def _section(
    table: Table, chart: tuple[str, str] | None, forum: Forum, page_url: str, t: Interface, level: int
) -> str:
    """A figure: its heading, its chart in a <figure> with the alternative as caption, its table."""
    heading_id = f"stats-{table.name}"
    parts = [
        f'<section class="forum-stats__figure" id="{table.name}" aria-labelledby="{heading_id}">',
        f'<h{level} id="{heading_id}">{escape(table.title)}</h{level}>',
    ]
    if chart:
        svg, alternative = chart
        parts.append(
            f'<figure class="forum-stats__chart">{svg}<figcaption>{escape(alternative)}</figcaption></figure>'
        )
    parts.append(_table_html(table, forum, page_url, t, heading_id))
    parts.append("</section>")
    return "\n".join(parts)


def _table_html(table: Table, forum: Forum, page_url: str, t: Interface, heading_id: str) -> str:
    if not table.rows:
        return f'<p class="forum-stats__none">{escape(t("stats_none"))}</p>'
    head = "".join(f'<th scope="col">{escape(column.heading)}</th>' for column in table.columns)
    rows = []
    for row in table.rows:
        cells = []
        for index, cell in enumerate(row):
            tag = "th" if index == 0 else "td"
            scope = ' scope="row"' if index == 0 else ""
            content = _cell_html(cell, forum, page_url, t)
            cells.append(f"<{tag}{scope}{_cell_attributes(cell)}>{content}</{tag}>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        # No class: Material styles only tables without one.
        f'<table data-figure="{table.name}" aria-labelledby="{heading_id}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _cell_attributes(cell: Cell) -> str:
    """Numbers aligned to the end of the cell (Material's table style would override a class),
    with their CSV value for checking."""
    if not isinstance(cell, int | Share | timedelta):
        return ""
    return f' class="forum-number" style="text-align: end" data-value="{escape(csv_cells(cell)[0])}"'


def _cell_html(cell: Cell, forum: Forum, page_url: str, t: Interface) -> str:
    """A cell's text; a topic or a proposal links to it, its title marked with its language
    where no translator gave one."""
    text = escape(display(cell, t))
    if isinstance(cell, str):
        return f"<bdi>{text}</bdi>"  # 2026-W40 stays 2026-W40 on a right-to-left page
    if not isinstance(cell, Label):
        return text
    topic = forum.topic(cell.code)
    proposal = next((p for p in forum.proposals if p.id == cell.code), None)
    if topic is not None:
        post: Topic | Proposal = topic
        href = relative(page_url, topic_url(topic.id))
    elif proposal is not None:
        post = proposal
        href = f"{relative(page_url, 'proposals/')}#post-{escape(proposal.id)}"
    else:
        return text
    translated = post.translation(t.language)
    original = post.language == t.language or bool(translated and translated.title)
    lang = "" if original else lang_attributes(post.language, t.language)
    return f'<a href="{href}"{lang}>{text}</a>'

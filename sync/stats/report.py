"""The usage statistics laid out as tables: one layout for the terminal, the CSV files and
the statistics page, so that the three always show the same figures.

A table's cells keep their type (a count, a share, a duration, a date, a named code) until
they are written out: the page writes them as the reader's language does (« 83 % »,
« 5,3 h »), the CSV files as a spreadsheet reads them (0.8333, 5.30, 2026-10-05).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sync.i18n.interface import Interface
from sync.model.domain import Forum
from sync.stats.figures import Participation, Statistics, TopicResponse


@dataclass(frozen=True)
class Label:
    """A thing known by a code (a language, a category, a topic…) and named for readers."""

    code: str
    name: str


@dataclass(frozen=True)
class Share:
    """A part of a whole, shown as a percentage."""

    part: int
    whole: int

    @property
    def value(self) -> float:
        """From 0 to 1; 0 when the whole is empty."""
        return self.part / self.whole if self.whole else 0.0


Cell = str | int | date | datetime | timedelta | Label | Share | None


@dataclass(frozen=True)
class Column:
    """A column: its CSV header, and its heading in the reader's language."""

    key: str
    heading: str


@dataclass(frozen=True)
class Table:
    """One figure as rows of cells: `name` is its CSV file's name and its page anchor."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]


def tables(forum: Forum, stats: Statistics, t: Interface) -> list[Table]:
    """Every figure of `stats` as a table, headed and named in `t`'s language."""
    return [
        _summary(stats, t),
        Table(
            "weekly_activity",
            t("stats_weekly"),
            _columns(
                t,
                week="week_column",
                week_start="stats_week_start",
                posts="stats_posts",
                member_states="stats_active_member_states",
            ),
            [[w.week, w.monday, w.posts, w.member_states] for w in stats.weeks],
        ),
        Table(
            "posts_by_language",
            t("stats_by_language"),
            _columns(t, language="stats_language", posts="stats_posts", share="stats_share"),
            [
                [Label(c.language, t.language_name(c.language)), c.posts, Share(c.posts, stats.posts)]
                for c in stats.languages
            ],
        ),
        Table(
            "posts_by_category",
            t("stats_by_category"),
            _columns(t, category="stats_category", topics="topics", posts="stats_posts"),
            [[_category(forum, c.category, t), c.topics, c.posts] for c in stats.categories],
        ),
        Table(
            "posts_by_region",
            t("stats_by_region"),
            _columns(t, region="stats_region", member_states="stats_roster")
            + _columns(t, took_part="stats_took_part", posts="stats_posts"),
            [[region_label(r.region, t), r.member_states, r.took_part, r.posts] for r in stats.regions],
        ),
        Table(
            "no_reply_within_7_days",
            t("stats_no_reply_7_days"),
            _columns(
                t, topic="topic", week="week_column", opened="stats_opened", first_reply="stats_first_reply"
            ),
            [_late_topic(forum, r, t) for r in stats.unanswered_after_7_days()],
        ),
        Table(
            "guests",
            t("stats_guests"),
            _columns(t, guest="stats_guest", organization="stats_organization", invited_to="stats_invited_to")
            + _columns(t, requested_by="stats_requested_by", posts="stats_posts", topics="topics"),
            [
                [
                    Label(g.login, g.name),
                    g.organization,
                    _topic(forum, g.topic, t) if g.topic else None,
                    Label(g.requested_by, t.member_state(g.requested_by)) if g.requested_by else None,
                    g.posts,
                    g.topics,
                ]
                for g in stats.guests
            ],
        ),
        Table(
            "translation_coverage",
            t("stats_translations"),
            _columns(t, language="stats_language", posts="stats_posts_to_translate")
            + _columns(t, translated="stats_translated", outdated="stats_outdated", share="stats_share"),
            [
                [
                    Label(c.language, t.language_name(c.language)),
                    c.posts,
                    c.translated,
                    c.outdated,
                    Share(c.translated, c.posts),
                ]
                for c in stats.coverage
            ],
        ),
        *moderator_tables(forum, stats, t),
    ]


def moderator_tables(forum: Forum, stats: Statistics, t: Interface) -> list[Table]:
    """The moderator's view: what waits for a reply, a post or a decision."""
    week_of = {topic.id: topic.week for topic in forum.topics}
    proposals = {p.id: p for p in forum.proposals}
    return [
        Table(
            "topics_waiting",
            t("stats_topics_waiting"),
            _columns(t, topic="topic", week="week_column", opened="stats_opened", days="stats_days_waiting"),
            [[_topic(forum, w.id, t), week_of[w.id], w.since, w.days] for w in stats.topics_waiting],
        ),
        Table(
            "silent_member_states",
            t("stats_silent", weeks=12),
            _columns(t, member_state="stats_member_state", last_post="stats_last_post"),
            [[Label(s.member_state, t.member_state(s.member_state)), s.last_post] for s in stats.silent],
        ),
        Table(
            "proposals_waiting",
            t("stats_proposals_waiting"),
            _columns(t, proposal="stats_proposal", member_state="stats_member_state")
            + _columns(t, proposed_on="stats_proposed_on", days="stats_days_waiting"),
            [
                [
                    Label(w.id, proposals[w.id].title_in(t.language)),
                    _member_state(proposals[w.id].member_state, t),
                    w.since,
                    w.days,
                ]
                for w in stats.proposals_waiting
            ],
        ),
    ]


def _summary(stats: Statistics, t: Interface) -> Table:
    """The key figures, one a row."""
    recent_since = t.date(stats.recent.since) if stats.recent.since else ""
    due = stats.due()
    figures: list[tuple[str, str, Cell]] = [
        ("posts", t("stats_posts"), stats.posts),
        ("topics", t("topics"), stats.topics),
        ("replies", t("replies"), stats.replies),
        ("member_states_on_roster", t("stats_roster"), stats.overall.roster),
        ("member_states_took_part", t("stats_took_part"), stats.overall.took_part),
        ("member_states_took_part_share", t("stats_share_of_roster"), _share(stats.overall)),
        ("member_states_12_weeks", t("stats_took_part_recent", date=recent_since), stats.recent.took_part),
        ("member_states_12_weeks_share", t("stats_share_of_roster"), _share(stats.recent)),
        ("topics_answered", t("stats_topics_answered"), stats.answered),
        ("first_reply_median", t("stats_first_reply_median"), stats.first_reply_median),
        ("topics_7_days_old", t("stats_topics_due"), len(due)),
        ("no_reply_within_7_days", t("stats_no_reply_7_days"), len(stats.unanswered_after_7_days())),
        ("guest_posts", t("stats_guest_posts"), stats.guest_posts),
    ]
    rows: list[list[Cell]] = [[Label(key, name), value] for key, name, value in figures]
    return Table("summary", t("stats_summary"), _columns(t, figure="stats_figure", value="stats_value"), rows)


def _columns(t: Interface, **headings: str) -> list[Column]:
    return [Column(key, t(string)) for key, string in headings.items()]


def _share(participation: Participation) -> Share:
    return Share(participation.took_part, participation.roster)


def _topic(forum: Forum, topic_id: str, t: Interface) -> Label:
    topic = forum.topic(topic_id)
    return Label(topic_id, topic.title_in(t.language) if topic else topic_id)


def _category(forum: Forum, category_id: str, t: Interface) -> Label:
    name = forum.categories[category_id].name(t.language, forum.default_language)
    return Label(category_id, name)


def _member_state(code: str | None, t: Interface) -> Label | None:
    return Label(code, t.member_state(code)) if code else None


def region_label(region: str | None, t: Interface) -> Label:
    """A UN M49 region by its code, named by CLDR in the reader's language."""
    return Label(region, t.member_state(region)) if region else Label("", t("stats_no_region"))


def _late_topic(forum: Forum, response: TopicResponse, t: Interface) -> list[Cell]:
    topic = forum.topic(response.topic)
    week = topic.week if topic else ""
    return [_topic(forum, response.topic, t), week, response.opened, response.first_reply]


# Writing cells out ----------------------------------------------------------------------


def display(cell: Cell, t: Interface) -> str:
    """A cell as the reader's language writes it."""
    if cell is None:
        return "—"
    if isinstance(cell, Label):
        return cell.name
    if isinstance(cell, Share):
        return t.percent(cell.value)
    if isinstance(cell, timedelta):
        return t.hours(round(hours(cell), 1))
    if isinstance(cell, datetime | date):
        return t.date(cell)
    if isinstance(cell, int):
        return t.number(cell)
    return cell


def hours(duration: timedelta) -> float:
    """A duration in hours."""
    return duration.total_seconds() / 3600


def csv_cells(cell: Cell) -> list[str]:
    """A cell as CSV values: a named code gives its code and its name."""
    if cell is None:
        return [""]
    if isinstance(cell, Label):
        return [cell.code, cell.name]
    if isinstance(cell, Share):
        return [f"{cell.value:.4f}"]
    if isinstance(cell, timedelta):
        return [f"{hours(cell):.2f}"]
    if isinstance(cell, datetime | date):
        return [cell.isoformat()]
    return [str(cell)]


def csv_header(table: Table) -> list[str]:
    """A table's CSV header: a column of named codes gives `key` and `key_name`."""
    header = []
    for index, column in enumerate(table.columns):
        named = any(isinstance(row[index], Label) for row in table.rows)
        header += [column.key, f"{column.key}_name"] if named else [column.key]
    return header


def write_csv(table_list: list[Table], folder: Path) -> list[Path]:
    """Write each table as `<name>.csv` in `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in table_list:
        path = folder / f"{table.name}.csv"
        named = [any(isinstance(row[i], Label) for row in table.rows) for i in range(len(table.columns))]
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(csv_header(table))
            for row in table.rows:
                cells: list[str] = []
                for cell, is_named in zip(row, named, strict=True):
                    values = csv_cells(cell)
                    cells += values + [""] * (2 - len(values)) if is_named else values
                writer.writerow(cells)
        written.append(path)
    return written


def text_table(table: Table, t: Interface) -> str:
    """A table for the terminal: its title, then aligned columns, numbers to the right."""
    headings = [column.heading for column in table.columns]
    rows = [[display(cell, t) for cell in row] for row in table.rows]
    widths = [max(len(text) for text in column) for column in zip(headings, *rows, strict=True)]
    numeric = [
        any(row[i] is not None for row in table.rows)
        and all(isinstance(row[i], int | Share | timedelta | None) for row in table.rows)
        for i in range(len(headings))
    ]

    def line(texts: list[str]) -> str:
        cells = [
            text.rjust(width) if right else text.ljust(width)
            for text, width, right in zip(texts, widths, numeric, strict=True)
        ]
        return "  ".join(cells).rstrip()

    if not rows:
        return "\n".join([table.title, "=" * len(table.title), t("stats_none")])
    return "\n".join([table.title, "=" * len(table.title), line(headings), *map(line, rows)])

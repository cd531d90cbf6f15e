"""Usage statistics on a small archive whose every figure is known: the figures themselves,
`forum stats` in the terminal and as CSV files, and the statistics page in each language."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from archive import Archive
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import BuiltSite, i18n_languages

from sync.cli.main import main
from sync.i18n.interface import Interface
from sync.model.content import load_forum
from sync.model.domain import ProposalStatus
from sync.stats.charts import BAR, bar_chart, weekly_chart
from sync.stats.figures import (
    CategoryCount,
    Coverage,
    GuestPosts,
    LanguageCount,
    RegionCount,
    Silent,
    Statistics,
    TopicResponse,
    Waiting,
    WeekActivity,
    compute,
)
from sync.stats.regions import continent

AS_OF = date(2026, 10, 22)  # a Thursday of ISO week 2026-W43
LANGUAGES = ("en", "fr", "es")


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def known(archive: Archive) -> Archive:
    """Five topics over sixteen weeks; the roster has BR, FR, KE, MX and a guest.

    Day numbers count from 1 October 2026 (day -90 is 2 July). Posts dated after AS_OF
    are there to be left out.
    """
    early = archive.topic("D_t0", "Early days", "2026-W27", -90, category="general")
    archive.reply(early, "DC_0", "ke-joy", "KE", -89, "Hello from Nairobi.")  # KE's only post
    training = archive.topic("D_t1", "Training of trainers", "2026-W40", 1)
    archive.translate(training, "fr", "Former les formateurs ?", title="Former les formateurs")
    archive.translate(training, "es", "¿Formar a los formadores?", title="Formar a los formadores")
    first = archive.reply(
        training, "DC_1", "mx-eva", "MX", 1, "Un programa regional.", language="es", hour=15
    )
    archive.translate(first, "en", "A regional programme.")
    archive.reply(training, "DC_2", "fr-luc", "FR", 2, "Des tuteurs.", language="fr")
    archive.reply(training, "DC_3", "uni-guest", None, 3, "Universities can help.", parent="DC_1")
    archive.reply(training, "DC_4", "wipo-mod", None, 3, "Thank you all.", hour=12)
    archive.reply(training, "DC_7", "ke-joy", "KE", 25, "Late, after the day counted.")
    registers = archive.topic(
        "D_t2", "Registres numériques", "2026-W41", 5, category="office-modernization", language="fr"
    )
    archive.translate(registers, "en", "Digital registers?", title="Digital registers")
    late = archive.reply(registers, "DC_5", "br-ana", "BR", 14, "Nueve días después.", language="es")
    archive.translate(late, "fr", "Neuf jours après.", outdated=True)
    laws = archive.topic("D_t3", "Patent law flexibilities", "2026-W42", 12, category="legislative-advice")
    archive.reply(laws, "DC_6", "wipo-mod", None, 13, "Anyone?")  # the moderator answering themself
    archive.topic("D_t4", "Train the trainers, again", "2026-W43", 19)
    archive.proposal("D_p1", "IP clinics", "ke-joy", "KE", 6)
    archive.proposal("D_p2", "Old idea", "br-ana", "BR", 2, status=ProposalStatus.DECLINED)
    archive.proposal("D_p3", "After the day", "mx-eva", "MX", 30)
    return archive


@pytest.fixture
def figures(known: Archive) -> Statistics:
    return compute(load_forum(known.content, LANGUAGES), AS_OF)


def test_posts_and_member_states_per_week_include_quiet_weeks(figures: Statistics) -> None:
    assert (figures.posts, figures.topics, figures.replies) == (12, 5, 7)
    quiet = [
        WeekActivity(f"2026-W{n}", date(2026, 7, 6) + timedelta(weeks=n - 28), 0, 0) for n in range(28, 40)
    ]
    assert figures.weeks == [
        WeekActivity("2026-W27", date(2026, 6, 29), 2, 1),
        *quiet,
        WeekActivity("2026-W40", date(2026, 9, 28), 5, 2),
        WeekActivity("2026-W41", date(2026, 10, 5), 1, 0),
        WeekActivity("2026-W42", date(2026, 10, 12), 3, 1),
        WeekActivity("2026-W43", date(2026, 10, 19), 1, 0),
    ]


def test_share_of_the_roster_that_took_part_overall_and_in_the_last_12_weeks(figures: Statistics) -> None:
    assert (figures.overall.roster, figures.overall.took_part, figures.overall.share) == (4, 4, 1.0)
    assert figures.recent.since == date(2026, 7, 31)
    assert (figures.recent.took_part, figures.recent.share) == (3, 0.75)


def test_posts_by_language_category_and_region(figures: Statistics) -> None:
    assert figures.languages == [LanguageCount("en", 8), LanguageCount("fr", 2), LanguageCount("es", 2)]
    assert figures.categories == [
        CategoryCount("ip-strategies", 0, 0),
        CategoryCount("legislative-advice", 1, 2),
        CategoryCount("office-modernization", 1, 2),
        CategoryCount("ip-users", 0, 0),
        CategoryCount("training", 2, 6),
        CategoryCount("technology-transfer", 0, 0),
        CategoryCount("copyright", 0, 0),
        CategoryCount("respect-for-ip", 0, 0),
        CategoryCount("general", 1, 2),
    ]
    assert figures.regions == [
        RegionCount("002", 1, 1, 1),  # Africa: KE
        RegionCount("019", 2, 2, 2),  # Americas: BR, MX
        RegionCount("142", 0, 0, 0),  # Asia
        RegionCount("150", 1, 1, 1),  # Europe: FR
        RegionCount("009", 0, 0, 0),  # Oceania
    ]


def test_time_to_first_reply_and_topics_without_a_reply_after_7_days(figures: Statistics) -> None:
    assert figures.responses == [
        TopicResponse("D_t4", at(10, 19), None),
        TopicResponse("D_t3", at(10, 12), None),  # only the moderator's own reply
        TopicResponse("D_t2", at(10, 5), at(10, 14)),
        TopicResponse("D_t1", at(10, 1), at(10, 1, 15)),
        TopicResponse("D_t0", at(7, 2), at(7, 3)),
    ]
    assert figures.answered == 3
    assert figures.first_reply_median == timedelta(hours=24)  # of 6 h, 24 h and 9 days
    assert [r.topic for r in figures.due()] == ["D_t3", "D_t2", "D_t1", "D_t0"]  # D_t4: 3 days old
    assert [r.topic for r in figures.unanswered_after_7_days()] == ["D_t3", "D_t2"]


def test_guests_participation_and_translation_coverage(figures: Statistics) -> None:
    assert figures.guests == [
        GuestPosts("uni-guest", "Sam Guest", "University Network", "D_t1", "BR", posts=1, topics=1)
    ]
    assert figures.guest_posts == 1
    assert figures.coverage == [
        Coverage("en", posts=4, translated=2, outdated=0),
        Coverage("fr", posts=10, translated=2, outdated=1),
        Coverage("es", posts=10, translated=1, outdated=0),
    ]
    assert [c.share for c in figures.coverage] == [0.5, 0.2, 0.1]


def test_the_moderators_view(figures: Statistics) -> None:
    assert figures.topics_waiting == [Waiting("D_t3", at(10, 12), 10), Waiting("D_t4", at(10, 19), 3)]
    assert figures.silent == [Silent("KE", date(2026, 7, 3))]
    assert figures.proposals_waiting == [Waiting("D_p1", at(10, 6), 16)]  # D_p3 comes later


def test_an_empty_forum_has_figures_too(archive: Archive) -> None:
    empty = compute(load_forum(archive.content, LANGUAGES), AS_OF)

    assert (empty.posts, empty.weeks, empty.first_reply_median) == (0, [], None)
    assert empty.overall.share == 0 and empty.recent.took_part == 0
    assert [s.member_state for s in empty.silent] == ["BR", "FR", "KE", "MX"]
    assert all(s.last_post is None for s in empty.silent)


def test_regions_are_the_un_m49_continents_of_cldr() -> None:
    assert [continent(code) for code in ["KE", "MX", "CA", "JP", "TR", "FR", "RU", "AU", "CV"]] == [
        "002",
        "019",
        "019",
        "142",
        "142",  # Türkiye: Western Asia in M49
        "150",
        "150",
        "009",
        "002",
    ]
    assert continent("ZZ") is None
    assert Interface("es").member_state("009") == "Oceanía"


# forum stats --------------------------------------------------------------------------------

EXPECTED_TABLES = """\
Usage statistics as of 2026-10-22

Key figures
===========
Figure                                                                Value
Posts                                                                    12
Topics                                                                    5
Replies                                                                   7
Member states on the roster                                               4
Member states that took part                                              4
Share of the roster                                                    100%
Member states that posted in the last 12 weeks (since July 31, 2026)      3
Share of the roster                                                     75%
Topics with a reply                                                       3
Median time from a topic's opening to its first reply                 24 hr
Topics opened at least 7 days ago                                         4
Topics with no reply within 7 days                                        2
Posts by guests                                                           1
"""

EXPECTED_END = """\
Posts by language
=================
Language  Posts  Share
English       8    67%
French        2    17%
Spanish       2    17%

Topics and posts by category
============================
Category                                             Topics  Posts
National IP strategies and development plans              0      0
Legislative and policy advice                             1      2
IP office modernization and infrastructure                1      2
Support for IP users (SMEs, universities, creators)       0      0
Training and capacity building                            2      6
Innovation support and technology transfer (TISCs)        0      0
Copyright and collective management                       0      0
Building respect for IP                                   0      0
General discussion                                        1      2

Member states and posts by region
=================================
Region    Member states on the roster  Member states that took part  Posts
Africa                              1                             1      1
Americas                            2                             2      2
Asia                                0                             0      0
Europe                              1                             1      1
Oceania                             0                             0      0

Topics with no reply within 7 days
==================================
Topic                     Week      Opened on         First reply
Patent law flexibilities  2026-W42  October 12, 2026  —
Digital registers         2026-W41  October 5, 2026   October 14, 2026

Guests' participation
=====================
Guest      Organization        Invited to            Requested by  Posts  Topics
Sam Guest  University Network  Training of trainers  Brazil            1       1

Translation coverage
====================
Language  Posts written in another language  Translated  Translation outdated  Share
English                                   4           2                     0    50%
French                                   10           2                     1    20%
Spanish                                  10           1                     0    10%

Topics waiting for a reply
==========================
Topic                      Week      Opened on         Days waiting
Patent law flexibilities   2026-W42  October 12, 2026            10
Train the trainers, again  2026-W43  October 19, 2026             3

Member states that have not posted in 12 weeks
==============================================
Member state  Last post
Kenya         July 3, 2026

Proposals waiting for a decision
================================
Proposal    Member state  Proposed on      Days waiting
IP clinics  Kenya         October 6, 2026            16
"""


def stats_command(known: Archive, *options: str) -> str:
    result = CliRunner().invoke(
        main, ["stats", "--project", str(known.root), "--as-of", AS_OF.isoformat(), *options]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_forum_stats_prints_every_figure_as_a_table(known: Archive) -> None:
    output = stats_command(known)

    assert output.startswith(EXPECTED_TABLES)
    weekly = output.split("Posts and active member states per week\n", 1)[1].split("\n\n")[0]
    assert weekly.splitlines()[1:4] == [
        "Week      Week of             Posts  Member states that posted",
        "2026-W27  June 29, 2026           2                          1",
        "2026-W28  July 6, 2026            0                          0",
    ]
    assert weekly.splitlines()[-1] == "2026-W43  October 19, 2026        1                          0"
    assert len(weekly.splitlines()) == 1 + 1 + 17  # rule, heading, 17 weeks from W27 to W43
    assert output.endswith(EXPECTED_END)


def test_forum_stats_says_when_a_list_is_empty(archive: Archive) -> None:
    output = stats_command(archive)

    assert "Topics waiting for a reply\n==========================\nNothing to show.\n" in output
    assert "Posts                                                                     0" in output


def test_forum_stats_writes_one_csv_file_per_figure(known: Archive, tmp_path: Path) -> None:
    output = stats_command(known, "--csv", str(tmp_path / "report"))

    names = [
        "summary",
        "weekly_activity",
        "posts_by_language",
        "posts_by_category",
        "posts_by_region",
        "no_reply_within_7_days",
        "guests",
        "translation_coverage",
        "topics_waiting",
        "silent_member_states",
        "proposals_waiting",
    ]
    assert output == (
        f"Wrote 11 CSV files into {tmp_path / 'report'}: {', '.join(f'{name}.csv' for name in names)}\n"
    )
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == sorted(f"{n}.csv" for n in names)
    read = {name: read_csv(tmp_path / "report" / f"{name}.csv") for name in names}
    assert read["summary"][0] == ["figure", "figure_name", "value"]
    assert [row[0::2] for row in read["summary"][1:]] == [
        ["posts", "12"],
        ["topics", "5"],
        ["replies", "7"],
        ["member_states_on_roster", "4"],
        ["member_states_took_part", "4"],
        ["member_states_took_part_share", "1.0000"],
        ["member_states_12_weeks", "3"],
        ["member_states_12_weeks_share", "0.7500"],
        ["topics_answered", "3"],
        ["first_reply_median", "24.00"],
        ["topics_7_days_old", "4"],
        ["no_reply_within_7_days", "2"],
        ["guest_posts", "1"],
    ]
    assert read["weekly_activity"][:2] == [
        ["week", "week_start", "posts", "member_states"],
        ["2026-W27", "2026-06-29", "2", "1"],
    ]
    assert read["posts_by_language"] == [
        ["language", "language_name", "posts", "share"],
        ["en", "English", "8", "0.6667"],
        ["fr", "French", "2", "0.1667"],
        ["es", "Spanish", "2", "0.1667"],
    ]
    assert read["posts_by_category"][5] == ["training", "Training and capacity building", "2", "6"]
    assert read["posts_by_region"][1:3] == [
        ["002", "Africa", "1", "1", "1"],
        ["019", "Americas", "2", "2", "2"],
    ]
    assert read["no_reply_within_7_days"] == [
        ["topic", "topic_name", "week", "opened", "first_reply"],
        ["D_t3", "Patent law flexibilities", "2026-W42", "2026-10-12T09:00:00+00:00", ""],
        ["D_t2", "Digital registers", "2026-W41", "2026-10-05T09:00:00+00:00", "2026-10-14T09:00:00+00:00"],
    ]
    assert read["guests"] == [
        [
            *["guest", "guest_name", "organization", "invited_to", "invited_to_name"],
            *["requested_by", "requested_by_name", "posts", "topics"],
        ],
        [
            *["uni-guest", "Sam Guest", "University Network", "D_t1", "Training of trainers"],
            *["BR", "Brazil", "1", "1"],
        ],
    ]
    assert read["translation_coverage"][1:] == [
        ["en", "English", "4", "2", "0", "0.5000"],
        ["fr", "French", "10", "2", "1", "0.2000"],
        ["es", "Spanish", "10", "1", "0", "0.1000"],
    ]
    assert [row[:2] + row[3:] for row in read["topics_waiting"][1:]] == [
        ["D_t3", "Patent law flexibilities", "2026-10-12T09:00:00+00:00", "10"],
        ["D_t4", "Train the trainers, again", "2026-10-19T09:00:00+00:00", "3"],
    ]
    assert read["silent_member_states"] == [
        ["member_state", "member_state_name", "last_post"],
        ["KE", "Kenya", "2026-07-03"],
    ]
    assert read["proposals_waiting"][1] == [
        "D_p1",
        "IP clinics",
        "KE",
        "Kenya",
        "2026-10-06T09:00:00+00:00",
        "16",
    ]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return list(csv.reader(source))


def test_forum_stats_refuses_a_bad_date_in_one_line(known: Archive) -> None:
    result = CliRunner().invoke(main, ["stats", "--project", str(known.root), "--as-of", "22/10/2026"])

    assert result.exit_code == 2
    assert "Invalid value for '--as-of'" in result.output
    assert "Traceback" not in result.output


# The statistics page ------------------------------------------------------------------------


@pytest.fixture
def stats_site(known: Archive, build: Callable[..., BuiltSite]) -> BuiltSite:
    return build(stats_as_of=AS_OF)


def prefix(language: str) -> str:
    return "" if language == "en" else f"{language}/"


CHARTS = [
    "weekly_activity",
    "posts_by_language",
    "posts_by_category",
    "posts_by_region",
    "translation_coverage",
]


@pytest.mark.parametrize(
    ("language", "title", "caption"),
    [
        ("en", "Usage statistics", "Posts by language: bar chart. The figures are in the table below."),
        ("fr", "Statistiques d'utilisation", "Messages par langue : graphique à barres."),
        ("es", "Estadísticas de uso", "Mensajes por idioma: gráfico de barras."),
    ],
)
def test_the_statistics_page_shows_each_chart_with_its_alternative_and_its_table(
    stats_site: BuiltSite, known: Archive, tmp_path: Path, language: str, title: str, caption: str
) -> None:
    page = stats_site.page(f"{prefix(language)}statistics/")

    assert page.html["lang"] == language
    assert page.select_one("article h1").get_text() == title
    assert page.select_one(".forum-stats")["data-as-of"] == "2026-10-22"
    for name in CHARTS:
        section = page.select_one(f"section#{name}")
        svg = section.select_one("figure svg.forum-chart")
        assert svg["role"] == "img"
        assert svg["aria-label"] == svg.title.get_text() == section.figcaption.get_text()
        assert section.select_one("figure + table"), f"{name}: the table of figures beneath the chart"
    assert page.select_one("#posts_by_language figcaption").get_text().startswith(caption)
    words = [text.get_text() for text in page.select("#posts_by_category svg text")]
    assert Interface(language)("stats_posts") in words, (
        "the chart's axis is labelled in the reader's language"
    )
    # Every number on the page is the one in the CSV files of `forum stats --csv`.
    stats_command(known, "--csv", str(tmp_path / "csv"))
    for table in page.select("table[data-figure]"):
        header, *rows = read_csv(tmp_path / "csv" / f"{table['data-figure']}.csv")
        named = {key for key in header if f"{key}_name" in header or key.endswith("_name")}
        expected = [
            [v for key, v in zip(header, row, strict=True) if key not in named and _is_number(v)]
            for row in rows
        ]
        numbers = [
            [cell["data-value"] for cell in row.select("[data-value]")] for row in table.tbody.select("tr")
        ]
        assert numbers == expected, table["data-figure"]


def _is_number(value: str) -> bool:
    return re.fullmatch(r"\d+(\.\d+)?", value) is not None


def test_the_english_statistics_page_matches_forum_stats_cell_for_cell(
    stats_site: BuiltSite, known: Archive
) -> None:
    # The moderator's view is a page of its own, opened by the moderator's credential alone.
    moderator = BuiltSite(stats_site.dir, "WIPO")
    pages = [stats_site.page("statistics/"), moderator.page("statistics/moderator/")]
    printed = {
        block.splitlines()[0]: [re.split(r"\s{2,}", line) for line in block.splitlines()[2:]]
        for block in stats_command(known).split("\n\n")[1:]
    }

    tables = [(page, table) for page in pages for table in page.select("table[data-figure]")]
    assert len(tables) == len(printed) == 11
    for page, table in tables:
        title = page.select_one(f"#{table['aria-labelledby']}").get_text()
        head = [cell.get_text() for cell in table.thead.select("th")]
        rows = [
            [" ".join(cell.get_text().split()) for cell in row.select("th, td")]
            for row in table.tbody.select("tr")
        ]
        assert [head, *rows] == printed[title]


def test_the_statistics_page_speaks_the_readers_language(stats_site: BuiltSite) -> None:
    text = stats_site.text("fr/statistics/")

    assert "Chiffres au 22 octobre 2026" in text
    assert "Délai médian entre l'ouverture d'un sujet et sa première réponse 24 h" in text
    assert "Afrique 1 1 1 Amériques 2 2 2 Asie 0 0 0 Europe 1 1 1 Océanie 0 0 0" in text
    moderator = BuiltSite(stats_site.dir, "WIPO")  # the moderator's view: a page of its own
    text = moderator.text("fr/statistics/moderator/")
    assert "États membres n'ayant rien publié depuis 12 semaines" in text
    assert "Kenya 3 juillet 2026" in text
    spanish = moderator.page("es/statistics/moderator/")
    waiting = spanish.select_one("#topics_waiting tbody a")
    assert waiting.get_text() == "Patent law flexibilities"
    assert waiting["lang"] == "en", "an untranslated title is marked as English"
    assert waiting["href"] == "../../topics/" + waiting["href"].split("/topics/")[1]
    assert stats_site.page("es/statistics/").select_one("#posts_by_language tbody th").get_text() == "inglés"


def test_the_statistics_page_is_in_the_navigation(stats_site: BuiltSite) -> None:
    links = {
        a.get_text(" ", strip=True): a["href"] for a in stats_site.page("fr/").select("nav a.md-nav__link")
    }

    assert links["Statistiques d'utilisation"].endswith("statistics/")


def test_charts_are_the_same_at_every_build_and_their_ids_unique_on_the_page(stats_site: BuiltSite) -> None:
    t = Interface("fr")
    chart = bar_chart("languages", ["anglais", "français"], [8.0, 2.0], "Messages", "Messages par langue", t)

    assert chart == bar_chart(
        "languages", ["anglais", "français"], [8.0, 2.0], "Messages", "Messages par langue", t
    )
    assert "Date" not in chart and "<?xml" not in chart
    ids = [element["id"] for element in stats_site.page("fr/statistics/").select("article [id]")]
    assert len(ids) == len(set(ids))


def test_ten_years_of_weeks_make_one_light_chart_with_every_week_and_its_legend() -> None:
    t = Interface("en")
    monday = date(2016, 1, 4)
    weeks = [(monday + timedelta(weeks=i)).isoformat() for i in range(520)]
    posts = [(i * 7) % 23 for i in range(520)]
    states = [min(p, i % 11) for i, p in enumerate(posts)]

    def draw() -> str:
        legend = ("Posts", "Member states that posted")
        return weekly_chart("weekly", weeks, posts, states, legend, "Posts per week: bar chart.", t)

    chart = draw()
    assert chart == draw(), "the same bytes at every build"
    svg = BeautifulSoup(chart, "html.parser").svg
    assert svg["role"] == "img" and svg["aria-label"] == "Posts per week: bar chart."
    assert svg.title.get_text() == "Posts per week: bar chart."
    words = [text.get_text() for text in svg.select("text")]
    assert {"Posts", "Member states that posted"} <= set(words), "the legend's two entries"
    assert weeks[0] in words and 20 <= len(set(words) & set(weeks)) <= 30, "about two dozen weeks labelled"
    # Every week keeps its bar, and the weeks with posts are drawn, but as one path, not 520.
    assert len(svg.select("path")) < 30 and len(svg.find_all()) < 400
    bars = [path["d"] for path in svg.select("path") if f"fill: {BAR}" in path.get("style", "")]
    assert max(d.count("z") for d in bars) == 520
    assert len(chart) < 100_000


def test_arabic_charts_read_right_to_left(known: Archive, build: Callable[..., BuiltSite]) -> None:
    site = build(
        lambda config: i18n_languages(config).append({"locale": "ar", "name": "العربية", "build": True}),
        stats_as_of=AS_OF,
    )

    page = site.page("ar/statistics/")
    assert page.body["dir"] == "rtl"
    svg = page.select_one("#posts_by_region svg")
    assert "direction: ltr" in svg["style"], "the words are placed already: the chart is not flipped again"
    words = {text.get_text(): text for text in svg.select("text")}
    assert {"أفريقيا", "أوروبا", "المشاركات"} <= set(words)
    # Mirrored: the regions' names stand right of the bars, at the chart's right edge.
    africa, posts_axis = float(words["أفريقيا"]["x"]), float(words["المشاركات"]["x"])
    assert africa > posts_axis
    assert page.select_one("#weekly_activity tbody th bdi").get_text() == "2026-W27"


def test_the_build_counts_statistics_up_to_forum_stats_as_of_and_refuses_a_bad_date(
    known: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORUM_STATS_AS_OF", "22/10/2026")
    result = CliRunner().invoke(main, ["build", "--demo", "--project", str(known.root)])
    assert result.exit_code != 0
    assert "FORUM_STATS_AS_OF: expected a date such as 2026-11-25, got '22/10/2026'" in result.output
    assert not (known.root / "site").exists()

    monkeypatch.setenv("FORUM_STATS_AS_OF", AS_OF.isoformat())
    result = CliRunner().invoke(main, ["build", "--demo", "--project", str(known.root)])
    assert result.exit_code == 0, result.output
    page = BuiltSite(known.root / "site").page("statistics/")
    assert page.select_one(".forum-stats")["data-as-of"] == AS_OF.isoformat()

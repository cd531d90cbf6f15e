"""The statistics' charts as SVG written without a plotting library: hostile labels stay text,
shares have percent ticks, empty and zero figures still make a chart, and in Chromium every word
of the demo's charts stands inside its chart, in French and in Arabic, on a phone and a desktop."""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import fromstring

import pytest
from bs4 import BeautifulSoup
from conftest import BuiltSite, serving
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Browser, expect

from sync.i18n.interface import Interface
from sync.site.protection import demo_password
from sync.stats.charts import BAR, LABEL_WIDTH, bar_chart, weekly_chart

HOSTILE = [
    "</text><script>alert(1)</script>",
    "Tom & Jerry <b>bold</b>",
    "\"double\" and 'single' quotes",
    "]]> <![CDATA[ x",
    "<!-- a comment -->",
]
SVG = "{http://www.w3.org/2000/svg}"


def words(chart: str) -> list[str]:
    """Every <text>'s words as the reader sees them, a wrapped label's lines joined by a space."""
    svg = BeautifulSoup(chart, "html.parser").svg
    return [" ".join(text.stripped_strings) for text in svg.select("text")]


def test_a_hostile_label_is_written_as_text_never_as_markup() -> None:
    t = Interface("en")
    bars = bar_chart("categories", HOSTILE, [1.0] * len(HOSTILE), "<i>Posts</i>", "Alt </title><b>x</b>", t)
    weeks = weekly_chart("weekly", ["<w>", "&"], [1, 2], [1, 1], ("<script>", "a & b"), 'Alt "x"', t)

    for chart in (bars, weeks):
        fromstring(chart)  # well-formed XML, whatever the labels held
        svg = BeautifulSoup(chart, "html.parser").svg
        assert not svg.select("script, b, i, w"), "no element made of a label"
        assert next(child.name for child in svg.find_all(recursive=False)) == "title"
    assert set(HOSTILE) | {"<i>Posts</i>"} <= set(words(bars))
    assert {"<w>", "&", "<script>", "a & b"} <= set(words(weeks))
    svg = BeautifulSoup(bars, "html.parser").svg
    assert svg["aria-label"] == svg.title.get_text() == "Alt </title><b>x</b>"
    assert "<script>" not in bars and "&lt;script&gt;" in bars


@given(st.lists(st.text(max_size=30), max_size=4), st.text(max_size=20))
def test_any_label_comes_out_as_the_words_it_was(labels: list[str], legend: str) -> None:
    t = Interface("fr")
    bars = bar_chart("regions", labels, [2.0] * len(labels), legend, legend, t)
    weeks = weekly_chart("weekly", labels, [1] * len(labels), [0] * len(labels), (legend, "x"), "Alt", t)

    for chart in (bars, weeks):
        root = fromstring(chart)  # well-formed XML, whatever the labels held
        assert {element.tag.removeprefix(SVG) for element in root.iter()} <= {
            "svg",
            "title",
            "style",
            "path",
            "polyline",
            "text",
            "tspan",
        }
    shown = words(bars)
    for label in labels:
        seen = " ".join(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]", "", label).split())
        assert seen in shown or not seen


def test_a_control_character_in_a_label_is_dropped_so_the_svg_stays_xml() -> None:
    chart = bar_chart("regions", ["Africa\x00\x1b\uffff"], [2.0], "Posts", "Alt\x07", Interface("en"))

    fromstring(chart)
    assert "Africa" in words(chart)


def test_shares_have_percent_ticks_and_values_in_the_readers_format() -> None:
    chart = bar_chart(
        "translations", ["anglais", "arabe"], [0.8333, 0.0], "Part", "Alt", Interface("fr"), True
    )

    ticks = {f"{share}\u00a0%" for share in (0, 25, 50, 75, 100)}
    assert set(words(chart)) == {"anglais", "arabe", "Part", "83\u00a0%"} | ticks, (
        "0 to 100 % on the axis, the bar's value as French writes a share"
    )


def test_empty_and_zero_figures_still_make_a_chart() -> None:
    t = Interface("en")
    charts = [
        bar_chart("languages", [], [], "Posts", "Alt", t),
        bar_chart("languages", ["English", "French"], [0.0, 0.0], "Posts", "Alt", t),
        bar_chart("translations", [], [], "Share", "Alt", t, percent=True),
        weekly_chart("weekly", [], [], [], ("Posts", "Member states"), "Alt", t),
        weekly_chart("weekly", ["W1", "W2"], [0, 0], [0, 0], ("Posts", "Member states"), "Alt", t),
        weekly_chart("weekly", ["W1"], [0], [0], ("Posts", "Member states"), "Alt", Interface("ar")),
    ]

    for chart in charts:
        root = fromstring(chart)
        width, height = (float(v) for v in root.get("viewBox").split()[2:])
        assert width > 0 and height > 0
        assert "nan" not in chart.lower() and "inf" not in chart.lower()
    assert {"0", "1"} <= set(words(charts[1])), "an axis from 0 to 1 under bars of nothing"
    bars = [p for p in fromstring(charts[4]).iter(f"{SVG}path") if f"fill: {BAR}" in p.get("style", "")]
    assert bars[0].get("d").count("z") == 2, "a week without posts keeps its (empty) bar"


def test_a_long_label_wraps_in_lines_chinese_too() -> None:
    long = "Strategies nationales de propriete intellectuelle et plans de developpement"
    chinese = "知识产权国家战略和发展计划以及知识产权局的现代化和基础设施建设"
    chart = bar_chart("categories", [long, chinese], [3.0, 4.0], "Posts", "Alt", Interface("zh"))

    svg = BeautifulSoup(chart, "html.parser").svg
    lines = [[tspan.get_text() for tspan in text.select("tspan")] for text in svg.select("text")]
    latin = next(label for label in lines if " ".join(label) == long)
    assert len(latin) > 1 and all(len(line) <= LABEL_WIDTH for line in latin)
    wide = next(label for label in lines if "".join(label) == chinese)
    assert len(wide) > 1 and all(len(line) <= LABEL_WIDTH // 2 for line in wide), (
        "a wide character: 2 columns"
    )


# In Chromium -----------------------------------------------------------------------------

OUTSIDE = """svg => {
    const box = svg.viewBox.baseVal, outside = [];
    for (const text of svg.querySelectorAll("text")) {
        const b = text.getBBox(), m = text.transform.baseVal.consolidate();
        const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
            .map(([x, y]) => (m ? new DOMPoint(x, y).matrixTransform(m.matrix) : new DOMPoint(x, y)));
        const xs = corners.map(p => p.x), ys = corners.map(p => p.y);
        if (b.width === 0 || Math.min(...xs) < box.x - 0.5 || Math.max(...xs) > box.x + box.width + 0.5
            || Math.min(...ys) < box.y - 0.5 || Math.max(...ys) > box.y + box.height + 0.5) {
            outside.push(`${text.textContent} at ${xs.map(Math.round)} / ${ys.map(Math.round)}`);
        }
    }
    return outside;
}"""


@pytest.fixture(scope="module")
def six_languages_url(six_languages_site: BuiltSite) -> Iterator[str]:
    """The demo with Arabic, Chinese and Russian switched on too, served."""
    with serving(six_languages_site.dir) as url:
        yield url


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_word_of_the_demos_charts_stands_inside_its_chart(
    browser: Browser, six_languages_url: str, width: int, language: str
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{six_languages_url}{language}/statistics/")
    page.locator("#mkdocs-content-user").fill("BR")
    page.locator("#mkdocs-content-password").fill(demo_password("BR"))
    page.locator("#mkdocs-content-password").press("Enter")
    charts = page.locator("svg.forum-chart")
    expect(charts).to_have_count(5, timeout=30_000)

    for index in range(charts.count()):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, "the chart fits the screen"
        assert chart.evaluate(OUTSIDE) == [], f"{chart.get_attribute('data-chart')}: words cut at the edge"
    page.close()

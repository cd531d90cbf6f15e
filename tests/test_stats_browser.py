"""The demo's statistics page in a real browser (Debian's Chromium driven by Playwright), in
French, English and Spanish: charts drawn, each with its text alternative and its table of
figures, the figures those of `forum stats`."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from archive import ROOT
from click.testing import CliRunner
from conftest import sign_in_page
from playwright.sync_api import Page, expect

from sync.cli.main import main

CHARTS = 5


def demo_csv(as_of: str, folder: Path) -> dict[str, list[list[str]]]:
    """The demo's figures as `forum stats --csv` writes them, by file name."""
    result = CliRunner().invoke(
        main, ["stats", "--project", str(ROOT), "--as-of", as_of, "--csv", str(folder)]
    )
    assert result.exit_code == 0, result.output
    tables = {}
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as source:
            tables[path.stem] = list(csv.reader(source))
    return tables


@pytest.mark.parametrize(
    ("language", "title", "posts_by_language"),
    [
        ("fr", "Statistiques d'utilisation", "Messages par langue"),
        ("en", "Usage statistics", "Posts by language"),
        ("es", "Estadísticas de uso", "Mensajes por idioma"),
    ],
)
def test_a_reader_sees_the_demos_statistics_as_charts_and_tables(
    page: Page, demo_url: str, tmp_path: Path, language: str, title: str, posts_by_language: str
) -> None:
    sign_in_page(page, f"{demo_url}{'' if language == 'en' else language + '/'}statistics/", "BR")
    expect(page.locator(".forum-stats")).to_be_visible(timeout=30_000)

    expect(page.locator("article h1")).to_have_text(title)
    charts = page.locator("figure svg.forum-chart[role=img]")
    expect(charts).to_have_count(CHARTS)
    for index in range(CHARTS):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box and box["width"] > 500 and box["height"] > 100, "drawn at a readable size"
        label = chart.get_attribute("aria-label")
        expect(chart.locator("xpath=following-sibling::figcaption")).to_have_text(label)
    expect(page.locator("#posts_by_language h2")).to_have_text(posts_by_language)
    # The browser sets the chart's words itself, in the reader's language.
    expect(page.locator("#posts_by_language svg text", has_text=posts_by_language.split()[0])).to_be_visible()

    as_of = page.locator(".forum-stats").get_attribute("data-as-of")
    figures = demo_csv(as_of, tmp_path / "csv")
    summary = {row[0]: row[2] for row in figures["summary"][1:]}
    shown = page.locator("table[data-figure=summary] td[data-value]").evaluate_all(
        "cells => cells.map(cell => cell.dataset.value)"
    )
    assert shown == list(summary.values())
    assert summary["posts"] == "65" and summary["member_states_on_roster"] == "18"
    weekly = page.locator("table[data-figure=weekly_activity] tbody tr")
    expect(weekly).to_have_count(len(figures["weekly_activity"]) - 1)
    page.screenshot(path=tmp_path / f"statistics-{language}.png", full_page=True)
    assert (tmp_path / f"statistics-{language}.png").stat().st_size > 50_000

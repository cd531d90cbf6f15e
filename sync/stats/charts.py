"""The statistics' charts, drawn by matplotlib at build time as SVG to inline in the page.

Inline, because a chart is a page's content and is protected with it. The SVG keeps its
words as text (`svg.fonttype: none`) rather than as drawn glyphs, so that the browser sets
them with the page's fonts: Arabic joined and read right to left, Chinese in a font that
has it, and no font embedded or fetched. The output is the same byte for byte from one
build to the next (a fixed hash salt per chart, no date in the metadata), so a chart drawn
once is remembered by its inputs while the process lasts: `forum serve` rebuilds after an
edit, and a build's languages share figures, without drawing an unchanged chart again.
"""

from __future__ import annotations

import io
import re
import textwrap
import warnings
from collections.abc import Callable, Hashable
from html import escape

import matplotlib
import numpy as np
from babel.numbers import format_decimal, format_percent
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sync.i18n.interface import Interface

BAR = "#3f51b5"  # the site's indigo
LINE = "#d55e00"  # vermillion: told apart from indigo by every kind of colour vision
LABEL_WIDTH = 36  # characters of a bar's label before it wraps

_STYLE = {
    "svg.fonttype": "none",
    "text.parse_math": False,  # a title with two $ signs is not a formula
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # matplotlib's own, to measure words; shipped with it
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
}
_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r' id="([^"]*)"')
_REFERENCE = re.compile(r'(?:url\(#|href="#)([^)"]+)')
_DRAWN: dict[Hashable, str] = {}  # charts drawn in this process, by everything they show
_DRAWN_AT_MOST = 256  # six languages' charts several times over; forgotten all at once beyond


def _remembered(key: Hashable, draw: Callable[[], str]) -> str:
    """A chart drawn before from the same inputs, else drawn now."""
    if key not in _DRAWN:
        if len(_DRAWN) >= _DRAWN_AT_MOST:
            _DRAWN.clear()
        _DRAWN[key] = draw()
    return _DRAWN[key]


def _reader(t: Interface) -> tuple[str, str, str]:
    """What of the reader's language a chart shows: numbers' forms and direction."""
    return (t.language, str(t.locale), t.direction)


def bar_chart(
    name: str,
    labels: list[str],
    values: list[float],
    axis: str,
    alternative: str,
    t: Interface,
    percent: bool = False,
) -> str:
    """Horizontal bars, one a label, with their value written at their end."""
    key = ("bars", name, tuple(labels), tuple(values), axis, alternative, _reader(t), percent)
    return _remembered(key, lambda: _bar_chart(name, labels, values, axis, alternative, t, percent))


def _bar_chart(
    name: str,
    labels: list[str],
    values: list[float],
    axis: str,
    alternative: str,
    t: Interface,
    percent: bool,
) -> str:
    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        wrapped = [_wrap(label) for label in labels]
        positions = range(len(values))
        ax.barh(positions, values, color=BAR, height=0.6)
        ax.set_yticks(positions, wrapped)
        ax.invert_yaxis()  # the first row on top, as in the table beneath
        ax.set_xlabel(axis)
        ax.xaxis.set_major_locator(MaxNLocator(integer=not percent))
        ax.xaxis.set_major_formatter(_number_format(t, percent))
        _label_bars(ax, values, [_number(value, t, percent) for value in values], t)
        if percent:
            ax.set_xlim(0, 1.12)
            ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
        else:
            ax.set_xlim(0, max([*values, 1]) * 1.15)
        _mirror_if_rtl(ax, t)

    lines = max((_wrap(label).count("\n") + 1 for label in labels), default=1)
    height = 0.7 + len(labels) * (0.2 + 0.15 * lines)  # rows evenly spaced, the tallest label fits
    return _svg(name, draw, (7.5, max(height, 1.8)), alternative)


def weekly_chart(
    name: str,
    weeks: list[str],
    posts: list[int],
    member_states: list[int],
    legend: tuple[str, str],
    alternative: str,
    t: Interface,
) -> str:
    """Posts per week as bars, member states that posted as a line over them."""
    key = ("weekly", name, tuple(weeks), tuple(posts), tuple(member_states), legend, alternative, _reader(t))
    return _remembered(key, lambda: _weekly_chart(name, weeks, posts, member_states, legend, alternative, t))


def _weekly_chart(
    name: str,
    weeks: list[str],
    posts: list[int],
    member_states: list[int],
    legend: tuple[str, str],
    alternative: str,
    t: Interface,
) -> str:
    def draw(figure: Figure) -> None:
        ax = figure.add_subplot()
        positions = range(len(weeks))
        bars = _columns(ax, posts, width=0.7, facecolor=BAR, label=legend[0])
        # Ten years are 520 weeks: label about two dozen of them and drop the markers, or the
        # chart is unreadable (and slow to lay out: matplotlib measures every label).
        marker = "o" if len(weeks) <= 60 else None
        (line,) = ax.plot(positions, member_states, color=LINE, marker=marker, linewidth=2, label=legend[1])
        step = max(1, -(-len(weeks) // 24))
        ticks = list(positions)[::step]
        ax.set_xticks(ticks, [weeks[i] for i in ticks], rotation=45, ha="right", rotation_mode="anchor")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(_number_format(t, percent=False))
        ax.set_ylim(0, max([*posts, *member_states, 1]) * 1.15)
        rtl = t.direction == "rtl"  # the legend read from the right, each word after its mark
        ax.legend(
            handles=[bars, line],
            loc="lower right" if rtl else "lower left",
            bbox_to_anchor=(1, 1) if rtl else (0, 1),
            markerfirst=not rtl,
            frameon=False,
            ncols=2,
        )
        _mirror_if_rtl(ax, t)

    return _svg(name, draw, (7.5, 3.6), alternative)


def _columns(ax: Axes, heights: list[int], width: float, **style: str) -> PathPatch:
    """Vertical bars as `ax.bar` draws them, but one path in the SVG rather than one a bar.

    Ten years are 520 weeks: matplotlib places and writes each bar's patch on its own, which
    was most of the chart's time and a third of its size.
    """
    left = np.arange(len(heights)) - width / 2
    top = np.asarray(heights, dtype=float)
    bottom = np.zeros_like(top)
    corners = [(left, bottom), (left, top), (left + width, top), (left + width, bottom), (left, bottom)]
    vertices = np.stack([np.column_stack(corner) for corner in corners], axis=1).reshape(-1, 2)
    codes = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY] * len(heights)
    patch = PathPatch(Path(vertices, codes), edgecolor="none", **style)  # a bar has no edge
    ax.add_artist(patch)
    ax.update_datalim(vertices)  # what add_patch does, without walking the path segment by segment
    return patch


def _label_bars(ax: Axes, values: list[float], labels: list[str], t: Interface) -> None:
    """Each bar's value just past its end: to its right, or to its left in a mirrored chart."""
    rtl = t.direction == "rtl"
    for position, (value, label) in enumerate(zip(values, labels, strict=True)):
        ax.annotate(
            label,
            (value, position),
            xytext=(-4 if rtl else 4, 0),
            textcoords="offset points",
            ha="right" if rtl else "left",
            va="center",
        )


def _wrap(label: str) -> str:
    return textwrap.fill(label, LABEL_WIDTH)


def _number(value: float, t: Interface, percent: bool) -> str:
    if percent:
        return format_percent(value, locale=t.locale)
    return format_decimal(value, locale=t.locale)


def _number_format(t: Interface, percent: bool) -> FuncFormatter:
    """Tick labels written as the reader's language writes numbers (1 234,5 · 83 %)."""
    return FuncFormatter(lambda value, _: _number(value, t, percent))


def _mirror_if_rtl(ax: Axes, t: Interface) -> None:
    """A right-to-left reader starts on the right: labels there, bars and weeks from there."""
    if t.direction != "rtl":
        return
    ax.invert_xaxis()
    ax.yaxis.tick_right()
    ax.yaxis.set_label_position("right")
    ax.spines["left"].set_visible(False)
    ax.spines["right"].set_visible(True)


def _svg(name: str, draw: Callable[[Figure], None], size: tuple[float, float], alternative: str) -> str:
    """Draw a chart and return it as an <svg> element for the page, with its alternative."""
    style = {**_STYLE, "svg.hashsalt": f"forum-{name}"}  # ids unique on the page, same each build
    with matplotlib.rc_context(style), warnings.catch_warnings():
        # Glyphs missing from matplotlib's own font only matter for measuring: the browser
        # draws the words with the page's fonts.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        figure = Figure(figsize=size, layout="constrained")
        draw(figure)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    svg = _METADATA.sub("", _PROLOGUE.sub("", out.getvalue()))
    # Several charts share a page: keep only the ids a chart refers to (salted, so unique),
    # and keep matplotlib's style sheet to the charts.
    referenced = set(_REFERENCE.findall(svg))
    svg = _ID.sub(lambda m: m[0] if m[1] in referenced else "", svg)
    # Each word takes its direction from its own letters: a wrapped Arabic label keeps its
    # brackets where an Arabic reader expects them.
    svg = svg.replace(
        '<style type="text/css">*{',
        '<style type="text/css">.forum-chart text{unicode-bidi: plaintext} .forum-chart *{',
        1,
    )
    label = escape(alternative)
    # Narrowed to fit a small screen; laid out left to right whatever the page's direction,
    # since matplotlib placed every word already.
    svg = svg.replace(
        "<svg ",
        f'<svg class="forum-chart" role="img" aria-label="{label}" '
        'style="max-width: 100%; height: auto; direction: ltr" ',
        1,
    )
    return svg.replace(">", f"><title>{label}</title>", 1).strip()

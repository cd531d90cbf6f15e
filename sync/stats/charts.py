"""The statistics' charts, written as SVG at build time to inline in the page.

Inline, because a chart is a page's content and is protected with it. Its words stay text
(`<text>`), set by the browser with the page's fonts: Arabic joined and read right to left,
Chinese in a font that has it, and no font embedded or fetched. Nothing here can measure a
word, so the layout reserves room from generous estimates (`_width`), and each text is
anchored at the end that must stay put (a bar's label ends at the axis), so that a word
longer than its estimate grows away from the bars, into the margin, rather than over them.

The SVG is written by ElementTree, which escapes every label, legend and axis word (category
and region names are outside input), with no id and no randomness: the same bytes at every
build and on a page with several charts. Drawing a chart is string work of a millisecond or
so, cheap enough to redo at every build.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from xml.etree.ElementTree import Element, SubElement, tostring

from sync.i18n.interface import Interface

BAR = "#3f51b5"  # the site's indigo
LINE = "#d55e00"  # vermillion: told apart from indigo by every kind of colour vision
INK = "#222222"  # words and axes: 15.9:1 on white
LABEL_WIDTH = 36  # columns of a bar's label before it wraps (a Chinese character takes two)

WIDTH = 540.0  # the viewBox's width; shown 720 px wide at most (540 pt), narrowed on a phone
FONT = 10.0  # the words' size, in the viewBox's units
LINE_HEIGHT = 12.0  # between two lines of a wrapped label
# A column's width, as a share of the font's size: Latin, Cyrillic and Arabic letters average
# about half an em in the usual sans-serif fonts (DejaVu Sans, the widest, 0.55); a wide
# (East Asian) character is two columns, one em.
COLUMN = 0.6
BASELINE = 0.35 * FONT  # from a text's middle to its baseline, to centre it on a bar or a tick
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # not allowed in XML, never shown


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
    wrapped = [_wrap(label) for label in labels]
    numbers = [_number(value, t, percent) for value in values]
    lines = max((len(label) for label in wrapped), default=1)
    row = LINE_HEIGHT * lines + 12  # rows evenly spaced, the tallest label fits
    left = 8 + max((_width(line) for label in wrapped for line in label), default=0) + 6
    left = min(left, WIDTH * 0.5)  # a label longer than half the chart runs into the margin
    right = WIDTH - 10 - max((_width(number) for number in numbers), default=0)
    top, bottom = 6.0, 6 + row * max(len(labels), 1)
    if percent:
        end, ticks = 1.12, [0.0, 0.25, 0.5, 0.75, 1.0]
    else:
        end = max([*values, 1.0]) * 1.15
        ticks = [float(tick) for tick in _integer_ticks(end)]
    scale = (right - left) / end
    x = _mirror(t)
    chart = _Chart(name, WIDTH, bottom + 40, alternative, t)

    bars, axes = [], [f"M{_n(x(left))} {_n(top)}V{_n(bottom)}H{_n(x(right))}"]
    for index, (label, value, number) in enumerate(zip(wrapped, values, numbers, strict=True)):
        middle = top + row * (index + 0.5)  # the first row on top, as in the table beneath
        length = min(max(value, 0.0), end) * scale  # a share over 100 % stops at the edge
        thickness = row * 0.6
        bars.append(_box(min(x(left), x(left + length)), middle - thickness / 2, length, thickness))
        chart.text(x(left - 6), middle, label, "end")
        chart.text(x(left + length + 4), middle, [number], "start")
    for tick in ticks:
        at = x(left + tick * scale)
        axes.append(f"M{_n(at)} {_n(bottom)}v3.5")
        chart.text(at, bottom + 14, [_number(tick, t, percent)], "middle")
    chart.path("".join(bars), f"fill: {BAR}")
    chart.path("".join(axes), f"fill: none; stroke: {INK}; stroke-width: 0.8")
    chart.text(x((left + right) / 2), bottom + 30, [axis], "middle")
    return chart.svg()


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
    end = max([*posts, *member_states, 1]) * 1.15
    ticks = _integer_ticks(end)
    numbers = [_number(tick, t, False) for tick in ticks]
    # Ten years are 520 weeks: label about two dozen of them, or the chart is unreadable.
    step = max(1, -(-len(weeks) // 24))
    labelled = list(range(0, len(weeks), step))
    hang = max((_width(weeks[i]) for i in labelled), default=0) * math.sqrt(0.5)  # labels at 45°
    top, bottom = 30.0, 260 - 14 - hang
    # The axis side holds the numbers; the labels hang down-left of their week, so the leftmost
    # week's (the first, or the last in a mirrored chart) needs room before the chart's edge.
    rtl = t.direction == "rtl"
    near, far = 8 + max(_width(number) for number in numbers) + 6, 8.0
    slot = (WIDTH - near - far) / max(len(weeks), 1)
    room = hang - slot / 2 + 4
    near, far = (near, max(far, room)) if rtl else (max(near, room), far)
    left, right = near, WIDTH - far
    slot = (right - left) / max(len(weeks), 1)
    scale = (bottom - top) / end
    x = _mirror(t)
    chart = _Chart(name, WIDTH, 260, alternative, t)

    def centre(week: int) -> float:
        return x(left + slot * (week + 0.5))

    # Every week a bar, all in one path: 520 elements would be most of the chart's weight.
    width = slot * 0.7
    columns = [_box(centre(i) - width / 2, bottom - p * scale, width, p * scale) for i, p in enumerate(posts)]
    chart.path("".join(columns), f"fill: {BAR}")
    points = [(centre(i), bottom - states * scale) for i, states in enumerate(member_states)]
    chart.line(points)
    if len(weeks) <= 60:  # beyond, the markers would hide the line (520 weeks in ten years)
        chart.markers(points)
    axes = [f"M{_n(x(left))} {_n(top - 8)}V{_n(bottom)}H{_n(x(right))}"]
    for tick, number in zip(ticks, numbers, strict=True):
        at = bottom - tick * scale
        axes.append(f"M{_n(x(left))} {_n(at)}h{_n(x(0) - x(3.5))}")
        chart.text(x(left - 6), at, [number], "end")
    for i in labelled:
        axes.append(f"M{_n(centre(i))} {_n(bottom)}v3.5")
        chart.week(centre(i) + 3, bottom + 9, weeks[i])
    chart.path("".join(axes), f"fill: none; stroke: {INK}; stroke-width: 0.8")
    # The legend above the bars, read from where the reader starts: each word after its mark.
    chart.path(_box(min(x(left), x(left + 14)), 8, 14, 9), f"fill: {BAR}")
    chart.text(x(left + 18), 12.5, [legend[0]], "start")
    second = left + 18 + _width(legend[0]) + 16
    chart.line([(x(second), 12.5), (x(second + 20), 12.5)])
    chart.markers([(x(second + 10), 12.5)])
    chart.text(x(second + 24), 12.5, [legend[1]], "start")
    return chart.svg()


class _Chart:
    """An <svg> element for the page, with its alternative, built element by element."""

    def __init__(self, name: str, width: float, height: float, alternative: str, t: Interface) -> None:
        self.rtl = t.direction == "rtl"
        # Narrowed to fit a small screen; laid out left to right whatever the page's direction,
        # since every word is placed already (mirrored for a right-to-left reader).
        self.root = Element(
            "svg",
            {
                "xmlns": "http://www.w3.org/2000/svg",
                "class": "forum-chart",
                "role": "img",
                "aria-label": _plain(alternative),
                "style": "max-width: 100%; height: auto; direction: ltr",
                "viewBox": f"0 0 {_n(width)} {_n(height)}",
                "width": f"{_n(width)}pt",
                "height": f"{_n(height)}pt",
                "data-chart": name,
            },
        )
        SubElement(self.root, "title").text = _plain(alternative)
        # Each text takes its direction from its own letters: a wrapped Arabic label keeps its
        # brackets where an Arabic reader expects them.
        SubElement(
            self.root, "style"
        ).text = f".forum-chart text{{unicode-bidi: plaintext; font-size: {_n(FONT)}px; fill: {INK}}}"

    def path(self, d: str, style: str) -> None:
        SubElement(self.root, "path", {"d": d, "style": style})

    def line(self, points: list[tuple[float, float]]) -> None:
        """The member states' line."""
        if points:
            coordinates = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
            style = f"fill: none; stroke: {LINE}; stroke-width: 2"
            SubElement(self.root, "polyline", {"points": coordinates, "style": style})

    def markers(self, points: list[tuple[float, float]]) -> None:
        """A small circle on each of the line's points, all in one path."""
        circle = "a3 3 0 1 0 6 0a3 3 0 1 0 -6 0"  # two half circles of radius 3
        self.path("".join(f"M{_n(px - 3)} {_n(py)}{circle}" for px, py in points), f"fill: {LINE}")

    def text(self, x: float, middle: float, lines: list[str], anchor: str) -> None:
        """Words centred on `middle`, one line a tspan, anchored at `x` (`start`, `end`: as
        read left to right; swapped in a mirrored chart, `middle` stays)."""
        if self.rtl:
            anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
        y = middle + BASELINE - LINE_HEIGHT * (len(lines) - 1) / 2
        attributes = {"x": _n(x), "y": _n(y)}
        if anchor != "start":
            attributes["text-anchor"] = anchor
        element = SubElement(self.root, "text", attributes)
        if len(lines) == 1:
            element.text = _plain(lines[0])
            return
        for index, line in enumerate(lines):
            dy = "0" if index == 0 else _n(LINE_HEIGHT)
            SubElement(element, "tspan", {"x": _n(x), "dy": dy}).text = _plain(line)

    def week(self, x: float, y: float, label: str) -> None:
        """A week's label hanging at 45° down-left of its end at (x, y), in either direction."""
        attributes = {"x": _n(x), "y": _n(y), "text-anchor": "end"}
        attributes["transform"] = f"rotate(-45 {_n(x)} {_n(y)})"
        SubElement(self.root, "text", attributes).text = _plain(label)

    def svg(self) -> str:
        return tostring(self.root, encoding="unicode")


def _mirror(t: Interface) -> Callable[[float], float]:
    """A right-to-left reader starts on the right: labels there, bars and weeks from there."""
    if t.direction == "rtl":
        return lambda x: WIDTH - x
    return lambda x: x


def _box(x: float, y: float, width: float, height: float) -> str:
    """A rectangle as a closed subpath (a bar of no height still drawn, as a week of no posts)."""
    return f"M{_n(x)} {_n(y)}h{_n(width)}v{_n(height)}h{_n(-width)}z"


def _integer_ticks(end: float) -> list[int]:
    """About six whole-number ticks from 0 up to `end`, a step of 1, 2 or 5 times a power of ten."""
    raw = end / 6
    power = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    step = next((m * power for m in (1, 2, 5, 10) if m * power >= raw), 10 * power)
    return list(range(0, math.floor(end) + 1, step))


def _wrap(label: str) -> list[str]:
    """A label's lines, at most LABEL_WIDTH columns each; a word longer than that is cut."""
    lines: list[str] = []
    line = ""
    for word in _plain(label).split():
        while _columns(word) > LABEL_WIDTH:  # Chinese has no spaces: cut it anywhere
            if line:
                lines.append(line)
                line = ""
            head = _fitting(word, LABEL_WIDTH)
            lines.append(head)
            word = word[len(head) :]
        candidate = f"{line} {word}" if line else word
        if _columns(candidate) <= LABEL_WIDTH:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line or not lines else lines


def _fitting(word: str, columns: int) -> str:
    """The longest start of `word` that fits in `columns` (at least one character)."""
    used = 0
    for index, character in enumerate(word):
        used += _columns(character)
        if used > columns:
            return word[: max(index, 1)]
    return word


def _columns(text: str) -> int:
    """How many columns `text` takes: a wide (East Asian) character two, a combining mark none."""
    total = 0
    for character in text:
        if unicodedata.combining(character) or unicodedata.category(character) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
    return total


def _width(text: str) -> float:
    """A generous estimate of `text`'s width in the viewBox's units, at FONT size."""
    return _columns(text) * COLUMN * FONT


def _plain(text: str) -> str:
    """Text as it can stand in XML: control characters, which no one sees, dropped."""
    return _CONTROL.sub("", text)


def _n(value: float) -> str:
    """A coordinate to a tenth of a unit, without a trailing `.0`: short, and the same each build."""
    rounded = round(value, 1)
    return f"{rounded:.1f}".removesuffix(".0") if rounded != 0 else "0"  # never "-0"


def _number(value: float, t: Interface, percent: bool) -> str:
    """A value as the reader's language writes numbers (1 234,5 · 83 %)."""
    return t.percent(value) if percent else t.number(value)

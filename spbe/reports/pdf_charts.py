"""The summary PDF's two charts in fpdf2's own vector drawing: no matplotlib and no images, text stays text.

The same charts as spbe.reports.charts draws for the pages: the aspect radar with the target ring, and the
domain bars (aspects when the rubric has no domains) with the target line; an incomplete group is drawn at
its low end, hollow, labelled with the range it can still take. Every text goes where no other text is; the
boxes of the texts drawn are returned, so tests can check that. Units are millimetres, y grows downwards;
texts are in the page's current font family.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from spbe.method.rubric import Rubric
from spbe.method.scoring import GroupScore, Score
from spbe.reports.charts import PENDING, PENDING_LABEL, TARGET, VALUE, target, target_label, value_text, wrap

if TYPE_CHECKING:
    from fpdf import FPDF

GREY, TEXT, TINT = "#b0b0b0", "#222222", "#f6e7d2"  # grid, text, an incomplete bar's filling
SIZE = 8  # points, every text of the charts
PT = 25.4 / 72  # millimetres per point
LINE = 1.2 * SIZE * PT  # distance between the baselines of a wrapped text
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Box:
    """Where a text was drawn: its lines' extent from the top of the first to the bottom of the last."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def within(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        return x0 <= self.x0 and self.x1 <= x1 and y0 <= self.y0 and self.y1 <= y1


class Chart:
    """One chart's area on the page: draws lines and dots, and texts clear of the texts and dots drawn before."""

    def __init__(self, pdf: FPDF, x: float, y: float, w: float, h: float) -> None:
        self.pdf, self.area = pdf, (x, y, x + w, y + h)
        self.texts: list[Box] = []
        self.points: list[Box] = []  # the dots, which no text may cover either
        pdf.set_font(size=SIZE)

    def box(self, text: str, x: float, y: float, ha: Align = "center", va: str = "center") -> Box:
        """The box of `text` (lines split at newlines) anchored at (x, y): ha/va say which side is there."""
        width = max(self.pdf.get_string_width(line) for line in text.split("\n"))
        height = (text.count("\n") * LINE) + SIZE * PT
        x0 = {"left": x, "center": x - width / 2, "right": x - width}[ha]
        y0 = {"top": y, "center": y - height / 2, "bottom": y - height}[va]
        return Box(text, x0, y0, x0 + width, y0 + height)

    def free(self, box: Box) -> bool:
        """Inside the chart's area and clear of every text and dot drawn so far."""
        return box.within(*self.area) and not any(box.overlaps(other) for other in self.texts + self.points)

    def write(self, box: Box, ha: Align = "center", color: str = TEXT) -> None:
        """Draw a text in its box, each line aligned as the box was anchored."""
        self.pdf.set_text_color(color)
        for n, line in enumerate(box.text.split("\n")):
            width = self.pdf.get_string_width(line)
            x = {"left": box.x0, "center": (box.x0 + box.x1 - width) / 2, "right": box.x1 - width}[ha]
            self.pdf.text(x, box.y0 + 0.78 * SIZE * PT + n * LINE, line)
        self.texts.append(box)

    def label(self, text: str, x: float, y: float, ha: Align = "center", va: str = "center") -> None:
        self.write(self.box(text, x, y, ha, va), ha)

    def stroke(self, color: str, width: float = 0.3, dashed: bool = False) -> None:
        self.pdf.set_draw_color(color)
        self.pdf.set_line_width(width)
        self.pdf.set_dash_pattern(*((1.6, 1.0) if dashed else ()))

    def dot(self, x: float, y: float, hollow: bool) -> None:
        """A point: filled blue for a complete group, white ringed in orange for an incomplete one."""
        r = 1.2 if hollow else 1.0
        self.stroke(PENDING if hollow else VALUE, 0.35)
        self.pdf.set_fill_color("#ffffff" if hollow else VALUE)
        self.pdf.ellipse(x - r, y - r, 2 * r, 2 * r, style="DF")
        self.points.append(Box("", x - r, y - r, x + r, y + r))

    def legend(self, items: Sequence[tuple[str, str]], y: float, centred: bool) -> None:
        """A row of (kind, text): kind 'line', 'bar', 'hollow', 'tint' or 'target'; wrapped when too wide."""
        x0, _, x1, _ = self.area
        boxes = [self.box(text, 0, 0, "left") for _, text in items]
        width = sum(b.x1 - b.x0 + 12 for b in boxes)
        x = (x0 + x1 - width) / 2 if centred and width < x1 - x0 else x0
        for (kind, text), b in zip(items, boxes, strict=True):
            if x + 12 + b.x1 - b.x0 > x1:
                x, y = x0, y + LINE + 1
            self._key(kind, x, y)
            self.label(text, x + 9, y, "left")
            x += 12 + b.x1 - b.x0

    def _key(self, kind: str, x: float, y: float) -> None:
        if kind in ("line", "target"):
            self.stroke(VALUE if kind == "line" else TARGET, 0.5, dashed=kind == "target")
            self.pdf.line(x, y, x + 7, y)
            self.stroke(GREY)
        elif kind == "hollow":
            self.dot(x + 3.5, y, hollow=True)
        else:
            self.stroke(PENDING if kind == "tint" else VALUE)
            self.pdf.set_fill_color(TINT if kind == "tint" else VALUE)
            self.pdf.rect(x + 1, y - 1.6, 5, 3.2, style="DF")


def radar(pdf: FPDF, rubric: Rubric, result: Score, x: float, y: float, w: float, h: float) -> Chart:
    """The aspect radar with the target ring, in the area (x, y, w, h); its texts' and dots' boxes."""
    chart = Chart(pdf, x, y, w, h)
    groups = [result.aspects[a.id] for a in rubric.meta.aspects]
    top = rubric.meta.values.max
    cx, cy = x + w / 2, y + (h - 8) / 2
    radius = min(w / 2 - 40, (h - 8) / 2 - 14)
    angles = [2 * math.pi * n / len(groups) for n in range(len(groups))]

    def at(angle: float, value: float) -> tuple[float, float]:
        r = radius * value / top
        return cx + r * math.sin(angle), cy - r * math.cos(angle)

    chart.stroke(GREY, 0.2)
    for level in range(1, top + 1):
        pdf.ellipse(cx - radius * level / top, cy - radius * level / top, 2 * radius * level / top,
                    2 * radius * level / top)
    for angle in angles:
        pdf.line(cx, cy, *at(angle, top))
    ring = target(rubric)
    if ring is not None:
        chart.stroke(TARGET, 0.4, dashed=True)
        r = radius * float(ring) / top
        pdf.ellipse(cx - r, cy - r, 2 * r, 2 * r)
    points = [at(angle, float(g.low)) for angle, g in zip(angles, groups, strict=True)]
    chart.stroke(VALUE, 0.6)
    pdf.set_fill_color(VALUE)
    with pdf.local_context(fill_opacity=0.12):
        pdf.polygon(points, style="F")
    pdf.polygon(points, style="D")
    for (px, py), g in zip(points, groups, strict=True):
        chart.dot(px, py, hollow=not g.complete)
    between = math.pi / len(groups)  # the scale's numbers between the first two aspects
    for level in range(1, top + 1):
        chart.write(chart.box(str(level), *at(between, level)), color="#666666")
    for angle, g in zip(angles, groups, strict=True):  # each name grows away from the ring
        across, up = math.sin(angle), math.cos(angle)
        ha: Align = "left" if across > 0.3 else "right" if across < -0.3 else "center"
        va = "bottom" if up > 0.3 else "top" if up < -0.3 else "center"
        nx, ny = at(angle, top + 3 * top / radius)
        chart.label(wrap(g.name, 22), nx, ny, ha, va)
    _legend(chart, rubric, groups, y + h - 4, "line", "hollow", centred=True)
    for (px, py), angle, g in zip(points, angles, groups, strict=True):
        _value(chart, value_text(g), px, py, 90 - math.degrees(angle))
    return chart


def bars(pdf: FPDF, rubric: Rubric, result: Score, x: float, y: float, w: float, h: float) -> Chart:
    """Bars of the domain values (aspects without domains) against the target line; its texts' boxes."""
    chart = Chart(pdf, x, y, w, h)
    groups = list(result.domains.values()) or list(result.aspects.values())
    names = [wrap(g.name, max(10, 72 // len(groups))) for g in groups]
    _legend(chart, rubric, groups, y + 2, "bar", "tint", centred=False)
    top = rubric.meta.values.max + 0.6
    left, base = x + 8, y + h - 1 - max(n.count("\n") + 1 for n in names) * LINE - 2
    height = base - (y + 10)
    slot = (x + w - left) / len(groups)

    def level(value: float) -> float:
        return base - height * value / top

    chart.stroke(TEXT, 0.25)
    pdf.line(left, base, x + w, base)
    pdf.line(left, base, left, level(top))
    for tick in range(rubric.meta.values.max + 1):
        pdf.line(left - 1, level(tick), left, level(tick))
        chart.label(str(tick), left - 1.5, level(tick), "right")
    for n, (g, name) in enumerate(zip(groups, names, strict=True)):
        x0, width = left + slot * (n + 0.2), slot * 0.6
        if g.complete:
            chart.stroke(VALUE)
            pdf.set_fill_color(VALUE)
            pdf.rect(x0, level(float(g.low)), width, base - level(float(g.low)), style="DF")
        else:
            chart.stroke(PENDING)
            pdf.set_fill_color(TINT)
            pdf.rect(x0, level(float(g.low)), width, base - level(float(g.low)), style="DF")
            chart.stroke(PENDING, dashed=True)
            pdf.rect(x0, level(float(g.high)), width, level(float(g.low)) - level(float(g.high)))
        chart.label(name, x0 + width / 2, base + 2, "center", "top")
    ring = target(rubric)
    if ring is not None:
        chart.stroke(TARGET, 0.4, dashed=True)
        pdf.line(left, level(float(ring)), x + w, level(float(ring)))
    for n, g in enumerate(groups):
        _value(chart, value_text(g), left + slot * (n + 0.5), level(float(g.high)) - 0.5, 90)
    pdf.set_dash_pattern()
    return chart


def _legend(chart: Chart, rubric: Rubric, groups: list[GroupScore], y: float, value: str, pending: str,
            centred: bool) -> None:
    items = [(value, "Nilai")]
    if not all(g.complete for g in groups):
        items.append((pending, PENDING_LABEL))
    ring = target(rubric)
    if ring is not None:
        items.append(("target", target_label(ring)))
    chart.legend(items, y, centred)


def _value(chart: Chart, text: str, x: float, y: float, direction: float) -> None:
    """A value beside its point: towards `direction` (degrees, 90 = up) first, then turning away from it."""
    size = chart.box(text, 0, 0)
    half_w, half_h = (size.x1 - size.x0) / 2, (size.y1 - size.y0) / 2
    for turn in (0, 30, -30, 60, -60, 90, -90, 120, -120, 150, -150, 180):
        for distance in (1.0, 3.0):
            a = math.radians(direction + turn)
            dx, dy = math.cos(a), -math.sin(a)
            placed = chart.box(text, x + dx * (distance + half_w), y + dy * (distance + half_h))
            if chart.free(placed):
                chart.pdf.set_fill_color("#ffffff")  # on white: lines under a value do not cross its digits
                chart.pdf.rect(placed.x0 - 0.3, placed.y0, placed.x1 - placed.x0 + 0.6, placed.y1 - placed.y0,
                               style="F")
                chart.write(placed)
                return
    chart.write(chart.box(text, x, y - 3, "center", "bottom"))  # nowhere clear: above it (tests catch it)

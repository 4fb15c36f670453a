"""Charts of a score, drawn with matplotlib's Figure API (never pyplot: no global figure state): SVG, or PNG."""

from __future__ import annotations

import io
import math
import textwrap
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from spbe.method.formatting import decimal_text
from spbe.method.rubric import Rubric
from spbe.method.scoring import GroupScore, Score

if TYPE_CHECKING:  # matplotlib is imported by the functions that draw: pages without charts never load it
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TARGET_BAND = "Baik"  # the national target is reaching this predikat (2.60 in spbe-2021)
VALUE, PENDING, TARGET = "#0b5cad", "#a15c00", "#b3261e"
PENDING_LABEL = "Belum lengkap (batas bawah–atas)"
# Text stays text (searchable, small) and ids are salted, so the same score always gives the same bytes.
_STYLE = {"svg.hashsalt": "spbe", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9}
_LOCK = threading.Lock()  # rcParams are process-wide: draw one chart at a time


def target(rubric: Rubric) -> Decimal | None:
    """Where the rubric's 'Baik' band starts: the index the government targets (None without such a band)."""
    return next((b.min for b in rubric.meta.bands if b.name.casefold() == TARGET_BAND.casefold()), None)


def figure_bytes(build: Callable[[], Figure], fmt: str = "svg") -> bytes:
    """Build a Figure under the shared style and save it as SVG (pages) or PNG (PDF), one chart at a time."""
    import matplotlib

    with _LOCK, matplotlib.rc_context(_STYLE):
        buf = io.BytesIO()
        options = {"metadata": {"Date": None}} if fmt == "svg" else {"dpi": 150}
        build().savefig(buf, format=fmt, **options)
        return buf.getvalue()


def render(draw: Callable[[Rubric, Score], Figure], rubric: Rubric, result: Score, fmt: str = "svg") -> bytes:
    """One chart (aspects_figure or domains_figure) saved as SVG for pages or PNG for the PDF summary."""
    return figure_bytes(lambda: draw(rubric, result), fmt)


def aspects_svg(rubric: Rubric, result: Score) -> bytes:
    """The aspect radar as SVG."""
    return render(aspects_figure, rubric, result)


def domains_svg(rubric: Rubric, result: Score) -> bytes:
    """The domain (or aspect) bars as SVG."""
    return render(domains_figure, rubric, result)


def aspects_figure(rubric: Rubric, result: Score) -> Figure:
    """Radar of the aspect values with the target ring; incomplete aspects drawn at their low end, hollow."""
    from matplotlib.figure import Figure

    from spbe.reports.chart_labels import frozen_renderer, place  # matplotlib, loaded when drawn

    groups = [result.aspects[a.id] for a in rubric.meta.aspects]
    angles = [2 * math.pi * i / len(groups) for i in range(len(groups))]
    fig = Figure(figsize=(7.5, 6.5), layout="constrained")
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    lows = [float(g.low) for g in groups]
    ax.plot([*angles, 0], [*lows, lows[0]], color=VALUE, linewidth=2, label="Nilai")
    ax.fill([*angles, 0], [*lows, lows[0]], color=VALUE, alpha=0.12)
    for angle, g in zip(angles, groups, strict=True):
        _point(ax, angle, g)
    if not all(g.complete for g in groups):
        ax.plot([], [], "o", markerfacecolor="white", markeredgecolor=PENDING, label=PENDING_LABEL)
    ring = target(rubric)
    if ring is not None:
        circle = [2 * math.pi * i / 120 for i in range(121)]
        ax.plot(circle, [float(ring)] * len(circle), "--", color=TARGET, label=target_label(ring))
    ax.set_xticks(angles, [wrap(g.name, 22) for g in groups])
    ax.tick_params(axis="x", pad=6)
    for label, angle in zip(ax.get_xticklabels(), angles, strict=True):  # each name grows away from the ring
        across, up = math.sin(angle), math.cos(angle)
        label.set_horizontalalignment("left" if across > 0.3 else "right" if across < -0.3 else "center")
        label.set_verticalalignment("bottom" if up > 0.3 else "top" if up < -0.3 else "center")
    _value_axis(ax, rubric, 0)
    ax.set_rlabel_position(180 / len(groups))  # the scale's numbers between the first two aspects
    fig.legend(loc="outside lower center", fontsize=8, frameon=False, ncols=3)
    # Each value beside its point, outward first (display angle of the spoke), wherever no other text is.
    spokes = [(angle, float(g.low), value_text(g), 90 - math.degrees(angle))
              for angle, g in zip(angles, groups, strict=True)]
    place(ax, frozen_renderer(fig), spokes, fontsize=8)
    return fig


def domains_figure(rubric: Rubric, result: Score) -> Figure:
    """Bars of the domain values (aspects when the rubric has no domains) against the target line."""
    from matplotlib.figure import Figure

    from spbe.reports.chart_labels import frozen_renderer, place  # matplotlib, loaded when drawn

    groups = list(result.domains.values()) or list(result.aspects.values())
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.add_subplot()
    done = [(x, g) for x, g in enumerate(groups) if g.complete]
    pending = [(x, g) for x, g in enumerate(groups) if not g.complete]
    if done:
        ax.bar([x for x, _ in done], [float(g.low) for _, g in done], color=VALUE, width=0.6,
               label="Nilai")
    if pending:
        xs, lows = [x for x, _ in pending], [float(g.low) for _, g in pending]
        ax.bar(xs, lows, color="white", edgecolor=PENDING, hatch="///", width=0.6, label=PENDING_LABEL)
        ax.bar(xs, [float(g.high - g.low) for _, g in pending], bottom=lows, fill=False,
               edgecolor=PENDING, linestyle="--", width=0.6)
    ring = target(rubric)
    if ring is not None:
        ax.axhline(float(ring), color=TARGET, linestyle="--", label=target_label(ring))
    ax.set_xticks(range(len(groups)), [wrap(g.name, max(10, 72 // len(groups))) for g in groups])
    _value_axis(ax, rubric, 0.6)
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(loc="outside upper left", fontsize=8, frameon=False, ncols=3)
    tops = [(x, float(g.high), value_text(g), 90.0) for x, g in enumerate(groups)]  # above each bar
    place(ax, frozen_renderer(fig), tops, fontsize=8)
    return fig


def _point(ax: Axes, angle: float, g: GroupScore) -> None:
    if g.complete:
        ax.plot([angle], [float(g.low)], "o", color=VALUE)
    else:
        ax.plot([angle], [float(g.low)], "o", markerfacecolor="white", markeredgecolor=PENDING, markersize=8)


def _value_axis(ax: Axes, rubric: Rubric, headroom: float) -> None:
    top = rubric.meta.values.max
    ax.set_ylim(0, top + headroom)
    ax.set_yticks(range(top + 1), [str(v) for v in range(top + 1)])


def value_text(g: GroupScore) -> str:
    """'2,66' for a complete group, '2,17–2,83' for the range an incomplete one can still take."""
    low, high = g.published_range
    return decimal_text(low) if g.complete else f"{decimal_text(low)}–{decimal_text(high)}"


def target_label(ring: Decimal) -> str:
    return f"Target {TARGET_BAND} ({decimal_text(ring)})"


def wrap(text: str, width: int) -> str:
    """Lines of at most `width` characters, broken between words only."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text

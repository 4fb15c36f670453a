"""The what-if waterfall as SVG: index lift by indicator, drawn with matplotlib's Figure API (never pyplot).

A long plan stays readable: the largest steps get a bar each and the rest one bar holding their exact sum,
so the bars still add up from the current index to the scenario's.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from spbe.method.scoring import plain
from spbe.method.whatif import Change
from spbe.reports.charts import figure_bytes

if TYPE_CHECKING:  # imported where drawn: matplotlib loads on the first chart, not with the app
    from matplotlib.figure import Figure

UP, DOWN, TOTAL, LINE = "#1d7a3a", "#b3261e", "#0b5cad", "#5b6776"
MAX_STEPS = 8  # step bars at most: a longer plan shows its 7 largest steps and one bar for the rest


@dataclass(frozen=True)
class Step:
    """One bar between the two totals: a change (count 1, `change` set) or the sum of `count` smaller ones."""

    lift: Decimal
    count: int
    change: Change | None = None


def steps(changes: Sequence[Change], most: int = MAX_STEPS) -> list[Step]:
    """The bars between the totals: the largest lifts one by one (largest first), the rest as one exact sum."""
    by_size = sorted(changes, key=lambda c: (-abs(c.lift), c.indicator.id))
    shown = by_size if len(by_size) <= most else by_size[: most - 1]
    bars = [Step(c.lift, 1, c) for c in sorted(shown, key=lambda c: (-c.lift, c.indicator.id))]
    rest = by_size[len(shown):]
    if rest:
        bars.append(Step(sum((c.lift for c in rest), Decimal(0)), len(rest)))
    return bars


def _number(value: Decimal, lang: str, places: int = 4) -> str:
    """A value rounded half-up to `places` decimals without trailing zeros, with the language's decimal mark."""
    text = plain(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    return text.replace(".", ",") if lang == "id" else text


def _signed(value: Decimal, lang: str) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + _number(abs(value), lang)


def _name(step: Step, lang: str, others: Callable[[int], str]) -> str:
    """The x label: the indicator and its move, or 'N other steps' wrapped to fit under one bar."""
    if step.change is None:
        return textwrap.fill(others(step.count), 8)
    c = step.change
    return f"{c.indicator.id}\n{_number(c.before, lang)}→{_number(c.after, lang)}"


def waterfall_figure(start: Decimal, changes: Sequence[Change], labels: tuple[str, str, str], lang: str,
                     others: Callable[[int], str]) -> Figure:
    """Bars: the current index, each step's lift, the scenario's index; labels = (start, end, y axis)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    bars = steps(changes)
    end = start + sum((c.lift for c in changes), Decimal(0))
    fig = Figure(figsize=(max(4.5, 1.2 + 0.52 * (len(bars) + 2)), 3.6), layout="constrained")
    ax = fig.add_subplot()
    levels = [float(start)]
    ax.bar(0, levels[0], color=TOTAL, width=0.6)
    for x, step in enumerate(bars, start=1):
        lift = float(step.lift)
        ax.bar(x, lift, bottom=levels[-1], color=UP if lift > 0 else DOWN, width=0.6, gid=f"step-{x}")
        ax.plot([x - 1.3, x - 0.3], [levels[-1]] * 2, color=LINE, linewidth=0.8)
        ax.text(x, max(levels[-1], levels[-1] + lift), _signed(step.lift, lang), ha="center",
                va="bottom", fontsize=8)
        levels.append(levels[-1] + lift)
    last = len(bars) + 1
    ax.bar(last, float(end), color=TOTAL, width=0.6)
    ax.plot([last - 1.3, last - 0.3], [levels[-1]] * 2, color=LINE, linewidth=0.8)
    for x, value in ((0, start), (last, end)):
        ax.text(x, float(value), _number(value, lang, 2), ha="center", va="bottom", fontweight="bold")
    low, high = min(levels), max(levels)
    margin = max((high - low) * 0.35, 0.05)
    ax.set_ylim(low - margin, high + margin)
    names = [_name(s, lang, others) for s in bars]
    ax.set_xticks(range(last + 1), [labels[0], *names, labels[1]], fontsize=8)
    ax.set_ylabel(labels[2])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: _number(Decimal(f"{y:.4f}"), lang, 3)))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def waterfall_svg(start: Decimal, changes: Sequence[Change], labels: tuple[str, str, str], lang: str,
                  others: Callable[[int], str]) -> bytes:
    """The waterfall as SVG (see waterfall_figure)."""
    return figure_bytes(lambda: waterfall_figure(start, changes, labels, lang, others))

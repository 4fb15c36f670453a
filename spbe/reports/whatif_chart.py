"""The what-if waterfall as SVG: index lift by indicator, drawn with matplotlib's Figure API (never pyplot)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from spbe.method.scoring import plain
from spbe.method.whatif import Change
from spbe.reports.charts import figure_bytes

if TYPE_CHECKING:  # imported where drawn: matplotlib loads on the first chart, not with the app
    from matplotlib.figure import Figure

UP, DOWN, TOTAL, LINE = "#1d7a3a", "#b3261e", "#0b5cad", "#5b6776"


def _number(value: Decimal, lang: str, places: int = 4) -> str:
    """A value rounded half-up to `places` decimals without trailing zeros, with the language's decimal mark."""
    text = plain(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    return text.replace(".", ",") if lang == "id" else text


def _signed(value: Decimal, lang: str) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + _number(abs(value), lang)


def waterfall_svg(start: Decimal, changes: Sequence[Change], labels: tuple[str, str, str], lang: str) -> bytes:
    """Bars: the current index, each change's lift (largest first), the scenario's index; labels = (start, end, y)."""
    steps = sorted(changes, key=lambda c: -c.lift)
    end = start + sum((c.lift for c in steps), Decimal(0))
    def build() -> Figure:
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter

        fig = Figure(figsize=(max(5.5, 1.5 + 0.6 * (len(steps) + 2)), 3.8), layout="constrained")
        ax = fig.add_subplot()
        levels = [float(start)]
        ax.bar(0, levels[0], color=TOTAL, width=0.6)
        for x, change in enumerate(steps, start=1):
            lift = float(change.lift)
            ax.bar(x, lift, bottom=levels[-1], color=UP if lift > 0 else DOWN, width=0.6)
            ax.plot([x - 1.3, x - 0.3], [levels[-1]] * 2, color=LINE, linewidth=0.8)
            ax.text(x, max(levels[-1], levels[-1] + lift), _signed(change.lift, lang), ha="center",
                    va="bottom", fontsize=8)
            levels.append(levels[-1] + lift)
        last = len(steps) + 1
        ax.bar(last, float(end), color=TOTAL, width=0.6)
        ax.plot([last - 1.3, last - 0.3], [levels[-1]] * 2, color=LINE, linewidth=0.8)
        for x, value in ((0, start), (last, end)):
            ax.text(x, float(value), _number(value, lang, 2), ha="center", va="bottom", fontweight="bold")
        low, high = min(levels), max(levels)
        margin = max((high - low) * 0.35, 0.05)
        ax.set_ylim(low - margin, high + margin)
        names = [f"{c.indicator.id}\n{_number(c.before, lang)}→{_number(c.after, lang)}" for c in steps]
        ax.set_xticks(range(last + 1), [labels[0], *names, labels[1]], fontsize=8)
        ax.set_ylabel(labels[2])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: _number(Decimal(f"{y:.4f}"), lang, 3)))
        ax.spines[["top", "right"]].set_visible(False)
        return fig

    return figure_bytes(build)

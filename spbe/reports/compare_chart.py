"""SVG charts across years: a year-over-year comparison (bars per group with the national and the instansi
type's averages as marks), and the index history per rubric. Legends sit outside the plot, over no bar."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from spbe.method.scoring import GroupScore, Score
from spbe.method.yoy import GroupDelta
from spbe.reports.charts import PENDING, VALUE, figure_bytes

if TYPE_CHECKING:  # imported where drawn: matplotlib loads on the first chart, not with the app
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

LAST, PEER, NATIONAL = "#9db7d5", "#1d2733", "#b3261e"
WIDTH = 0.38


def _bars(ax: Axes, xs: list[float], groups: list[GroupScore], color: str, label: str) -> None:
    """Complete groups as solid bars, incomplete ones hatched at the lowest value they can still take."""
    solid = [(x, g) for x, g in zip(xs, groups, strict=True) if g.complete]
    hollow = [(x, g) for x, g in zip(xs, groups, strict=True) if not g.complete]
    ax.bar([x for x, _ in solid], [float(g.low) for _, g in solid], WIDTH, color=color, label=label)
    if hollow:
        ax.bar(
            [x for x, _ in hollow],
            [float(g.low) for _, g in hollow],
            WIDTH,
            color="white",
            edgecolor=PENDING,
            hatch="///",
        )


def _finish(ax: Axes, top: int, pending: Patch, pending_label: str, incomplete: bool) -> None:
    """Values 0 to `top`, no top/right frame, the legend in one row (with the incomplete mark if needed)."""
    handles, names = ax.get_legend_handles_labels()
    if incomplete:
        handles.append(pending)
        names.append(pending_label)
    ax.set_ylim(0, top + 0.6)
    ax.set_yticks(range(top + 1))
    ax.spines[["top", "right"]].set_visible(False)
    ax.get_figure().legend(handles, names, loc="outside upper left", fontsize=8, frameon=False,
                           ncols=min(len(handles), 5))


def _marks(ax: Axes, xs: list[int], values: list[Decimal | None], style: dict[str, object], label: str) -> None:
    """One average per group as a mark beside the bars (groups without a published average get none)."""
    marks = [(x, float(v)) for x, v in zip(xs, values, strict=True) if v is not None]
    if marks:
        ax.plot([x for x, _ in marks], [y for _, y in marks], linestyle="none", label=label, **style)


Averages = tuple[list[Decimal | None], list[Decimal | None]]  # (national, the instansi type's) per row


def compare_svg(rows: list[GroupDelta], averages: Averages, top: int,
                labels: tuple[str, str, str, str, str]) -> bytes:
    """The comparison chart as SVG (see compare_figure)."""
    return figure_bytes(lambda: compare_figure(rows, averages, top, labels))


def compare_figure(rows: list[GroupDelta], averages: Averages, top: int,
                   labels: tuple[str, str, str, str, str]) -> Figure:
    """Bars of `rows` (index, domains, aspects), both years, y to `top`, with (national, peer type) averages.

    labels: last year, this year, national average, the peer type's average, incomplete.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    last_label, this_label, national_label, peer_label, pending_label = labels
    national, peers = averages
    fig = Figure(figsize=(9, 4.2), layout="constrained")
    ax = fig.add_subplot()
    xs = list(range(len(rows)))
    _bars(ax, [x - WIDTH / 2 for x in xs], [r.before for r in rows], LAST, last_label)
    _bars(ax, [x + WIDTH / 2 for x in xs], [r.after for r in rows], VALUE, this_label)
    _marks(ax, xs, national, {"marker": "_", "color": NATIONAL, "markersize": 16, "markeredgewidth": 2.5},
           national_label)
    _marks(ax, xs, peers, {"marker": "D", "color": PEER, "markersize": 5}, peer_label)
    ax.set_xticks(xs, [r.id if r.level else r.name for r in rows])
    incomplete = any(not (r.before.complete and r.after.complete) for r in rows)
    _finish(ax, top, Patch(facecolor="white", edgecolor=PENDING, hatch="///"), pending_label, incomplete)
    return fig


def history_svg(series: list[tuple[str, list[tuple[int, Score]]]], top: int, pending_label: str) -> bytes:
    """The index per year, one line per (label, years) rubric; an incomplete year as its open range."""
    def build() -> Figure:
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch

        fig = Figure(figsize=(9, 3.6), layout="constrained")
        ax = fig.add_subplot()
        years = sorted({year for _, points in series for year, _ in points})
        for n, (label, points) in enumerate(series):
            color = (VALUE, LAST, PEER)[n % 3]
            ax.plot([y for y, _ in points], [float(s.overall.low) for _, s in points], "o-", color=color,
                    label=label)
            for year, s in points:
                if not s.complete:
                    ax.vlines(year, float(s.overall.low), float(s.overall.high), colors=PENDING,
                              linestyles="dotted")
        ax.set_xticks(years, [str(y) for y in years])
        incomplete = any(not s.complete for _, points in series for _, s in points)
        _finish(ax, top, Patch(facecolor="white", edgecolor=PENDING, linestyle="dotted"), pending_label, incomplete)
        return fig

    return figure_bytes(build)

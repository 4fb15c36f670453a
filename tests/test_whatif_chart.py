"""The what-if waterfall stays readable at any plan length: the largest steps one by one, the rest summed."""

from __future__ import annotations

from decimal import Decimal

import matplotlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.patches import Rectangle

from spbe.method.rubric import Rubric
from spbe.method.whatif import Change
from spbe.reports import charts
from spbe.reports.whatif_chart import MAX_STEPS, steps, waterfall_figure, waterfall_svg
from tests.test_charts import _boxes, _collisions, texts

LABELS = ("Penilaian 2022", "Skenario", "Indeks SPBE")
START = Decimal("2.1234")


def others(count: int) -> str:
    return f"{count} langkah lain"


def plan(rubric: Rubric, lifts: list[Decimal]) -> list[Change]:
    """One change per lift, on the rubric's indicators in order."""
    return [Change(ind, Decimal(1), Decimal(3), lift, Decimal(2)) for ind, lift in zip(rubric.indicators, lifts)]


def lifts_of(n: int) -> list[Decimal]:
    """n lifts of mixed size and sign, as an advisor's long plan has (a few large, many small, some lowered)."""
    return [Decimal((n * 37 + k * 53) % 400 - (60 if k % 7 == 3 else 0)) / 10000 for k in range(n)]


def drawn(fig) -> list[float]:
    """The heights of the step bars (between the two totals) in the figure."""
    return [p.get_height() for p in fig.axes[0].patches
            if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("step-")]


@pytest.mark.parametrize("n", [0, 1, 5, 8, 9, 36, 47])
def test_the_waterfall_has_at_most_eight_step_bars_that_add_up_and_no_text_overlaps(rubric, n):
    changes = plan(rubric, lifts_of(n))
    bars = steps(changes)
    with matplotlib.rc_context(charts._STYLE):
        fig = waterfall_figure(START, changes, LABELS, "id", others)
        assert _collisions(fig) == []
        words = [" ".join(t.split()) for t, _ in _boxes(fig)]
    assert len(bars) == min(n, MAX_STEPS) and drawn(fig) == pytest.approx([float(b.lift) for b in bars], abs=1e-9)
    assert sum((b.lift for b in bars), Decimal(0)) == sum((c.lift for c in changes), Decimal(0))
    grouped = n - (MAX_STEPS - 1)
    if n > MAX_STEPS:
        assert f"{grouped} langkah lain" in words and bars[-1].count == grouped
    else:
        assert not any("lain" in w for w in words) and all(b.count == 1 for b in bars)


def test_the_svg_names_the_largest_steps_and_the_group_with_its_exact_sum(rubric):
    changes = plan(rubric, [Decimal("0.05"), Decimal("-0.02"), *[Decimal("0.0011")] * 34])
    svg = " ".join(texts(waterfall_svg(START, changes, LABELS, "id", others)).split())
    assert "I01" in svg and "I02" in svg and "−0,02" in svg  # the lowering is among the largest steps
    assert "29 langkah lain" in svg and "+0,0319" in svg  # 29 × 0,0011
    assert "2,19" in svg  # the scenario: 2,1234 + 0,05 − 0,02 + 34 × 0,0011 = 2,1908
    assert "I07" in svg and "I08" not in svg  # equal lifts: the first by id are shown


lift = st.decimals(min_value=Decimal("-0.5"), max_value=Decimal("0.5"), places=6, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(lift, max_size=47))
def test_the_bars_sum_exactly_from_start_to_end_and_the_shown_steps_are_the_largest(rubric, lifts):
    changes = plan(rubric, lifts)
    bars = steps(changes)
    end = START + sum(lifts, Decimal(0))
    assert START + sum((b.lift for b in bars), Decimal(0)) == end  # exact: Decimal, no rounding
    assert sum(b.count for b in bars) == len(changes) and len(bars) <= MAX_STEPS
    shown = [b.change for b in bars if b.change is not None]
    hidden = [c for c in changes if c not in shown]
    assert len(hidden) != 1  # never a group of one
    if shown and hidden:
        assert min(abs(c.lift) for c in shown) >= max(abs(c.lift) for c in hidden)


@settings(max_examples=15, deadline=None)
@given(st.lists(lift, max_size=47), st.sampled_from(["id", "en"]))
def test_no_text_overlaps_at_any_lifts(rubric, lifts, lang):
    with matplotlib.rc_context(charts._STYLE):
        fig = waterfall_figure(START, plan(rubric, lifts), LABELS, lang, lambda n: f"{n} other steps")
        assert _collisions(fig) == []

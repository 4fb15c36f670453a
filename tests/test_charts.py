"""Charts are valid, deterministic SVG with Indonesian labels, drawn without pyplot, and survive gaps."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

import matplotlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from spbe.method.levels_file import read_levels
from spbe.method.peer_averages import NATIONAL, peer_averages
from spbe.method.rubric import Rubric, load_rubric
from spbe.method.scoring import Score, score
from spbe.method.yoy import compare
from spbe.ops.demo import DEMO_DATA
from spbe.reports import charts
from spbe.reports.compare_chart import compare_figure, compare_svg
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: bytes) -> str:
    """All text of an SVG, lines joined by spaces (wrapped labels become whole again)."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return " ".join(" ".join(t.itertext()).strip() for t in root.iter(f"{SVG}text"))


def demo_score(rubric: Rubric, year: int) -> Score:
    return score(rubric, read_levels(DEMO_DATA / f"kota-pasuruan-{year}.csv", rubric))


@pytest.fixture(scope="module")
def mini() -> Rubric:
    return load_rubric(ROOT / "tests" / "rubrics" / "mini-2099")


def test_the_target_is_where_the_baik_band_starts(rubric, mini):
    assert charts.target(rubric) == Decimal("2.60")
    assert charts.target(mini) == Decimal("2.5")


def test_the_radar_has_every_aspect_the_values_with_commas_and_the_target(rubric):
    words = " ".join(texts(charts.aspects_svg(rubric, demo_score(rubric, 2022))).split())
    for aspect in rubric.meta.aspects:
        assert aspect.name in words
    assert "3,50" in words and "Target Baik (2,60)" in words
    assert "Belum lengkap" not in words


def test_the_domain_bars_have_every_domain_and_the_target_line(rubric):
    words = " ".join(texts(charts.domains_svg(rubric, demo_score(rubric, 2022))).split())
    for domain in rubric.meta.domains:
        assert domain.name in words
    assert "1,27" in words and "Target Baik (2,60)" in words


def test_incomplete_groups_are_drawn_at_their_low_end_and_marked(rubric):
    levels = read_levels(DEMO_DATA / "kota-pasuruan-2021.csv", rubric)
    result = score(rubric, {k: v for k, v in levels.items() if k != "I47"})  # 2021 without indicator 47
    radar, bars = charts.aspects_svg(rubric, result), charts.domains_svg(rubric, result)
    assert "2,17–2,83" in texts(radar) and "Belum lengkap" in texts(radar)
    assert "2,37–2,63" in texts(bars) and "Belum lengkap" in texts(bars)
    assert b"<pattern" in bars  # the hatched bar


def test_an_empty_assessment_does_not_crash(rubric):
    empty = score(rubric, {})
    assert "1,00–5,00" in texts(charts.aspects_svg(rubric, empty))
    assert "1,00–5,00" in texts(charts.domains_svg(rubric, empty))


def test_a_rubric_without_domains_shows_its_aspects_in_the_bar_chart(mini):
    result = score(mini, {"I1": Decimal("2.75"), "I2": Decimal(3), "I3": Decimal("4.5")})
    words = texts(charts.domains_svg(mini, result))
    assert all(a.name in words for a in mini.meta.aspects)
    assert "Target Baik (2,50)" in words


def test_the_same_score_gives_the_same_bytes(rubric):
    result = demo_score(rubric, 2022)
    assert charts.aspects_svg(rubric, result) == charts.aspects_svg(rubric, result)
    assert charts.domains_svg(rubric, result) == charts.domains_svg(rubric, result)


def test_spbe_never_imports_pyplot():
    code = (
        "import sys\n"
        "from spbe import app\n"
        "from spbe.reports import charts\n"
        "from spbe.method.rubric import get_rubric\n"
        "from spbe.method.scoring import score\n"
        "r = get_rubric('spbe-2021')\n"
        "app.create_app(); charts.aspects_svg(r, score(r, {})); charts.domains_svg(r, score(r, {}))\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)


def _boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Every visible text of a rendered figure with its box on the canvas (a legend as one box)."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    legends = list(fig.legends)
    in_legend = {id(t) for legend in legends for t in legend.get_texts()}
    found = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip() and id(t) not in in_legend]
    return found + [("legend", legend.get_window_extent(renderer)) for legend in legends]


def _collisions(fig: Figure) -> list[tuple[str, str]]:
    boxes = _boxes(fig)
    return [(a, b) for n, (a, box) in enumerate(boxes) for b, other in boxes[n + 1:] if box.overlaps(other)]


def _drawn(draw, rubric: Rubric, values: dict[str, Decimal]) -> Figure:
    with matplotlib.rc_context(charts._STYLE):
        fig = draw(rubric, score(rubric, values))
        _boxes(fig)  # measured under the same style the chart is saved with
    return fig


def _by_aspect(rubric: Rubric, pattern: list[int | None]) -> dict[str, Decimal]:
    """Every indicator of the n-th aspect at pattern[n % len] (None: unanswered, a range)."""
    values = {}
    for n, aspect in enumerate(rubric.meta.aspects):
        level = pattern[n % len(pattern)]
        if level is not None:
            values.update({i.id: Decimal(level) for i in rubric.indicators_of_aspect(aspect.id)})
    return values


WORST = [[5, 1], [1, 5], [5, 5], [1, 1], [5, 1, None], [None], [None, 5], [1, None, 5]]


@pytest.mark.parametrize("pattern", WORST, ids=str)
@pytest.mark.parametrize("draw", [charts.aspects_figure, charts.domains_figure], ids=["radar", "bars"])
def test_no_label_overlaps_another_at_the_extremes(rubric, draw, pattern):
    fig = _drawn(draw, rubric, _by_aspect(rubric, pattern))
    with matplotlib.rc_context(charts._STYLE):
        assert _collisions(fig) == []
        texts_drawn = [t for t, _ in _boxes(fig)]
    result = score(rubric, _by_aspect(rubric, pattern))
    groups = result.aspects.values() if draw is charts.aspects_figure else result.domains.values()
    values = [charts.value_text(g) for g in groups]
    assert sorted(t for t in texts_drawn if t in set(values)) == sorted(values)  # every value, once


def test_the_pemdi_aspects_and_their_long_names_do_not_collide(rubric):
    pemdi = load_rubric(ROOT / "rubric" / "pemdi-2026")
    for draw in (charts.aspects_figure, charts.domains_figure):
        for pattern in ([5, 1], [None]):
            fig = _drawn(draw, pemdi, _by_aspect(pemdi, pattern))
            with matplotlib.rc_context(charts._STYLE):
                assert _collisions(fig) == []


@settings(max_examples=12, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=8, max_size=8))
def test_no_label_overlaps_at_any_values(rubric, levels):
    for draw in (charts.aspects_figure, charts.domains_figure):
        fig = _drawn(draw, rubric, _by_aspect(rubric, levels))
        with matplotlib.rc_context(charts._STYLE):
            assert _collisions(fig) == []


def test_the_comparison_chart_marks_the_national_and_the_peer_type_averages_clear_of_every_text(rubric):
    levels = {year: read_levels(DEMO_DATA / f"kota-pasuruan-{year}.csv", rubric) for year in (2021, 2022)}
    groups = compare(rubric, levels[2021], levels[2022]).groups
    peers = peer_averages(rubric, 2022)
    national = [peers.value(NATIONAL, g.id) for g in groups]
    kota = [peers.value("kota", g.id) for g in groups]
    labels = ("2021", "2022", "Rata-rata nasional", "Rata-rata Kota", "Belum lengkap")
    with matplotlib.rc_context(charts._STYLE):
        fig = compare_figure(groups, (national, kota), 5, labels)
        assert _collisions(fig) == []
    marks = {line.get_label(): list(line.get_ydata()) for line in fig.axes[0].lines}
    assert marks["Rata-rata nasional"] == [float(v) for v in national] and len(national) == 13
    assert marks["Rata-rata Kota"] == [float(v) for v in kota]
    assert national[0] == Decimal("2.35") and kota[0] == Decimal("2.50")  # the seed's index averages
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert sorted(legend) == ["2021", "2022", "Rata-rata Kota", "Rata-rata nasional"]  # both years complete
    svg = compare_svg(groups, (national, kota), 5, labels)
    assert "Rata-rata nasional" in texts(svg)

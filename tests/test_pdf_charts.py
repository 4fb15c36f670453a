"""The summary PDF's charts, drawn by fpdf2: every name and value once, no text over another or over a dot."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from spbe.method.levels_file import read_levels
from spbe.method.rubric import Rubric, load_rubric
from spbe.method.scoring import Score, score
from spbe.ops.demo import DEMO_DATA
from spbe.reports import pdf_charts
from spbe.reports.charts import value_text
from spbe.reports.pack.summary_pdf import _Pdf
from tests.conftest import ROOT
from tests.test_charts import WORST
from tests.test_charts import _by_aspect as by_aspect  # the same worst cases as the web's charts

AREAS = {pdf_charts.radar: (20, 30, 170, 125), pdf_charts.bars: (20, 165, 170, 85)}  # as the summary draws them


def drawn(draw, rubric: Rubric, result: Score, unicode: bool = False) -> tuple[pdf_charts.Chart, str]:
    """One chart drawn on a summary page (in Helvetica, or DejaVu Sans), and the page's text as read back."""
    pdf = _Pdf("uji", unicode)
    pdf.add_page()
    pdf.set_font(pdf.text_font, "", 9)
    chart = draw(pdf, rubric, result, *AREAS[draw])
    page = PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0]
    assert "/XObject" not in page["/Resources"]  # vector drawing and text, no image
    return chart, " ".join(page.extract_text().split())


def check(draw, rubric: Rubric, result: Score, unicode: bool = False) -> None:
    """Every text inside the chart, over no other text and no dot; every value once; every name."""
    chart, _ = drawn(draw, rubric, result, unicode)
    boxes = chart.texts
    x, y, w, h = AREAS[draw]
    assert all(box.within(x, y, x + w, y + h) for box in boxes), "a text outside its chart"
    clashes = [(a.text, b.text) for n, a in enumerate(boxes) for b in boxes[n + 1:] if a.overlaps(b)]
    assert clashes == []
    assert [b.text for b in boxes for dot in chart.points if b.overlaps(dot)] == []
    groups = list(result.aspects.values()) if draw is pdf_charts.radar else (
        list(result.domains.values()) or list(result.aspects.values()))
    values = sorted(value_text(g) for g in groups)
    assert sorted(b.text for b in boxes if b.text in set(values)) == values  # every value, once
    names = " ".join(" ".join(b.text.split()) for b in boxes)
    assert all(g.name in names for g in groups)


def test_the_demo_charts_read_as_the_page_charts_do(rubric):
    result = score(rubric, read_levels(DEMO_DATA / "kota-pasuruan-2022.csv", rubric))
    _, radar = drawn(pdf_charts.radar, rubric, result)
    assert "3,50" in radar and "Target Baik (2,60)" in radar and "Belum lengkap" not in radar
    assert "Kebijakan Internal Tata Kelola SPBE" in radar
    _, bars = drawn(pdf_charts.bars, rubric, result)
    assert "1,27" in bars and "Manajemen SPBE" in bars and "Target Baik (2,60)" in bars


def test_incomplete_groups_show_their_range_and_the_legend_says_so(rubric):
    levels = read_levels(DEMO_DATA / "kota-pasuruan-2021.csv", rubric)
    result = score(rubric, {k: v for k, v in levels.items() if k != "I47"})
    _, radar = drawn(pdf_charts.radar, rubric, result)
    _, bars = drawn(pdf_charts.bars, rubric, result)
    assert "2,17–2,83" in radar and "Belum lengkap (batas bawah–atas)" in radar
    assert "2,37–2,63" in bars and "Belum lengkap (batas bawah–atas)" in bars


@pytest.mark.parametrize("pattern", WORST, ids=str)
@pytest.mark.parametrize("draw", [pdf_charts.radar, pdf_charts.bars], ids=["radar", "bars"])
@pytest.mark.parametrize("unicode", [False, True], ids=["helvetica", "dejavu"])
def test_no_text_overlaps_another_at_the_extremes(rubric, draw, pattern, unicode):
    check(draw, rubric, score(rubric, by_aspect(rubric, pattern)), unicode)


def test_the_pemdi_aspects_and_a_rubric_without_domains_fit(rubric):
    pemdi = load_rubric(ROOT / "rubric" / "pemdi-2026")
    mini = load_rubric(ROOT / "tests" / "rubrics" / "mini-2099")
    for other in (pemdi, mini):
        for pattern in ([5, 1], [None], [1, 5, None]):
            for draw in (pdf_charts.radar, pdf_charts.bars):
                check(draw, other, score(other, by_aspect(other, pattern)), unicode=True)
                check(draw, other, score(other, by_aspect(other, pattern)))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=8, max_size=8))
def test_no_text_overlaps_at_any_values(rubric, levels):
    for draw in (pdf_charts.radar, pdf_charts.bars):
        check(draw, rubric, score(rubric, by_aspect(rubric, levels)))

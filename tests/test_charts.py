"""Charts are valid, deterministic SVG with Indonesian labels, drawn without pyplot, and survive gaps."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from spbe.method.levels_file import read_levels
from spbe.method.rubric import Rubric, load_rubric
from spbe.method.scoring import Score, score
from spbe.ops.demo import DEMO_DATA
from spbe.reports import charts
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
        assert domain.short_name in words
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

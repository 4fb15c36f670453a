"""Scoring pemdi-2026: the interim asesor result for Aceh Tengah, precision, band edges and decimal inputs."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spbe.method.external import values_with_external
from spbe.method.levels_file import LevelsFileError, parse_levels, read_levels
from spbe.method.rubric import Rubric, get_rubric
from spbe.method.scoring import score

GOLDEN = Path(__file__).resolve().parents[1] / "spbe" / "ops" / "demo_data" / "aceh-tengah-2026-pemdi.csv"
ASPECTS_2026 = ["1.75", "1.28", "1.00", "1.17", "1.08", "1.40", "1.18"]


@pytest.fixture(scope="module")
def pemdi() -> Rubric:
    return get_rubric("pemdi-2026")


def test_aceh_tengah_2026_reproduces_the_interim_asesor_result(pemdi):
    result = score(pemdi, read_levels(GOLDEN, pemdi))
    assert result.complete and result.answered == 20 and result.domains == {}
    assert [str(result.aspects[f"A{n}"].published) for n in range(1, 8)] == ASPECTS_2026
    assert result.index == D("1.241335") and result.index_published == D("1.24")
    assert result.predikat == "Kurang"


def test_external_indicators_left_out_count_as_1_and_give_the_same_result(pemdi):
    values = {k: v for k, v in read_levels(GOLDEN, pemdi).items() if k not in pemdi.external_ids}
    assert score(pemdi, values).index is None
    filled = values_with_external(pemdi, values, {})
    assert {filled[i] for i in pemdi.external_ids} == {D(1)}
    assert score(pemdi, filled).index == D("1.241335")


def test_an_indicator_of_7_6_gives_aspect_5_equal_to_1_08_not_1_09(pemdi):
    # A5 = (5 × 7/6 + 5 × 1) / 10 = 1.0833; the value rounded to 2 places (1.17) would publish 1.09.
    assert score(pemdi, {"I13": D("1.1667"), "I14": D(1)}).aspects["A5"].published == D("1.08")
    assert score(pemdi, {"I13": D("1.17"), "I14": D(1)}).aspects["A5"].published == D("1.09")


@pytest.mark.parametrize(
    ("published", "predikat"),
    [("1.00", "Kurang"), ("1.49", "Kurang"), ("1.50", "Cukup"), ("2.49", "Cukup"), ("2.50", "Baik"),
     ("3.49", "Baik"), ("3.50", "Sangat Baik"), ("3.99", "Sangat Baik"), ("4.00", "Memuaskan"),
     ("5.00", "Memuaskan")],
)
def test_predikat_band_edges(pemdi, published, predikat):
    assert pemdi.predikat(D(published)) == predikat


def test_an_index_of_1_495_is_published_as_1_50_and_is_cukup(pemdi):
    # All at 1, then I20 (15 %) at 1.0 + 0.495 / 0.15 = 4.3 adds exactly 0.495.
    values = {i.id: D(1) for i in pemdi.indicators} | {"I20": D("4.3")}
    result = score(pemdi, values)
    assert result.index == D("1.495") and result.index_published == D("1.50") and result.predikat == "Cukup"


def test_decimal_values_are_read_from_json_strings_and_csv(pemdi):
    assert parse_levels(b'{"I13": "1.1667"}', "nilai.json", pemdi) == {"I13": D("1.1667")}
    assert parse_levels(b"indikator,nilai\nI13,1.1667\n", "nilai.csv", pemdi) == {"I13": D("1.1667")}
    assert parse_levels(b"indikator;nilai\nI13;1,1667\n", "nilai.csv", pemdi) == {"I13": D("1.1667")}


@pytest.mark.parametrize(
    ("raw", "message"),
    [("0.5", r"nilai 0.5 di luar rentang 1–5"), ("5.01", r"nilai 5.01 di luar rentang 1–5"),
     ("abc", r"nilai 'abc' bukan angka"),
     ("1.16667", r"nilai 1.16667 terlalu banyak angka desimal: rubrik pemdi-2026 menerima paling banyak 4")],
)
def test_bad_decimal_values_are_refused_with_a_message(pemdi, raw, message):
    with pytest.raises(LevelsFileError, match=rf"baris 2: {message}"):
        parse_levels(f"indikator,nilai\nI13,{raw}\n".encode(), "nilai.csv", pemdi)


def test_trailing_zeros_do_not_count_as_extra_decimals(pemdi):
    assert parse_levels(b"indikator,nilai\nI13,1.500000\n", "nilai.csv", pemdi) == {"I13": D("1.5")}


def test_spbe_2021_still_takes_whole_levels_only():
    with pytest.raises(LevelsFileError, match=r"tingkat 2.5 harus bilangan bulat"):
        parse_levels(b"indikator,level\nI01,2.5\n", "level.csv", get_rubric("spbe-2021"))


values_4dp = st.decimals(min_value=1, max_value=5, places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_the_index_is_the_aspect_values_weighted_by_their_aspect_weights(pemdi, data):
    values = data.draw(st.fixed_dictionaries({i.id: values_4dp for i in pemdi.indicators}))
    result = score(pemdi, values)
    assert D(1) <= result.index <= D(5)
    recombined = sum(a.weight * result.aspects[a.id].value for a in pemdi.meta.aspects) / 100
    assert abs(recombined - result.index) < D("1e-30")
    assert result.index == sum(i.weight * values[i.id] for i in pemdi.indicators) / 100
    assert result.predikat == pemdi.predikat(result.index_published)

"""Indicators valued from other agencies' indices: conversions at their edges, pending values, the schema."""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

from spbe.method.external import check_external, convert_external, values_with_external
from spbe.method.rubric import Rubric, RubricError, get_rubric, load_rubric
from spbe.method.scoring import ValueProblem

MINI = Path(__file__).parent / "rubrics" / "mini-2099"


@pytest.fixture(scope="module")
def pemdi() -> Rubric:
    return get_rubric("pemdi-2026")


def convert(rubric: Rubric, ind: str, raw: str) -> D:
    return convert_external(rubric.indicator_by_id[ind], raw, rubric.meta.values.decimals)


@pytest.mark.parametrize(
    ("ind", "source", "value"),
    [  # Indeks SDI 0–100: band edges onto 1 / 1.5 / 2.5 / 3.5 / 4 / 5, and the modul's worked examples
        ("I05", "0", "1"), ("I05", "12.5", "1.5"), ("I05", "25", "2"), ("I05", "37.5", "2.5"),
        ("I05", "62.5", "3.5"), ("I05", "68.75", "3.75"), ("I05", "75", "4"), ("I05", "100", "5"),
        ("I05", "33,33", "2.3332"), ("I18", "12.5", "1.5"), ("I18", "100", "5"),
        # Indeks SJIG 1–5: the value is the index
        ("I06", "1", "1"), ("I06", "3.27", "3.27"), ("I06", "5", "5"),
        # IPS (EPSS) 1–5, fallback rule: EPSS bands 1.8 / 2.6 / 3.5 / 4.2 onto the predikat bands
        ("I07", "1", "1"), ("I07", "1.8", "1.5"), ("I07", "2.6", "2.5"), ("I07", "3.5", "3.5"),
        ("I07", "4.2", "4"), ("I07", "5", "5"), ("I07", "2", "1.75"), ("I07", "3.9", "3.7857"),
    ],
)
def test_external_indices_convert_at_their_edges(pemdi, ind, source, value):
    assert convert(pemdi, ind, source) == D(value)


@pytest.mark.parametrize(
    ("ind", "source", "message"),
    [("I05", "-0.01", r"indeks -0.01 untuk I05 di luar rentang 0–100"),
     ("I05", "100.5", r"di luar rentang 0–100 \(Indeks Satu Data Indonesia"),
     ("I07", "0.9", r"indeks 0.9 untuk I07 di luar rentang 1–5"),
     ("I05", "tinggi", r"nilai 'tinggi' bukan angka"),
     ("I13", "50", r"indikator I13 tidak dinilai dari indeks eksternal")],
)
def test_a_source_index_outside_its_range_or_on_a_self_assessed_indicator_is_refused(pemdi, ind, source, message):
    with pytest.raises(ValueProblem, match=message):
        convert(pemdi, ind, source)


def test_a_pending_external_value_counts_as_1(pemdi):
    filled = values_with_external(pemdi, {"I01": D(3)}, {"I05": D("68.75")})
    assert filled == {"I01": D(3), "I05": D("3.75"), "I06": D(1), "I07": D(1), "I18": D(1)}


def test_an_external_value_already_given_as_a_converted_value_is_kept(pemdi):
    assert values_with_external(pemdi, {"I06": D("3.2")}, {})["I06"] == D("3.2")


def test_an_indicator_given_both_as_value_and_as_source_index_is_refused(pemdi):
    with pytest.raises(ValueProblem, match=r"I05 diisi sebagai nilai dan sebagai indeks eksternal"):
        values_with_external(pemdi, {"I05": D(2)}, {"I05": D(25)})
    with pytest.raises(ValueProblem, match=r"indikator I13 tidak dinilai dari indeks eksternal"):
        values_with_external(pemdi, {}, {"I13": D(25)})


def test_check_external_names_every_bad_row(pemdi):
    items = [("baris 2", "5", "25"), ("baris 3", "I99", "1"), ("baris 4", "I05", "30"), ("baris 5", "I07", "9")]
    with pytest.raises(ValueProblem) as e:
        check_external(pemdi, items)
    lines = str(e.value).splitlines()
    assert [line.split(":")[0] for line in lines] == ["baris 3", "baris 4", "baris 5"]
    assert check_external(pemdi, [("baris 2", "i5", "68,75")]) == {"I05": D("68.75")}


VALID = """
external:
  source: Indeks Uji
  agency: Badan Uji
  input_min: 0
  input_max: 100
  points: [[0, 1], [50, 3], [100, 5]]
  confidence: inferred
  note: Untuk pengujian.
"""


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini-2099"
    shutil.copytree(MINI, folder)
    return folder


def add_external(folder: Path, block: str) -> None:
    path = folder / "indicators" / "I1.yaml"
    path.write_text(path.read_text(encoding="utf-8") + block, encoding="utf-8")


def test_a_valid_external_block_loads_and_converts(mini):
    add_external(mini, VALID)
    rubric = load_rubric(mini)
    assert rubric.external_ids == {"I1"}
    assert convert(rubric, "I1", "25") == D(2)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [("input_max: 100", "input_max: 0", r"input_min 0 must be below input_max 0"),
     ("[[0, 1], [50, 3], [100, 5]]", "[[10, 1], [50, 3], [100, 5]]", r"points must run from input_min 0"),
     ("[[0, 1], [50, 3], [100, 5]]", "[[0, 1], [60, 3], [50, 4], [100, 5]]",
      r"point sources must increase strictly"),
     ("[[0, 1], [50, 3], [100, 5]]", "[[0, 0.5], [50, 3], [100, 5]]", r"point values must lie within 1–5"),
     ("[[0, 1], [50, 3], [100, 5]]", "[[0, 1], [50, 4], [100, 3]]", r"point values must not decrease"),
     ("confidence: inferred", "confidence: sure", r"field external.confidence"),
     ("note: Untuk pengujian.", "note: ''", r"field external.note")],
)
def test_a_broken_external_block_fails_naming_the_indicator_and_the_reason(mini, old, new, message):
    add_external(mini, VALID.replace(old, new))
    with pytest.raises(RubricError, match=message):
        load_rubric(mini)


def test_an_external_block_needs_a_rubric_with_decimal_values(mini):
    add_external(mini, VALID)
    meta = mini / "rubric.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("decimals: 2", "decimals: 0"), encoding="utf-8")
    with pytest.raises(RubricError, match=r"indicator I1: external: a converted index needs .*decimals > 0"):
        load_rubric(mini)


def test_a_level_confidence_outside_the_vocabulary_is_refused(mini):
    path = mini / "indicators" / "I2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "1: {criteria: Tingkat satu.,", "1: {confidence: probably, criteria: Tingkat satu.,"), encoding="utf-8")
    with pytest.raises(RubricError, match=r"I2.yaml: field levels.1.confidence"):
        load_rubric(mini)

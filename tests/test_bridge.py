"""The unofficial bridge from spbe-2021 to pemdi-2026: checked on load, suggestions within 1–5 and repeatable."""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

from spbe.method.bridge import load_bridge, suggest_values
from spbe.method.levels_file import read_levels
from spbe.method.rubric import RubricError, available_rubrics, get_rubric

ROOT = Path(__file__).resolve().parents[1]
BRIDGE = ROOT / "rubric" / "bridges" / "spbe-2021-to-pemdi-2026.yaml"
PASURUAN_2022 = ROOT / "spbe" / "ops" / "demo_data" / "kota-pasuruan-2022.csv"
SPBE, PEMDI = get_rubric("spbe-2021"), get_rubric("pemdi-2026")


def test_the_bridge_loads_is_versioned_and_marked_unofficial():
    bridge = load_bridge(BRIDGE)
    assert (bridge.from_rubric, bridge.to_rubric) == ("spbe-2021", "pemdi-2026")
    assert bridge.version and bridge.official is False and "pemdi-2026.md" in bridge.source


def test_every_pemdi_indicator_has_a_link_and_every_mapped_id_exists_in_spbe():
    bridge = load_bridge(BRIDGE)
    assert set(bridge.links) == set(PEMDI.indicator_by_id)
    mapped = {i for link in bridge.links.values() for i in link.main + link.related}
    assert mapped <= set(SPBE.indicator_by_id)
    assert {k for k, link in bridge.links.items() if link.method == "none"} >= PEMDI.external_ids


def test_suggestions_for_kota_pasuruan_2022_are_within_1_and_5_and_repeatable():
    bridge = load_bridge(BRIDGE)
    levels = read_levels(PASURUAN_2022, SPBE)
    first = suggest_values(bridge, SPBE, PEMDI, levels)
    assert first == suggest_values(load_bridge(BRIDGE), SPBE, PEMDI, dict(reversed(levels.items())))
    assert list(first) == [i.id for i in PEMDI.indicators]
    for ind, s in first.items():
        assert s.note, ind
        if s.value is not None:
            assert D(1) <= s.value <= D(5) and s.from_indicators, ind
    # I04 <- Tim Koordinasi (4) and Kolaborasi Penerapan (3), equal weights 2.5 %
    assert first["I04"].value == D("3.5") and first["I04"].from_indicators == ("I19", "I20")
    # I10 <- kebijakan (level 3, 1.3 %) and penerapan (level 1, 1.5 %) manajemen keamanan informasi
    assert first["I10"].value == D("1.9286")
    assert first["I05"].value is None and "Satu Data" in first["I05"].note


def test_a_suggestion_leaves_out_unanswered_predecessors_and_says_so():
    bridge = load_bridge(BRIDGE)
    out = suggest_values(bridge, SPBE, PEMDI, {"I19": D(4)})
    assert out["I04"].value == D(4) and out["I04"].from_indicators == ("I19",)
    assert "Tanpa I20" in out["I04"].note
    assert out["I03"].value is None and "Belum ada tingkat untuk I25" in out["I03"].note


def test_suggesting_with_the_wrong_rubrics_is_refused():
    with pytest.raises(ValueError, match=r"maps spbe-2021 to pemdi-2026, not pemdi-2026 to spbe-2021"):
        suggest_values(load_bridge(BRIDGE), PEMDI, SPBE, {})


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [("main: [I25]", "main: [I25, I99]", r"links.I03: I99 not indicators of spbe-2021"),
     ("  I20:\n", "  I21:\n", r"links missing for pemdi-2026 indicators I20; links.I21: not an indicator"),
     ("main: [I03, I23]\n    method: none", "main: [I03, I23]\n    method: weighted_mean",
      r"links.I05: valued from an external index, so method must be none"),
     ("main: [I25]", "main: []", r"field links.I03: Value error, weighted_mean needs at least one main"),
     ("main: [I16, I17]", "main: [I16, I05]", r"an indicator is listed twice"),
     ("official: false", "official: maybe", r"field official"),
     ("to_rubric: pemdi-2026", "to_rubric: pemdi-2099", r"unknown rubric 'pemdi-2099'")],
)
def test_a_broken_bridge_fails_naming_the_file_and_the_problem(tmp_path, old, new, message):
    path = tmp_path / BRIDGE.name
    text = BRIDGE.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RubricError, match=message):
        load_bridge(path)


def test_the_bridge_folder_is_not_taken_for_a_rubric_version(tmp_path):
    shutil.copytree(ROOT / "rubric", tmp_path / "rubric")
    assert "bridges" not in available_rubrics(tmp_path / "rubric")

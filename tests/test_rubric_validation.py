"""Loading refuses a broken rubric with the file, the field and the reason; a new version needs no code."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

from spbe.method import rubric as rubric_module
from spbe.method.rubric import RubricError, available_rubrics, get_rubric, load_rubric
from spbe.method.scoring import score

RUBRICS = Path(__file__).parent / "rubrics"
REAL = Path(__file__).resolve().parents[1] / "rubric"


def test_a_second_rubric_version_is_a_new_folder_of_data_and_scores_without_code_changes(tmp_path):
    shutil.copytree(REAL / "spbe-2021", tmp_path / "spbe-2021")
    shutil.copytree(RUBRICS / "mini-2099", tmp_path / "mini-2099")
    assert available_rubrics(tmp_path) == ["mini-2099", "spbe-2021"]
    mini = get_rubric("mini-2099", root=tmp_path)
    assert mini.meta.domains == [] and mini.meta.provisional
    result = score(mini, {"I1": D("1.17"), "I2": D("2.5"), "I3": D(4)})
    # A1 = 1.17; A2 = (25 × 2.5 + 35 × 4) / 60 = 3.375; index = (40 × 1.17 + 62.5 + 140) / 100 = 2.4930
    assert result.aspects["A2"].value == D("3.375")
    assert result.index == D("2.493") and result.index_published == D("2.49")
    assert result.predikat == "Cukup" and result.domains == {}


def test_an_unknown_rubric_id_names_the_available_ones():
    with pytest.raises(RubricError, match="unknown rubric 'spbe-1999'.*spbe-2021"):
        get_rubric("spbe-1999")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    folder = tmp_path / "mini-2099"
    shutil.copytree(RUBRICS / "mini-2099", folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("indicators/I2.yaml", "weight: 25", "weight: 20",
         r"aspect A2: indicator weights add up to 55, not to the aspect weight 60"),
        ("rubric.yaml", "weight: 60}", "weight: 50}", r"aspect weights add up to 90, not to 100"),
        ("indicators/I3.yaml", "aspect: A2", "aspect: A9", r"indicator I3: aspect 'A9' does not exist"),
        ("indicators/I3.yaml", "id: I3", "id: I2", r"I3.yaml: field id: 'I2' does not match the file name"),
        ("indicators/I1.yaml", "  5: {criteria", "  6: {criteria",
         r"indicator I1: levels must be exactly \[1, 2, 3, 4, 5\], got \[1, 2, 3, 4, 6\]"),
        ("indicators/I1.yaml", "scale: umum", "scale: umum\ncolour: red", r"I1.yaml: field colour: Extra inputs"),
        ("indicators/I1.yaml", "weight: 40", "weight: banyak", r"I1.yaml: field weight: .*decimal"),
        ("rubric.yaml", "{name: Cukup, min: 1.5,", "{name: Cukup, min: 1.6,",
         r"bands: gap between Kurang \(ends 1.5\) and Cukup \(starts 1.6\)"),
        ("rubric.yaml", "{name: Baik, min: 2.5,", "{name: Baik, min: 2.4,",
         r"bands: Cukup \(ends 2.5\) overlaps Baik \(starts 2.4\)"),
        ("rubric.yaml", "max: 5}", "max: 4.5}", r"the last band ends at 4.5, not at the scale maximum 5"),
        ("rubric.yaml", "domains: []", "domains: [{id: D1, number: 1, name: X, weight: 100}]",
         r"aspect A1: domain None does not exist"),
        ("rubric.yaml", "schema_version: 1", "schema_version: 7", r"schema_version 7 is not supported"),
        ("indicators/I2.yaml", "criteria: Tingkat dua.", "criteria: ''", r"I2.yaml: field levels.2.criteria"),
        ("rubric.yaml", "  - {id: A2,", "  - {id: A1,", r"aspects: id A1 is used more than once"),
    ],
)
def test_a_broken_rubric_fails_naming_the_file_field_and_reason(mini, file, old, new, message):
    edit(mini / file, old, new)
    with pytest.raises(RubricError, match=message):
        load_rubric(mini)


def test_invalid_yaml_is_reported_with_its_file(mini):
    (mini / "indicators" / "I2.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"I2.yaml: not valid YAML"):
        load_rubric(mini)


def test_a_duplicate_indicator_number_in_two_files_is_refused(mini):
    shutil.copy(mini / "indicators" / "I3.yaml", mini / "indicators" / "I4.yaml")
    edit(mini / "indicators" / "I4.yaml", "id: I3", "id: I4")
    with pytest.raises(RubricError, match=r"aspect A2: indicator weights add up to 95"):
        load_rubric(mini)



def test_a_changed_rubric_file_is_seen_after_the_recheck_interval(tmp_path, monkeypatch):
    """get_rubric serves its cached rubric without looking at the files for RECHECK_SECONDS, then reloads."""
    shutil.copytree(REAL / "spbe-2021", tmp_path / "spbe-2021")
    clock = [1000.0]
    monkeypatch.setattr(rubric_module.time, "monotonic", lambda: clock[0])
    first = get_rubric("spbe-2021", root=tmp_path)
    path = tmp_path / "spbe-2021" / "indicators" / "I01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("aliases: []", 'aliases: ["baru"]', 1))
    later = path.stat().st_mtime + 5
    os.utime(path, (later, later))
    assert get_rubric("spbe-2021", root=tmp_path) is first  # within the interval: the files are not looked at
    clock[0] += rubric_module.RECHECK_SECONDS
    again = get_rubric("spbe-2021", root=tmp_path)
    assert again is not first and again.indicator_by_id["I01"].aliases == ["baru"]

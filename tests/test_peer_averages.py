"""Peer averages: the 2022 table matches KemenPANRB's as printed in the seed, and a broken file is refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from spbe.method.peer_averages import GROUPS, NATIONAL, load_peer_averages, peer_averages, peer_years
from spbe.method.rubric import RubricError, get_rubric, rubric_root
from spbe.store.models import InstansiKind

TABLE = rubric_root() / "spbe-2021" / "peer-averages" / "2022.yaml"


# Cells of the seed's table "Indeks — Rata-rata Nilai" (LKJIP 2022 Kota Pasuruan, Pemantauan SPBE 2022).
@pytest.mark.parametrize(
    ("group", "scope", "value"),
    [
        ("nasional", "index", "2.35"),
        ("kementerian", "index", "3.14"),
        ("kota", "index", "2.50"),
        ("lpnk", "D1", "2.88"),
        ("kementerian", "D2", "2.86"),
        ("kabupaten", "D3", "1.21"),
        ("provinsi", "D4", "3.45"),
        ("lembaga_lainnya", "A2", "1.90"),
        ("kota", "A3", "2.11"),
        ("lembaga_lainnya", "A4", "1.83"),
        ("lpnk", "A5", "1.62"),
        ("kabupaten", "A6", "1.15"),
        ("nasional", "A7", "3.03"),
        ("lembaga_lainnya", "A8", "2.55"),
        ("kota", "D2", "1.98"),
        ("kota", "D4", "3.18"),
    ],
)
def test_the_2022_table_matches_the_seed(rubric, group, scope, value):
    assert peer_averages(rubric, 2022).value(group, scope) == D(value)


def test_the_table_has_every_group_and_every_index_domain_and_aspect(rubric):
    table = peer_averages(rubric, 2022)
    assert table.year == 2022 and "Pemantauan SPBE Tahun 2022" in table.source
    assert tuple(table.columns) == GROUPS == (NATIONAL, *(k.value for k in InstansiKind))
    assert set(table.rows) == {"index", "D1", "D2", "D3", "D4", *(f"A{n}" for n in range(1, 9))}


def test_the_latest_table_up_to_the_year_is_used(rubric):
    assert peer_years(rubric) == [2022]
    assert peer_averages(rubric, 2021) is None
    assert peer_averages(rubric, 2024).year == 2022
    assert peer_averages(get_rubric("pemdi-2026"), 2026) is None
    assert peer_averages(rubric, 2022).value("desa", "index") is None


def _broken(tmp_path: Path, change, name: str = "2022.yaml") -> Path:
    data = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _set(key, value):
    return lambda data: data.__setitem__(key, value)


def _row(scope, column, value):
    return lambda data: data["rows"][scope].__setitem__(column, value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set("columns", [*GROUPS[:-2], "kota", "kabupaten"]), "columns must be exactly nasional"),
        (lambda d: d["rows"].pop("A8"), "rows must be exactly index, D1, D2, D3, D4, A1"),
        (_row("A3", 0, 6), "rows.A3: 6 not within 1–5"),
        (_row("A3", 0, "1.925"), "rows.A3: 1.925 not within 1–5 with at most 2 decimals"),
        (_row("D2", 3, "1.49"), "rows.D2 (lembaga_lainnya): 1.49 is not the weighted mean of A2, A3, A4"),
        (_row("index", 6, "2.05"), "rows.index (kota): 2.05 is not the weighted mean of D1, D2, D3, D4"),
        (lambda d: d["rows"]["D4"].pop(), "rows.D4: 6 values for 7 columns"),
        (_set("rubric", "pemdi-2026"), "rubric 'pemdi-2026' is not the folder's rubric 'spbe-2021'"),
        (_set("source", ""), "field source"),
        (_set("extra", 1), "field extra"),
    ],
)
def test_a_broken_table_is_refused_naming_the_problem(tmp_path, rubric, change, message):
    with pytest.raises(RubricError, match="2022.yaml") as caught:
        load_peer_averages(_broken(tmp_path, change), rubric)
    assert message in str(caught.value)


def test_a_file_named_for_another_year_is_refused(tmp_path, rubric):
    with pytest.raises(RubricError, match="year 2022 does not match the file name \\(2023\\)"):
        load_peer_averages(_broken(tmp_path, lambda d: None, "2023.yaml"), rubric)


def test_a_broken_table_in_a_rubric_folder_is_refused_when_looked_up(tmp_path, rubric):
    folder = tmp_path / "spbe-2021" / "peer-averages"
    folder.mkdir(parents=True)
    shutil.copy(_broken(tmp_path, _row("A1", 0, "2.50")), folder / "2022.yaml")
    with pytest.raises(RubricError, match="rows.D1 \\(nasional\\)"):
        peer_averages(rubric, 2022, root=tmp_path)


def test_a_table_is_read_once_until_its_file_changes(tmp_path, rubric):
    folder = tmp_path / "spbe-2021" / "peer-averages"
    folder.mkdir(parents=True)
    shutil.copy(TABLE, folder / "2022.yaml")
    first = peer_averages(rubric, 2022, root=tmp_path)
    assert peer_averages(rubric, 2022, root=tmp_path) is first  # not parsed again
    data = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    data["source"] = "Tabel yang diperbarui"
    (folder / "2022.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert peer_averages(rubric, 2022, root=tmp_path).source == "Tabel yang diperbarui"


def test_the_module_imports_neither_the_web_framework_nor_the_orm():
    code = (
        "import sys, spbe.method.peer_averages, spbe.method.yoy, spbe.method.calibration, spbe.method.lkjip, spbe.reports.lkjip_tables\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'fastapi', 'sqlmodel', 'sqlalchemy', 'starlette'})))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""

"""The `spbe` command line contract: score tables and JSON, and exit 2 with a named row on bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from spbe.cli import main

DEMO = Path(__file__).resolve().parents[1] / "spbe" / "ops" / "demo_data"
GOLDEN = DEMO / "kota-pasuruan-2022.csv"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def golden_rows() -> list[tuple[str, str]]:
    lines = GOLDEN.read_text().splitlines()[1:]
    return [tuple(line.split(",")) for line in lines]


def test_score_json_prints_exactly_one_object_with_the_contract(capsys):
    code, out, err = run(capsys, "score", str(GOLDEN), "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {k: data[k] for k in ("rubric", "index", "index_published", "predikat", "complete", "answered")} == {
        "rubric": "spbe-2021", "index": "2.6625", "index_published": "2.66", "predikat": "Baik",
        "complete": True, "answered": 47}
    assert data["index_range"] == ["2.66", "2.66"]
    assert data["domains"]["D3"]["published"] == "1.27" and data["aspects"]["A5"]["value"] == "1.375"


def test_score_prints_a_readable_indonesian_table_with_decimal_commas(capsys):
    code, out, _ = run(capsys, "score", str(GOLDEN))
    assert code == 0
    assert "Indeks SPBE" in out and "2,66" in out and "Predikat: Baik" in out
    assert "D3 Manajemen SPBE" in out and "1,27" in out
    assert "A8 Layanan Publik Berbasis Elektronik" in out and "3,33" in out


def test_json_levels_with_numbers_as_keys_and_strings_as_values(tmp_path, capsys):
    levels = {str(int(k[1:])): v for k, v in golden_rows()}
    path = tmp_path / "levels.json"
    path.write_text(json.dumps(levels))
    code, out, _ = run(capsys, "score", str(path), "--json")
    assert code == 0 and json.loads(out)["index"] == "2.6625"


def test_xlsx_levels_give_the_same_index(tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["indikator", "level"])
    for key, level in golden_rows():
        sheet.append([key, int(level)])
    book.save(tmp_path / "levels.xlsx")
    code, out, _ = run(capsys, "score", str(tmp_path / "levels.xlsx"), "--json")
    assert code == 0 and json.loads(out)["index_published"] == "2.66"


def test_an_incomplete_file_reports_the_range_not_an_index(tmp_path, capsys):
    path = tmp_path / "partial.csv"
    path.write_text("indikator,level\nI01,3\n7,2\n")
    code, out, _ = run(capsys, "score", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["complete"] is False and data["answered"] == 2
    assert data["index"] is None and data["predikat"] is None
    code, out, _ = run(capsys, "score", str(path))
    assert "belum lengkap" in out and "dapat bernilai" in out


BAD_CSV = [
    ("indikator,level\nI01,3\nI99,2\n", r"baris 3: indikator 'I99' tidak dikenal"),
    ("indikator,level\nI01,7\n", r"baris 2: tingkat 7 di luar rentang 1–5"),
    ("indikator,level\nI01,0\n", r"baris 2: tingkat 0 di luar rentang 1–5"),
    ("indikator,level\nI01,2.5\n", r"baris 2: tingkat 2.5 harus bilangan bulat 1–5"),
    ("indikator,level\nI01,tiga\n", r"baris 2: nilai 'tiga' bukan angka"),
    ("indikator,level\nI01,3\nI02,3\n1,4\n", r"baris 4: indikator I01 sudah diisi di baris 2"),
    ("indicator,score\nI01,3\n", r"baris 1: header harus 'indikator,level'"),
    ("indikator,level\nI01,3,x\n", r"baris 2: harus tepat dua kolom"),
    ("", r"berkas kosong"),
    ("indikator,level\n", r"tidak ada baris nilai indikator"),
]


@pytest.mark.parametrize(("content", "message"), BAD_CSV)
def test_bad_csv_input_exits_2_naming_the_row_and_the_problem(tmp_path, capsys, content, message):
    path = tmp_path / "levels.csv"
    path.write_text(content)
    code, out, err = run(capsys, "score", str(path), "--json")
    assert code == 2 and out == ""

    assert re.search(message, err), err


def test_every_bad_row_is_named_not_only_the_first(tmp_path, capsys):
    path = tmp_path / "levels.csv"
    path.write_text("indikator,level\nI01,9\nI02,3\nX,1\n")
    code, _, err = run(capsys, "score", str(path))
    assert code == 2 and "baris 2" in err and "baris 4" in err and "baris 3" not in err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("levels.json", b"[1, 2]", "JSON harus berupa objek"),
        ("levels.json", b'{"I01": 3,', "JSON rusak pada baris 1"),
        ("levels.json", b'{"I01": {"level": 3}}', "kunci 'I01': nilai harus angka"),
        ("levels.json", b'{"I01": 6}', "kunci 'I01': tingkat 6 di luar rentang"),
        ("levels.xlsx", b"PK\x03\x04 not really a workbook", "bukan berkas XLSX yang valid"),
        ("levels.csv", b"\xff\xfe\x00binary", "bukan teks UTF-8"),
        ("levels.txt", b"I01,3", "format tidak didukung"),
    ],
)
def test_malformed_files_exit_2_with_a_clear_message(tmp_path, capsys, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, "score", str(path))
    assert code == 2 and out == "" and message in err


def test_a_missing_file_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "score", str(tmp_path / "nope.csv"))
    assert code == 2 and "tidak dapat dibaca" in err


def test_an_unknown_rubric_exits_2(capsys):
    code, _, err = run(capsys, "score", str(GOLDEN), "--rubric", "spbe-1999")
    assert code == 2 and "unknown rubric" in err


def test_rubric_check_accepts_the_shipped_rubrics_and_rejects_a_broken_folder(tmp_path, capsys):
    code, out, _ = run(capsys, "rubric", "check")
    assert code == 0 and "OK spbe-2021 versi 1.0.1: 4 domain, 8 aspek, 47 indikator" in out
    (tmp_path / "rubric.yaml").write_text("id: broken\n")
    code, _, err = run(capsys, "rubric", "check", str(tmp_path))
    assert code == 1 and "rubric.yaml: field title: Field required" in err


def test_rubric_show_lists_all_indicators(capsys):
    code, out, _ = run(capsys, "rubric", "show")
    assert code == 0
    assert "I47" in out and "Tingkat Kematangan Layanan Publik Sektor 3" in out
    assert "D4 / A8 Layanan Publik Berbasis Elektronik (bobot 18,00 %)" in out


def test_the_installed_console_script_runs(tmp_path):
    spbe = Path(sys.executable).with_name("spbe")
    done = subprocess.run([str(spbe), "score", str(GOLDEN), "--json"], capture_output=True, text=True,
                          check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["index_published"] == "2.66"

"""The `spbe advise` contract: one JSON object, decimals as strings; a Bahasa table; exit 2 on bad input."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spbe.cli import main

DEMO = Path(__file__).resolve().parents[1] / "spbe" / "ops" / "demo_data"
GOLDEN = str(DEMO / "kota-pasuruan-2022.csv")
PLAN_KEYS = ["target", "scope", "reachable", "total_effort", "value_before", "value_after", "published_after",
             "max_value", "steps"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def advise_json(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, "advise", *argv, "--json")
    assert code == 0 and err == "", err
    return json.loads(out)


def test_advise_json_prints_exactly_one_object_with_the_contract(capsys):
    data = advise_json(capsys, GOLDEN, "--target", "2.7")
    assert list(data) == PLAN_KEYS
    assert {k: data[k] for k in PLAN_KEYS[:-1]} == {
        "target": "2.7", "scope": "index", "reachable": True, "total_effort": "2", "value_before": "2.6625",
        "value_after": "2.7225", "published_after": "2.72", "max_value": "5"}
    assert data["steps"] == [
        {"indikator": "I42", "from": 4, "to": 5, "effort": "1", "gain": "0.03"},
        {"indikator": "I43", "from": 2, "to": 3, "effort": "1", "gain": "0.03"},
    ]


def test_a_met_target_gives_an_empty_plan_and_exit_0(capsys):
    data = advise_json(capsys, GOLDEN, "--target", "2.6")
    assert data["reachable"] is True and data["steps"] == [] and data["total_effort"] == "0"
    assert data["value_after"] == data["value_before"] == "2.6625"


def test_unanswered_indicators_count_as_level_1(tmp_path, capsys):
    path = tmp_path / "partial.csv"
    path.write_text("indikator,level\nI19,3\n")
    data = advise_json(capsys, str(path), "--target", "2.5", "--scope", "A4", "--lock", "19")
    assert data["value_before"] == "2"
    assert data["steps"] == [{"indikator": "I20", "from": 1, "to": 2, "effort": "1", "gain": "0.5"}]


def test_an_unreachable_target_exits_0_and_reports_the_maximum(capsys):
    data = advise_json(capsys, GOLDEN, "--target", "4.9", "--scope", "a8", "--max-step", "1",
                       "--lock", "I47,46")
    assert data["reachable"] is False and data["scope"] == "A8"
    assert data["max_value"] == data["value_after"] == "4"
    assert {s["indikator"] for s in data["steps"]} == {"I42", "I43", "I44", "I45"}


def test_efforts_from_a_csv_change_the_plan(tmp_path, capsys):
    path = tmp_path / "effort.csv"
    path.write_text("indikator,level,effort\nI42,5,10\nI43,3,0.5\nI44,3,0\n")
    data = advise_json(capsys, GOLDEN, "--target", "2.7", "--effort", str(path))
    assert data["total_effort"] == "0.5"
    assert [(s["indikator"], s["effort"]) for s in data["steps"]] == [("I43", "0.5"), ("I44", "0")]


def test_a_domain_scope_reports_gains_on_the_domain(capsys):
    data = advise_json(capsys, GOLDEN, "--target", "2.1", "--scope", "D2")
    assert data["value_before"] == "2" and data["steps"][0]["gain"] == "0.1"


def test_a_roadmap_prints_one_plan_per_year_chained(capsys):
    data = advise_json(capsys, GOLDEN, "--roadmap", "2.6,2.7,2.8,2.85,2.9", "--start-year", "2025",
                       "--max-step", "1")
    years = data["years"]
    assert list(data) == ["years"] and [y["year"] for y in years] == [2025, 2026, 2027, 2028, 2029]
    assert [y["target"] for y in years] == ["2.6", "2.7", "2.8", "2.85", "2.9"]
    assert all(list(y) == ["year", *PLAN_KEYS] for y in years)
    for before, after in itertools.pairwise(years):
        assert after["value_before"] == before["value_after"]


def test_advise_prints_a_readable_indonesian_table_with_decimal_commas(capsys, columns):
    code, out, _ = run(capsys, "advise", GOLDEN, "--target", "2.7")
    assert code == 0
    assert "Cakupan: Indeks SPBE" in out and "Nilai sekarang: 2,66" in out
    assert re.search(r"I42\s+4 → 5\s+\+0,0300\s+1\s+Tingkat Kematangan Layanan Pengaduan Pelayanan Publik", out)
    assert "total upaya: 2" in out and "Nilai setelah rencana: 2,72" in out
    assert "Predikat setelah rencana: Baik" in out


def test_the_table_says_when_a_target_is_met_or_out_of_reach(capsys):
    _, out, _ = run(capsys, "advise", GOLDEN, "--target", "2,6")
    assert "Target sudah tercapai" in out
    _, out, _ = run(capsys, "advise", GOLDEN, "--target", "4.9", "--scope", "A8", "--max-step", "1")
    assert "TIDAK dapat dicapai" in out and "4,33" in out


def test_a_roadmap_table_has_a_section_per_year(capsys):
    code, out, _ = run(capsys, "advise", GOLDEN, "--roadmap", "2.7;2,8", "--start-year", "2025")
    assert code == 0 and "== Tahun 2025 ==" in out and "== Tahun 2026 ==" in out


BAD_ARGS = [
    (["--target", "6"], r"target 6 di luar rentang 1–5"),
    (["--target", "0.5"], r"target 0.5 di luar rentang"),
    (["--target", "tinggi"], r"target 'tinggi' bukan angka"),
    (["--target", "2.6", "--scope", "D9"], r"cakupan 'D9' tidak dikenal"),
    (["--target", "2.6", "--lock", "I45,I99"], r"--lock: indikator 'I99' tidak dikenal"),
    (["--target", "2.6", "--max-step", "0"], r"--max-step '0' harus bilangan bulat"),
    (["--target", "2.6", "--max-step", "dua"], r"--max-step 'dua' harus bilangan bulat"),
    (["--target", "2.6", "--max-step", "-1"], r"--max-step '-1' harus bilangan bulat"),
    (["--roadmap", "2.6,x"], r"target 'x' bukan angka"),
    (["--roadmap", "2.6,7"], r"target 7 di luar rentang"),
    (["--roadmap", "2.6", "--start-year", "tahun"], r"--start-year 'tahun' harus tahun"),
    (["--target", "2.6", "--start-year", "2025"], r"--start-year hanya berlaku bersama --roadmap"),
    (["--target", "2.6", "--roadmap", "2.7"], r"tepat satu dari --target atau --roadmap"),
    ([], r"tepat satu dari --target atau --roadmap"),
    (["--target", "2.6", "--rubric", "spbe-1999"], r"unknown rubric"),
]


@pytest.mark.parametrize(("argv", "message"), BAD_ARGS)
def test_bad_arguments_exit_2_naming_the_problem(capsys, argv, message):
    code, out, err = run(capsys, "advise", GOLDEN, *argv, "--json")
    assert code == 2 and out == ""
    assert re.search(message, err), err


BAD_EFFORT = [
    ("indikator,level,effort\nI99,2,1\n", r"baris 2: indikator 'I99' tidak dikenal"),
    ("indikator,level,effort\nI01,2,1\nI01,1,1\n", r"baris 3: level '1' harus bilangan bulat 2–5"),
    ("indikator,level,effort\nI01,6,1\n", r"baris 2: level '6' harus bilangan bulat 2–5"),
    ("indikator,level,effort\nI01,2.5,1\n", r"baris 2: level '2.5' harus bilangan bulat"),
    ("indikator,level,effort\nI01,2,-1\n", r"baris 2: effort -1 tidak boleh negatif"),
    ("indikator,level,effort\nI01,2,mahal\n", r"baris 2: effort 'mahal' bukan angka"),
    ("indikator,level,effort\nI01,2,NaN\n", r"baris 2: effort 'NaN' bukan angka"),
    ("indikator,level,effort\nI01,2,1\n1,2,3\n", r"baris 3: indikator I01 level 2 sudah diisi di baris 2"),
    ("indikator,level,effort\nI01,2\n", r"baris 2: harus tepat tiga kolom"),
    ("indikator,level\nI01,2\n", r"baris 1: header harus 'indikator,level,effort'"),
    ("", r"berkas kosong"),
]


@pytest.mark.parametrize(("content", "message"), BAD_EFFORT)
def test_a_bad_effort_file_exits_2_naming_the_row(tmp_path, capsys, content, message):
    path = tmp_path / "effort.csv"
    path.write_text(content)
    code, out, err = run(capsys, "advise", GOLDEN, "--target", "2.7", "--effort", str(path), "--json")
    assert code == 2 and out == ""
    assert re.search(message, err), err


def test_every_bad_effort_row_is_named_and_blank_rows_are_skipped(tmp_path, capsys):
    path = tmp_path / "effort.csv"
    path.write_text("indikator,level,effort\nI01,7,1\n\nI02,2,1\nX,2,1\n")
    code, _, err = run(capsys, "advise", GOLDEN, "--target", "2.7", "--effort", str(path))
    assert code == 2 and "baris 2" in err and "baris 5" in err and "baris 4" not in err


def test_missing_levels_or_effort_files_exit_2(tmp_path, capsys):
    code, _, err = run(capsys, "advise", str(tmp_path / "nope.csv"), "--target", "2.6")
    assert code == 2 and "tidak dapat dibaca" in err
    code, _, err = run(capsys, "advise", GOLDEN, "--target", "2.6", "--effort", str(tmp_path / "nope.csv"))
    assert code == 2 and "tidak dapat dibaca" in err


@pytest.fixture
def columns(monkeypatch):
    """A terminal 100 characters wide, whatever runs the tests."""
    monkeypatch.setenv("COLUMNS", "100")


def test_a_jump_of_several_levels_is_one_row_with_its_whole_gain_and_effort(capsys, columns):
    code, out, _ = run(capsys, "advise", GOLDEN, "--target", "2.9")
    assert code == 0
    rows = [line for line in out.splitlines() if re.match(r"I\d\d ", line)]
    assert [r.split()[0] for r in rows] == ["I42", "I43", "I44", "I45"]  # one row per indicator
    assert re.match(r"I43\s+2 → 5\s+\+0,0900\s+3\s+Tingkat Kematangan Layanan Data Terbuka$", rows[1])
    assert "Indikator dinaikkan: 4, kenaikan tingkat: 8, total upaya: 8" in out


@pytest.mark.parametrize("width", ["60", "100", "200"])
def test_full_names_are_wrapped_between_words_never_cut(capsys, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", width)
    _, out, _ = run(capsys, "advise", GOLDEN, "--target", "2.9")
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("I44 "))
    following = itertools.takewhile(lambda line: line.startswith(" " * 41), lines[start + 1:])
    name_lines = [lines[start][41:]] + [line[41:] for line in following]
    assert " ".join(name_lines) == "Tingkat Kematangan Layanan Jaringan Dokumentasi dan Informasi Hukum (JDIH)"
    assert all(len(line) <= max(int(width), 41 + 30) for line in lines if not line.startswith("Nilai"))


def test_the_table_names_the_unanswered_indicators_counted_at_level_1(tmp_path, capsys, columns):
    path = tmp_path / "partial.csv"
    path.write_text("indikator,level\n" + "".join(f"I{n:02d},2\n" for n in range(1, 45)))
    _, out, _ = run(capsys, "advise", str(path), "--target", "2.1")
    assert "Belum dijawab, dihitung tingkat 1: I45, I46, I47 (3 dari 47 indikator)." in out
    _, complete, _ = run(capsys, "advise", GOLDEN, "--target", "2.7")
    assert "Belum dijawab" not in complete


def test_a_closed_pipe_ends_quietly(tmp_path):
    spbe = str(Path(sys.executable).with_name("spbe"))
    piped = subprocess.run(f"'{spbe}' advise '{GOLDEN}' --target 2.9 | head -1", shell=True, capture_output=True,
                           text=True, timeout=120, check=False)
    assert piped.stdout == "Cakupan: Indeks SPBE\n" and piped.stderr == ""
    # The reader gone before a single byte is written: the write itself fails with EPIPE.
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([spbe, "advise", GOLDEN, "--roadmap", "2.7,2.8,2.9,3.0,3.1"], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    finally:
        os.close(write)
    assert done.returncode == 0 and done.stderr == ""

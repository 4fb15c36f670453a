"""`spbe score` and `spbe advise` on pemdi-2026: the JSON contract, --external, and exit 2 on bad decimals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from spbe.cli import main

GOLDEN = Path(__file__).resolve().parents[1] / "spbe" / "ops" / "demo_data" / "aceh-tengah-2026-pemdi.csv"
EXTERNAL = {"I05", "I06", "I07", "I18"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def self_assessed_only(tmp_path: Path) -> Path:
    path = tmp_path / "nilai.csv"
    rows = [r for r in GOLDEN.read_text().splitlines() if r.split(",")[0] not in EXTERNAL]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_score_json_for_aceh_tengah_prints_the_contract_with_no_domains_and_aspects_a1_to_a7(capsys):
    code, out, err = run(capsys, "score", str(GOLDEN), "--rubric", "pemdi-2026", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {k: data[k] for k in ("rubric", "index", "index_published", "predikat", "complete", "answered")} == {
        "rubric": "pemdi-2026", "index": "1.241335", "index_published": "1.24", "predikat": "Kurang",
        "complete": True, "answered": 20}
    assert data["domains"] == {} and list(data["aspects"]) == [f"A{n}" for n in range(1, 8)]
    assert [data["aspects"][f"A{n}"]["published"] for n in range(1, 8)] == [
        "1.75", "1.28", "1.00", "1.17", "1.08", "1.40", "1.18"]


def test_the_table_says_the_rubric_is_provisional_and_names_pending_external_indicators(tmp_path, capsys):
    code, out, _ = run(capsys, "score", str(self_assessed_only(tmp_path)), "--rubric", "pemdi-2026")
    assert code == 0
    assert "SEMENTARA" in out and "Indeks Pemdi" in out and "1,24" in out and "Predikat: Kurang" in out
    assert "Indeks eksternal belum diisi, dihitung 1,00: I05, I06, I07, I18." in out


def test_external_source_indices_are_converted_and_scored(tmp_path, capsys):
    ext = tmp_path / "indeks.csv"
    ext.write_text("indikator,indeks\nI05,68.75\n18,25\n")
    code, out, _ = run(capsys, "score", str(self_assessed_only(tmp_path)), "--rubric", "pemdi-2026",
                       "--external", str(ext), "--json")
    data = json.loads(out)
    # I05 3.75 (+2.75 × 5 %) and I18 2.00 (+1.00 × 3 %) raise the index by 0.1675
    assert code == 0 and data["index"] == "1.408835" and data["aspects"]["A3"]["published"] == "1.92"


def test_a_json_levels_file_takes_decimal_strings(tmp_path, capsys):
    path = tmp_path / "nilai.json"
    path.write_text(json.dumps({"I13": "1.1667", "I14": "1"}))
    code, out, _ = run(capsys, "score", str(path), "--rubric", "pemdi-2026", "--json")
    assert code == 0 and json.loads(out)["aspects"]["A5"]["published"] == "1.08"


@pytest.mark.parametrize(
    ("value", "message"),
    [("0.5", r"baris 2: nilai 0.5 di luar rentang 1–5"), ("5.01", r"baris 2: nilai 5.01 di luar rentang 1–5"),
     ("abc", r"baris 2: nilai 'abc' bukan angka"),
     ("1.16667", r"baris 2: nilai 1.16667 terlalu banyak angka desimal.*paling banyak 4")],
)
def test_bad_decimals_exit_2_with_a_message(tmp_path, capsys, value, message):
    path = tmp_path / "nilai.csv"
    path.write_text(f"indikator,nilai\nI13,{value}\n")
    code, out, err = run(capsys, "score", str(path), "--rubric", "pemdi-2026", "--json")
    assert code == 2 and out == "" and re.search(message, err), err


@pytest.mark.parametrize(
    ("content", "message"),
    [("indikator,indeks\nI13,50\n", r"baris 2: indikator I13 tidak dinilai dari indeks eksternal"),
     ("indikator,indeks\nI05,101\n", r"baris 2: indeks 101 untuk I05 di luar rentang 0–100"),
     ("indikator,level\nI05,50\n", r"baris 1: header harus 'indikator,indeks'"),
     ("indikator,indeks\nI05,50\nI5,60\n", r"baris 3: indeks untuk I05 sudah diisi")],
)
def test_a_bad_external_file_exits_2_naming_the_row(tmp_path, capsys, content, message):
    ext = tmp_path / "indeks.csv"
    ext.write_text(content)
    code, out, err = run(capsys, "score", str(self_assessed_only(tmp_path)), "--rubric", "pemdi-2026",
                         "--external", str(ext))
    assert code == 2 and out == "" and re.search(message, err), err


def test_an_indicator_in_both_files_exits_2(tmp_path, capsys):
    ext = tmp_path / "indeks.csv"
    ext.write_text("indikator,indeks\nI05,50\n")
    code, _, err = run(capsys, "score", str(GOLDEN), "--rubric", "pemdi-2026", "--external", str(ext))
    assert code == 2 and "I05 diisi sebagai nilai dan sebagai indeks eksternal" in err


def test_the_advisor_never_raises_an_external_indicator(capsys):
    code, out, _ = run(capsys, "advise", str(GOLDEN), "--rubric", "pemdi-2026", "--target", "4", "--json")
    data = json.loads(out)
    assert code == 0 and data["steps"]
    assert not {s["indikator"] for s in data["steps"]} & EXTERNAL
    assert data["max_value"] == "4.44"  # 86 % self-assessed at 5, the four external indicators (14 %) at 1

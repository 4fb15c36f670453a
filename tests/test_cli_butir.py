"""`spbe instansi add`, `spbe assessment add`, `spbe butir import|show`: a Pemdi cycle scripted end to end."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from spbe.cli import main
from spbe.config import get_settings

VERDICTS = Path(__file__).resolve().parent / "data" / "aceh-tengah-2026-butir.csv"


@pytest.fixture
def cli_db(migrated_sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated, empty SQLite database that the command line uses."""
    url = migrated_sqlite_url
    monkeypatch.setenv("SPBE_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def start(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "instansi", "add", "kab-aceh-tengah", "--name", "Kabupaten Aceh Tengah")[0] == 0
    code, out, _ = run(capsys, "assessment", "add", "kab-aceh-tengah", "2026")
    assert code == 0 and "pemdi-2026" in out


def show(capsys: pytest.CaptureFixture[str]) -> dict:
    code, out, err = run(capsys, "butir", "show", "kab-aceh-tengah", "2026", "--json")
    assert code == 0 and err == ""
    return json.loads(out)


def test_the_asesor_verdicts_imported_show_in_the_json_shape(cli_db, capsys) -> None:
    start(capsys)
    code, out, _ = run(capsys, "butir", "import", "kab-aceh-tengah", "2026", str(VERDICTS))
    assert code == 0 and "37 butir" in out
    data = show(capsys)
    assert list(data) == ["rubric", "indicators"] and data["rubric"] == "pemdi-2026"
    assert list(data["indicators"]) == [f"I{n:02d}" for n in range(1, 21)]
    i17 = data["indicators"]["I17"]
    assert list(i17) == ["level_reached", "level_prepared", "butir"]
    assert (i17["level_reached"], i17["level_prepared"]) == (2, 2)
    assert data["indicators"]["I03"]["level_reached"] == 0 and data["indicators"]["I13"]["level_reached"] == 0
    codes = [c for item in data["indicators"].values() for c in item["butir"]]
    assert len(codes) == 232 and all(re.fullmatch(r"I[1-9][0-9]?-L[1-5]-[0-9]{2}", c) for c in codes)
    assert data["indicators"]["I01"]["butir"]["I1-L2-02"] == "revisi"
    assert data["indicators"]["I20"]["butir"]["I20-L5-05"] == "belum"


def test_an_empty_assessment_shows_every_butir_as_belum(cli_db, capsys) -> None:
    start(capsys)
    data = show(capsys)
    statuses = {s for item in data["indicators"].values() for s in item["butir"].values()}
    assert statuses == {"belum"}
    assert all(item["level_reached"] == 0 for item in data["indicators"].values())


def test_a_bad_file_exits_2_naming_every_bad_row_and_writes_nothing(cli_db, capsys, tmp_path) -> None:
    start(capsys)
    bad = tmp_path / "putusan.csv"
    bad.write_text(
        "butir,status,catatan\nI17-L1-01,diterima,\nI17-L1-99,diterima,\nI30-L1-01,revisi,\n"
        "I3-L1-01,ditolak,\nI17-L1-01,revisi,dua kali\n"
    )
    code, out, err = run(capsys, "butir", "import", "kab-aceh-tengah", "2026", str(bad))
    assert code == 2 and out == ""
    for row in (
        "baris 3: kode butir I17-L1-99 tidak dikenal",
        "baris 4: I30-L1-01 adalah kode instrumen lain",
        "baris 5: status 'ditolak' tidak dikenal",
        "baris 6: I17-L1-01 ganda",
    ):
        assert row in err
    assert show(capsys)["indicators"]["I17"]["butir"]["I17-L1-01"] == "belum"


def test_an_xlsx_with_codes_in_the_long_form_and_any_case_is_read(cli_db, capsys, tmp_path) -> None:
    start(capsys)
    book = Workbook()
    sheet = book.active
    for row in [
        ("Butir", "Status", "Catatan"),
        ("I17-L1-01", "DITERIMA", None),
        ("I17-L1-02", "Diterima", None),
        ("I04-L2-02", "Otomatis Ditolak", "otomatis"),
        ("I08-L1-01", "belum diunggah", None),
    ]:
        sheet.append(row)
    path = tmp_path / "putusan.xlsx"
    book.save(path)
    assert run(capsys, "butir", "import", "kab-aceh-tengah", "2026", str(path))[0] == 0
    data = show(capsys)
    assert data["indicators"]["I17"]["level_reached"] == 1
    assert data["indicators"]["I04"]["butir"]["I4-L2-02"] == "otomatis_ditolak"
    assert data["indicators"]["I08"]["butir"]["I8-L1-01"] == "revisi"


def test_instansi_and_assessment_commands_refuse_bad_input_with_exit_2(cli_db, capsys) -> None:
    assert run(capsys, "instansi", "add", "Kab Aceh", "--name", "Kab. Aceh")[0] == 2
    start(capsys)
    code, _, err = run(capsys, "instansi", "add", "kab-aceh-tengah", "--name", "Kabupaten Aceh Tengah")
    assert code == 2 and "sudah ada" in err
    code, _, err = run(capsys, "assessment", "add", "kab-aceh-tengah", "2026")
    assert code == 2 and "2026" in err
    code, _, err = run(capsys, "assessment", "add", "kab-tidak-ada", "2025")
    assert code == 2 and "tidak ditemukan" in err
    code, out, _ = run(capsys, "assessment", "add", "kab-aceh-tengah", "2025")
    assert code == 0 and "spbe-2021" in out
    code, _, err = run(capsys, "butir", "show", "kab-aceh-tengah", "2024", "--json")
    assert code == 2 and "belum punya penilaian tahun 2024" in err
    code, _, err = run(capsys, "butir", "show", "kab-aceh-tengah", "2025", "--json")
    assert code == 2 and "instrumen tanpa butir" in err
    code, _, err = run(capsys, "butir", "import", "kab-aceh-tengah", "2025", str(VERDICTS))
    assert code == 2 and "instrumen tanpa butir" in err


def test_the_demo_seeds_a_pemdi_2026_assessment_with_every_butir_state_once(cli_db, capsys) -> None:
    code, out, _ = run(capsys, "demo")
    assert code == 0 and "Indeks Pemdi 2026" in out and "data demo" in out
    code, out, err = run(capsys, "butir", "show", "kota-pasuruan", "2026", "--json")
    data = json.loads(out)
    statuses = {s for item in data["indicators"].values() for s in item["butir"].values()}
    assert statuses == {"belum", "disiapkan", "diunggah", "diterima", "revisi", "otomatis_ditolak"}
    assert data["indicators"]["I17"]["level_reached"] == 2 and data["indicators"]["I13"]["level_reached"] == 0
    assert run(capsys, "demo")[0] == 0
    assert json.loads(run(capsys, "butir", "show", "kota-pasuruan", "2026", "--json")[1]) == data


def test_the_evidence_pack_lists_every_butir_with_its_status_note_and_evidence(
    cli_db, capsys, tmp_path, monkeypatch
) -> None:
    import csv
    import io
    import zipfile

    monkeypatch.setenv("SPBE_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    assert run(capsys, "demo")[0] == 0
    pack = tmp_path / "paket.zip"
    code, _, err = run(capsys, "export", "kota-pasuruan", "2026", "--out", str(pack))
    assert code == 0, err
    assert run(capsys, "verify-pack", str(pack))[0] == 0
    with zipfile.ZipFile(pack) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("butir.csv").decode("utf-8-sig"))))
        assert "butir.csv" in archive.read("manifest.csv").decode("utf-8-sig")
    assert len(rows) == 232
    by_code = {r["butir"]: r for r in rows}
    assert by_code["I17-L1-01"]["status"] == "diterima"
    assert by_code["I9-L1-01"]["status"] == "revisi"
    assert "SK Tim Audit" in by_code["I9-L1-01"]["catatan_asesor"]
    assert by_code["I9-L2-01"]["status"] == "otomatis_ditolak"
    assert by_code["I17-L3-02"]["tautan"] == "[Contoh demo] Hasil uji kesesuaian UI/UX portal"
    assert by_code["I20-L2-02"]["status"] == "diunggah"

"""Importing a past year (service and `spbe import`): all or nothing, every bad row named, rows counted."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from spbe.cli import main
from spbe.config import get_settings
from spbe.method.rubric import get_rubric
from spbe.ops.demo import DEMO_DATA
from spbe.services import official as official_service
from spbe.services.assessments import Conflict, Forbidden, Invalid
from spbe.services.imports import import_year
from spbe.store import queries
from spbe.store.db import make_engine, session_scope
from spbe.store.models import Assessment, Instansi, Role
from tests.evidence_files import xlsx

DEMO_2021 = (DEMO_DATA / "kota-pasuruan-2021.csv").read_bytes()


# Every class of bad input: (file name, content, what the message must name).
BAD = {
    "unknown indicator": (
        "a.csv",
        b"indikator,level\nI01,3\nI99,2\n",
        ["baris 3: indikator 'I99' tidak dikenal"],
    ),
    "level 7": ("a.csv", b"indikator,level\nI01,3\nI02,7\n", ["baris 3: tingkat 7 di luar rentang 1\u20135"]),
    "non-integer": (
        "a.csv",
        b"indikator,level\nI01,2.5\nI02,tiga\n",
        ["baris 2: tingkat 2.5 harus bilangan bulat", "baris 3: nilai 'tiga' bukan angka"],
    ),
    "duplicate": (
        "a.csv",
        b"indikator,level\nI01,3\nI02,2\nI01,2\n",
        ["baris 4: indikator I01 sudah diisi di baris 2"],
    ),
    "wrong header": ("a.csv", b"indicator,value\nI01,3\n", ["baris 1: header harus 'indikator,level'"]),
    "empty": ("a.csv", b"", ["berkas kosong"]),
    "header only": ("a.csv", b"indikator,level\n", ["tidak ada baris nilai indikator"]),
    "three columns": ("a.csv", b"indikator,level\nI01,3,x\n", ["baris 2: harus tepat dua kolom"]),
    "malformed xlsx": ("a.xlsx", b"PK\x03\x04 not really a zip", ["bukan berkas XLSX yang valid"]),
    "bad xlsx rows": (
        "a.xlsx",
        xlsx([["indikator", "level"], ["I01", 3], ["I48", 2], ["I02", 0], ["I03", 3.5]]),
        ["baris 3: indikator 'I48'", "baris 4: tingkat 0 di luar rentang", "baris 5: tingkat 3.5 harus"],
    ),
    "unsupported format": ("a.txt", b"indikator,level\nI01,3\n", ["format tidak didukung"]),
    "every bad row at once": (
        "a.csv",
        b"indikator,level\nI01,3\nI99,2\nI02,7\nI03,x\nI01,2\nI04,1.5\n",
        ["baris 3", "baris 4", "baris 5", "baris 6", "baris 7"],
    ),
}


@pytest.fixture
def url(migrated_sqlite_url, monkeypatch) -> Iterator[str]:
    """A migrated database holding Kota Pasuruan with an (empty) 2022 assessment; the CLI's database too."""
    url = migrated_sqlite_url
    engine = make_engine(url)
    with session_scope(engine) as db:
        instansi = queries.get_or_create_instansi(db, "kota-pasuruan", "Kota Pasuruan", "kota")
        queries.create_assessment(db, instansi, 2022, get_rubric("spbe-2021"))
    engine.dispose()
    monkeypatch.setenv("SPBE_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def row_counts(url: str) -> dict[str, int]:
    """How many rows every table holds."""
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return {
                t.name: c.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def run_import(url: str, year: str, data: bytes, filename: str, role: Role = Role.KOORDINATOR, **kw):
    engine = make_engine(url)
    try:
        with session_scope(engine) as db:
            instansi = db.exec(select(Instansi)).one()
            assessment, count = import_year(
                db, instansi, role, year, kw.pop("rubric", "spbe-2021"), data, filename, **kw
            )
            return assessment.id, count
    finally:
        engine.dispose()


def stored(url: str, year: int) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The self-assessed and official values of the year's assessment."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as db:
            assessment = db.exec(select(Assessment).where(Assessment.year == year)).one()
            return queries.assessment_values(db, assessment), official_service.official_values(db, assessment)
    finally:
        engine.dispose()


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_is_refused_whole_naming_every_bad_row_and_nothing_is_written(url, case):
    filename, content, names = BAD[case]
    before = row_counts(url)
    with pytest.raises(Invalid) as refused:
        run_import(url, "2021", content, filename)
    assert refused.value.key == "imp.error.file"
    for name in names:
        assert name in refused.value.params["detail"]
    assert row_counts(url) == before


@pytest.mark.parametrize("case", BAD)
def test_the_cli_exits_2_naming_the_rows_and_writes_nothing(url, tmp_path, capsys, case):
    filename, content, names = BAD[case]
    path = tmp_path / filename
    path.write_bytes(content)
    before = row_counts(url)
    assert main(["import", "kota-pasuruan", "2021", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spbe: Berkas tidak diimpor, tidak ada yang disimpan:")
    assert all(name in err for name in names)
    assert row_counts(url) == before


def test_a_csv_becomes_a_new_assessment_with_exactly_its_levels(url):
    before = row_counts(url)
    _, count = run_import(url, "2021", DEMO_2021, "kota-pasuruan-2021.csv")
    assert count == 47
    values, official = stored(url, 2021)
    assert values["I01"] == 1 and values["I46"] == 3 and values["I47"] == 1 and len(values) == 47
    assert official == {}
    after = row_counts(url)
    assert after["assessments"] == before["assessments"] + 1 and after["answers"] == before["answers"] + 47


def test_an_xlsx_imported_as_official_sets_both_values(url):
    content = xlsx([["indikator", "level"], ["I01", 3], ["I02", "2"], [7, 4]])
    run_import(url, "2020", content, "2020.xlsx", official=True)
    values, official = stored(url, 2020)
    assert values == official == {"I01": 3, "I02": 2, "I07": 4}


def test_the_cli_imports_and_reports(url, tmp_path, capsys):
    path = tmp_path / "2021.csv"
    path.write_bytes(DEMO_2021)
    assert main(["import", "kota-pasuruan", "2021", str(path), "--official"]) == 0
    assert "Diimpor: Kota Pasuruan 2021 (spbe-2021), 47 indikator (juga sebagai nilai akhir resmi)." in (
        capsys.readouterr().out
    )
    values, official = stored(url, 2021)
    assert values == official and len(values) == 47


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import", "kota-pasuruan", "2022", "{file}"], "Penilaian tahun 2022 sudah ada"),
        (["import", "kota-pasuruan", "dua ribu", "{file}"], "Tahun “dua ribu” tidak valid"),
        (
            ["import", "kota-pasuruan", "2021", "{file}", "--rubric", "spbe-1999"],
            "Rubrik “spbe-1999” tidak dikenal",
        ),
        (["import", "kota-bogor", "2021", "{file}"], "instansi 'kota-bogor' tidak ditemukan"),
        (["import", "kota-pasuruan", "2021", "{missing}"], "berkas tidak dapat dibaca"),
    ],
)
def test_the_cli_refuses_a_taken_or_bad_year_rubric_instansi_or_file(url, tmp_path, capsys, argv, message):
    path = tmp_path / "2021.csv"
    path.write_bytes(DEMO_2021)
    before = row_counts(url)
    args = [a.format(file=path, missing=tmp_path / "nope.csv") for a in argv]
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert row_counts(url) == before


def test_a_taken_year_is_refused_after_a_good_file_and_nothing_is_written(url):
    before = row_counts(url)
    with pytest.raises(Conflict):
        run_import(url, "2022", DEMO_2021, "2021.csv")
    assert row_counts(url) == before


@pytest.mark.parametrize("role", [Role.KONTRIBUTOR, Role.PENINJAU, Role.ADMIN])
def test_only_the_koordinator_imports(url, role):
    before = row_counts(url)
    with pytest.raises(Forbidden):
        run_import(url, "2021", DEMO_2021, "2021.csv", role=role)
    assert row_counts(url) == before

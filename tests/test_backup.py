"""`spbe backup` and `spbe restore`: a demo with evidence round-trips between SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import threading
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import col, select

from spbe.cli import main
from spbe.config import get_settings
from spbe.ops.backup import write_backup
from spbe.ops.backup_format import BackupError
from spbe.ops.restore import require_empty, restore
from spbe.store.db import make_engine, session_scope
from spbe.store.evidence_files import stage, store
from spbe.store.models import (
    Answer,
    Assessment,
    Comment,
    EffortSetting,
    Evidence,
    Kpi,
    KpiTarget,
    Scenario,
    ScenarioValue,
    User,
)
from tests import evidence_files
from tests.conftest import postgres_database
from tests.db_snapshot import evidence_files as files_of
from tests.db_snapshot import table_rows
from tests.fuzz_checks import FUZZ
from tests.web.conftest import seed


def fill(url: str, evidence_dir: Path) -> None:
    """Add evidence files and links, odd texts, decimals, a comment, a scenario and KPIs to a demo."""
    engine = make_engine(url)
    with session_scope(engine) as db:
        a = db.exec(select(Assessment).where(Assessment.year == 2022)).one()
        user = db.exec(select(User)).first()
        assert user is not None
        contents = [evidence_files.pdf("Perwal"), evidence_files.image(), evidence_files.docx()]
        for n, content in enumerate(contents, start=1):
            stored = store(db, stage([content], evidence_dir, 2**20), evidence_dir)
            db.add(
                Evidence(
                    assessment_id=a.id,
                    indicator_id=f"I0{n}",
                    kind="file",
                    title=f"Bukti “{n}”",
                    file_id=stored.id,
                    original_filename=f"bukti {n}.pdf",
                    doc_date=dt.date(2022, 3, n),
                    levels="3,4",
                    created_by_id=user.id,
                )
            )
        db.add(
            Evidence(
                assessment_id=a.id,
                indicator_id="I05",
                kind="url",
                title="SIPD",
                url="https://sipd.example.go.id/?a=1&b=ü",
                note="akun: demo\nsandi: demo",
            )
        )
        answer = db.exec(select(Answer).where(Answer.assessment_id == a.id)).first()
        assert answer is not None
        answer.explanation, answer.target_value = (
            "Penjelasan: baris satu\nbaris dua 🙂 'kutip' \"ganda\"",
            Decimal(5),
        )
        db.add(answer)
        db.add(Comment(assessment_id=a.id, indicator_id="I01", user_id=user.id, body="Mohon lengkapi SK."))
        scenario = Scenario(assessment_id=a.id, name="Target 2023", created_by_id=user.id)
        db.add(scenario)
        db.flush()
        db.add(ScenarioValue(scenario_id=scenario.id, indicator_id="I02", value=Decimal(4)))
        db.add(EffortSetting(assessment_id=a.id, indicator_id="I02", level=4, effort=Decimal("2.5")))
        kpi = Kpi(instansi_id=a.instansi_id, scope="index", end_year=2026, end_target=Decimal("3.1234"))
        db.add(kpi)
        db.flush()
        db.add(KpiTarget(kpi_id=kpi.id, year=2023, target=Decimal("2.75")))
    engine.dispose()


def same(source: tuple[str, Path], target: tuple[str, Path]) -> None:
    """Every table row by row and every evidence file are equal in both places."""
    engines = [make_engine(url) for url, _ in (source, target)]
    try:
        before, after = (table_rows(e) for e in engines)
    finally:
        for e in engines:
            e.dispose()
    assert sum(map(len, before.values())) > 100 and before["evidence"] and before["stored_files"]
    for table, rows in before.items():
        assert after[table] == rows, table
    assert files_of(source[1]) == files_of(target[1]) and len(files_of(source[1])) == 3


def round_trip(tmp_path: Path, source_url: str, target_url: str) -> None:
    seed(source_url)
    fill(source_url, tmp_path / "a")
    engine = make_engine(source_url)
    written = write_backup(engine, tmp_path / "a", tmp_path / "backup.zip")
    engine.dispose()
    assert written.files == 3 and not written.missing
    restore(tmp_path / "backup.zip", target_url, tmp_path / "b")
    same((source_url, tmp_path / "a"), (target_url, tmp_path / "b"))


def test_sqlite_to_an_empty_sqlite(tmp_path):
    round_trip(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}")


@pytest.mark.postgres
def test_sqlite_to_an_empty_postgresql(tmp_path, postgres_url):
    round_trip(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", postgres_url)


@pytest.mark.postgres
def test_postgresql_to_an_empty_sqlite(tmp_path, postgres_url):
    round_trip(tmp_path, postgres_url, f"sqlite:///{tmp_path / 'b.db'}")


@pytest.mark.postgres
def test_a_restored_postgresql_database_hands_out_new_ids_after_the_restored_ones(tmp_path, postgres_url):
    round_trip(tmp_path, f"sqlite:///{tmp_path / 'a.db'}", postgres_url)
    engine = make_engine(postgres_url)
    with session_scope(engine) as db:
        a = db.exec(select(Assessment).where(Assessment.year == 2022)).one()
        user = db.exec(select(User)).first()
        comment = Comment(assessment_id=a.id, indicator_id="I02", user_id=user.id, body="baru")
        db.add(comment)
        db.flush()
        assert comment.id == max(db.exec(select(Comment.id)).all())
    engine.dispose()


@pytest.fixture
def backup_zip(tmp_path: Path) -> Path:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    seed(url)
    fill(url, tmp_path / "a")
    engine = make_engine(url)
    write_backup(engine, tmp_path / "a", tmp_path / "backup.zip")
    engine.dispose()
    return tmp_path / "backup.zip"


def test_a_database_with_data_is_refused_and_left_as_it_was(tmp_path, backup_zip):
    url = f"sqlite:///{tmp_path / 'b.db'}"
    seed(url)
    engine = make_engine(url)
    before = table_rows(engine)
    with pytest.raises(BackupError, match="tidak kosong"):
        restore(backup_zip, url, tmp_path / "b")
    assert table_rows(engine) == before and not files_of(tmp_path / "b")
    engine.dispose()


def tampered(source: Path, target: Path, member: str) -> Path:
    """A copy of an archive with one member's content changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, data + b"x" if info.filename.startswith(member) else data)
    return target


@pytest.mark.parametrize("member", ["evidence/", "tables/06-", "manifest.json"])
def test_a_damaged_archive_restores_nothing(tmp_path, backup_zip, member):
    damaged = tampered(backup_zip, tmp_path / "damaged.zip", member)
    url = f"sqlite:///{tmp_path / 'b.db'}"
    with pytest.raises(BackupError, match="rusak|tidak cocok"):
        restore(damaged, url, tmp_path / "b")
    engine = make_engine(url)
    require_empty(engine)  # raises if any row was written
    engine.dispose()
    assert not files_of(tmp_path / "b")


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(BackupError, match="bukan arsip"):
        restore(tmp_path / "x.zip", f"sqlite:///{tmp_path / 'b.db'}", tmp_path / "b")


def test_the_commands_back_up_and_restore_the_configured_database(tmp_path, backup_zip, monkeypatch, capsys):
    for name, value in {
        "DATA_DIR": tmp_path / "c",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}",
        "EVIDENCE_DIR": tmp_path / "c",
    }.items():
        monkeypatch.setenv(f"SPBE_{name}", str(value))
    get_settings.cache_clear()
    try:
        assert main(["restore", str(backup_zip)]) == 0
        assert main(["backup", str(tmp_path / "again.zip")]) == 0
        assert main(["restore", str(backup_zip)]) == 2
    finally:
        get_settings.cache_clear()
    out, err = capsys.readouterr()
    assert "Dipulihkan dari" in out and "3 berkas bukti" in out and "Cadangan ditulis" in out
    assert "tidak kosong" in err
    same(
        (f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "a"), (f"sqlite:///{tmp_path / 'c.db'}", tmp_path / "c")
    )


PAIR = ("I01", "I02")


def writer(url: str, stop: threading.Event) -> None:
    """Keep setting two answers to the same new explanation in one transaction each."""
    engine = make_engine(url)
    n = 0
    while not stop.is_set():
        n += 1
        with session_scope(engine) as db:
            for answer in db.exec(select(Answer).where(col(Answer.indicator_id).in_(PAIR))):
                answer.explanation = f"tulisan {n}"
                db.add(answer)
    engine.dispose()


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_backup_taken_during_writes_is_one_consistent_moment(tmp_path, database):
    sqlite = contextlib.nullcontext(f"sqlite:///{tmp_path / 'live.db'}")
    with postgres_database() if database == "postgres" else sqlite as url:
        seed(url)
        stop = threading.Event()
        thread = threading.Thread(target=writer, args=(url, stop))
        thread.start()
        engine = make_engine(url)
        try:
            for n in range(5):
                restore_to = f"sqlite:///{tmp_path / f'copy{n}.db'}"
                write_backup(engine, tmp_path / "ev", tmp_path / f"b{n}.zip")
                restore(tmp_path / f"b{n}.zip", restore_to, tmp_path / "ev2")
                copy = make_engine(restore_to)
                with copy.connect() as conn:
                    texts = conn.execute(
                        sa.select(Answer.explanation).where(col(Answer.indicator_id).in_(PAIR))
                    )
                    assert len(set(texts.scalars())) == 1
                copy.dispose()
        finally:
            stop.set()
            thread.join()
            engine.dispose()


def flipped(source: Path, target: Path, at: int) -> Path:
    """A copy of an archive with the byte at offset `at` inverted (damage on disk or in transfer)."""
    data = bytearray(source.read_bytes())
    data[at] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def data_offset(archive: Path, info: zipfile.ZipInfo) -> int:
    """Where a member's (compressed) content starts: after its local header, name and extra field."""
    with archive.open("rb") as raw:
        raw.seek(info.header_offset + 26)
        name_length = int.from_bytes(raw.read(2), "little")
        extra_length = int.from_bytes(raw.read(2), "little")
    return info.header_offset + 30 + name_length + extra_length


def test_one_byte_flipped_in_any_member_is_a_message_and_exit_2_with_nothing_written(
    tmp_path, backup_zip, monkeypatch, capsys
):
    with zipfile.ZipFile(backup_zip) as archive:
        members = archive.infolist()
    kinds = {m.filename.split("/")[0] for m in members}
    assert kinds == {"manifest.json", "tables", "evidence"} and len(members) > 15
    for n, info in enumerate(members):
        middle = data_offset(backup_zip, info) + info.compress_size // 2
        damaged = flipped(backup_zip, tmp_path / f"rusak-{n}.zip", middle)
        target = tmp_path / f"target-{n}"
        monkeypatch.setenv("SPBE_DATA_DIR", str(target))
        monkeypatch.setenv("SPBE_DATABASE_URL", f"sqlite:///{target}/spbe.db")
        get_settings.cache_clear()
        try:
            assert main(["restore", str(damaged)]) == 2, info.filename
        finally:
            get_settings.cache_clear()
        err = capsys.readouterr().err
        assert "rusak" in err and "Traceback" not in err, (info.filename, err)
        engine = make_engine(f"sqlite:///{target}/spbe.db")
        require_empty(engine)  # raises if any row was written
        engine.dispose()
        assert not files_of(target / "evidence"), info.filename


@settings(FUZZ, max_examples=25)
@given(where=st.floats(0, 1, exclude_max=True), mask=st.integers(1, 255))
def test_any_damaged_byte_restores_everything_or_nothing_with_a_message(tmp_path, backup_zip, where, mask):
    size = backup_zip.stat().st_size
    at = int(where * size)
    data = bytearray(backup_zip.read_bytes())
    data[at] ^= mask
    target = Path(tempfile.mkdtemp(dir=tmp_path))  # a fresh place per example (Hypothesis replays some)
    damaged = target / "rusak.zip"
    damaged.write_bytes(bytes(data))
    url = f"sqlite:///{target / 'spbe.db'}"
    try:
        manifest = restore(damaged, url, target / "evidence")
    except BackupError as e:
        assert str(e).strip()
        engine = make_engine(url)
        require_empty(engine)
        engine.dispose()
        assert not files_of(target / "evidence")
        return
    engine = make_engine(url)  # the damage hit a byte nothing reads (a timestamp, a comment): all restored
    rows = table_rows(engine)
    engine.dispose()
    assert {t["table"]: t["rows"] for t in manifest["tables"]} == {k: len(v) for k, v in rows.items()}
    assert len(files_of(target / "evidence")) == 3

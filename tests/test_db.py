"""Engines and sessions behave the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from spbe.store import db
from spbe.store.models import Instansi


@pytest.fixture
def migrated(migrated_database_url: str) -> str:
    return migrated_database_url


def test_plain_postgresql_urls_go_through_psycopg_3() -> None:
    for url in ("postgresql://u@h/spbe", "postgres://u@h/spbe"):
        assert db.prepare_url(url).drivername == "postgresql+psycopg"
    assert db.prepare_url("postgresql+psycopg://u@h/spbe").drivername == "postgresql+psycopg"


def test_a_sqlite_database_gets_its_folder_foreign_keys_and_wal(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'new' / 'folder' / 'spbe.db'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL, safe with WAL
    finally:
        engine.dispose()
    assert (tmp_path / "new" / "folder" / "spbe.db").is_file()


def test_a_session_scope_commits_on_success_and_rolls_back_on_error(migrated: str) -> None:
    engine = db.make_engine(migrated)
    try:
        with db.session_scope(engine) as session:
            session.add(Instansi(code="kota-a", name="Kota A", kind="kota"))
        with pytest.raises(RuntimeError), db.session_scope(engine) as session:
            session.add(Instansi(code="kota-b", name="Kota B", kind="kota"))
            session.flush()
            raise RuntimeError("boom")
        with db.session_scope(engine) as session:
            assert session.exec(select(Instansi.code)).all() == ["kota-a"]
    finally:
        engine.dispose()

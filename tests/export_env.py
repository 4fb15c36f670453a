"""The `spbe` command line configured with a copy of the demo database and its own evidence folder."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from spbe.cli import main
from spbe.config import get_settings
from spbe.store.db import make_engine
from tests.export_helpers import assessment_id
from tests.web.conftest import seed


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export-template") / "demo.db"
    seed(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@dataclass
class Env:
    """The demo database and evidence folder the CLI is configured with, and a way to run it."""

    engine: sa.Engine
    evidence_dir: Path
    tmp: Path
    capsys: pytest.CaptureFixture[str]

    def run(self, *argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err

    def export(self, *extra: str, year: str = "2022", name: str = "pack.zip") -> tuple[zipfile.ZipFile, str]:
        """Export the demo instansi's year (expecting success) and open the pack."""
        out = self.tmp / name
        code, stdout, err = self.run("export", "kota-pasuruan", year, "--out", str(out), *extra)
        assert code == 0, err
        return zipfile.ZipFile(out), stdout

    @property
    def a2022(self) -> int:
        return assessment_id(self.engine, 2022)


@pytest.fixture
def env(tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Iterator[Env]:
    shutil.copyfile(template, tmp_path / "spbe.db")
    url = f"sqlite:///{tmp_path / 'spbe.db'}"
    monkeypatch.setenv("SPBE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SPBE_DATABASE_URL", url)
    monkeypatch.setenv("SPBE_EVIDENCE_DIR", str(tmp_path / "evidence"))
    get_settings.cache_clear()
    engine = make_engine(url)
    yield Env(engine, tmp_path / "evidence", tmp_path, capsys)
    engine.dispose()
    get_settings.cache_clear()

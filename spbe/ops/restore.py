"""`spbe restore`: load a backup into an empty database (migrated first) and its evidence files, checked."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa

from spbe.ops.backup_format import (
    CHUNK,
    FORMAT,
    MANIFEST,
    VERSION,
    VERSION_TABLE,
    BackupError,
    app_tables,
    decode,
    head_revision,
)
from spbe.store.db import make_engine, upgrade
from spbe.store.evidence_files import TMP_DIR, storage_name

BATCH = 1000


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The archive's manifest, after checking it is an spbe backup this version can restore."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as e:
        raise BackupError(f"bukan arsip cadangan spbe (manifest.json hilang atau rusak: {e})") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or manifest.get("version") != VERSION
    ):
        raise BackupError(f"format cadangan tidak dikenal (diharapkan {FORMAT} versi {VERSION})")
    if manifest.get("alembic_revision") != head_revision():
        raise BackupError(
            f"cadangan dibuat pada skema revisi {manifest.get('alembic_revision')}, aplikasi ini pada "
            f"revisi {head_revision()}: pulihkan dengan versi aplikasi pembuatnya, lalu 'spbe db upgrade'"
        )
    if [t.get("table") for t in manifest.get("tables", [])] != [t.name for t in app_tables()]:
        raise BackupError("daftar tabel cadangan tidak sama dengan skema aplikasi ini")
    return manifest


def require_empty(engine: sa.Engine) -> None:
    """Refuse a database that holds any row: a restore never mixes with existing data."""
    with engine.connect() as conn:
        for name in sorted(set(sa.inspect(conn).get_table_names()) - {VERSION_TABLE}):
            if conn.execute(sa.select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first():
                raise BackupError(
                    f"basis data tujuan tidak kosong (tabel {name} berisi data): pulihkan hanya ke "
                    "basis data baru yang kosong"
                )


def _sha256(archive: zipfile.ZipFile, name: str, copy_to: BinaryIO | None = None) -> str:
    digest = hashlib.sha256()
    with archive.open(name) as member:
        while chunk := member.read(CHUNK):
            digest.update(chunk)
            if copy_to is not None:
                copy_to.write(chunk)
    return digest.hexdigest()


def check_tables(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every table file is present and matches its SHA-256."""
    for entry in manifest["tables"]:
        try:
            intact = _sha256(archive, entry["file"]) == entry["sha256"]
        except KeyError:
            intact = False
        if not intact:
            raise BackupError(f"data tabel {entry['table']} hilang atau rusak di arsip (SHA-256 tidak cocok)")


def _place(archive: zipfile.ZipFile, entry: dict[str, Any], evidence_dir: Path) -> Path | None:
    """Put one evidence file in place through a temp file, checking its hash; its path, or None if there."""
    name = storage_name(str(entry.get("sha256")))
    target = evidence_dir / name
    if entry.get("name") != name:
        raise BackupError(f"nama berkas bukti {entry.get('name')!r} tidak cocok dengan SHA-256-nya")
    if target.is_file():
        return None
    fd, tmp = tempfile.mkstemp(dir=evidence_dir / TMP_DIR, prefix="restore-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            digest = _sha256(archive, f"evidence/{name}", out)
            out.flush()
            os.fsync(out.fileno())
        if digest != entry["sha256"]:
            raise BackupError(f"berkas bukti {name} rusak di arsip (SHA-256 tidak cocok)")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
    except KeyError:
        raise BackupError(f"berkas bukti {name} hilang dari arsip") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _load(conn: sa.Connection, archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Insert every table's rows, parents first, then move PostgreSQL's id sequences past them."""
    tables = {t.name: t for t in app_tables()}
    for entry in manifest["tables"]:
        table, batch = tables[entry["table"]], []
        with archive.open(entry["file"]) as member:
            for line in io.TextIOWrapper(member, encoding="utf-8"):
                row = json.loads(line)
                if set(row) != set(table.columns.keys()):
                    raise BackupError(
                        f"kolom tabel {table.name} di arsip tidak sama dengan skema aplikasi ini"
                    )
                batch.append({k: decode(table.c[k], v) for k, v in row.items()})
                if len(batch) == BATCH:
                    conn.execute(table.insert(), batch)
                    batch = []
        if batch:
            conn.execute(table.insert(), batch)
        column = table.autoincrement_column
        if conn.dialect.name == "postgresql" and column is not None:
            sequence = sa.func.pg_get_serial_sequence(table.name, column.name)
            conn.execute(
                sa.select(sa.func.setval(sequence, sa.func.coalesce(sa.func.max(column), 0) + 1, False))
            )


def restore(path: Path, url: str, evidence_dir: Path) -> dict[str, Any]:
    """Restore an archive into the empty database at `url` and `evidence_dir` (all or nothing)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        raise BackupError(f"{path}: bukan arsip ZIP yang dapat dibaca ({e})") from None
    engine = make_engine(url)
    placed: list[Path] = []
    try:
        with archive:
            manifest = read_manifest(archive)
            require_empty(engine)
            check_tables(archive, manifest)
            upgrade(url)
            (evidence_dir / TMP_DIR).mkdir(parents=True, exist_ok=True)
            for entry in manifest.get("files", []):
                if (new := _place(archive, entry, evidence_dir)) is not None:
                    placed.append(new)
            with engine.begin() as conn:
                _load(conn, archive, manifest)
    except BaseException:
        for file in placed:
            file.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()
    return manifest

"""`spbe backup`: one consistent snapshot of every table plus the evidence files it references, as a ZIP."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import col

from spbe.ops.backup_format import CHUNK, FORMAT, MANIFEST, VERSION, app_tables, check_schema, encode
from spbe.store.evidence_files import storage_name
from spbe.store.models import StoredFile, utcnow


@dataclass
class Written:
    """What a backup holds: rows per table, evidence files, and stored files missing or damaged on disk."""

    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing: list[str] = field(default_factory=list)


@contextmanager
def snapshot(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection on one consistent state of the database while others go on writing."""
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn
        return
    with tempfile.TemporaryDirectory(prefix="spbe-backup-") as tmp:
        copy = Path(tmp) / "snapshot.db"
        target = sqlite3.connect(copy)
        try:
            with engine.connect() as conn:  # SQLite's online backup API: a copy as of one moment
                conn.connection.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
        frozen = sa.create_engine(f"sqlite:///{copy}")
        try:
            with frozen.connect() as conn:
                yield conn
        finally:
            frozen.dispose()


def _dump(conn: sa.Connection, table: sa.Table, archive: zipfile.ZipFile, n: int, written: Written) -> object:
    """Write one table as NDJSON in primary-key order; its manifest entry."""
    name = f"tables/{n:02d}-{table.name}.ndjson"
    digest, rows = hashlib.sha256(), 0
    query = sa.select(table).order_by(*table.primary_key.columns)
    with archive.open(name, "w", force_zip64=True) as out:
        for row in conn.execution_options(yield_per=1000).execute(query).mappings():
            line = json.dumps(
                {k: encode(v) for k, v in row.items()}, ensure_ascii=False, separators=(",", ":")
            )
            data = (line + "\n").encode()
            digest.update(data)
            out.write(data)
            rows += 1
    written.rows[table.name] = rows
    return {"table": table.name, "file": name, "rows": rows, "sha256": digest.hexdigest()}


def _copy_file(source: Path, archive: zipfile.ZipFile, name: str) -> str:
    """Copy a file into the archive unchanged; its SHA-256."""
    digest = hashlib.sha256()
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    with source.open("rb") as f, archive.open(info, "w", force_zip64=True) as out:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _evidence(
    conn: sa.Connection, evidence_dir: Path, archive: zipfile.ZipFile, written: Written
) -> list[object]:
    """Copy every stored file the snapshot references; missing or damaged ones are listed, not copied."""
    entries: list[object] = []
    query = sa.select(StoredFile.sha256, StoredFile.size).order_by(col(StoredFile.sha256))
    for sha256, size in conn.execute(query):
        name = storage_name(sha256)
        path = evidence_dir / name
        if not path.is_file() or _copy_file(path, archive, f"evidence/{name}") != sha256:
            written.missing.append(name)
            continue
        entries.append({"name": name, "sha256": sha256, "size": size})
    written.files = len(entries)
    return entries


def write_backup(engine: sa.Engine, evidence_dir: Path, out: Path) -> Written:
    """Write the archive to `out` (complete or not at all)."""
    written = Written()
    fd, part = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    os.close(fd)
    try:
        with snapshot(engine) as conn, zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as archive:
            revision = check_schema(conn)
            tables = [_dump(conn, table, archive, n, written) for n, table in enumerate(app_tables())]
            files = _evidence(conn, evidence_dir, archive, written)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": utcnow().isoformat(),
                "alembic_revision": revision,
                "database": engine.dialect.name,
                "tables": tables,
                "files": files,
                "missing": written.missing,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(part, out)
    finally:
        Path(part).unlink(missing_ok=True)
    return written

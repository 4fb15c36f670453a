"""`spbe restore`: load a backup into an empty database (migrated first) and its evidence files, checked."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import sqlalchemy as sa

from spbe.method.input_limits import InputTooLarge, load_json
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
MAX_MANIFEST = 64 * 1024 * 1024  # a manifest lists ~150 bytes per evidence file
MAX_LINE = 16 * 1024 * 1024  # one table row as JSON (the longest texts are tens of KB)
# What reading a damaged member can raise: a bad CRC or header, a broken deflate stream, a cut-off file.
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError, ValueError, NotImplementedError,
          RuntimeError, ArithmeticError, TypeError)  # the last two: values that decode to nothing valid


@contextmanager
def _intact(what: str) -> Iterator[None]:
    """Turn any sign of damage while reading `what` from the archive into a BackupError that names it."""
    try:
        yield
    except BackupError:
        raise
    except KeyError:
        raise BackupError(f"{what} hilang dari arsip") from None
    except DAMAGE as e:
        raise BackupError(f"{what} rusak di arsip ({type(e).__name__}: {str(e)[:200]})") from None


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The archive's manifest, after checking it is an spbe backup this version can restore."""
    try:
        if archive.getinfo(MANIFEST).file_size > MAX_MANIFEST:
            raise InputTooLarge(f"lebih dari {MAX_MANIFEST // 2**20} MB")
        manifest = load_json(archive.read(MANIFEST))
    except (KeyError, *DAMAGE) as e:
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
        with _intact(f"data tabel {entry['table']}"):
            intact = _sha256(archive, entry["file"]) == entry["sha256"]
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
    with _intact(f"berkas bukti {name}"):
        stated = archive.getinfo(f"evidence/{name}").file_size
    if "size" in entry and stated != entry["size"]:  # nothing larger than the manifest says is unpacked
        raise BackupError(f"ukuran berkas bukti {name} di arsip tidak cocok dengan manifest")
    fd, tmp = tempfile.mkstemp(dir=evidence_dir / TMP_DIR, prefix="restore-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, _intact(f"berkas bukti {name}"):
            digest = _sha256(archive, f"evidence/{name}", out)
            out.flush()
            os.fsync(out.fileno())
        if digest != entry["sha256"]:
            raise BackupError(f"berkas bukti {name} rusak di arsip (SHA-256 tidak cocok)")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _rows(archive: zipfile.ZipFile, entry: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows of one table file, each line a JSON object read within the input limits."""
    with archive.open(entry["file"]) as member:
        while line := member.readline(MAX_LINE + 1):
            if len(line) > MAX_LINE:
                raise InputTooLarge(f"satu baris lebih dari {MAX_LINE // 2**20} MB")
            row = load_json(line)
            if not isinstance(row, dict):
                raise ValueError("baris bukan objek JSON")
            yield row


def _load(conn: sa.Connection, archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Insert every table's rows, parents first, then move PostgreSQL's id sequences past them."""
    tables = {t.name: t for t in app_tables()}
    for entry in manifest["tables"]:
        table, batch = tables[entry["table"]], []
        with _intact(f"data tabel {table.name}"):
            for row in _rows(archive, entry):
                if set(row) != set(table.columns.keys()):
                    raise BackupError(
                        f"kolom tabel {table.name} di arsip tidak sama dengan skema aplikasi ini"
                    )
                batch.append({k: decode(table.c[k], v) for k, v in row.items()})
                if len(batch) == BATCH:
                    _insert(conn, table, batch)
                    batch = []
            if batch:
                _insert(conn, table, batch)
        column = table.autoincrement_column
        if conn.dialect.name == "postgresql" and column is not None:
            sequence = sa.func.pg_get_serial_sequence(table.name, column.name)
            conn.execute(
                sa.select(sa.func.setval(sequence, sa.func.coalesce(sa.func.max(column), 0) + 1, False))
            )


def _insert(conn: sa.Connection, table: sa.Table, batch: list[dict[str, Any]]) -> None:
    """Insert a batch of rows; values the database refuses (a tampered archive) end the restore."""
    try:
        conn.execute(table.insert(), batch)
    except sa.exc.StatementError as e:
        reason = str(e.orig or e)[:200]
        raise BackupError(f"data tabel {table.name} di arsip tidak dapat dimuat ({reason})") from None


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
            (evidence_dir / TMP_DIR).mkdir(parents=True, exist_ok=True)
            for entry in manifest.get("files", []):  # checked and placed before the database is touched
                if (new := _place(archive, entry, evidence_dir)) is not None:
                    placed.append(new)
            upgrade(url)
            with engine.begin() as conn:
                _load(conn, archive, manifest)
    except BaseException:
        for file in placed:
            file.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()
    return manifest

"""Every row of every table, and every evidence file's hash: to compare two databases, or before and after."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa

from spbe.ops.backup_format import VERSION_TABLE, app_tables
from spbe.ops.cleanup import stored_names


def table_rows(engine: sa.Engine) -> dict[str, list[tuple[object, ...]]]:
    """Table name -> its rows in primary-key order, read through the models' types (alike on both)."""
    with engine.connect() as conn:
        present = set(sa.inspect(conn).get_table_names()) - {VERSION_TABLE}
        tables = app_tables()
        assert present == {t.name for t in tables}, "the database and the models name different tables"
        return {
            t.name: [tuple(row) for row in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]
            for t in tables
        }


def evidence_files(evidence_dir: Path) -> dict[str, str]:
    """Stored name -> SHA-256 of its content, for every content file under evidence_dir."""
    return {
        name: hashlib.sha256((evidence_dir / name).read_bytes()).hexdigest()
        for name in stored_names(evidence_dir)
    }

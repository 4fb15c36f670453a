"""The backup archive's layout shared by `spbe backup` and `spbe restore`: tables, values, schema revision.

A backup is a ZIP: manifest.json (format, Alembic revision, per table its NDJSON file, row count and SHA-256,
per evidence file its SHA-256 and size), tables/NN-<table>.ndjson (one JSON object a row, parents before
children) and evidence/<ab>/<cdef….bin> (stored as is). Values are JSON numbers, strings, booleans or null;
decimals, dates and timestamps are ISO or decimal strings, decoded by the column's type.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from spbe.store import models  # noqa: F401  (registers every table in SQLModel.metadata)
from spbe.store.db import alembic_config

FORMAT = "spbe-backup"
VERSION = 1
MANIFEST = "manifest.json"
VERSION_TABLE = "alembic_version"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (Bahasa Indonesia) says why and what to do."""


def app_tables() -> list[sa.Table]:
    """The application's tables, each after the tables it refers to."""
    return list(SQLModel.metadata.sorted_tables)


def encode(value: object) -> object:
    """A column value as JSON: decimals, dates and timestamps as strings, everything else as it is."""
    if isinstance(value, dt.date | Decimal):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def decode(column: sa.Column[object], raw: object) -> object:
    """A JSON value back as the column's Python value."""
    kind = column.type.impl if isinstance(column.type, sa.TypeDecorator) else column.type
    if raw is None or not isinstance(raw, str):
        return raw
    if isinstance(kind, sa.DateTime):
        return dt.datetime.fromisoformat(raw)
    if isinstance(kind, sa.Date):
        return dt.date.fromisoformat(raw)
    return Decimal(raw) if isinstance(kind, sa.Numeric) else raw


def head_revision() -> str | None:
    """The newest schema revision this version of the application knows."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(conn: sa.Connection) -> str | None:
    """The schema revision a database is at (None before its first migration)."""
    return MigrationContext.configure(conn).get_current_revision()


def check_schema(conn: sa.Connection) -> str:
    """The database's revision when its schema is exactly this application's; BackupError otherwise."""
    revision, head = current_revision(conn), head_revision()
    if revision != head:
        raise BackupError(
            f"skema basis data pada revisi {revision or '(kosong)'}, aplikasi ini pada revisi "
            f"{head}: jalankan 'spbe db upgrade' dahulu"
        )
    unknown = set(sa.inspect(conn).get_table_names()) - {t.name for t in app_tables()} - {VERSION_TABLE}
    if unknown:
        raise BackupError(f"tabel tidak dikenal aplikasi ini: {', '.join(sorted(unknown))}")
    return revision or ""

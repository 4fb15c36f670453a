"""Shared fixtures: the real rubric, and fresh databases on SQLite and on the PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from spbe.method.rubric import Rubric, get_rubric
from spbe.services import passwords
from spbe.store.db import upgrade

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_ADMIN_URL = os.environ.get("SPBE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def unavailable(reason: str) -> None:
    """Skip on a developer machine, fail in CI: CI must never skip PostgreSQL or browser tests."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Hash test passwords with minimal Argon2 cost: each default hash takes ~0.15 s, hundreds of logins add up.

    Verification reads the cost from the stored hash, so the production path is exercised unchanged;
    tests/test_passwords.py checks the production hasher itself.
    """
    original = passwords._HASHER
    passwords._HASHER = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    yield
    passwords._HASHER = original


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return get_rubric("spbe-2021")


def _pg_admin() -> sa.Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@contextmanager
def postgres_database(template: str | None = None) -> Iterator[str]:
    """Create a PostgreSQL database (empty, or a copy of `template`), yield its URL, drop it afterwards."""
    admin = _pg_admin()
    name = f"spbe_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    try:
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))
    except sa.exc.OperationalError as e:
        admin.dispose()
        unavailable(f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {e.orig}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    with postgres_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'spbe.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """An empty database URL, once for SQLite and once for PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


# Migrating takes about half a second: it runs once per session into a template that each test copies.
@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "spbe.db"
    upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:  # fold the WAL into the file so a plain copy is complete
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def migrated_sqlite_url(tmp_path: Path, migrated_sqlite_template: Path) -> str:
    """A fresh copy of an empty database migrated to the newest schema, as a SQLite file."""
    shutil.copyfile(migrated_sqlite_template, tmp_path / "spbe.db")
    return f"sqlite:///{tmp_path / 'spbe.db'}"


@pytest.fixture(scope="session")
def migrated_postgres_template() -> Iterator[str]:
    with postgres_database() as url:
        upgrade(url)
        yield sa.make_url(url).database


@pytest.fixture
def migrated_postgres_url(migrated_postgres_template: str) -> Iterator[str]:
    """A fresh copy of an empty database migrated to the newest schema, on the PostgreSQL server."""
    with postgres_database(template=migrated_postgres_template) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def migrated_database_url(request: pytest.FixtureRequest) -> str:
    """An empty database migrated to the newest schema, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"migrated_{request.param}_url")

"""Engines, sessions and schema upgrades for SQLite (embedded) and PostgreSQL (multi-user, psycopg 3)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session

from spbe.resources import migrations_dir

if TYPE_CHECKING:  # Alembic (with Mako and Pygments) loads when a schema is migrated, not for every command
    from alembic.config import Config

MIGRATIONS = migrations_dir()


def prepare_url(url: str | sa.URL) -> sa.URL:
    """Parse a database URL, send plain postgresql:// through psycopg 3 and create a SQLite file's folder."""
    parsed = sa.make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in {None, "", ":memory:"}:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return parsed


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys (so ON DELETE CASCADE works) and let readers run during a write (WAL).

    synchronous=NORMAL is the setting SQLite recommends with WAL: a commit no longer waits for an fsync
    (the WAL is synced at checkpoints), which made every autosave wait on the disk. The database stays
    consistent after any crash, and a crash of the app loses nothing; only a power loss or OS crash can
    take back the last commits before the checkpoint.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


POOL_SIZE = 16  # connections kept per process; the web app runs as many worker threads (spbe.app)
POOL_OVERFLOW = 4  # extra connections for a moment of need; never more than the database allows per worker
POOL_TIMEOUT = 3  # seconds a request waits for a connection before it is answered 503 (never 30 s)


def make_engine(url: str | sa.URL, pool_size: int = POOL_SIZE) -> sa.Engine:
    """An application engine: SQLite with foreign keys and WAL, PostgreSQL through psycopg 3.

    The pool holds `pool_size` connections (plus a small overflow) and a checkout waits at most
    POOL_TIMEOUT seconds (sqlalchemy.exc.TimeoutError, answered 503 by the web app).
    """
    parsed = prepare_url(url)
    pool = {"pool_size": pool_size, "max_overflow": POOL_OVERFLOW, "pool_timeout": POOL_TIMEOUT}
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True, **pool)
    in_memory = parsed.database in {None, "", ":memory:"}  # one connection per thread: no pool to size
    sized = {} if in_memory else pool
    engine = sa.create_engine(parsed, connect_args={"check_same_thread": False}, **sized)
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def session_scope(engine: sa.Engine) -> Iterator[Session]:
    """One unit of work: commit when the block succeeds, roll back when it raises."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def commit_before_rendering(session: Session) -> None:
    """Commit a write now, keeping the loaded objects as they are, so that what follows holds no lock.

    A database has one writer at a time with SQLite (and PostgreSQL holds the written rows): a unit of work
    that renders its response, or reads what the response shows, before session_scope commits keeps every
    other save waiting for that long. The objects are not expired, so rendering reads no row again.
    """
    session.expire_on_commit = False
    session.commit()


def alembic_config(url: str | sa.URL) -> Config:
    """An Alembic configuration, built in code, for the repository's migrations against one database."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    rendered = prepare_url(url).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))  # ConfigParser interpolation
    return config


def upgrade(url: str | sa.URL, revision: str = "head") -> None:
    """Migrate a database's schema up to a revision (default: the newest)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)

"""Web fixtures: the app on a fresh copy of a migrated demo database, and clients signed in per role.

Migrating and seeding (four Argon2 hashes) costs about a second, so it happens once per test process into a
template — a SQLite file, a PostgreSQL template database — and every test gets its own copy.
"""

from __future__ import annotations

import functools
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from spbe.app import create_app
from spbe.config import Settings
from spbe.ops.demo import DEMO_USERS, ensure_user, seed_demo
from spbe.store.db import make_engine, session_scope, upgrade
from spbe.store.models import Answer, Role
from spbe.web import csrf
from tests.conftest import postgres_database


def make_settings(tmp_path: Path, database_url: str, **overrides: object) -> Settings:
    return Settings(data_dir=tmp_path, evidence_dir=tmp_path / "evidence", database_url=database_url, **overrides)


def seed(database_url: str) -> None:
    """Migrate a database and put the demo instansi in it; a new SQLite file is a copy of one seeded earlier."""
    path = sa.make_url(database_url).database if database_url.startswith("sqlite:///") else None
    if path and not Path(path).exists():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_seeded_sqlite_file(), path)
    else:
        _migrate_and_seed(database_url)


def _migrate_and_seed(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    with session_scope(engine) as db:
        seed_demo(db)
    engine.dispose()


@functools.cache
def _seeded_sqlite_file() -> Path:
    """The demo, migrated and seeded once per test process into a file that `seed` copies."""
    folder = tempfile.TemporaryDirectory(prefix="spbe-demo-")
    _KEEP.append(folder)  # removed when the process ends
    path = Path(folder.name) / "demo.db"
    _migrate_and_seed(f"sqlite:///{path}")
    with sqlite3.connect(path) as db:  # fold the WAL into the file so a plain copy is complete
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


_KEEP: list[tempfile.TemporaryDirectory[str]] = []


def make_demo_app(settings: Settings) -> FastAPI:
    """The app on settings.database_url after migrating and seeding it (see `seed`)."""
    seed(settings.database_url)
    return create_app(settings)


@pytest.fixture(scope="session")
def demo_sqlite_template() -> Path:
    return _seeded_sqlite_file()


@pytest.fixture
def demo_sqlite_url(tmp_path: Path, demo_sqlite_template: Path) -> str:
    """A fresh copy of the migrated demo database as a SQLite file."""
    path = tmp_path / "spbe.db"
    shutil.copyfile(demo_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def demo_postgres_template() -> Iterator[str]:
    with postgres_database() as url:
        seed(url)
        yield sa.make_url(url).database


@pytest.fixture
def demo_postgres_url(demo_postgres_template: str) -> Iterator[str]:
    """A fresh copy of the migrated demo database on the PostgreSQL server."""
    with postgres_database(template=demo_postgres_template) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo_database_url(request: pytest.FixtureRequest) -> str:
    """A demo database, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"demo_{request.param}_url")


def _serve(settings: Settings) -> Iterator[FastAPI]:
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def web_app(tmp_path: Path, demo_sqlite_url: str) -> Iterator[FastAPI]:
    """The app on a demo SQLite database (use `web_app_any_db` for both databases)."""
    yield from _serve(make_settings(tmp_path, demo_sqlite_url))


@pytest.fixture
def web_app_any_db(tmp_path: Path, demo_database_url: str) -> Iterator[FastAPI]:
    """The demo app once on SQLite and once on PostgreSQL."""
    yield from _serve(make_settings(tmp_path, demo_database_url))


def send_csrf(client: TestClient) -> TestClient:
    """Make `client` send its session's CSRF token with every POST, PUT and DELETE, as the pages and htmx do.

    A request that names its own X-CSRF-Token header (tests of the check itself) is left alone.
    """

    def add_token(request: httpx.Request) -> None:
        if request.method in csrf.SAFE_METHODS or csrf.HEADER in request.headers:
            return
        request.headers[csrf.HEADER] = client.get("/api/csrf").json()["csrf_token"]
        request.headers.pop("Cookie", None)  # the session may be new: send the one the token belongs to
        client.cookies.set_cookie_header(request)

    client.event_hooks = {**client.event_hooks, "request": [*client.event_hooks["request"], add_token]}
    return client


def login(client: TestClient, role: Role | str) -> TestClient:
    """Sign `client` in as the demo account of a role; from then on it sends the CSRF token."""
    send_csrf(client)
    username = DEMO_USERS[Role(role)]
    response = client.post("/login", data={"username": username, "password": username},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def outsider(app: FastAPI) -> TestClient:
    """A client signed in as a user who belongs to no instansi."""
    with session_scope(app.state.engine) as db:
        ensure_user(db, "orang-luar", "orang-luar")
    client = send_csrf(TestClient(app))
    response = client.post("/login", data={"username": "orang-luar", "password": "orang-luar"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def client_of(app: FastAPI, who: str) -> TestClient:
    """A client for a demo role, for 'anonymous' (not signed in) or 'outsider'; redirects are not followed."""
    if who == "outsider":
        return outsider(app)
    client = send_csrf(TestClient(app, follow_redirects=False))
    return client if who == "anonymous" else login(client, who)


@contextmanager
def clients(make_one: Callable[[str], TestClient]) -> Iterator[Callable[[str], TestClient]]:
    """make(who) -> a new client from make_one(who); every client made is closed at the end."""
    made: list[TestClient] = []

    def make(who: str) -> TestClient:
        made.append(make_one(who))
        return made[-1]

    try:
        yield make
    finally:
        for client in made:
            client.close()


@pytest.fixture
def client_as(web_app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """client_as('koordinator') -> a TestClient signed in as that demo account."""
    with clients(lambda role: login(TestClient(web_app), role)) as make:
        yield make


@pytest.fixture
def client_as_any_db(web_app_any_db: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """client_as on SQLite and on PostgreSQL."""
    with clients(lambda role: login(TestClient(web_app_any_db), role)) as make:
        yield make


@pytest.fixture
def client_of_anyone(web_app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """client_of_anyone(who) for permission tables: roles, 'anonymous' and 'outsider'."""
    with clients(lambda who: client_of(web_app, who)) as make:
        yield make


@pytest.fixture
def anonymous(web_app: FastAPI) -> Iterator[TestClient]:
    """A client that is not signed in (but sends a CSRF token, so requests reach the login check)."""
    with send_csrf(TestClient(web_app)) as client:
        yield client


def stored_answer(app: FastAPI, assessment_id: int, indicator_id: str) -> Answer | None:
    """The answer row as the database holds it (detached), or None when never saved."""
    with session_scope(app.state.engine) as db:
        query = select(Answer).where(Answer.assessment_id == assessment_id, Answer.indicator_id == indicator_id)
        answer = db.exec(query).first()
        if answer is not None:
            db.expunge(answer)
        return answer

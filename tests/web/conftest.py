"""Web fixtures: the app on a fresh migrated database seeded with the demo, and clients signed in per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from spbe.app import create_app
from spbe.config import Settings
from spbe.db import session_scope, upgrade
from spbe.demo import DEMO_USERS, seed_demo
from spbe.models import Role


def make_settings(tmp_path: Path, database_url: str, **overrides: object) -> Settings:
    return Settings(data_dir=tmp_path, evidence_dir=tmp_path / "evidence", database_url=database_url, **overrides)


def make_demo_app(settings: Settings) -> FastAPI:
    upgrade(settings.database_url)
    app = create_app(settings)
    with session_scope(app.state.engine) as db:
        seed_demo(db)
    return app


@pytest.fixture
def web_app(tmp_path: Path, sqlite_url: str) -> Iterator[FastAPI]:
    """The app on a migrated SQLite database holding the demo instansi (use `web_app_any_db` for both)."""
    app = make_demo_app(make_settings(tmp_path, sqlite_url))
    yield app
    app.state.engine.dispose()


@pytest.fixture
def web_app_any_db(tmp_path: Path, database_url: str) -> Iterator[FastAPI]:
    """The demo app once on SQLite and once on PostgreSQL."""
    app = make_demo_app(make_settings(tmp_path, database_url))
    yield app
    app.state.engine.dispose()


def login(client: TestClient, role: Role | str) -> TestClient:
    username = DEMO_USERS[Role(role)]
    response = client.post("/login", data={"username": username, "password": username}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def client_as(web_app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """client_as('koordinator') -> a TestClient signed in as that demo account."""
    clients: list[TestClient] = []

    def make(role: str) -> TestClient:
        client = TestClient(web_app)
        clients.append(client)
        return login(client, role)

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def anonymous(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app) as client:
        yield client

"""Connections and threads: a request that gets no connection is answered 503 at once, never after 30 s,
and no route can take the database session outside one unit of work (one thread call)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import time

import anyio.to_thread
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.exceptions import FastAPIError
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import spbe.web
from spbe.app import create_app
from spbe.store.db import POOL_OVERFLOW, POOL_TIMEOUT
from spbe.store.models import Role
from spbe.web.deps import DbDep, UserDep
from tests.web.conftest import login, make_settings


def test_a_request_that_gets_no_connection_is_answered_503_with_retry_after(tmp_path, demo_database_url):
    app = create_app(make_settings(tmp_path, demo_database_url, db_pool_size=1))
    try:
        client = login(TestClient(app, follow_redirects=False), Role.KOORDINATOR)
        held = [app.state.engine.connect() for _ in range(1 + POOL_OVERFLOW)]  # every connection taken
        try:
            began = time.monotonic()
            api = client.get("/api/assessments")
            page = client.get("/")
            waited = time.monotonic() - began
        finally:
            for connection in held:
                connection.close()
        assert (api.status_code, page.status_code) == (503, 503)
        assert api.headers["Retry-After"] == page.headers["Retry-After"] == "5"
        assert "Server sedang sibuk" in api.json()["detail"] and "Server sedang sibuk" in page.text
        assert waited < 2 * POOL_TIMEOUT + 2  # two requests, each waiting the pool's timeout once
        assert client.get("/api/assessments").status_code == 200  # served again once connections are free
    finally:
        app.state.engine.dispose()


def test_a_route_taking_the_session_without_a_unit_of_work_is_refused_when_built():
    router = APIRouter()
    with pytest.raises(FastAPIError):

        @router.get("/hops")
        def hops(db: DbDep) -> dict[str, str]:
            return {}

        FastAPI().include_router(router)


def _routes() -> list[APIRoute]:
    """Every route of the web package's routers."""
    found = []
    for info in pkgutil.iter_modules(spbe.web.__path__):
        router = getattr(importlib.import_module(f"spbe.web.{info.name}"), "router", None)
        if isinstance(router, APIRouter):
            found += [r for r in router.routes if isinstance(r, APIRoute)]
    return found


def test_every_route_gets_the_session_and_the_signed_in_user_in_one_unit_of_work():
    routes = _routes()
    assert len(routes) > 50
    for route in routes:
        parameters = inspect.signature(route.endpoint, eval_str=True).parameters.values()
        annotations = [p.annotation for p in parameters]
        assert DbDep not in annotations and UserDep not in annotations, route.path
        dependencies = {d.call for d in route.dependant.dependencies}
        assert not any(inspect.isgeneratorfunction(call) for call in dependencies), route.path


def test_the_app_runs_as_many_worker_threads_as_it_pools_connections(tmp_path, demo_sqlite_url):
    app = create_app(make_settings(tmp_path, demo_sqlite_url, db_pool_size=7))
    try:
        with TestClient(app) as client:  # runs the app's lifespan, as uvicorn does

            async def threads() -> float:
                return anyio.to_thread.current_default_thread_limiter().total_tokens

            assert client.portal.call(threads) == 7  # type: ignore[union-attr]
        assert app.state.engine.pool.size() == 7
    finally:
        app.state.engine.dispose()

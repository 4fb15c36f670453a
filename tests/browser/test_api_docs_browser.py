"""The API reference at /api/docs renders in Chromium from the app's own files, with no CSP violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import expect

from tests.web.conftest import make_demo_app, make_settings


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    demo = make_demo_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'spbe.db'}"))
    yield demo
    demo.state.engine.dispose()


def test_the_api_docs_render_offline_under_the_csp(page, live_server):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    outside: list[str] = []
    page.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
               if not route.request.url.startswith(live_server) else route.continue_())
    page.goto(live_server + "/api/docs")
    expect(page.locator(".swagger-ui .information-container")).to_contain_text("spbe")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert outside == [] and problems == []

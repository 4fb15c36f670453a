"""Proves the browser harness works on this machine: a tiny app, served live, clicked in Chromium."""

import pytest
from playwright.sync_api import expect
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>harness</title></head>
<body>
  <p id="status">Belum diklik</p>
  <button type="button" onclick="document.getElementById('status').textContent = 'Sudah diklik'">Klik</button>
</body></html>"""


@pytest.fixture
def app() -> Starlette:
    async def home(request):
        return HTMLResponse(PAGE)

    return Starlette(routes=[Route("/", home)])


def test_button_click_changes_text(page, live_server):
    page.goto(live_server + "/")
    expect(page.locator("#status")).to_have_text("Belum diklik")
    page.get_by_role("button", name="Klik").click()
    expect(page.locator("#status")).to_have_text("Sudah diklik")

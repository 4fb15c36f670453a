"""20 people open the questionnaire at once, as browsers do, on one `spbe serve` worker: every view completes.

A browser opens the page, then fetches the evidence panel of each of its indicators over up to 6 connections
(the page now renders the panels itself; a panel is fetched again after an upload or a conflict, so the
crowd keeps the load the probe used). Routes that hopped threads while holding a database connection
stalled here: at 14 users threads and connections waited on each other until the pool's 30-second timeout.
"""

from __future__ import annotations

import asyncio
import re
import time

import httpx
import pytest

from tests.live_server import LiveServer, WebSession
from tests.web.conftest import seed

USERS = 20
CONNECTIONS = 6  # per browser and host
CARD_PANEL = re.compile(r'id="panel-(I\d+)"')


def panel_urls(page_path: str, html: str) -> list[str]:
    """The evidence panel route of every indicator card on a questionnaire page."""
    base = page_path.split("?")[0]
    return [f"{base}/indicators/{ind}/evidence" for ind in CARD_PANEL.findall(html)]


async def open_view(base: str, cookies: httpx.Cookies, page: str) -> tuple[list[int | str], float]:
    """One browser: the page, then its evidence panels over CONNECTIONS connections; statuses and seconds."""
    limits = httpx.Limits(max_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=60) as client:
        began = time.monotonic()
        first = await fetch(client, page)
        panels = panel_urls(page, first.text) if isinstance(first, httpx.Response) else []
        rest = await asyncio.gather(*(fetch(client, url, {"HX-Request": "true"}) for url in panels))
        outcomes = [r.status_code if isinstance(r, httpx.Response) else r for r in (first, *rest)]
        return outcomes, time.monotonic() - began


async def fetch(
    client: httpx.AsyncClient, url: str, headers: dict[str, str] | None = None
) -> httpx.Response | str:
    """The response, or the name of the error that stopped it (a timeout, a dropped connection)."""
    try:
        return await client.get(url, headers=headers)
    except httpx.HTTPError as e:
        return type(e).__name__


async def crowd(base: str, cookies: httpx.Cookies, page: str) -> list[tuple[list[int | str], float]]:
    return await asyncio.gather(*(open_view(base, cookies, page) for _ in range(USERS)))


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_twenty_browsers_opening_the_questionnaire_are_all_served(tmp_path, database, request):
    url = f"sqlite:///{tmp_path}/spbe.db" if database == "sqlite" else request.getfixturevalue("postgres_url")
    seed(url)
    server = LiveServer({"database_url": url, "data_dir": str(tmp_path)})
    server.start()
    try:
        with httpx.Client(base_url=server.base, timeout=30) as client:
            session = WebSession(client)
            session.login("demo-koordinator")
            aid = next(a["id"] for a in client.get("/api/assessments").json() if a["year"] == 2022)
            page = f"/assessments/{aid}?aspect=A7"
            assert len(panel_urls(page, client.get(page).text)) == 10  # aspect A7 has 10 indicators
            views = asyncio.run(crowd(server.base, client.cookies, page))
    finally:
        server.stop()
    statuses = [s for view, _ in views for s in view]
    assert statuses == [200] * (USERS * 11), f"not served: {[s for s in statuses if s != 200]}"
    slowest = max(seconds for _, seconds in views)
    assert slowest < 25, f"the slowest of {USERS} views took {slowest:.1f} s"

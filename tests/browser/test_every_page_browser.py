"""Every page, as each role sees it: fits a phone (nothing wider than the screen at 360 and 390 px), has no
accessibility violation axe-core finds (at 390 px, and at 1366 px for the koordinator) and logs no error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from fastapi import FastAPI
from playwright.sync_api import ConsoleMessage, Page
from sqlmodel import col, select

from spbe.ops.demo import DEMO_CODE, DEMO_USERS
from spbe.services import scenarios
from spbe.store.db import session_scope
from spbe.store.models import Assessment, Role, ScenarioValue, User
from tests.browser.conftest import serve
from tests.web.conftest import make_demo_app, make_settings

PHONES = (360, 390)
DESKTOP = 1366
AXE = Axe()
MISSING = "/assessments/999999"  # the not-found page: its own 404 is the one error it may log
ROLES = [Role.KOORDINATOR, Role.KONTRIBUTOR, Role.PENINJAU, Role.ADMIN]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The demo with a what-if scenario (one changed level), served once for the whole walk."""
    folder = tmp_path_factory.mktemp("every-page")
    demo = make_demo_app(make_settings(folder, f"sqlite:///{folder / 'spbe.db'}"))
    with session_scope(demo.state.engine) as db:
        latest = db.exec(select(Assessment).order_by(col(Assessment.year).desc())).first()
        koordinator = db.exec(select(User).where(User.username == DEMO_USERS[Role.KOORDINATOR])).one()
        scenario = scenarios.create(db, latest, Role.KOORDINATOR, koordinator, "Rencana 2023")
        db.add(ScenarioValue(scenario_id=scenario.id, indicator_id="I47", value=Decimal(5)))
    yield demo
    demo.state.engine.dispose()


@pytest.fixture(scope="module")
def app(demo: FastAPI) -> FastAPI:
    return demo


# Every page, with {a} the newest assessment, {s} its first what-if scenario and {i} the demo instansi.
PAGES = [
    "/", "{a}", "{a}?aspect=A8", "{a}?mine=1", "{a}/dashboard", "{a}/history", "{a}/compare",
    "{a}/calibration", "{a}/official", "{a}/export", "{a}/whatif", "{a}/whatif/{s}", "{a}/whatif/efforts",
    "{a}/whatif/roadmap?targets=2,7;2,8", "{a}/indicators/I01/evidence", "{i}/lkjip?year=2022",
    "{i}/import", "{i}/history", "{a}/assignments", MISSING,
]
ADMIN_PAGES = ["{i}/admin", "/admin/instansi"]
# One test per page and role, so the walk spreads over the pytest workers.
WALK = [(role, page) for role in ROLES for page in PAGES + (ADMIN_PAGES if role is Role.ADMIN else [])]


def pages(app: FastAPI, role: Role) -> list[str]:
    """Every page a member of this role can open, with the newest assessment and its first scenario."""
    return [resolve(app, p) for p in PAGES + (ADMIN_PAGES if role is Role.ADMIN else [])]


def resolve(app: FastAPI, path: str) -> str:
    with session_scope(app.state.engine) as db:
        latest = db.exec(select(Assessment).order_by(col(Assessment.year).desc())).first()
        a, s = latest.id, scenarios.scenarios(db, latest)[0].id
    return path.format(a=f"/assessments/{a}", s=s, i=f"/instansi/{DEMO_CODE}")


def sign_in(page: Page, base: str, role: Role) -> None:
    name = DEMO_USERS[role]
    page.goto(base + "/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", name)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def violations(page: Page) -> list[str]:
    """axe-core's violations on the page as 'rule: first element (n elements)'."""
    found = AXE.run(page).response["violations"]
    return [f"{v['id']}: {v['nodes'][0]['target']} ({len(v['nodes'])})" for v in found]


def open_settled(page: Page, url: str) -> None:
    """Open a page and wait until the htmx requests it makes on load are answered (as networkidle would,
    without its half second of quiet on every page)."""
    page.goto(url)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


@dataclass
class Tab:
    page: Page
    errors: list[str]


@pytest.fixture(scope="module")
def base_url(app: FastAPI) -> Iterator[str]:
    """One server for the whole walk (`live_server` would start one per test)."""
    with serve(app) as url:
        yield url


@pytest.fixture(scope="module")
def tab_of(browser, base_url: str) -> Iterator[Callable[[Role], Tab]]:
    """tab_of(role) -> a tab signed in as that role, kept for the module; it records console errors."""
    tabs: dict[Role, Tab] = {}

    def tab_of(role: Role) -> Tab:
        if role not in tabs:
            context = browser.new_context(viewport={"width": PHONES[-1], "height": 800})
            context.set_default_timeout(15_000)
            tab = Tab(context.new_page(), [])
            tab.page.on("console", lambda m: tab.errors.append(_located(tab.page, m)) if m.type == "error" else None)
            tab.page.on("pageerror", lambda e: tab.errors.append(f"{tab.page.url}: {e}"))
            sign_in(tab.page, base_url, role)
            tabs[role] = tab
        return tabs[role]

    yield tab_of
    for tab in tabs.values():
        tab.page.context.close()


@pytest.mark.parametrize(("role", "path"), WALK, ids=[f"{r.value}-{p}" for r, p in WALK])
def test_every_page_fits_a_phone_passes_axe_and_logs_no_error(tab_of, base_url, app, role, path):
    tab = tab_of(role)
    page, url = tab.page, resolve(app, path)
    too_wide, failing = {}, {}
    for width in ((DESKTOP,) if role is Role.KOORDINATOR else ()) + PHONES:
        page.set_viewport_size({"width": width, "height": 800})
        if width != PHONES[0]:
            open_settled(page, base_url + url)
        if width in PHONES and (extra := overflow(page)) > 0:
            too_wide[width] = extra
        if width != PHONES[0] and (found := violations(page)):
            failing[width] = found
    # Errors since the last page's test, so those logged while signing in count too.
    errors = [e for e in tab.errors if not (MISSING in e and "404" in e)]
    tab.errors.clear()
    assert too_wide == {}, f"{url} is wider than the screen (px too wide at each width): {too_wide}"
    assert failing == {}, f"{url}: axe-core violations at each width: {failing}"
    assert errors == []


def _located(page: Page, message: ConsoleMessage) -> str:
    return f"{page.url}: {message.text} ({message.location.get('url')})"


def test_the_login_page_fits_a_phone(browser, base_url):
    context = browser.new_context(viewport={"width": 360, "height": 700})
    page = context.new_page()
    try:
        page.goto(base_url + "/login")
        assert overflow(page) == 0
    finally:
        context.close()


def test_the_walk_would_notice_a_page_that_is_too_wide(browser, base_url):
    """The measure itself: a page made wider than the screen is reported."""
    context = browser.new_context(viewport={"width": 360, "height": 700})
    page = context.new_page()
    try:
        page.goto(base_url + "/login")
        page.evaluate("document.body.appendChild(Object.assign(document.createElement('div'),"
                      "{style: 'width: 500px; height: 10px'}))")
        assert overflow(page) > 0
    finally:
        context.close()


def test_pages_cover_every_html_route(app):
    """A new page gets walked too: every GET route that renders HTML is in the list (or named here as not)."""
    not_pages = {"/healthz", "/favicon.ico", "/lang/{code}", "/login", "/api/docs",
                 "/evidence/{evidence_id}/download"}
    walked = {p.split("?")[0] for p in pages(app, Role.ADMIN)}
    for route in app.routes:
        path = getattr(route, "path", "")
        if "GET" not in getattr(route, "methods", set()) or path.startswith(("/api/", "/static")):
            continue
        if path in not_pages or path.endswith((".svg", ".zip", ".xlsx")):
            continue
        assert any(_matches(path, p) for p in walked), f"{path} is not walked at phone width"


def _matches(route: str, path: str) -> bool:
    r, p = route.strip("/").split("/"), path.strip("/").split("/")
    return len(r) == len(p) and all(a.startswith("{") or a == b for a, b in zip(r, p, strict=True))

"""Every page, as each role sees it: fits a phone (nothing wider than the screen at 360 and 390 px), has no
accessibility violation axe-core finds (at 390 px, and at 1366 px for the koordinator) and logs no error."""

from __future__ import annotations

from collections.abc import Iterator
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


def pages(app: FastAPI, role: Role) -> list[str]:
    """Every page a member of this role can open, with the newest assessment and its first scenario."""
    with session_scope(app.state.engine) as db:
        latest = db.exec(select(Assessment).order_by(col(Assessment.year).desc())).first()
        scenario = scenarios.scenarios(db, latest)[0].id
        a = f"/assessments/{latest.id}"
    i = f"/instansi/{DEMO_CODE}"
    found = [
        "/", a, f"{a}?aspect=A8", f"{a}?mine=1", f"{a}/dashboard", f"{a}/history", f"{a}/compare", f"{a}/calibration",
        f"{a}/official", f"{a}/export", f"{a}/whatif", f"{a}/whatif/{scenario}", f"{a}/whatif/efforts",
        f"{a}/whatif/roadmap?targets=2,7;2,8", f"{a}/indicators/I01/evidence", f"{i}/lkjip?year=2022",
        f"{i}/import", f"{i}/history", f"{a}/assignments", MISSING,
    ]
    if role is Role.ADMIN:
        found += [f"{i}/admin", "/admin/instansi"]
    return found


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


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_every_page_fits_a_phone_passes_axe_and_logs_no_error(browser, live_server, app, role):
    context = browser.new_context(viewport={"width": PHONES[-1], "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(_located(page, m)) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    try:
        sign_in(page, live_server, role)
        too_wide, failing = {}, {}
        for path in pages(app, role):
            widths = ((DESKTOP,) if role is Role.KOORDINATOR else ()) + PHONES
            for width in widths:
                page.set_viewport_size({"width": width, "height": 800})
                if width != PHONES[0]:
                    page.goto(live_server + path)
                    page.wait_for_load_state("networkidle")
                if width in PHONES and (extra := overflow(page)) > 0:
                    too_wide[f"{path} @ {width}"] = extra
                if width != PHONES[0] and (found := violations(page)):
                    failing[f"{path} @ {width}"] = found
        errors = [e for e in errors if not (MISSING in e and "404" in e)]
        assert too_wide == {}, f"pages wider than the screen (px too wide): {too_wide}"
        assert failing == {}, f"axe-core violations: {failing}"
        assert errors == []
    finally:
        context.close()


def _located(page: Page, message: ConsoleMessage) -> str:
    return f"{page.url}: {message.text} ({message.location.get('url')})"


def test_the_login_page_fits_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 700})
    page = context.new_page()
    try:
        page.goto(live_server + "/login")
        assert overflow(page) == 0
    finally:
        context.close()


def test_the_walk_would_notice_a_page_that_is_too_wide(browser, live_server):
    """The measure itself: a page made wider than the screen is reported."""
    context = browser.new_context(viewport={"width": 360, "height": 700})
    page = context.new_page()
    try:
        page.goto(live_server + "/login")
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

"""The what-if sandbox in Chromium: create a scenario, press +, watch the index move, load the advisor's plan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import expect
from sqlmodel import select

from spbe.ops.demo import DEMO_CODE, seed_demo_pemdi
from spbe.store.db import session_scope
from spbe.store.models import Instansi
from tests.browser.test_every_page_browser import violations

from tests.web.conftest import make_demo_app, make_settings


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    demo = make_demo_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'spbe.db'}"))
    yield demo
    demo.state.engine.dispose()


def test_a_scenario_moves_the_index_loads_the_plan_and_is_saved(page, live_server):
    page.goto(live_server + "/login")
    page.get_by_label("Nama pengguna").fill("demo-koordinator")
    page.get_by_label("Kata sandi").fill("demo-koordinator")
    page.get_by_role("button", name="Masuk").click()
    page.locator("tr[data-year='2022']").get_by_role("link", name="Simulasi").click()

    page.get_by_label("Nama skenario baru").fill("Target Renstra 2,7")
    page.get_by_role("button", name="Buat skenario").click()
    expect(page.locator("[data-scenario-name]")).to_have_text("Target Renstra 2,7")
    scenario, current = page.locator("[data-index=scenario]"), page.locator("[data-index=current]")
    expect(scenario).to_have_text("2,66")

    page.get_by_role("button", name="Naikkan tingkat I47").click()
    expect(scenario).to_have_text("2,69")
    expect(current).to_have_text("2,66")
    expect(page.locator("#row-I47 [data-level]")).to_have_text("5")
    expect(page.get_by_role("button", name="Naikkan tingkat I47")).to_be_disabled()
    waterfall = page.locator("#changes img.waterfall")
    expect(waterfall).to_be_visible()
    page.wait_for_function("document.querySelector('#changes img.waterfall').naturalWidth > 0")

    page.get_by_label("Target", exact=True).fill("2,7")
    page.get_by_role("button", name="Muat rencana penasihat").click()
    expect(page.locator("[data-plan] tr[data-step]")).to_have_count(2)
    expect(page.locator("[data-plan] p.ok")).to_contain_text("2,72")
    expect(scenario).to_have_text("2,72")

    page.reload()
    expect(page.locator("[data-scenario-name]")).to_have_text("Target Renstra 2,7")
    expect(scenario).to_have_text("2,72")
    expect(current).to_have_text("2,66")
    expect(page.locator("#row-I42 [data-level]")).to_have_text("5")
    expect(page.locator("#row-I43 [data-level]")).to_have_text("3")
    expect(page.locator("#row-I47 [data-level]")).to_have_text("4")  # the plan replaced the manual change


def test_ticking_a_butir_as_accepted_moves_the_level_and_the_index(page, live_server, app):
    with session_scope(app.state.engine) as db:  # the demo's Pemdi 2026, as `spbe demo` seeds it
        seed_demo_pemdi(db, db.exec(select(Instansi).where(Instansi.code == DEMO_CODE)).one())
    page.goto(live_server + "/login")
    page.get_by_label("Nama pengguna").fill("demo-koordinator")
    page.get_by_label("Kata sandi").fill("demo-koordinator")
    page.get_by_role("button", name="Masuk").click()
    page.locator("tr[data-year='2026']").get_by_role("link", name="Simulasi").click()
    page.get_by_label("Nama skenario baru").fill("Butir I11")
    page.get_by_role("button", name="Buat skenario").click()
    scenario, current = page.locator("[data-index=scenario]"), page.locator("[data-index=current]")
    before = current.inner_text()
    expect(scenario).to_have_text(before)

    page.locator("#butir-I11 summary").click()  # I11: level 1 diterima, its one level-2 butir not yet
    tick = page.get_by_label("I11-L2-01")
    tick.check()
    expect(page.locator("#row-I11 [data-level]")).to_have_text("2")
    expect(scenario).not_to_have_text(before)
    moved = scenario.inner_text()
    assert float(moved.replace(",", ".")) > float(before.replace(",", "."))
    expect(page.locator("#butir-I11")).to_have_attribute("open", "")
    expect(page.locator("#changes")).to_contain_text("I11")
    assert violations(page) == []  # axe-core, with the ticks and a butir list open

    page.reload()
    expect(scenario).to_have_text(moved)
    expect(page.get_by_label("I11-L2-01")).to_be_checked()
    page.locator("#butir-I11 summary").click()
    page.get_by_label("I11-L2-01").uncheck()
    expect(scenario).to_have_text(before)
    expect(page.locator("#row-I11 [data-level]")).to_have_text("1")

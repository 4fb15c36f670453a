"""The what-if sandbox in Chromium: create a scenario, press +, watch the index move, load the advisor's plan."""

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

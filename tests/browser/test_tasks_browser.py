"""The jobs people come to do, in Chromium, each within a bound on the clicks it takes from the start page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from tests.browser.test_workspace_browser import sign_in
from tests.web.conftest import make_demo_app, make_settings


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    demo = make_demo_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'spbe.db'}"))
    yield demo
    demo.state.engine.dispose()


class Clicks:
    """Counts the clicks a person makes on a page (typing and choosing in a list are not clicks)."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def on(self, locator) -> None:
        locator.click()
        self.count += 1


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(re.compile(r"/login$"))


def test_admin_adds_a_kontributor_who_signs_in_and_gets_three_indicators(page, live_server):
    sign_in(page, live_server, "demo-admin")
    clicks = Clicks(page)
    clicks.on(page.get_by_role("link", name="Kelola pengguna"))
    page.get_by_label("Nama pengguna").fill("sari.opd")
    page.get_by_label("Nama lengkap").fill("Sari (Diskominfo)")
    page.locator(".add-member select[name=role]").select_option("kontributor")
    clicks.on(page.get_by_role("button", name="Tambah", exact=True))
    password = page.locator("code.password").inner_text()
    assert clicks.count <= 2
    sign_out(page)

    sign_in(page, live_server, "demo-koordinator")
    clicks = Clicks(page)
    clicks.on(page.get_by_role("link", name="2022"))
    clicks.on(page.get_by_role("link", name="Penugasan"))
    page.get_by_label("Tugaskan kepada").select_option(label="Sari (Diskominfo)")
    for indicator in ("I01", "I02", "I03"):
        clicks.on(page.locator(f".bulk-assign input[value={indicator}]"))
    clicks.on(page.get_by_role("button", name="Tugaskan indikator yang dicentang"))
    expect(page.get_by_role("status")).to_contain_text("3 indikator berubah")
    assert clicks.count <= 6
    sign_out(page)

    page.goto(live_server + "/login")
    page.get_by_label("Nama pengguna").fill("sari.opd")
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator(".my-indicators li")).to_have_count(3)


def test_kontributor_opens_their_first_assigned_indicator_in_at_most_two_clicks(page, live_server):
    sign_in(page, live_server)  # the koordinator gives I12 to the kontributor
    page.get_by_role("link", name="2022").click()
    page.get_by_role("link", name="Penugasan").click()
    page.get_by_label("Tugaskan kepada").select_option(label="Demo Kontributor")
    page.locator(".bulk-assign input[value=I12]").check()
    page.get_by_role("button", name="Tugaskan indikator yang dicentang").click()
    sign_out(page)

    sign_in(page, live_server, "demo-kontributor")
    clicks = Clicks(page)
    clicks.on(page.locator(".my-indicators a").first)
    card = page.locator("#ind-I12")
    expect(card).to_be_in_viewport()
    expect(card.locator("input[name=value]").first).to_be_enabled()
    assert clicks.count <= 2


def test_koordinator_confirms_a_carried_over_aspect_in_three_clicks(page, live_server):
    sign_in(page, live_server)
    clicks = Clicks(page)
    page.get_by_label("Tahun").fill("2023")
    clicks.on(page.get_by_role("button", name="Mulai dari tahun lalu"))
    expect(page.locator("a[data-aspect=A1] .unconfirmed")).to_have_text("10 belum dikonfirmasi")
    clicks.on(page.get_by_role("button", name="Konfirmasi semua"))
    expect(page.locator("a[data-aspect=A1] .progress")).to_have_text(re.compile(r"^\s*10/10\s*$"))
    expect(page.locator(".confirm-all")).to_have_count(0)
    assert clicks.count <= 3


def test_kontributor_filters_the_questionnaire_to_their_indicators_across_aspects(page, live_server):
    sign_in(page, live_server)  # the koordinator gives I01, I03 (aspect 1) and I11 (aspect 2) to the kontributor
    page.get_by_role("link", name="2022").click()
    page.get_by_role("link", name="Penugasan").click()
    page.get_by_label("Tugaskan kepada").select_option(label="Demo Kontributor")
    for indicator_id in ("I01", "I03", "I11"):
        page.locator(f".bulk-assign input[value={indicator_id}]").check()
    page.get_by_role("button", name="Tugaskan indikator yang dicentang").click()
    expect(page.get_by_role("status")).to_contain_text("3 indikator berubah")
    sign_out(page)

    sign_in(page, live_server, "demo-kontributor")
    clicks = Clicks(page)
    clicks.on(page.get_by_role("link", name="2022").first)
    clicks.on(page.get_by_role("link", name="Indikator saya (3)"))
    cards = page.locator("article.indicator")
    expect(cards).to_have_count(2)
    expect(page.locator("#ind-I01")).to_be_visible()
    expect(page.locator("a[data-aspect=A2] .progress")).to_have_text(re.compile(r"^\s*\d/1\s*$"))
    expect(page.locator("a[data-aspect=A3] .progress")).to_have_text(re.compile(r"^\s*–\s*$"))
    clicks.on(page.locator("a[data-aspect=A2]"))
    expect(page).to_have_url(re.compile(r"aspect=A2&mine=1"))
    expect(cards).to_have_count(1)
    expect(page.locator("#ind-I11")).to_be_visible()
    assert clicks.count <= 3
    page.get_by_role("link", name="Tampilkan semua indikator").click()
    expect(page).not_to_have_url(re.compile(r"mine=1"))
    expect(cards).to_have_count(4)  # aspect 2 whole again, and its menu entry counts all of it
    expect(page.locator("a[data-aspect=A2] .progress")).to_have_text(re.compile(r"^\s*4/4\s*$"))

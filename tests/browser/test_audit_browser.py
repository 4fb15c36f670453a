"""In Chromium: the later of two saves sees the other version (take it or re-apply); submit, then reopen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect
from sqlmodel import select

from spbe.store.db import session_scope
from spbe.store.models import Answer, Assessment
from tests.web.conftest import make_demo_app, make_settings


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    demo = make_demo_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'spbe.db'}"))
    yield demo
    demo.state.engine.dispose()


def level_of_i47(app: FastAPI) -> Decimal | None:
    with session_scope(app.state.engine) as db:
        query = (
            select(Answer.value).join(Assessment).where(Assessment.year == 2022, Answer.indicator_id == "I47")
        )
        return db.exec(query).one()


@pytest.fixture
def person(browser: Any, live_server: str) -> Iterator[Callable[[], Page]]:
    """person() -> a new person (own cookies) signed in as the koordinator, on the aspect holding I47 of 2022."""
    contexts: list[Any] = []

    def open_i47() -> Page:
        contexts.append(browser.new_context())
        page = contexts[-1].new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server + "/login")
        page.get_by_label("Nama pengguna").fill("demo-koordinator")
        page.get_by_label("Kata sandi").fill("demo-koordinator")
        page.get_by_role("button", name="Masuk").click()
        page.get_by_role("link", name="2022").click()
        page.get_by_role("link", name="Layanan Publik Berbasis Elektronik").first.click()
        page.wait_for_load_state("load")
        return page

    yield open_i47
    for context in contexts:
        context.close()


def choose(page: Page, level: int) -> None:
    page.locator(f"#ind-I47 input[name=value][value='{level}']").check()


def test_the_later_save_shows_the_saved_version_and_reapplies_on_request(app, person):
    first, second = person(), person()
    choose(first, 5)
    expect(first.locator("#state-I47")).to_contain_text("Tersimpan")
    choose(second, 2)
    conflict = second.locator("#state-I47.conflict")
    expect(conflict).to_contain_text("sudah diubah oleh orang lain — Demo Koordinator")
    expect(conflict.locator("dd[data-field=value]")).to_have_text("5 · Optimalisasi")
    assert level_of_i47(app) == Decimal(5)
    conflict.get_by_role("button", name="Terapkan perubahan saya di atasnya").click()
    expect(second.locator("#state-I47")).to_contain_text("Tersimpan")
    assert level_of_i47(app) == Decimal(2)
    history = second.locator("#ind-I47 details.ind-history")
    history.locator("summary").click()
    expect(history.locator("li.history-entry")).to_have_count(2)
    expect(history.locator("li.history-entry").first).to_contain_text("5 → 2")


def test_taking_the_saved_version_reloads_the_card(app, person):
    first, second = person(), person()
    choose(first, 5)
    expect(first.locator("#state-I47")).to_contain_text("Tersimpan")
    choose(second, 1)
    second.get_by_role("button", name="Pakai versi tersimpan (muat ulang)").click()
    expect(second.locator("#ind-I47 input[name=value][value='5']")).to_be_checked()
    expect(second.locator("#state-I47.conflict")).to_have_count(0)
    assert level_of_i47(app) == Decimal(5)


def test_the_koordinator_submits_then_reopens_with_a_reason(app, person):
    page = person()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.locator("h1 .badge")).to_have_text("Terkirim")
    expect(page.locator("article.indicator input[name=value]").first).to_be_disabled()
    page.get_by_label("Alasan membuka kembali").fill("Koreksi I47 atas masukan inspektorat")
    page.get_by_role("button", name="Buka kembali").click()
    expect(page.locator("h1 .badge")).to_have_text("Draf")
    page.get_by_role("link", name="Riwayat").click()
    newest = page.locator("li.history-entry").first
    expect(newest).to_contain_text("Penilaian dibuka kembali")
    expect(newest).to_contain_text("Alasan: Koreksi I47 atas masukan inspektorat")

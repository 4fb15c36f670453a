"""The workspace in Chromium: sign in, fill indicators with autosave, upload evidence, watch the index, reload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from tests.evidence_files import pdf
from tests.web.conftest import make_demo_app, make_settings


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    demo = make_demo_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'spbe.db'}"))
    yield demo
    demo.state.engine.dispose()


def sign_in(page: Page, base: str, user: str = "demo-koordinator") -> None:
    page.goto(base + "/login")
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(user)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()


def indicator(page: Page, indicator_id: str):
    return page.locator(f"#ind-{indicator_id}")


def choose_level(page: Page, indicator_id: str, level: int) -> None:
    page.wait_for_load_state("load")  # htmx (a deferred script) binds the autosave triggers before `load`
    card = indicator(page, indicator_id)
    card.locator(f"input[name=value][value='{level}']").check()
    expect(card.get_by_text(re.compile(r"Tersimpan \d{2}[.:]\d{2}"))).to_be_visible()


def test_changing_a_level_moves_the_index_and_survives_a_reload(page, live_server):
    sign_in(page, live_server)
    page.get_by_role("link", name="2022").click()
    page.get_by_role("link", name=re.compile("Layanan Publik Berbasis Elektronik")).first.click()
    summary = page.locator("#summary [data-index]")
    expect(summary).to_have_text("2,66")
    choose_level(page, "I47", 5)
    expect(summary).to_have_text("2,69")
    expect(page.locator("#summary")).to_contain_text("Baik")
    page.reload()
    expect(page.locator("#summary [data-index]")).to_have_text("2,69")
    expect(indicator(page, "I47").locator("input[name=value][value='5']")).to_be_checked()


def test_a_new_year_is_filled_with_autosave_and_evidence_and_everything_is_there_after_reload(
    page, live_server, tmp_path
):
    sign_in(page, live_server)
    page.get_by_label("Tahun").fill("2023")
    page.get_by_role("button", name="Buat penilaian kosong").click()
    summary = page.locator("#summary [data-index]")
    expect(summary).to_have_text("1,00–5,00")  # nothing answered: the whole scale is still possible

    for indicator_id, level in (("I01", 3), ("I02", 2), ("I03", 4)):
        choose_level(page, indicator_id, level)
    # I01..I03 (1,3 % each) at 3, 2 and 4; the other 96,1 % still anywhere from 1 to 5.
    expect(summary).to_have_text("1,08–4,92")
    expect(page.locator("#summary")).to_contain_text("3 dari 47 indikator terjawab")
    card = indicator(page, "I01")
    card.get_by_label("Penjelasan").fill("Perwali Arsitektur SPBE telah ditetapkan.")
    expect(card.get_by_text(re.compile(r"Tersimpan"))).to_be_visible()
    card.get_by_label("Penjelasan").blur()

    document = tmp_path / "perwali-arsitektur.pdf"
    document.write_bytes(pdf("Perwali Arsitektur SPBE"))
    panel = card.locator(".evidence-panel")
    panel.get_by_text("Unggah berkas").click()
    upload = panel.locator("form").filter(has=page.locator("input[type=file]"))
    upload.get_by_label(re.compile("^Berkas")).set_input_files(str(document))
    upload.get_by_label("Judul", exact=True).fill("Perwali Arsitektur SPBE")
    upload.get_by_label("Nomor dokumen").fill("12/2023")
    upload.get_by_label("Tanggal dokumen").fill("2023-03-01")
    upload.get_by_label("3", exact=True).check()
    upload.get_by_role("button", name="Unggah", exact=True).click()
    expect(panel.get_by_text("perwali-arsitektur.pdf")).to_be_visible()

    page.reload()
    card = indicator(page, "I01")
    expect(card.locator("input[name=value][value='3']")).to_be_checked()
    expect(indicator(page, "I03").locator("input[name=value][value='4']")).to_be_checked()
    expect(card.get_by_label("Penjelasan")).to_have_value("Perwali Arsitektur SPBE telah ditetapkan.")
    expect(card.locator(".evidence-panel").get_by_text("Perwali Arsitektur SPBE").first).to_be_visible()
    expect(page.locator("#summary [data-index]")).to_have_text("1,08–4,92")


@pytest.mark.parametrize("width", [1366, 390])
def test_the_save_state_shows_beside_the_chosen_level_while_saving_and_once_saved(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    sign_in(page, live_server)
    page.get_by_role("link", name="2022").click()
    page.wait_for_load_state("load")
    held = []  # the save waits here, so "Menyimpan…" can be seen before the answer comes
    page.route("**/indicators/I05", lambda route: held.append(route) if route.request.method == "POST"
               else route.continue_())
    card = indicator(page, "I05")
    option = card.locator("label.level-option").filter(has=page.locator("input[value='4']"))
    option.scroll_into_view_if_needed()
    option.locator("input").check()
    state = card.locator("#state-I05")
    expect(state).to_have_text("Menyimpan…")
    expect(state).to_have_attribute("aria-live", "polite")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(20)  # lets Playwright hand over the held request
    held[0].continue_()
    page.unroute("**/indicators/I05")
    expect(state).to_have_text(re.compile(r"Tersimpan \d{2}[.:]\d{2}"))
    expect(state).to_be_in_viewport()
    chosen, shown = option.bounding_box(), state.bounding_box()
    assert 0 <= shown["y"] - (chosen["y"] + chosen["height"]) <= 2  # directly under the chosen option
    assert shown["x"] >= chosen["x"] - 1 and shown["x"] + shown["width"] <= chosen["x"] + chosen["width"] + 1

    card.get_by_label("Penjelasan").fill("Kebijakan tata kelola SPBE ditetapkan.")
    card.get_by_label("Penjelasan").blur()  # a text field saves when it is left (or after a pause in typing)
    expect(card.locator("form.answer > .save-state")).to_have_text(re.compile(r"Tersimpan \d{2}[.:]\d{2}"))
    expect(card.locator("fieldset.levels .save-state")).to_have_count(0)  # one state, beside the last change

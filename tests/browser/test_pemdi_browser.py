"""A Pemdi 2026 assessment in Chromium: decimal values typed with a comma, a source index, the index, a reload."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_security_browser import app, violations, watched  # noqa: F401 (fixtures: demo app, CSP watch)
from tests.browser.test_workspace_browser import indicator, sign_in


def type_into(page: Page, indicator_id: str, field: str, text: str) -> None:
    """Type as a person does and leave the field; wait until the card says it is saved."""
    page.wait_for_load_state("load")  # htmx (a deferred script) binds the autosave triggers before `load`
    card = indicator(page, indicator_id)
    card.locator(f"input[name={field}]").press_sequentially(text)
    card.locator(f"input[name={field}]").press("Tab")
    expect(card.get_by_text(re.compile(r"Tersimpan \d{2}[.:]\d{2}"))).to_be_visible()


def open_aspect(page: Page, number: int, name: str) -> None:
    """Go to an aspect of the questionnaire through its menu."""
    page.locator("#aspect-nav").get_by_role("link", name=re.compile(f"{number}. {name}")).click()
    expect(page.locator("h2.aspect-title")).to_contain_text(name)


def test_a_pemdi_assessment_takes_comma_decimals_and_a_source_index_and_keeps_them(watched, live_server):
    page, console = watched
    sign_in(page, live_server)
    page.get_by_label("Tahun").fill("2026")
    page.get_by_label("Rubrik").select_option("pemdi-2026")
    page.get_by_role("button", name="Buat penilaian kosong").click()
    expect(page.locator("[data-provisional]")).to_contain_text("SEMENTARA")
    summary = page.locator("#summary [data-index]")
    expect(summary).to_have_text("1,00–4,44")  # the four external indicators count as 1,00 while pending

    type_into(page, "I01", "value", "1,5")
    type_into(page, "I02", "value", "2,25")
    expect(summary).to_have_text("1,09–4,13")
    open_aspect(page, 3, "Data")
    card = indicator(page, "I05")
    expect(card).to_contain_text("tidak dinilai mandiri")
    expect(card.locator("[data-pending]")).to_have_text("menunggu indeks sumber")
    type_into(page, "I05", "source_value", "68,75")
    expect(card.locator("[data-converted]")).to_have_text("3,75")
    expect(summary).to_have_text("1,23–4,27")
    expect(page.locator("#summary")).to_contain_text("3 indikator menunggu indeks sumber")

    page.reload()
    expect(indicator(page, "I05").locator("input[name=source_value]")).to_have_value("68,75")
    expect(indicator(page, "I05").locator("[data-converted]")).to_have_text("3,75")
    expect(page.locator("#summary [data-index]")).to_have_text("1,23–4,27")
    open_aspect(page, 1, "Tata Kelola")
    expect(indicator(page, "I01").locator("input[name=value]")).to_have_value("1,5")
    expect(indicator(page, "I02").locator("input[name=value]")).to_have_value("2,25")
    page.goto(page.url.split("?")[0] + "/dashboard")
    expect(page.locator("#aspects tr[data-id=A1] td").nth(2)).to_have_text("1,88")
    expect(page.locator("[data-provisional]")).to_be_visible()
    page.goto(live_server)
    page.get_by_role("link", name="Riwayat indeks").first.click()
    pemdi_2026 = page.locator('#index-history tr[data-year="2026"] td[data-rubric="pemdi-2026"]')
    expect(pemdi_2026).to_contain_text("1,23–4,27")
    page.wait_for_load_state("load")  # the chart is an <img>: drawn once the page has loaded
    assert page.locator("figure img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert violations(page, console) == []


def test_the_bridge_button_opens_the_pemdi_draft_with_suggestions_to_review(page, live_server):
    sign_in(page, live_server)
    page.wait_for_load_state("load")  # htmx (a deferred script) handles the button
    page.get_by_role("button", name="Mulai dari penilaian SPBE tahun lalu: Pemdi 2026 dari SPBE 2022").click()
    expect(page.locator("h1")).to_contain_text("Penilaian Mandiri Indeks Pemdi 2026")
    card = indicator(page, "I01")
    expect(card.locator(".carried-note")).to_contain_text("perlu ditinjau")
    expect(card.locator("input[name=value]")).to_have_value("1,6667")
    page.wait_for_load_state("load")
    card.get_by_role("button", name="Konfirmasi").click()
    expect(indicator(page, "I01").locator(".carried-note")).to_have_count(0)

"""The butir loop in Chromium: attach, prepared, verdicts imported, work list, fix, accepted, levels move."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.test_security_browser import app, violations, watched  # noqa: F401 (fixtures)
from tests.browser.test_workspace_browser import indicator, sign_in

SHOTS = os.environ.get("SPBE_SCREENSHOTS")  # a folder to keep screenshots in, for looking at the pages


def shoot(page: Page, name: str, part: str = "") -> None:
    """No horizontal overflow at the page's width; a screenshot (of `part`) if SPBE_SCREENSHOTS is set."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} overflows at {width}px"
    if SHOTS:
        path = str(Path(SHOTS) / f"{name}-{width}.png")
        page.locator(part).screenshot(path=path) if part else page.screenshot(path=path, full_page=True)


def add_link(page: Page, indicator_id: str, title: str) -> None:
    """Add a link as evidence in the indicator's evidence panel."""
    panel = indicator(page, indicator_id).locator(".evidence-panel")
    panel.get_by_text("Tambah tautan").click()
    form = panel.locator("form[action$='/url']")
    form.get_by_label("Tautan (http/https)").fill("https://portal.example.go.id")
    form.get_by_label("Judul").fill(title)
    form.locator("input[name=levels][value='1']").check()
    form.get_by_role("button", name="Simpan tautan").click()
    expect(panel.locator("table")).to_contain_text(title)


def attach(page: Page, code: str, title: str) -> None:
    """Attach an evidence item of the card to a butir."""
    item = page.locator(f'[data-butir="{code}"]')
    expect(item.locator("select[name=evidence_id] option", has_text=title)).to_have_count(1)
    page.wait_for_load_state("networkidle")  # the panel reloads after evidence changes: click the settled one
    item.locator("select[name=evidence_id]").select_option(label=title)
    item.get_by_role("button", name="Lampirkan").click()
    expect(item.locator(".butir-evidence li", has_text=title)).to_have_count(1)


def import_verdicts(page: Page, base: str, assessment: str, tmp_path: Path, rows: str) -> None:
    """The koordinator uploads an asesor's verdicts file."""
    path = tmp_path / "putusan-asesor.csv"
    path.write_text("butir,status,catatan\n" + rows)
    page.goto(f"{base}/assessments/{assessment}/butir/import")
    page.get_by_label("Berkas").set_input_files(str(path))
    page.get_by_role("button", name="Impor").click()
    expect(page.locator("[data-imported]")).to_be_visible()


def open_card(page: Page, base: str, assessment: str) -> None:
    page.goto(f"{base}/assessments/{assessment}?aspect=A6#ind-I17")
    page.wait_for_load_state("load")
    expect(indicator(page, "I17").locator("section.butir")).to_be_visible()


def test_the_whole_butir_loop_moves_the_level_and_the_estimated_index(watched, live_server, tmp_path):
    page, console = watched
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _loop(page, live_server, tmp_path, width)
    assert violations(page, console) == []


def _loop(page: Page, base: str, tmp_path: Path, width: int) -> None:
    year = "2026" if width == 1366 else "2027"
    sign_in(page, base)
    page.get_by_label("Tahun").fill(year)
    page.get_by_role("button", name="Buat penilaian kosong").click()
    expect(page.locator("[data-instrument]")).to_have_text(f"Indeks Pemdi {year}")
    assessment = re.search(r"/assessments/(\d+)", page.url).group(1)
    open_card(page, base, assessment)
    card = indicator(page, "I17")
    card.locator("select[name=assignee_id]").select_option(label="Demo Kontributor")
    expect(card.get_by_text(re.compile(r"Tersimpan \d{2}[.:]\d{2}"))).to_be_visible()
    add_link(page, "I17", "Rencana aksi portal")
    attach(page, "I17-L1-01", "Rencana aksi portal")
    attach(page, "I17-L1-02", "Rencana aksi portal")
    butir = card.locator("section.butir")
    expect(butir.locator('[data-butir="I17-L1-02"]')).to_have_attribute("data-status", "disiapkan")
    expect(butir).to_have_attribute("data-prepared", "1")
    expect(butir.locator("[data-col=reached]")).to_have_text("belum mencapai tingkat 1")
    shoot(page, "card-prepared", "#ind-I17 section.butir")

    import_verdicts(
        page,
        base,
        assessment,
        tmp_path,
        "I17-L1-01,diterima,\nI17-L1-02,revisi,Lampirkan portal dengan matriks integrasi.\n",
    )
    page.goto(f"{base}/assessments/{assessment}/perbaikan")
    before = page.locator("[data-estimated-index]").get_attribute("data-estimated-index")
    expect(page.locator('tr[data-butir="I17-L1-02"]')).to_contain_text("matriks integrasi")

    page.get_by_role("button", name="Keluar").click()
    sign_in(page, base, "demo-kontributor")
    work = page.locator(f'[data-my-work="{assessment}"]')
    expect(work).to_contain_text("I17-L1-02")
    shoot(page, "home-kontributor")
    work.get_by_role("link", name="Lihat semua").click()
    expect(page.locator('tr[data-butir="I17-L1-02"]')).to_contain_text("revisi")
    shoot(page, "worklist")
    open_card(page, base, assessment)
    add_link(page, "I17", "Portal dan matriks integrasi")
    attach(page, "I17-L1-02", "Portal dan matriks integrasi")
    page.locator('[data-butir="I17-L1-02"]').get_by_role("button", name="Tandai disiapkan").click()
    expect(page.locator('[data-butir="I17-L1-02"]')).to_have_attribute("data-status", "disiapkan")
    page.get_by_role("button", name="Keluar").click()

    sign_in(page, base)
    import_verdicts(page, base, assessment, tmp_path, "I17-L1-02,diterima,\n")
    open_card(page, base, assessment)
    butir = indicator(page, "I17").locator("section.butir")
    expect(butir).to_have_attribute("data-reached", "1")
    expect(butir.locator("[data-col=estimate]")).to_contain_text("1,50")
    shoot(page, "card-accepted", "#ind-I17 section.butir")
    page.goto(f"{base}/assessments/{assessment}/perbaikan")
    expect(page.locator('tr[data-butir="I17-L1-02"]')).to_have_count(0)
    after = page.locator("[data-estimated-index]").get_attribute("data-estimated-index")
    assert float(after) > float(before)
    page.get_by_role("button", name="Keluar").click()

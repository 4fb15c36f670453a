"""Pages under the Content-Security-Policy in Chromium: autosave, upload and forms work, nothing blocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from tests.browser.test_workspace_browser import choose_level, indicator, sign_in
from tests.evidence_files import pdf
from tests.web.conftest import make_demo_app, make_settings

# Runs before any page script; the violations a page reports are kept on window for the test to read.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    demo = make_demo_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'spbe.db'}"))
    yield demo
    demo.state.engine.dispose()


@pytest.fixture
def watched(page: Page) -> tuple[Page, list[str]]:
    """The page, recording CSP violations from events and from the console."""
    console: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    return page, console


def violations(page: Page, console: list[str]) -> list[Any]:
    return page.evaluate("window.__violations") + console


def test_autosave_upload_and_forms_work_under_the_csp_without_a_violation(watched, live_server, tmp_path):
    page, console = watched
    sign_in(page, live_server)  # a plain form: its token travels as a hidden field
    page.get_by_role("link", name="2022").click()
    page.get_by_role("link", name=re.compile("Layanan Publik Berbasis Elektronik")).first.click()
    choose_level(page, "I47", 5)  # htmx: its token travels as the X-CSRF-Token header
    expect(page.locator("#summary [data-index]")).to_have_text("2,69")

    document = tmp_path / "perwali.pdf"
    document.write_bytes(pdf("Perwali"))
    panel = indicator(page, "I47").locator(".evidence-panel")
    panel.get_by_text("Unggah berkas").click()
    upload = panel.locator("form").filter(has=page.locator("input[type=file]"))
    upload.get_by_label(re.compile("^Berkas")).set_input_files(str(document))
    upload.get_by_label("Judul", exact=True).fill("Perwali")
    upload.get_by_label("5", exact=True).check()
    upload.get_by_role("button", name="Unggah", exact=True).click()  # htmx multipart
    expect(panel.get_by_text("perwali.pdf")).to_be_visible()

    page.get_by_role("link", name=re.compile("Dasbor")).first.click()  # SVG charts as images
    expect(page.locator("img").first).to_be_visible()
    assert violations(page, console) == []

    page.get_by_role("button", name="Keluar").click()  # a plain form in the top bar
    expect(page.get_by_label("Nama pengguna")).to_be_visible()
    assert violations(page, console) == []


def test_the_policy_is_enforced_so_a_clean_record_means_something(watched, live_server):
    page, console = watched
    page.goto(live_server + "/login")
    page.evaluate("""document.body.insertAdjacentHTML("beforeend",
        '<p style="color: red">x</p><img src="x" onerror="window.__ran = true">')""")
    page.wait_for_function("window.__violations.length >= 2")
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("style-src") for v in violations(page, console))
    assert any(v.startswith("script-src") for v in violations(page, console))


def test_a_stale_page_is_refused_with_a_message_and_nothing_saved(watched, live_server):
    page, _ = watched
    sign_in(page, live_server)
    page.get_by_role("link", name="2022").click()
    page.get_by_role("link", name=re.compile("Layanan Publik Berbasis Elektronik")).first.click()
    page.evaluate("""document.body.setAttribute("hx-headers", '{"X-CSRF-Token": "kedaluwarsa"}')""")
    card = indicator(page, "I47")
    card.locator("input[name=value][value='5']").check()
    expect(card.get_by_text(re.compile("token keamanan formulir"))).to_be_visible()
    page.reload()
    expect(indicator(page, "I47").locator("input[name=value][value='5']")).not_to_be_checked()

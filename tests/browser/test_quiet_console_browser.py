"""Filling in Chromium logs no error: leaving a field for another aspect, and a conflict that also refreshes
the evidence someone else added meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.browser.test_workspace_browser import sign_in
from tests.web.conftest import login, make_demo_app, make_settings
from tests.web.evidence_helpers import add_link, assessment_id


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    demo = make_demo_app(make_settings(tmp_path, f"sqlite:///{tmp_path / 'spbe.db'}"))
    yield demo
    demo.state.engine.dispose()


def errors_of(page: Page) -> list[str]:
    """Collect the page's console errors and uncaught exceptions from now on."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_leaving_a_field_for_another_aspect_saves_it_without_an_error(page, live_server, app):
    errors = errors_of(page)
    sign_in(page, live_server)
    page.goto(f"{live_server}/assessments/{assessment_id(app)}")
    page.wait_for_load_state("networkidle")
    for aspect in ("A2", "A3", "A4"):
        first = page.locator("article.indicator").first
        first.get_by_label("Penjelasan").fill(f"Catatan sebelum pindah ke {aspect}")
        page.locator(f"a[data-aspect={aspect}]").click()  # the save is still on its way
        expect(page.locator("a[aria-current=page]")).to_have_attribute("data-aspect", aspect)
        page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert errors == []


def test_a_conflict_shows_their_version_and_their_new_evidence(page, live_server, app):
    errors = errors_of(page)
    a2022 = assessment_id(app)
    sign_in(page, live_server)
    page.goto(f"{live_server}/assessments/{a2022}?aspect=A8")
    card = page.locator("#ind-I47")
    expect(card.locator(".evidence-panel")).to_contain_text("Data dukung")
    with TestClient(app) as other:  # a colleague saves I47 and adds a link meanwhile
        login(other, "koordinator")
        version = page.locator("#version-I47").input_value()
        other.post(f"/assessments/{a2022}/indicators/I47", data={"value": "2", "version": version},
                   headers={"HX-Request": "true"})
        add_link(other, a2022, "I47", title="Portal layanan terpadu")
    expect(card.locator(".evidence-panel")).not_to_contain_text("Portal layanan terpadu")
    card.locator("input[name=value][value='5']").check()
    expect(card.locator(".conflict")).to_contain_text("Demo Koordinator")
    expect(card.locator(".evidence-panel")).to_contain_text("Portal layanan terpadu")
    assert [e for e in errors if "409" not in e] == []  # the refused save itself is the only 4xx logged
